"""The kit every tool stands on, tried as people meet it: who is on the page, no word lost
between pages, one record per Save, history never hidden, and a tool that is one registry line.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from cofacilitate import ui
from cofacilitate.bodies import NotReadableHere, upgrade
from cofacilitate.store import Workspace, new_id
from cofacilitate.tools import TOOLS, tool
from tests.conftest import data_links, shown
from tests.pages import Pages

REPO = Path(__file__).resolve().parent.parent
CLIMB = "Pay people for their time"


def save_ladder(page, project: str = "Memory clinic study", now: str = "consultation") -> None:
    page.project.value = project
    page.stages[0].now.value, page.stages[0].aim.value, page.stages[0].climb.value = now, "co-production", CLIMB
    page.stages[1].now.value = "informing"
    page.save_button.click()


# -- who is on the page ----------------------------------------------------------------


def test_someone_new_on_a_shared_laptop_sees_nothing_of_the_last_person(ladder: Pages) -> None:
    shell = ladder.shell()
    first = shell.page
    first.person_bar.pseudonym.value = "Sam"
    first.person_bar.roles["carer"].value = True
    first.project.value = "Memory clinic study"
    first.stages[0].climb.value = "Something private I have not saved"
    first.files.button.click()

    shell.start_someone_new()
    second = shell.page

    assert second is not first
    assert second.person_bar.pseudonym.value == "" and not any(box.value for box in second.person_bar.roles.values())
    assert second.stages[0].climb.value == "" and second.project.value == ""
    assert "starting as someone new" in shown(second.person_bar.feedback), "said where the button was pressed"
    assert "not given a name" in shown(second.person_bar.whose)
    reopened = ladder()  # a reload on the same laptop opens the new person's page
    assert reopened.person_bar.pseudonym.value == "" and reopened.stages[0].climb.value == ""


def test_the_page_says_whose_answers_are_on_it(ladder: Pages) -> None:
    page = ladder()
    page.person_bar.pseudonym.value = "<b>Sam</b>"

    assert "You are working as “<b>Sam</b>”" in shown(page.person_bar.whose)
    assert "<b>Sam" not in page.person_bar.whose.value
    assert ladder().person_bar.pseudonym.value == "<b>Sam</b>", "the name is kept for the person, on every page"


def test_two_people_on_one_workspace_keep_drafts_lists_and_downloads_apart(ladder: Pages, home: Path) -> None:
    sam_page = ladder()
    sam_page.person_bar.pseudonym.value = "Sam"
    save_ladder(sam_page)
    sam_page.why_moved.value = "Sam's unsaved thought"
    store = Workspace.open(home)
    jo = store.new_person()
    store.close()

    jo_page = ladder(person=jo)
    jo_page.person_bar.pseudonym.value = "Jo"

    assert jo_page.why_moved.value == "" and jo_page.stages[0].now.value == ""
    assert "Nothing saved yet" in shown(jo_page.saved_list)
    jo_page.files.button.click()
    assert "nothing saved yet" in shown(jo_page.files.feedback)
    save_ladder(jo_page, now="informing")
    jo_page.files.button.click()
    [jo_record] = json.loads(data_links(jo_page.files.links.value)["application/json"])["records"]
    assert jo_record["participant"] == "Jo" and jo_record["body"]["answers"][0]["now"] == "informing"
    sam_page.files.button.click()
    [sam_record] = json.loads(data_links(sam_page.files.links.value)["application/json"])["records"]
    assert sam_record["participant"] == "Sam"
    assert "Sam" not in shown(jo_page.saved_list)


def test_a_person_named_in_the_address_gets_their_own_page(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    person_id = new_id()
    monkeypatch.setenv("QUERY_STRING", f"person={person_id}&room=workshop-1")
    shell = ui.show("ladder", str(home))
    assert (shell.person.id, shell.room) == (person_id, "workshop-1")
    monkeypatch.setenv("QUERY_STRING", "person=../../etc&room=<script>")
    shell = ui.show("ladder", str(home))
    assert shell.person.id != "../../etc" and shell.room == "", "shapes we do not know are ignored"


# -- no word lost between pages, no answer counted twice ---------------------------------


def test_saved_answers_come_back_under_newer_drafts(ladder: Pages) -> None:
    first = ladder()
    save_ladder(first)
    first.stages[3].now.value = "co-design"  # one more change after the save
    first.why_moved.value = "typed"
    first.why_moved.value = ""  # ... and cleared again

    again = ladder()

    stage_one = again.stages[0]
    assert (stage_one.now.value, stage_one.aim.value, stage_one.climb.value) == ("consultation", "co-production", CLIMB)
    assert again.stages[1].now.value == "informing"
    assert again.stages[3].now.value == "co-design", "the newer draft is on top"
    assert "start from your last assessment" in shown(again.person_bar.feedback)
    assert "brought back what you were writing" in shown(again.person_bar.feedback)


def test_a_save_on_one_page_keeps_another_pages_unsaved_words(ladder: Pages) -> None:
    one, two = ladder(), ladder()
    one.project.value = two.project.value = "Memory clinic study"
    two.stages[0].climb.value = "Words typed on the second page"
    two.stages[4].climb.value = "More words on the second page"

    one.stages[0].now.value = "informing"
    one.save_button.click()

    again = ladder()
    assert again.stages[0].climb.value == "Words typed on the second page"
    assert again.stages[4].climb.value == "More words on the second page"


def test_switching_ladders_and_back_keeps_the_newest_choice(ladder: Pages) -> None:
    page = ladder()
    page.stages[0].now.value = "informing"
    page.card_choice.value = "arnstein"
    page.card_choice.value = "ladder"
    page.stages[0].now.value = "co-design"
    page.card_choice.value = "arnstein"

    page.card_choice.value = "ladder"

    assert page.stages[0].now.value == "co-design"


def test_a_double_click_stores_one_record_and_a_later_change_a_new_one(ladder: Pages) -> None:
    page = ladder()
    save_ladder(page)
    page.save_button.click()
    assert len(page.ctx.records()) == 1

    page.stages[2].now.value = "pass"
    page.save_button.click()

    assert len(page.ctx.records()) == 2


def test_a_restore_makes_the_answers_the_persons_own(ladder: Pages, home: Path, tmp_path: Path) -> None:
    elsewhere = ladder(folder=tmp_path / "elsewhere")
    save_ladder(elsewhere)
    elsewhere.files.button.click()
    card = data_links(elsewhere.files.links.value)["application/json"]
    page = ladder()

    page.files.restore(card, "ladder-response-card.json")

    [record] = page.ctx.records()
    assert (record.person, record.room) == (page.ctx.person.id, "")
    assert "Memory clinic study" in page.project.options


# -- versions that never hide history ------------------------------------------------------


def test_a_record_that_cannot_be_shown_is_listed_kept_and_downloaded(powermap: Pages) -> None:
    page = powermap()
    page.people.name.value = "Ward managers"
    page.people.add.click()
    page.save_button.click()
    newer = page.ctx.records()[0].body | {"version": 7, "future": ["kept"]}
    page.ctx.store.save_record("powermap", newer, owner=page.ctx.owner, record_id=new_id())

    again = powermap()

    listed = shown(again.saved_list)
    assert "1 on the map" in listed
    assert "One saved item could not be shown here" in listed and "newer version of the app" in listed
    again.files.button.click()
    card = data_links(again.files.links.value)["application/json"]
    assert newer in [r["body"] for r in json.loads(card)["records"]]
    fresh = powermap(folder=again.ctx.store.home.parent / "fresh")
    fresh.files.restore(card, "powermap-response-card.json")
    assert "2 saved sets of answers were brought back" in shown(fresh.files.feedback)


def test_bodies_are_upgraded_one_version_at_a_time() -> None:
    steps = {1: lambda body: {"version": 1, "words": body["text"]}, 2: lambda body: {**body, "words": body["words"].upper()}}

    assert upgrade({"version": 1, "text": "hello"}, 3, steps) == {"version": 3, "words": "HELLO"}
    assert upgrade({"version": 3, "words": "x"}, 3, steps) == {"version": 3, "words": "x"}
    with pytest.raises(NotReadableHere):
        upgrade({"version": 4}, 3, steps)
    with pytest.raises(ValueError, match="no version number"):
        upgrade({"version": True}, 3, steps)


@pytest.mark.parametrize("info", TOOLS, ids=[t.id for t in TOOLS])
def test_every_tool_has_a_migration_from_every_earlier_body_version(info) -> None:
    from importlib import import_module

    model = import_module(f"cofacilitate.{info.id}.model")
    assert set(model.MIGRATIONS) == set(range(1, model.BODY_VERSION))


# -- a tool is a folder and one registration -----------------------------------------------


@pytest.mark.parametrize("info", TOOLS, ids=[t.id for t in TOOLS])
def test_every_registered_tool_has_its_four_rooms_a_card_and_a_workbook(info) -> None:
    from cofacilitate.cards import load_cards
    from cofacilitate.ui.page import page_class

    folder = REPO / "cofacilitate" / info.id
    assert {"model.py", "analysis.py", "charts.py", "app.py"} <= {p.name for p in folder.iterdir()}
    notebook = json.loads((REPO / "workbooks" / info.workbook).read_text(encoding="utf-8"))
    code = "".join(next(c for c in notebook["cells"] if c["cell_type"] == "code")["source"])
    assert f'show("{info.id}")' in code
    page = page_class(info)
    assert load_cards(info.id, page.vocabulary_type)[0], "at least one good card ships"
    assert tool(info.id) is info


def test_the_landing_page_lists_every_registered_tool(home: Path) -> None:
    from cofacilitate.landing import show

    markup = "".join(child.value for child in show(str(home)).children if hasattr(child, "value"))
    for info in TOOLS:
        assert f'href="{info.workbook}"' in markup and info.title in markup


def test_several_cards_of_one_kind_are_chosen_the_same_way_in_every_tool(powermap: Pages, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import copy_cards

    cards = copy_cards(tmp_path)
    text = (cards / "powermap.yaml").read_text(encoding="utf-8")
    (cards / "powermap-short.yaml").write_text(text.replace("id: powermap", "id: powermap-short", 1)
                                               .replace("title: ", "title: Short ", 1), encoding="utf-8")
    monkeypatch.setenv("COFACILITATE_CARDS", str(cards))
    page = powermap()
    assert page.card_choice in page.children, "with two cards the page offers the choice"
    page.people.name.value = "Ward managers"
    page.people.add.click()

    page.card_choice.value = "powermap-short"
    page.save_button.click()

    assert page.ctx.records()[0].body["card"] == "powermap-short"
    assert page.map.stakeholders == [], "each card has its own working map"
    page.card_choice.value = "powermap"
    assert [p.label for p in page.map.stakeholders] == ["Ward managers"]


# -- timers on a real event loop -------------------------------------------------------------


def run_loop_for(loop: asyncio.AbstractEventLoop, seconds: float) -> None:
    """Run the loop in its own thread (Playwright may hold this thread's loop in a full test run)."""
    import threading

    runner = threading.Thread(target=loop.run_until_complete, args=(asyncio.sleep(seconds),))
    runner.start()
    runner.join()


def test_drafts_wait_for_a_pause_in_typing_on_a_real_event_loop(ladder: Pages, monkeypatch: pytest.MonkeyPatch) -> None:
    page = ladder()
    loop = asyncio.new_event_loop()
    monkeypatch.setattr("cofacilitate.ui.events.kernel_loop", lambda: loop)
    try:
        for text in ("P", "Pa", "Pay"):
            page.stages[0].climb.value = text
        key = page.project_key("idea", "climb")
        assert key not in page.ctx.store.drafts("ladder", page.ctx.owner), "nothing written while typing"
        run_loop_for(loop, page.drafts._debounced.delay + 0.3)
        assert page.ctx.store.drafts("ladder", page.ctx.owner)[key] == "Pay"
    finally:
        loop.close()


def test_a_click_waits_for_the_last_keystrokes_sent_before_it(ladder: Pages) -> None:
    page = ladder()
    page.save_button.send = lambda content, buffers=None: None  # the question goes to the page
    page.save_button._from_page(None, {"event": "click"}, [])
    page.stages[0].climb.value = "Words the page was holding back when it was clicked"
    assert page.ctx.records() == []
    page.save_button._from_page(None, {"settled": 1}, [])  # the page's answer comes after them
    [record] = page.ctx.records()
    assert record.body["answers"][0]["climb"] == "Words the page was holding back when it was clicked"


# -- dependency floors that are true ------------------------------------------------------------


def test_installed_libraries_meet_the_declared_floors_and_altairs_private_bundle_hook_exists() -> None:
    from importlib.metadata import requires, version

    from packaging.requirements import Requirement

    declared = [Requirement(line) for line in requires("cofacilitate") or [] if "extra ==" not in line]
    requirements = {requirement.name.lower(): requirement for requirement in declared}
    for name in ("pandas", "altair", "ipywidgets", "voila"):
        assert requirements[name].specifier.contains(version(name)), f"{name} {version(name)} is outside {requirements[name]}"
    assert requirements["pandas"].specifier.contains("2.1.0") and not requirements["pandas"].specifier.contains("2.0.3")
    assert not requirements["altair"].specifier.contains("7.0.0"), "JupyterChart._esm is private: stay below the next major"
    from altair import JupyterChart

    assert hasattr(JupyterChart, "_esm")


# -- safety on every page -----------------------------------------------------------------------


@pytest.mark.parametrize("info", TOOLS, ids=[t.id for t in TOOLS])
def test_every_page_says_it_is_not_a_clinical_service_and_where_support_is(info, home: Path) -> None:
    from tests.conftest import html_values

    page = ui.show(info.id, str(home))

    text = " ".join(html_values(page))
    assert "not a health or crisis service" in text and "Samaritans" in text and "116 123" in text

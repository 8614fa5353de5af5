"""The power map page without a browser: fill what a person fills, click, read the store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cofacilitate.powermap.app import BUSY_MAP, PowerMapPage
from cofacilitate.powermap.model import OWN_GROUP, own_group_key
from cofacilitate.store import Owner, Workspace, new_id
from cofacilitate.store.sqlite import SqliteBackend
from cofacilitate.ui.messages import Feedback
from tests.conftest import data_links, html_values, shown
from tests.pages import Pages, pages

PROJECT = "Stroke rehab study"
HOSTILE = "<script>alert(1)</script>"
PEOPLE = [  # name, group, in the room, influence, involvement
    ("Ward managers", "managers", True, 5, 2),
    ("Patient panel", "public-partners", True, 2, 4),
    ("Carers group", "carers", False, 2, 5),
    ("Lead researcher", "researchers", True, 4, 5),
    ("Funder", "funders", False, 5, 1),
]


SPOKEN: list[Feedback] = []  # every message line that spoke, in order: each section speaks beside its buttons


@pytest.fixture(autouse=True)
def listen(monkeypatch: pytest.MonkeyPatch) -> None:
    SPOKEN.clear()
    speak = Feedback.say

    def say(self: Feedback, text: str, kind: str = "info") -> None:
        speak(self, text, kind)
        SPOKEN.append(self)

    monkeypatch.setattr(Feedback, "say", say)


def said() -> str:
    """What the page said last, wherever on the page it said it."""
    return shown(SPOKEN[-1]) if SPOKEN else ""


def said_markup() -> str:
    return SPOKEN[-1].value if SPOKEN else ""


@pytest.fixture
def open_app(home: Path) -> Iterator[Pages]:
    """Build the power map page on the workspace folder, as a page (re)load does."""
    yield from pages(home, "powermap")


def add_person(app: PowerMapPage, name: str, group: str = "researchers", in_room: bool = True, influence: int = 1,
               involvement: int = 1, own_group: str = "") -> None:
    form = app.people
    form.name.value, form.group.value, form.own_group.value = name, group, own_group
    form.in_room.value, form.influence.value, form.involvement.value = in_room, influence, involvement
    app.people.add.click()


def add_missing(app: PowerMapPage, name: str, reasons: tuple[str, ...] = (), step: str = "") -> None:
    form = app.missing
    form.name.value, form.step.value = name, step
    for key in reasons:
        form.reasons[key].value = True
    app.missing.add.click()


def set_say(app: PowerMapPage, decision: str, group: str, level: str) -> None:
    app.decisions.decision.value = decision
    app.decisions.says[group].value = level


def fill(app: PowerMapPage) -> None:
    """Five people, a missing voice, three decisions and a reflection, as a team would."""
    app.project.value = PROJECT
    for name, group, in_room, influence, involvement in PEOPLE:
        add_person(app, name, group, in_room, influence, involvement)
    add_missing(app, "Young carers", ("caring", "no-payment"), "Meet after school")
    set_say(app, "question", "managers", "decides")
    set_say(app, "question", "carers", "told")
    set_say(app, "design", "public-partners", "not-involved")
    set_say(app, "design", "researchers", "decides")
    set_say(app, "money", "funders", "decides")
    set_say(app, "money", "public-partners", "consulted")
    app.reflection.power_types["competitive"].value = True
    app.reflection.spaces["closed"].value = True
    app.reflection.change.value = "Pay public partners for their time"


def remove_chosen(section) -> None:
    """Remove asks first; the person says yes."""
    section.remove.click()
    section.question.yes.click()


def stored(app: PowerMapPage) -> list:
    return app.ctx.records()


def names_listed(app: PowerMapPage) -> list[str]:
    return [option.rsplit(" (", 1)[0] for option in app.people.people.options]


# -- building the map ---------------------------------------------------------------------


def test_people_added_through_the_form_are_listed_and_the_form_is_ready_for_the_next(open_app) -> None:
    app = open_app()

    add_person(app, "Ward managers", "managers", True, 5, 2)

    assert app.people.people.options == ("Ward managers (Health service managers)",)
    assert said() == "Done: “Ward managers” is on the map."
    assert app.people.name.value == ""
    add_person(app, "Youth board", OWN_GROUP, own_group="Young people's panel")
    assert app.people.people.options[-1] == "Youth board (Young people's panel)"
    assert own_group_key("Young people's panel") in app.decisions.says, "a group named by the team can be given a say"


def test_a_whole_map_is_saved_as_it_was_filled(open_app) -> None:
    app = open_app()
    fill(app)

    app.save_button.click()

    [record] = stored(app)
    body = record.body
    assert body["kind"] == "power-map" and body["card"] == "powermap" and body["project"] == PROJECT
    assert [(p["label"], p["group"], p["in_room"], p["influence"], p["involvement"]) for p in body["stakeholders"]] == PEOPLE
    assert body["missing"] == [{"label": "Young carers", "reasons": ["no-payment", "caring"], "own_reason": "",
                                "step": "Meet after school"}]
    assert {d["decision"]: d["says"] for d in body["decisions"]} == {
        "question": {"managers": "decides", "carers": "told"},
        "design": {"public-partners": "not-involved", "researchers": "decides"},
        "money": {"funders": "decides", "public-partners": "consulted"},
    }
    assert body["reflection"]["power_types"] == ["competitive"] and body["reflection"]["spaces"] == ["closed"]
    assert body["reflection"]["change"] == "Pay public partners for their time"
    assert said() == f"Done: The map of “{PROJECT}” is saved (5 on the map)."
    assert "5 on the map, 1 missing" in shown(app.saved_list)


def test_a_say_set_back_to_not_said_is_cleared(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")
    set_say(app, "question", "managers", "decides")

    set_say(app, "question", "managers", "")

    assert app.map.decisions[0].says == {}
    assert said() == ("Done: The answer for Health service managers in “Choosing the research question” "
                                   "is cleared.")


def test_each_say_list_asks_a_plain_question_and_starts_with_no_answer(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")
    app.decisions.decision.value = "question"

    box = app.decisions.says["managers"]
    box.value = "told"

    assert box.description == "Health service managers: how much say do they have in “Choosing the research question”?"
    assert box.options[0] == ("Choose an answer (or leave it)", "")
    assert [label for label, _ in box.options[1:]] == ["Decides", "Asked first", "Only told", "Not involved"]
    assert said() == "Done: Noted for “Choosing the research question”: Health service managers, “Only told”."


def test_with_nothing_saved_the_compare_lists_say_so(open_app) -> None:
    app = open_app()

    assert app.earlier.options == app.later.options == (("No saved map yet", ""),)


def test_the_words_call_missing_voices_what_the_map_draws(open_app) -> None:
    from cofacilitate.powermap import analysis, charts

    app = open_app()
    add_missing(app, "Young carers")

    words = " ".join(html_values(app.missing))
    spec = charts.map_chart(analysis.map_frame(app.vocabulary, app.map), app.vocabulary, "").to_dict()

    def marks(node: object) -> list[dict]:
        if isinstance(node, dict):
            found = [node["mark"]] if isinstance(node.get("mark"), dict) else []
            return found + [mark for value in node.values() for mark in marks(value)]
        return [mark for value in node for mark in marks(value)] if isinstance(node, list) else []

    missing = [mark for mark in marks(spec) if mark.get("type") == "point" and mark.get("strokeDash")]
    assert missing and all(mark.get("shape") == "circle" for mark in missing), "the map draws missing voices as dashed circles"
    assert "dashed circles" in words and "hollow" not in words, "hollow on the map means 'not in the room'"


def test_a_decision_of_the_team_own_can_be_added_and_given_says(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")
    app.decisions.own_decision.value = "Who is paid, and how much"

    app.decisions.add.click()
    app.decisions.says["managers"].value = "decides"

    assert app.decisions.decision.value == "own-1"
    assert ("Who is paid, and how much", "own-1") in app.decisions.decision.options
    [decision] = app.map.decisions
    assert (decision.decision, decision.label, decision.says) == ("own-1", "Who is paid, and how much", {"managers": "decides"})


@pytest.mark.parametrize(
    ("name", "group", "own_group", "expected"),
    [
        ("ward MANAGERS", "managers", "", "“ward MANAGERS” is on the list twice"),
        ("   ", "managers", "", "Please give each person or group a short name"),
        ("x" * 81, "managers", "", "80 characters or fewer"),
        ("Youth board", OWN_GROUP, "  ", "Please say which group “Youth board” belongs to"),
    ],
    ids=["duplicate", "empty", "too-long", "own-group-unnamed"],
)
def test_a_person_who_cannot_be_added_is_a_plain_problem_and_nothing_changes(open_app, name: str, group: str,
                                                                           own_group: str, expected: str) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")
    before = app.map
    draft = app.ctx.store.drafts("powermap", app.ctx.owner)[app.map_key(app.map_project)]

    add_person(app, name, group, own_group=own_group)

    message = said()
    assert message.startswith("Problem: ") and expected in message and message.endswith("Nothing was changed.")
    assert "stakeholders" not in message and "label" not in message and "Value error" not in message
    assert app.map == before
    assert names_listed(app) == ["Ward managers"]
    assert app.ctx.store.drafts("powermap", app.ctx.owner)[app.map_key(app.map_project)] == draft
    assert app.people.name.value == name, "what was typed stays, so it can be fixed"


def test_a_missing_voice_needs_a_new_name(open_app) -> None:
    app = open_app()
    add_missing(app, "Young carers")

    add_missing(app, "young carers")
    assert "is on the list twice" in said() and "Nothing was changed" in said()
    add_missing(app, "  ")
    assert "Please give each missing voice a short name" in said()

    assert app.missing.voices.options == ("Young carers",)


def test_missing_voices_are_listed_with_why_and_can_be_removed(open_app) -> None:
    app = open_app()
    add_missing(app, "Young carers", ("caring",), "Meet after school")
    add_missing(app, "Night staff")

    table = shown(app.missing.table)
    assert "Young carers" in table and "Caring or work duties get in the way" in table and "Meet after school" in table
    assert app.missing.reasons["caring"].value is False, "the form is cleared for the next one"
    app.missing.voices.index = 0
    remove_chosen(app.missing)

    assert app.missing.voices.options == ("Night staff",)
    assert said() == "Done: “Young carers” is no longer on the missing list."


def test_choosing_someone_fills_the_form_so_they_can_be_changed(open_app) -> None:
    app = open_app()
    for name, group, in_room, influence, involvement in PEOPLE:
        add_person(app, name, group, in_room, influence, involvement)

    app.people.people.index = 2
    form = app.people
    assert (form.name.value, form.group.value, form.in_room.value, form.influence.value, form.involvement.value) == (
        "Carers group", "carers", False, 2, 5)
    form.in_room.value, form.influence.value = True, 3
    app.people.update.click()

    carers = app.map.stakeholders[2]
    assert (carers.label, carers.in_room, carers.influence) == ("Carers group", True, 3)
    assert said() == "Done: “Carers group” is changed."
    assert names_listed(app) == [p[0] for p in PEOPLE]


def test_changing_someone_to_a_name_already_used_is_refused(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")
    add_person(app, "Funder", "funders")

    app.people.people.index = 1
    app.people.name.value = "WARD MANAGERS"
    app.people.update.click()

    assert "is on the list twice" in said()
    assert names_listed(app) == ["Ward managers", "Funder"]


def test_the_chosen_one_can_be_removed(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")
    add_person(app, "Funder", "funders")

    app.people.people.index = 0
    remove_chosen(app.people)

    assert names_listed(app) == ["Funder"]
    assert said() == "Done: “Ward managers” is no longer on the map."


def test_change_or_remove_with_nobody_chosen_says_what_to_do(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")
    app.people.people.index = None

    app.people.update.click()
    assert "First choose someone in the list “On the map”" in said()
    app.people.remove.click()
    assert "First choose someone in the list “On the map”" in said()
    assert names_listed(app) == ["Ward managers"]


# -- nothing typed is lost ---------------------------------------------------------------------


def test_the_working_map_comes_back_after_a_reload(open_app) -> None:
    first = open_app()
    fill(first)

    again = open_app()

    assert names_listed(again) == [p[0] for p in PEOPLE]
    assert again.missing.voices.options == ("Young carers",)
    assert again.project.value == PROJECT
    assert again.decisions.says["managers"].value == "decides" and again.decisions.says["carers"].value == "told"
    assert again.reflection.power_types["competitive"].value is True and again.reflection.spaces["closed"].value is True
    assert again.reflection.change.value == "Pay public partners for their time"
    assert "Welcome back" in shown(again.person_bar.feedback)
    assert stored(again) == [], "a draft is not a save"


# -- drawing -------------------------------------------------------------------------------------


def test_showing_the_map_draws_it_with_its_sentence_and_table(open_app) -> None:
    app = open_app()
    fill(app)
    assert app.map_view.children == (), "nothing is drawn until someone asks"

    app.draw_button.click()
    app.decisions.grid_button.click()

    sentence, chart, table = app.map_view.children
    assert type(chart).__name__ == "JupyterChart"
    assert chart.chart.to_dict()["description"] == shown(sentence)
    assert "Missing from the project: Young carers." in shown(sentence)
    assert "The most say sits with Ward managers and Funder" in shown(sentence)
    assert all(name in shown(table) for name, *_ in PEOPLE)
    said = shown(app.decisions.view.sentence)
    assert "only told or not involved in: choosing the research question and choosing how the study is designed" in said


def test_once_drawn_the_map_follows_every_change(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers", influence=5)
    app.redraw(force=True)

    add_missing(app, "Night staff")

    assert "Missing from the project: Night staff." in shown(app.map_view.sentence)
    assert "Night staff" in shown(app.map_view.table)


def test_hiding_names_redraws_without_them(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers", influence=5)
    app.redraw(force=True)

    app.show_names.value = False

    layers = app.map_view.children[1].chart.to_dict()["layer"]
    assert not [layer for layer in layers if layer["mark"]["type"] == "text" and layer["encoding"]["text"]["field"] == "Name"]


def test_a_busy_map_hides_names_on_first_draw_and_lists_everyone_in_the_table(open_app) -> None:
    app = open_app()
    for number in range(BUSY_MAP + 1):
        add_person(app, f"Person {number}", influence=number % 5 + 1, involvement=number // 5 % 5 + 1)

    app.redraw(force=True)

    assert app.show_names.value is False
    assert len(app.map_view.children) == 3, "the map is drawn, with names left to the table"
    assert f"The same as a table ({BUSY_MAP + 1} rows)" in shown(app.map_view.table)
    assert all(f"Person {number}" in shown(app.map_view.table) for number in range(BUSY_MAP + 1))


# -- saving, starting again, comparing ---------------------------------------------------------------


def change_and_save_again(app: PowerMapPage) -> None:
    app.people.people.index = 0  # Ward managers
    app.people.influence.value = 3
    app.people.update.click()
    app.people.people.index = 2  # Carers group
    app.people.in_room.value = True
    app.people.update.click()
    set_say(app, "design", "public-partners", "consulted")
    app.save_button.click()


def test_comparing_two_saved_maps_names_what_moved(open_app) -> None:
    app = open_app()
    fill(app)
    app.save_button.click()
    change_and_save_again(app)
    [first, second] = stored(app)

    assert (app.earlier.value, app.later.value) == (first.id, second.id)
    app.compare_button.click()

    sentence = shown(app.compare_view.sentence)
    assert sentence == ("From the earlier map to the later one, 2 people or groups moved or changed room. "
                        "The say changed in 1 decision.")
    table = shown(app.compare_view.table)
    assert "Makes the big decisions → Some say" in table and "joined the room" in table
    assert "Not involved → Asked first" in table
    spec = app.compare_view.children[1].chart.to_dict()
    assert len(spec.get("hconcat") or spec.get("vconcat") or []) == 2, "the two maps, side by side or one above the other"


def test_comparing_needs_two_different_saves(open_app) -> None:
    app = open_app()
    fill(app)
    app.save_button.click()

    app.compare_button.click()

    assert "Choose two different saved maps of this project to compare." in said()
    assert app.compare_view.children == ()


def test_start_from_last_brings_back_the_latest_save(open_app) -> None:
    app = open_app()
    fill(app)
    app.save_button.click()
    change_and_save_again(app)
    for _ in range(len(PEOPLE)):
        app.people.people.index = 0
        remove_chosen(app.people)
    app.reflection.power_types["competitive"].value = False
    assert names_listed(app) == []

    app.load_last.click()

    assert names_listed(app) == [p[0] for p in PEOPLE]
    assert app.map.stakeholders[0].influence == 3, "the later save, not the first"
    assert app.reflection.power_types["competitive"].value is True
    assert "is loaded" in said()


def test_start_from_last_with_nothing_saved_says_so(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")

    app.load_last.click()

    assert said() == "There is no saved map of this project yet."
    assert names_listed(app) == ["Ward managers"]


# -- files ---------------------------------------------------------------------------------------------


def test_files_give_a_response_card_a_spreadsheet_and_pictures(open_app) -> None:
    app = open_app()
    fill(app)
    app.save_button.click()

    app.files.button.click()

    links = data_links(app.files.links.value)
    assert set(links) == {"application/json", "text/csv", "image/svg+xml", "image/png"}
    card = json.loads(links["application/json"])
    assert card["tool"] == "powermap"
    assert card["records"] == [record.as_json() for record in stored(app)]
    assert "Ward managers" in links["text/csv"].decode("utf-8")
    assert links["image/svg+xml"].lstrip().startswith(b"<svg") and b"Ward managers" in links["image/svg+xml"]
    assert links["image/png"].startswith(b"\x89PNG")
    assert "files are ready" in shown(app.files.feedback)


def test_files_with_nothing_on_the_map_and_nothing_saved_says_what_to_do(open_app) -> None:
    app = open_app()

    app.files.button.click()

    assert app.files.links.value == ""
    assert "Press Save first" in shown(app.files.feedback)


def saved_card(folder: Path, tool: str = "powermap", body: dict | None = None) -> bytes:
    """A real response card, saved and exported from someone else's workspace."""
    other = Workspace.open(folder)
    owner = Owner(other.current_person().id)
    other.save_record(tool, body or {
        "kind": "power-map", "version": 1, "card": "powermap", "project": PROJECT,
        "stakeholders": [{"label": "Ward managers", "group": "managers", "influence": 5, "involvement": 2}],
        "missing": [{"label": "Young carers"}],
    }, owner=owner, record_id=new_id())
    data = other.export_card(tool, other.records(tool, owner))
    other.close()
    return data


def test_a_power_map_card_is_restored_into_a_fresh_workspace(open_app, tmp_path: Path) -> None:
    data = saved_card(tmp_path / "someone-else")
    app = open_app()

    app.files.restore(data, "power-map-response-card.json")

    [record] = stored(app)
    assert record.body["stakeholders"][0]["label"] == "Ward managers"
    assert "From power-map-response-card.json: 1 saved set of answers was brought back." in shown(app.files.feedback)
    assert PROJECT in app.project.options, "the restored project is offered"
    app.project.value = PROJECT
    assert "1 on the map, 1 missing" in shown(app.saved_list)
    app.load_last.click()
    assert names_listed(app) == ["Ward managers"] and app.missing.voices.options == ("Young carers",)


def test_the_same_card_twice_is_restored_once(open_app, tmp_path: Path) -> None:
    data = saved_card(tmp_path / "someone-else")
    app = open_app()

    app.files.restore(data, "card.json")
    app.files.restore(data, "card.json")

    assert len(stored(app)) == 1
    assert "was already here" in shown(app.files.feedback)


def refused_cards(tmp_path: Path) -> dict[str, tuple[bytes, str]]:
    unknown_group = {"kind": "power-map", "version": 1, "card": "powermap", "project": PROJECT,
                     "stakeholders": [{"label": HOSTILE, "group": "<b>wizards</b>"}]}
    ladder = {"kind": "ladder-assessment", "version": 1, "card": "ladder", "project": PROJECT,
              "answers": [{"stage": "idea", "now": "informing", "aim": "co-design", "climb": ""}], "why_moved": ""}
    return {
        "ladder-card": (saved_card(tmp_path / "ladder", "ladder", ladder), "belongs to another exercise ('ladder')"),
        "not-json": (b"<html><script>alert(1)</script></html>", "not the kind of text file (JSON)"),
        "unknown-group": (saved_card(tmp_path / "odd", body=unknown_group), "could not be used"),
    }


@pytest.mark.parametrize("which", ["ladder-card", "not-json", "unknown-group"])
def test_a_card_that_cannot_be_used_is_refused_plainly_and_nothing_is_stored(open_app, tmp_path: Path, which: str) -> None:
    data, expected = refused_cards(tmp_path)[which]
    app = open_app()
    fill(app)
    app.save_button.click()

    app.files.restore(data, "answers.json")

    message = shown(app.files.feedback)
    assert message.startswith("Problem: ") and expected in message and "Nothing was changed" in message
    assert 'role="alert"' in app.files.feedback.value
    assert "<script" not in app.files.feedback.value and "<b>" not in app.files.feedback.value
    assert len(stored(app)) == 1
    assert names_listed(app) == [p[0] for p in PEOPLE], "the map on screen is untouched"


def test_html_in_a_restored_card_is_shown_as_text_everywhere(open_app, tmp_path: Path) -> None:
    data = saved_card(tmp_path / "someone-else", body={
        "kind": "power-map", "version": 1, "card": "powermap", "project": HOSTILE,
        "stakeholders": [{"label": HOSTILE, "group": OWN_GROUP, "own_group": f"<b>{HOSTILE}</b>", "influence": 5}],
        "missing": [{"label": "<img src=x onerror=alert(1)>", "own_reason": HOSTILE, "step": HOSTILE}],
        "decisions": [{"decision": "own-1", "label": HOSTILE, "says": {own_group_key(f"<b>{HOSTILE}</b>"): "decides"}}],
    })
    app = open_app()

    app.files.restore(data, f"{HOSTILE}.json")
    assert f"From {HOSTILE}.json: 1 saved set of answers was brought back" in shown(app.files.feedback)
    assert "<script" not in app.files.feedback.value
    app.project.value = HOSTILE
    app.load_last.click()
    app.redraw(force=True)
    app.decisions.grid_button.click()
    app.save_button.click()
    app.files.button.click()

    assert names_listed(app) == [HOSTILE]
    markup = html_values(app)
    assert not [value for value in markup if "<script" in value.lower() or "<img" in value.lower() or "<b>" in value]
    assert any("&lt;script&gt;" in value for value in markup)
    assert HOSTILE in shown(app.map_view.sentence)
    assert "<img src=x onerror=alert(1)>" in shown(app.missing.table)
    assert HOSTILE in shown(app.decisions.view.table)
    assert set(data_links(app.files.links.value)) == {"application/json", "text/csv", "image/svg+xml", "image/png"}


def test_html_typed_in_the_form_is_shown_as_text(open_app) -> None:
    app = open_app()

    add_person(app, HOSTILE, "funders", influence=5)
    app.draw_button.click()

    assert said() == f"Done: “{HOSTILE}” is on the map."
    assert "<script" not in said_markup() and "&lt;script&gt;" in said_markup()
    assert f"The most say sits with {HOSTILE}" in shown(app.map_view.sentence)
    assert not [value for value in html_values(app) if "<script" in value.lower()]


# -- when something goes wrong -------------------------------------------------------------------------


def test_a_failed_save_says_so_keeps_the_map_and_the_page_keeps_working(open_app, home: Path, logged: Path) -> None:
    app = open_app()
    fill(app)
    app.ctx.store.backend.close()

    app.save_button.click()

    message = said()
    assert message.startswith("Problem: ") and "could not be saved" in message and "still on screen" in message
    assert "Traceback" not in said_markup() and "sqlite" not in said_markup().lower()
    assert names_listed(app) == [p[0] for p in PEOPLE] and app.reflection.change.value == "Pay public partners for their time"
    assert "Traceback" in logged.read_text(encoding="utf-8")

    app.ctx.store.backend = SqliteBackend(app.ctx.store.db_path)
    app.save_button.click()
    [record] = stored(app)
    assert [p["label"] for p in record.body["stakeholders"]] == [p[0] for p in PEOPLE]
    assert "is saved" in said()
    app.ctx.store.backend.close()


def test_an_edit_whose_draft_cannot_be_kept_says_so_and_the_page_keeps_working(open_app, home: Path, logged: Path) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")
    app.ctx.store.backend.close()

    add_person(app, "Funder", "funders")

    message = said()
    assert "could not keep a draft" in message, "the person must learn that this change is not kept yet"
    assert "Traceback" not in said_markup() and "sqlite" not in said_markup().lower()
    assert names_listed(app) == ["Ward managers", "Funder"]
    assert "Traceback" in logged.read_text(encoding="utf-8")

    app.ctx.store.backend = SqliteBackend(app.ctx.store.db_path)
    add_person(app, "Patient panel", "public-partners")
    assert said() == "Done: “Patient panel” is on the map."
    again = open_app()
    assert names_listed(again) == ["Ward managers", "Funder", "Patient panel"]

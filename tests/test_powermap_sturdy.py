"""The power map under strain, without a browser: answers given while the page catches up, drafts a hostile
person filled past every limit, and many changes in a row. Each reads what a person sees or what was kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cofacilitate.powermap.app import PowerMapPage
from cofacilitate.powermap.model import MAX_DECISION, MAX_NAME, MAX_TEXT, OWN_GROUP
from cofacilitate.snapshots import MAX_PROJECT
from cofacilitate.ui.fields import live_widgets, with_counter
from tests.conftest import copy_cards, html_values, shown
from tests.pages import Pages, pages
from tests.test_powermap_app import add_missing, add_person, names_listed, set_say

WORDS = "🌍 مرحبا بكم <script>alert(1)</script> שָׁלוֹם "


@pytest.fixture
def open_app(home: Path) -> Iterator[Pages]:
    yield from pages(home, "powermap")


def from_browser(widget, **state) -> None:
    """What the kernel does with a change made in the browser: only a widget that is still open receives it."""
    if widget.comm is not None:
        widget.comm.handle_msg({"content": {"data": {"method": "update", "state": state, "buffer_paths": []}},
                                "buffers": []})


def says_of(app: PowerMapPage, decision: str) -> dict[str, str]:
    return next((d.says for d in app.map.decisions if d.decision == decision), {})


# -- answers given while the page is catching up ------------------------------------------


def test_answers_given_as_another_decision_is_chosen_land_in_that_decision(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")
    add_person(app, "Funder", "funders")
    set_say(app, "question", "managers", "decides")
    on_screen = dict(app.decisions.says)  # the drop-downs the person is answering in
    assert len(on_screen) == 4, "the two groups on the map and the two groups with lived experience"

    from_browser(app.decisions.decision, index=1)  # "Choosing how the study is designed", then at once every group:
    for box in on_screen.values():
        from_browser(box, index=2)  # "Asked first"

    assert says_of(app, "design") == dict.fromkeys(on_screen, "consulted")
    assert says_of(app, "question") == {"managers": "decides"}, "the decision chosen before keeps its own answers"
    assert all(app.decisions.says[key] is box and box.comm is not None for key, box in on_screen.items())
    assert all("“Choosing how the study is designed”" in box.description for box in on_screen.values())
    again = open_app()
    assert {d.decision: d.says for d in again.map.decisions} == {
        "question": {"managers": "decides"}, "design": dict.fromkeys(on_screen, "consulted")}, "and the drafts hold them"

    from_browser(app.decisions.decision, index=0)
    assert {key: box.value for key, box in app.decisions.says.items()} == {
        "public-partners": "", "carers": "", "funders": "", "managers": "decides"}, "each decision shows its own answers"
    assert says_of(app, "question") == {"managers": "decides"}, "showing a decision's answers changes none of them"


def test_only_a_group_that_joins_or_leaves_gains_or_loses_its_drop_down(open_app) -> None:
    app = open_app()
    add_person(app, "Ward managers", "managers")
    add_person(app, "Funder", "funders")
    before = dict(app.decisions.says)

    add_person(app, "Youth board", OWN_GROUP, own_group="Young people's panel")
    app.people.people.index = 1  # Funder
    app.people.remove.click()
    app.people.question.yes.click()

    says = app.decisions.says
    assert list(says) == ["public-partners", "carers", "managers", "own:young people's panel"]
    assert all(says[key] is before[key] for key in ["public-partners", "carers", "managers"])
    assert before["funders"].comm is None, "the drop-down of a group that left is closed"
    assert list(app.decisions.say_area.children) == list(says.values())


# -- a page opens with whatever its drafts hold -------------------------------------------------


def past(limit: int) -> str:
    """Hostile words (emoji, right-to-left script, markup) longer than a box can save."""
    return (WORDS * (limit // len(WORDS) + 2)).strip()


def boxes(app: PowerMapPage) -> dict:
    """Every text box of the power map, with what it can save."""
    return {
        app.project: MAX_PROJECT, app.people.name: MAX_NAME, app.people.own_group: MAX_NAME,
        app.missing.name: MAX_NAME, app.missing.own_reason: MAX_TEXT, app.missing.step: MAX_TEXT,
        app.decisions.own_decision: MAX_DECISION, app.reflection.power_note: MAX_TEXT,
        app.reflection.space_note: MAX_TEXT, app.reflection.change: MAX_TEXT,
    }


def test_every_box_filled_past_its_limit_and_kept_as_a_draft_still_opens_the_page(open_app) -> None:
    first = open_app()
    first.project.value = past(MAX_PROJECT)
    add_person(first, "Ward managers", "managers")
    add_missing(first, "Young carers")
    set_say(first, "question", "managers", "told")
    first.reflection.power_types["competitive"].value = True
    for box, limit in boxes(first).items():
        box.value = past(limit)
    typed = {box.description: box.value for box in boxes(first)}
    first.drafts.flush()

    again = open_app()

    assert {box.description: box.value for box in boxes(again)} == typed, "every word is back in its box"
    assert names_listed(again) == ["Ward managers"] and again.missing.voices.options == ("Young carers",)
    assert again.decisions.says["managers"].value == "told" and again.reflection.power_types["competitive"].value
    for box, limit in boxes(again).items():
        assert f"longer than the {limit:,} this box can save" in shown(with_counter(box)[1])
    assert not [value for value in html_values(again) if "<script" in value]
    again.save_button.click()
    assert shown(again.feedback).startswith("Problem: “Which project is this map about?” holds more than it can save.")
    assert again.ctx.records() == []
    again.project.value = "Stroke rehab study"
    again.project.value = past(MAX_PROJECT)
    assert names_listed(again) == ["Ward managers"], "going back to the long name brings its map back"


def test_a_draft_of_notes_past_their_limit_keeps_the_map_it_belongs_to(open_app) -> None:
    first = open_app()
    add_person(first, "Ward managers", "managers")
    first.reflection.change.value = past(MAX_TEXT)
    first.drafts.flush()

    again = open_app()

    assert names_listed(again) == ["Ward managers"]
    assert again.current().reflection.change == past(MAX_TEXT)


def test_a_kept_map_that_cannot_be_used_is_said_plainly_and_the_page_opens(open_app) -> None:
    first = open_app()
    first.project.value = "Stroke rehab study"
    broken = {**first.current().model_dump(), "stakeholders": [{"label": WORDS, "group": "<b>wizards</b>"}]}
    first.ctx.store.save_draft("powermap", first.ctx.owner, first.map_key("Stroke rehab study"), broken)
    first.drafts.flush()

    again = open_app()

    assert again.project.value == "Stroke rehab study" and names_listed(again) == []
    assert shown(again.project_feedback) == ("The map kept from last time for “Stroke rehab study” could not be used "
                                             "here, so this map starts empty. Your saved maps are not changed.")
    add_person(again, "Ward managers", "managers")
    assert names_listed(open_app()) == ["Ward managers"], "the page works as before"


@pytest.mark.parametrize(("box", "limit", "button", "expected"), [
    ("people.own_group", MAX_NAME, "people.add", "Please keep the name of their group to 80 characters or fewer"),
    ("missing.own_reason", MAX_TEXT, "missing.add", "Please keep the reason to 2,000 characters or fewer"),
    ("missing.step", MAX_TEXT, "missing.add", "Please keep the step to 2,000 characters or fewer"),
    ("decisions.own_decision", MAX_DECISION, "decisions.add", "Please keep the decision to 120 characters or fewer"),
], ids=["own-group", "own-reason", "step", "own-decision"])
def test_words_past_a_limit_are_refused_in_plain_words_and_stay_in_their_box(open_app, box: str, limit: int,
                                                                              button: str, expected: str) -> None:
    app = open_app()
    section, field = box.split(".")
    app.people.name.value, app.people.group.value = "Youth board", OWN_GROUP
    app.missing.name.value = "Young carers"
    getattr(getattr(app, section), field).value = past(limit)

    part, name = button.split(".")
    getattr(getattr(app, part), name).click()

    message = shown(getattr(app, section).feedback)
    assert message.startswith(f"Problem: {expected}") and "Nothing was changed" in message
    assert "String should" not in message and "characters]" not in message
    assert getattr(getattr(app, section), field).value == past(limit)
    assert app.map.stakeholders == [] and app.map.missing == [] and app.map.decisions == []


# -- what a page replaces is closed ------------------------------------------------------------


def two_cards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cards = copy_cards(tmp_path)
    text = (cards / "powermap.yaml").read_text(encoding="utf-8")
    (cards / "powermap-short.yaml").write_text(
        text.replace("id: powermap\n", "id: powermap-short\n", 1).replace("title: Power map\n", "title: Power map, short\n", 1),
        encoding="utf-8")
    monkeypatch.setenv("COFACILITATE_CARDS", str(cards))


def test_widgets_stay_as_many_over_many_project_and_card_changes(open_app, tmp_path: Path, monkeypatch) -> None:
    two_cards(tmp_path, monkeypatch)
    app = open_app()
    assert len(app.card_choice.options) == 2

    def a_round(number: int) -> None:
        app.card_choice.value = ["powermap", "powermap-short"][number % 2]
        app.project.value = f"Study {number % 2}"
        add_person(app, "Ward managers", "managers")
        add_person(app, "Youth board", OWN_GROUP, own_group=f"Panel {number}")
        add_missing(app, "Young carers")
        app.draw_button.click()
        app.decisions.grid_button.click()
        set_say(app, "design", "managers", "told")
        set_say(app, "question", "carers", "decides")
        for section, chosen in ((app.people, app.people.people), (app.missing, app.missing.voices)):
            while chosen.options:
                chosen.index = 0
                section.remove.click()
                section.question.yes.click()

    for number in range(2):  # the first rounds make what every page makes once (its charts)
        a_round(number)
    before = len(live_widgets())
    for number in range(2, 12):
        a_round(number)

    assert len(live_widgets()) == before

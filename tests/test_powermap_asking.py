"""The power map's buttons that change a lot at once: Remove asks first, and the decision grid has its own button."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cofacilitate.powermap.app import PowerMapPage
from tests.conftest import shown
from tests.pages import Pages, pages
from tests.test_powermap_app import add_missing, add_person, names_listed, set_say


@pytest.fixture
def open_app(home: Path) -> Iterator[Pages]:
    yield from pages(home, "powermap")


def on_the_map(app: PowerMapPage) -> PowerMapPage:
    add_person(app, "Ward managers", "managers")
    add_person(app, "Funder", "funders")
    add_missing(app, "Young carers")
    add_missing(app, "Night staff")
    return app


SECTIONS = {  # which list, its entries, and the words its question and buttons use
    "people": ("people", "people", "Remove “Ward managers” from the map?", "Yes, remove them from the map",
               "No, keep them on the map"),
    "missing": ("missing", "voices", "Take “Young carers” off the missing list?", "Yes, take them off the list",
                "No, keep them on the list"),
}


def listed(app: PowerMapPage, which: str) -> list[str]:
    return names_listed(app) if which == "people" else list(app.missing.voices.options)


@pytest.mark.parametrize("which", SECTIONS)
def test_remove_asks_first_naming_who_would_go(open_app, which: str) -> None:
    app = on_the_map(open_app())
    section_name, list_name, question, yes, no = SECTIONS[which]
    section = getattr(app, section_name)
    before = listed(app, which)
    getattr(section, list_name).index = 0

    section.remove.click()

    assert listed(app, which) == before, "nothing goes before the person says yes"
    assert shown(section.question.words).startswith(question)
    assert section.question.children == (section.question.words, section.question.yes, section.question.no)
    assert (section.question.yes.description, section.question.no.description) == (yes, no)
    assert list(section.children).index(section.question) == list(section.children).index(section.remove) + 1
    section.question.no.click()
    assert listed(app, which) == before and section.question.children == ()
    assert "Nothing was removed" in shown(section.list_feedback)

    section.remove.click()
    section.question.yes.click()
    assert listed(app, which) == before[1:]
    assert shown(section.list_feedback).startswith(f"Done: “{before[0]}” is no longer on")
    assert app.ctx.store.drafts("powermap", app.ctx.owner)[app.map_key(app.map_project)] == app.current().model_dump()


@pytest.mark.parametrize("which", SECTIONS)
def test_choosing_someone_else_closes_the_question_so_it_never_removes_the_wrong_one(open_app, which: str) -> None:
    app = on_the_map(open_app())
    section_name, list_name, *_ = SECTIONS[which]
    section = getattr(app, section_name)
    before = listed(app, which)
    getattr(section, list_name).index = 0
    section.remove.click()

    getattr(section, list_name).index = 1
    section.question.yes.click()  # a click already on its way as the question closed

    assert section.question.children == ()
    assert listed(app, which) == before, "nobody was removed: the question named someone no longer chosen"


def test_a_question_names_the_one_asked_about_even_if_the_list_moves(open_app) -> None:
    app = on_the_map(open_app())
    app.people.people.index = 1  # Funder
    app.people.remove.click()

    app.people.question.yes.click()

    assert names_listed(app) == ["Ward managers"]
    assert shown(app.people.list_feedback) == "Done: “Funder” is no longer on the map."


def test_the_decision_grid_has_its_own_button_and_says_beside_it(open_app) -> None:
    app = open_app()
    section = app.decisions
    parts = list(section.children)
    assert parts.index(section.grid_feedback) == parts.index(section.grid_button) + 1 == len(parts) - 1
    page_parts = list(app.sections.children)
    assert page_parts.index(section.view) == page_parts.index(section) + 1, "the grid shows right below its button"
    assert section.grid_button.description == "Show the decision grid"

    add_person(app, "Ward managers", "managers")
    add_person(app, "Patient panel", "public-partners")
    set_say(app, "question", "managers", "decides")
    app.draw_button.click()
    assert section.view.children == (), "the map's button draws the map only"

    section.grid_button.click()

    assert shown(section.grid_feedback) == ("Done: The grid below shows 1 decision and 3 groups. "
                                            "It changes as you answer.")
    assert "Choosing the research question" in shown(section.view.table)
    set_say(app, "design", "public-partners", "told")
    assert "Choosing how the study is designed" in shown(section.view.table), "once drawn, it follows every answer"
    assert "only told or not involved in: choosing how the study is designed" in shown(section.view.sentence)


def test_an_empty_grid_says_what_to_do_then_shows_once_there_is_an_answer(open_app) -> None:
    app = open_app()

    app.decisions.grid_button.click()

    assert shown(app.decisions.grid_feedback) == ("The grid is empty so far. Add people to the map, choose a decision "
                                                  "above, and say how much say a group has. The grid then shows here.")
    assert app.decisions.view.children == ()
    add_person(app, "Ward managers", "managers")
    set_say(app, "question", "managers", "decides")
    assert "Choosing the research question" in shown(app.decisions.view.table)

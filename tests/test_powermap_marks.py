"""A group keeps its colour and shape for the life of a project: on the page, in the pictures, in the compare view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cofacilitate.powermap import analysis
from cofacilitate.powermap.app import PowerMapPage
from cofacilitate.powermap.model import OWN_GROUP
from tests.pages import Pages, pages
from tests.test_powermap_app import add_person
from tests.test_powermap_model import POWERMAP, person, power_map

PEOPLE = [  # name, group, own group
    ("Patient panel", "public-partners", ""),
    ("Youth board", OWN_GROUP, "Young people's panel"),
    ("Ward managers", "managers", ""),
    ("Night team", OWN_GROUP, "Night staff"),
    ("Funder", "funders", ""),
    ("Lead researcher", "researchers", ""),
]
GONE = ["Patient panel", "Youth board"]  # a card group and a group people named, both first in their lists


@pytest.fixture
def open_app(home: Path) -> Iterator[Pages]:
    yield from pages(home, "powermap")


def marks_in(spec: dict) -> dict[str, tuple[str, str]]:
    """{group: (colour, shape)} as a chart spec draws the people on a map (each map of a compare view too)."""
    found: dict[str, tuple[str, str]] = {}
    for chart in spec.get("vconcat", [spec]):
        [present] = [layer for layer in chart["layer"] if layer["mark"]["type"] == "point" and "shape" in layer["encoding"]]
        colour, shape = present["encoding"]["stroke"]["scale"], present["encoding"]["shape"]["scale"]
        assert colour["domain"] == shape["domain"] == present["encoding"]["fill"]["condition"]["scale"]["domain"]
        found |= dict(zip(colour["domain"], zip(colour["range"], shape["range"], strict=True), strict=True))
    return found


def page_marks(app: PowerMapPage) -> dict[str, tuple[str, str]]:
    return marks_in(app.map_view.children[1].chart.to_dict())


def picture_marks(app: PowerMapPage) -> dict[str, tuple[str, str]]:
    """The marks of the spec the page's SVG and PNG downloads are drawn from."""
    return marks_in(app.map_chart(analysis.map_frame(app.vocabulary, app.map))[0].to_dict())


def remove(app: PowerMapPage, name: str) -> None:
    app.people.people.index = [p.label for p in app.map.stakeholders].index(name)
    app.people.remove.click()
    app.people.question.yes.click()


def build(app: PowerMapPage) -> dict[str, tuple[str, str]]:
    app.project.value = "Stroke rehab study"
    for name, group, own_group in PEOPLE:
        add_person(app, name, group, own_group=own_group)
    app.draw_button.click()
    marks = page_marks(app)
    assert len(set(marks.values())) == len(PEOPLE), "every group has a mark of its own"
    return marks


def test_removing_a_group_leaves_every_other_group_its_colour_and_shape(open_app) -> None:
    app = open_app()
    before = build(app)
    assert picture_marks(app) == before, "the pictures draw what the page draws"

    for name in GONE:
        remove(app, name)

    after = page_marks(app)
    assert set(after) == set(before) - {"Public partners with lived experience", "Young people's panel"}
    assert after == {group: before[group] for group in after}
    assert picture_marks(app) == after
    add_person(app, "Youth board", OWN_GROUP, own_group="Young people's panel")
    assert page_marks(app)["Young people's panel"] == before["Young people's panel"], "a group back keeps its old mark"


def test_marks_stay_after_a_reload_and_match_the_compare_view(open_app) -> None:
    app = open_app()
    before = build(app)
    app.save_button.click()
    for name in GONE:
        remove(app, name)
    add_person(app, "Peer advisers", OWN_GROUP, own_group="Peer advisers")
    app.save_button.click()

    again = open_app()
    again.draw_button.click()
    shown = page_marks(again)
    assert shown == {group: before.get(group, shown[group]) for group in shown}
    assert shown["Peer advisers"] not in before.values(), "a new group takes a mark nobody in the project had"
    again.compare_button.click()
    compared = marks_in(again.compare_view.children[1].chart.to_dict())
    assert compared == {**before, "Peer advisers": shown["Peer advisers"]}, "one legend, the same marks as the page"


def test_a_group_mark_comes_from_the_project_order_not_the_map_now() -> None:
    order = [*(g.id for g in POWERMAP.groups), "own:night staff", "own:young people's panel"]
    now = power_map(person("Funder", "funders"), person("Night team", OWN_GROUP, own_group="Night staff"),
                    person("Youth", OWN_GROUP, own_group="Young People's Panel"), person("Other", OWN_GROUP, own_group="Other"))

    marks = analysis.group_marks(POWERMAP, order, now)

    assert marks == {"Funders and sponsors": 5, "Night staff": 9, "Young People's Panel": 10, "Other": 11}

"""The power map as a team builds it: real Voilà, real headless Chromium, keyboard first; and on a phone
with the kernel standing still while the person answers."""

from __future__ import annotations

import os
import signal
from uuid import uuid4

import pytest

from cofacilitate.store import Owner, Workspace
from tests.conftest import axe_problems
from tests.flows import add_person_to_map
from tests.test_browser_diary import page_kernel

pytestmark = pytest.mark.browser

PEOPLE = [
    # name, group, influence, involvement, in the room
    ("Chief investigator", "Senior investigators and co-applicants", "Makes the big decisions", "Involved some of the time",
     True),
    ("Trial steering group", "Ethics and governance", "A lot of say", "Involved now and then", False),
    ("Funder", "Funders and sponsors", "Makes the big decisions", "Not involved", False),
    ("Research assistants", "Researchers", "Some say", "Involved day to day", True),
]
SAY = "{group}: how much say do they have in “{decision}”?"


def add_person_by_keyboard(page) -> None:
    """One person added with the keyboard alone: focus, type, Tab, letters, Enter."""
    page.get_by_label("Name of the person or group").focus()
    page.keyboard.type("Peer advisers <b>group</b>")
    page.keyboard.press("Tab")  # the group list
    page.keyboard.type("P")  # Public partners with lived experience
    page.get_by_label("How much influence do they have over decisions?").focus()
    page.keyboard.type("A l")  # A little say
    page.get_by_label("How involved are they day to day?").focus()
    page.keyboard.press("End")  # Involved day to day
    page.locator(".cofa-add-person").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".cofa-feedback:has-text('is on the map')")


def test_a_team_builds_saves_reloads_and_compares_a_power_map(voila, visit):
    page = visit.page
    visit.open(voila.url("power-map.ipynb"))
    page.get_by_label("Which project is this map about?").fill("Recovery study")
    page.get_by_label("Which project is this map about?").press("Tab")  # the name is sent as the box is left
    add_person_by_keyboard(page)
    for person in PEOPLE:
        add_person_to_map(page, *person)
    assert page.locator(".cofa-people option").count() == 5

    page.locator(".cofa-draw-map").click()
    page.wait_for_selector(".cofa-map-chart svg")
    assert page.locator(".cofa-map-chart svg b").count() == 0, "typed HTML must never become markup"

    page.get_by_label("Who is missing?").fill("Young carers")
    page.get_by_label("Their time is not paid").check()
    page.get_by_label("One step that could bring them in").fill("Pay for their time; meet in the evening")
    page.locator(".cofa-add-missing").click()
    page.wait_for_selector(".cofa-feedback:has-text('on the missing list')")
    assert "Young carers" in page.inner_text(".cofa-map-chart .cofa-chart-sentence")

    decisions = [("Choosing the research question", "Only told"), ("Choosing what is measured", "Not involved"),
                 ("Deciding how the money is spent", "Asked first")]
    for decision, say in decisions:
        page.get_by_label("Choose a decision").select_option(label=decision)
        group_box = page.get_by_label(SAY.format(group="Public partners with lived experience", decision=decision))
        group_box.select_option(label=say)
        noted = f"Noted for “{decision}”: Public partners with lived experience, “{say}”"
        page.wait_for_selector(f".cofa-feedback:has-text('{noted}')")
        senior = SAY.format(group="Senior investigators and co-applicants", decision=decision)
        page.get_by_label(senior).select_option(label="Decides")
        noted = f"Noted for “{decision}”: Senior investigators and co-applicants, “Decides”"
        page.wait_for_selector(f".cofa-feedback:has-text('{noted}')")
    page.locator(".cofa-draw-grid").click()
    page.wait_for_selector(".cofa-decision-chart svg")
    page.wait_for_selector(".cofa-feedback:has-text('The grid below shows 3 decisions')")
    sentence = page.inner_text(".cofa-decision-chart .cofa-chart-sentence")
    assert "only told or not involved in: choosing the research question and choosing what is measured" in sentence

    page.get_by_label("Power with: Power used with others, so that all grow stronger.").check()
    page.get_by_label("One change the team could make (optional)").fill("Let peer advisers speak first")
    page.locator(".cofa-save").click()
    page.wait_for_selector(".cofa-feedback:has-text('is saved')")
    assert axe_problems(page) == []

    page.reload()
    page.wait_for_selector(".cofa-app", state="visible")
    assert page.locator(".cofa-people option").count() == 5
    assert "Recovery study" in page.inner_text(".cofa-history")
    assert page.get_by_label("One change the team could make (optional)").input_value() == "Let peer advisers speak first"

    # Power shifts: peer advisers get more say, the funder joins the room; save a second map and compare.
    peer_advisers = "Peer advisers <b>group</b> (Public partners with lived experience)"
    page.get_by_label("On the map (choose one to change it):").select_option(label=peer_advisers)
    page.get_by_label("How much influence do they have over decisions?").select_option(label="A lot of say")
    page.locator(".cofa-update-person").click()
    page.wait_for_selector(".cofa-feedback:has-text('is changed')")
    page.locator(".cofa-save").click()
    page.wait_for_selector(".cofa-history-items li:nth-child(2)")
    page.locator(".cofa-compare").click()
    page.wait_for_selector(".cofa-compare-chart svg")
    assert "1 person or group moved or changed room" in page.inner_text(".cofa-compare-chart .cofa-chart-sentence")
    assert "A little say → A lot of say" in page.inner_text(".cofa-compare-chart table")

    maps = [r.body for r in Workspace.open(voila.workspace).records("powermap", None) if r.body["project"] == "Recovery study"]
    assert len(maps) == 2
    assert {p["label"] for p in maps[0]["stakeholders"]} >= {"Peer advisers <b>group</b>", "Funder"}
    assert maps[0]["missing"][0]["reasons"] == ["no-payment"]
    assert maps[0]["reflection"]["power_types"] == ["integrative"]
    assert axe_problems(page) == []
    assert visit.hosts() == {f"127.0.0.1:{voila.port}"}



def test_on_a_phone_answers_given_while_the_kernel_stands_still_all_land_in_the_decision_chosen(voila, visit):
    page, person = visit.page, uuid4().hex
    page.set_viewport_size({"width": 390, "height": 844})
    before = {process.pid for process in voila.kernels()}
    visit.open(voila.url("power-map.ipynb") + f"&person={person}")
    kernel = page_kernel(voila, before)
    page.get_by_label("Which project is this map about?").fill("Phone study")
    page.get_by_label("Which project is this map about?").press("Tab")  # the name is sent as the box is left
    add_person_to_map(page, "Ward managers", "Health service managers", "A lot of say", "Involved now and then", True)
    add_person_to_map(page, "Funder", "Funders and sponsors", "Makes the big decisions", "Not involved", False)
    first, chosen = "Choosing the research question", "Choosing what is measured"
    answers = {"Public partners with lived experience": "Asked first", "Carers and family": "Only told",
               "Funders and sponsors": "Decides", "Health service managers": "Not involved"}
    page.get_by_label(SAY.format(group="Funders and sponsors", decision=first)).wait_for()

    os.kill(kernel.pid, signal.SIGSTOP)  # as a busy laptop does for a second or more
    try:
        page.get_by_label("Choose a decision").select_option(label=chosen)
        for group, say in answers.items():  # every group at once, in the lists still on screen
            page.get_by_label(SAY.format(group=group, decision=first)).select_option(label=say)
    finally:
        os.kill(kernel.pid, signal.SIGCONT)

    for group in answers:
        page.get_by_label(SAY.format(group=group, decision=chosen)).wait_for()
    page.locator(".cofa-draw-grid").click()
    page.wait_for_selector(".cofa-decision-chart svg")
    grid = page.inner_text(".cofa-decision-chart table")
    assert all(f"{chosen}\t{group}\t{say}" in grid for group, say in answers.items()), grid
    page.locator(".cofa-save").click()
    page.wait_for_selector(".cofa-feedback:has-text('is saved')")
    store = Workspace.open(voila.workspace)
    try:
        [body] = [record.body for record in store.records("powermap", Owner(person))]
    finally:
        store.close()
    levels = {"Asked first": "consulted", "Only told": "told", "Decides": "decides", "Not involved": "not-involved"}
    keys = {"Public partners with lived experience": "public-partners", "Carers and family": "carers",
            "Funders and sponsors": "funders", "Health service managers": "managers"}
    assert {d["decision"]: d["says"] for d in body["decisions"]} == {
        "outcomes": {keys[group]: levels[say] for group, say in answers.items()}}, "every answer, in the decision chosen"
    assert visit.hosts() == {f"127.0.0.1:{voila.port}"}

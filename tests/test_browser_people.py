"""Who is on the page, in a real browser: a laptop passed to the next person keeps each
person's words apart, and a return code brings the first person back to their own.
Real Voilà, real headless Chromium, keyboard only."""

from __future__ import annotations

import re
import sqlite3

import pytest

from cofacilitate.store import Owner, Workspace
from tests.conftest import axe_problems
from tests.test_browser_ladder import CLIMB_IDEA, wait_for_draft

pytestmark = pytest.mark.browser

NAME = "A name for yourself (any name you like; it need not be your real name)"
COME_BACK = "Coming back? Type your return code"


def test_the_next_person_starts_with_an_empty_page_and_the_first_comes_back_with_their_code(voila, visit):
    page = visit.page
    visit.open(voila.url("ladder.ipynb"))
    page.get_by_label(NAME).fill("Sam")
    page.get_by_label(CLIMB_IDEA).fill("Something Sam has not saved yet")
    wait_for_draft(voila.workspace, "Something Sam has not saved yet")
    assert "You are working as “Sam”" in page.inner_text(".cofa-whose")

    page.locator("button.cofa-someone-new").focus()
    page.keyboard.press("Enter")
    code = page.locator(".cofa-code").inner_text()  # shown to Sam, once, before anyone else can start
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code), code
    assert page.get_by_label(NAME).input_value() == "Sam", "nothing changes hands before Sam has seen the code"
    page.locator("button.cofa-hand-over").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".cofa-person-feedback:has-text('starting as someone new')")
    assert code not in page.inner_text(".cofa-app")

    assert page.get_by_label(NAME).input_value() == ""
    assert page.get_by_label(CLIMB_IDEA).input_value() == ""
    assert "not given a name" in page.inner_text(".cofa-whose")
    assert axe_problems(page) == []
    page.reload()
    page.wait_for_selector(".cofa-app", state="visible")
    assert page.get_by_label(NAME).input_value() == "" and page.get_by_label(CLIMB_IDEA).input_value() == ""
    assert "Something Sam has not saved yet" not in page.inner_text(".cofa-app")

    store = Workspace.open(voila.workspace)
    try:
        now = store.current_person()
        with sqlite3.connect(voila.workspace / "workspace.sqlite") as db:
            sam = db.execute("SELECT id FROM cofacilitate_people WHERE pseudonym = 'Sam'").fetchone()[0]
        assert sam != now.id
        kept = store.drafts("ladder", Owner(sam))
        assert "Something Sam has not saved yet" in kept.values(), "Sam's words are kept, for Sam"
        assert store.drafts("ladder", Owner(now.id)) == {}
    finally:
        store.close()

    # Later, Sam comes back to the laptop with the code, and finds their own words.
    page.get_by_label(COME_BACK).fill(code.lower())
    page.locator("button.cofa-come-back").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".cofa-person-feedback:has-text('Welcome back')")
    assert page.get_by_label(NAME).input_value() == "Sam"
    assert page.get_by_label(CLIMB_IDEA).input_value() == "Something Sam has not saved yet"
    assert page.get_by_label(COME_BACK).input_value() == "", "the code does not stay on the page"
    assert axe_problems(page) == []
    page.reload()
    page.wait_for_selector(".cofa-app", state="visible")
    assert page.get_by_label(NAME).input_value() == "Sam", "and the laptop's next page is Sam's again"
    assert visit.hosts() == {f"127.0.0.1:{voila.port}"}

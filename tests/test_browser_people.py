"""Who is on the page, in a real browser: a laptop passed to the next person keeps each
person's words apart. Real Voilà, real headless Chromium, keyboard only."""

from __future__ import annotations

import sqlite3

import pytest

from cofacilitate.store import Owner, Workspace
from tests.conftest import axe_problems
from tests.test_browser_ladder import CLIMB_IDEA, wait_for_draft

pytestmark = pytest.mark.browser

NAME = "A name for yourself (any name you like; it need not be your real name)"


def test_the_next_person_on_a_shared_laptop_starts_with_an_empty_page(voila, visit):
    page = visit.page
    visit.open(voila.url("ladder.ipynb"))
    page.get_by_label(NAME).fill("Sam")
    page.get_by_label(CLIMB_IDEA).fill("Something Sam has not saved yet")
    wait_for_draft(voila.workspace, "Something Sam has not saved yet")
    assert "You are working as “Sam”" in page.inner_text(".cofa-whose")

    page.locator("button.cofa-someone-new").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".cofa-person-feedback:has-text('starting as someone new')")

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
        assert kept["ladder/idea/climb"] == "Something Sam has not saved yet", "Sam's words are kept, for Sam"
        assert store.drafts("ladder", Owner(now.id)) == {}
    finally:
        store.close()
    assert visit.hosts() == {f"127.0.0.1:{voila.port}"}

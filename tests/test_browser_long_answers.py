"""A long answer on a phone, in a real browser: the counter speaks up, Save says which box is
too long, and after a reload every word is still there. Real Voilà, real headless Chromium."""

from __future__ import annotations

import pytest

from cofacilitate.ladder.model import MAX_TEXT
from tests.conftest import axe_problems
from tests.test_browser_ladder import CLIMB_IDEA, wait_for_draft

pytestmark = pytest.mark.browser

LONG = ("We would need to pay people for their time, and ask them before the grant is written. " * 60)[: MAX_TEXT + 40]


def test_a_long_answer_on_a_phone_is_counted_refused_plainly_and_kept(voila, visit):
    page = visit.page
    page.set_viewport_size({"width": 390, "height": 844})
    visit.open(voila.url("ladder.ipynb"))

    page.get_by_label(CLIMB_IDEA).fill(LONG)
    page.wait_for_selector(".cofa-counter:has-text('40 characters longer')")
    page.locator(".cofa-save").click()
    page.wait_for_selector(".cofa-feedback:has-text('holds more than it can save')")

    said = page.inner_text(".cofa-feedback")
    assert "Having the idea" in said and "still on screen" in said
    assert axe_problems(page) == []
    wait_for_draft(voila.workspace, LONG[-30:])
    page.reload()
    page.wait_for_selector(".cofa-app", state="visible")
    assert page.get_by_label(CLIMB_IDEA).input_value() == LONG
    page.get_by_label(CLIMB_IDEA).fill("")  # leave the shared page tidy for the next test
    wait_for_draft(voila.workspace, '""')

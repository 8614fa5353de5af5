"""Messages appear where the person is looking: on a phone, a restore's message is on screen
next to the button just used, and that button says only what it does. Real Voilà and Chromium."""

from __future__ import annotations

import pytest

from tests.conftest import axe_problems

pytestmark = pytest.mark.browser


def test_a_bad_restore_on_a_phone_is_answered_on_screen_next_to_the_button(voila, visit, tmp_path):
    page = visit.page
    page.set_viewport_size({"width": 390, "height": 844})
    visit.open(voila.url("ladder.ipynb"))
    not_ours = tmp_path / "shopping.json"
    not_ours.write_text('{"eggs": 6}', encoding="utf-8")
    button = page.locator("button.cofa-upload")
    assert button.inner_text().strip() == "Restore from a file", "no counter in the button's name"

    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(str(not_ours))
    message = page.locator(".cofa-files-panel .cofa-feedback .cofa-problem")
    message.wait_for()

    assert "not a cofacilitate response card" in message.inner_text()
    box = message.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, f"the message is off screen: {box}"
    assert message.get_attribute("role") == "alert", "screen readers hear it"
    assert axe_problems(page) == []

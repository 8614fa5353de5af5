"""Save acts on everything typed before it was pressed, on a slow network too (issue 15, point 2).

A phone on a busy wifi: every request takes 300 ms more. The browser holds back a box's newest
words while an earlier change is on its way, and sends a click at once, so a fixed wait before
saving can lose the last words. The kit's buttons first ask the page to answer once more; this
checks that round in a real page (the protocol itself is checked in tests/test_kit_as_found.py).
"""

from __future__ import annotations

import sqlite3
from uuid import uuid4

import pytest
from playwright.sync_api import expect

from cofacilitate.store import DB_NAME

pytestmark = pytest.mark.browser

WORDS = "We met the steering group and talked about who decides, amber-otter-3141 is our code."


def slow_network(page, latency_ms: int = 300) -> None:
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency_ms,
                                                       "downloadThroughput": -1, "uploadThroughput": -1})


def test_save_straight_after_typing_keeps_the_last_words_on_a_slow_network(voila, visit) -> None:
    page = visit.page
    visit.open(voila.url("diary.ipynb") + f"&person={uuid4().hex}", ".cofa-diary-answer textarea")
    slow_network(page)
    box = page.locator(".cofa-diary-answer textarea").first
    box.click()
    page.keyboard.type(WORDS[:1])  # on its way to the kernel...
    page.keyboard.insert_text(WORDS[1:])  # ...so the browser holds these back until the kernel is done with it
    page.locator(".cofa-save").click()  # at once, while the last words are still held back

    message = page.locator(".cofa-feedback", has_text="Your entry")
    expect(message).to_contain_text("is saved", timeout=60_000)
    assert "nothing in the form" not in page.locator("#cofa-main").inner_text()
    with sqlite3.connect(voila.workspace / DB_NAME) as db:
        bodies = [row[0] for row in db.execute("SELECT body FROM cofacilitate_records WHERE tool = 'diary'")]
    assert any(WORDS in body for body in bodies), bodies

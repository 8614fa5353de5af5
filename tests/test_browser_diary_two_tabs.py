"""A lock covers every tab (issue 15, point 6): real Voilà, real headless Chromium.

One person has their diary open in two tabs. Tab B opened before tab A locked the diary. What
is typed in tab B afterwards is kept nowhere in plain words (neither as a draft nor on Save); the
tab says plainly why, the words stay on screen, and once the diary is opened there with its
passphrase the entry is saved, sealed.
"""

from __future__ import annotations

from uuid import uuid4

import pytest
from playwright.sync_api import expect

from cofacilitate.store import DB_NAME
from tests.conftest import axe_problems
from tests.test_browser_diary import WHAT_HAPPENED, count_says, open_page, records_of, said, save, stored_words

pytestmark = pytest.mark.browser

SECRET = "otter-lantern-7781"  # words only tab B types, so finding them in the file means plain words were kept
WORDS = f"{SECRET} is what I wrote in the tab that did not see the lock."
PASSPHRASE = "slow river candle"
LOCKED_ELSEWHERE = "Your diary was locked in another window"

# Every text any message line of the page ever shows, so "never said 'is saved'" is checked, not sampled.
RECORD_MESSAGES = """() => {
    window.cofaSaid = [];
    const note = () => document.querySelectorAll('.cofa-feedback').forEach(e => window.cofaSaid.push(e.innerText));
    new MutationObserver(note).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_a_tab_opened_before_the_lock_keeps_no_plain_word_says_why_and_saves_sealed_once_opened(voila, browser) -> None:
    db = voila.workspace / DB_NAME
    person = uuid4().hex
    url = voila.url("diary.ipynb") + f"&person={person}"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(60_000)
    tab_b = context.new_page()
    tab_a = None
    try:
        open_page(tab_b, url)  # tab B opens first, while the diary has no lock
        tab_a = context.new_page()
        open_page(tab_a, url)
        tab_a.get_by_label("A new passphrase (at least 8 characters)", exact=True).fill(PASSPHRASE)
        tab_a.get_by_label("The new passphrase again", exact=True).fill(PASSPHRASE)
        tab_a.locator(".cofa-lock").click()
        said(tab_a, ".cofa-lock-section .cofa-feedback", "Your diary is locked")

        # Tab B still shows the unlocked diary; the person writes there. Its draft must not reach the file.
        tab_b.evaluate(RECORD_MESSAGES)
        answer = tab_b.get_by_label(WHAT_HAPPENED, exact=True)
        answer.fill(WORDS)
        expect(tab_b.locator(".cofa-lock-notice")).to_contain_text(LOCKED_ELSEWHERE, timeout=30_000)  # its draft refused
        assert SECRET.encode() not in stored_words(db), "a draft typed after the lock reached the file as plain words"

        tab_b.locator(".cofa-save").click()
        said(tab_b, ".cofa-feedback", f"Your entry is not saved yet. {LOCKED_ELSEWHERE}.")
        expect(answer).to_have_value(WORDS)
        assert SECRET.encode() not in stored_words(db), "an entry saved after the lock reached the file as plain words"
        assert records_of(db, person) == []
        assert not [text for text in tab_b.evaluate("window.cofaSaid") if "is saved" in text]
        expect(tab_b.locator(".cofa-lock")).to_have_count(0)  # "Lock my diary" is no longer offered
        expect(tab_b.locator(".cofa-open")).to_be_visible()
        assert axe_problems(tab_b) == [], "laptop, the tab that did not see the lock, after saying so"

        # Opened in tab B with the passphrase: the same words are saved now, sealed.
        tab_b.get_by_label("Your passphrase", exact=True).fill(PASSPHRASE)
        tab_b.locator(".cofa-open").click()
        said(tab_b, ".cofa-lock-section .cofa-feedback", "open on this page")
        expect(tab_b.locator(".cofa-lock-notice")).to_have_text("")
        expect(answer).to_have_value(WORDS)
        save(tab_b)
        count_says(tab_b, "Your 1 entry.")
        assert SECRET in tab_b.locator(".cofa-entries select").inner_text()  # the list shows its first words
        assert SECRET.encode() not in stored_words(db), "the saved entry is in the file as plain words"
        [body] = records_of(db, person)
        assert body["kind"] == "diary-sealed" and SECRET not in str(body)
    finally:
        for tab in (tab_a, tab_b):
            if tab is not None:
                tab.close(run_before_unload=True)
        context.close()

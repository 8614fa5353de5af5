"""The reflective diary as a person uses it: real Voilà, real headless Chromium.

An entry is written, survives a reload mid-draft, gets a heavy check-in (and the support box),
suggested tags and a Save; it is found again with a filter, changed (the earlier version is kept),
downloaded, and deleted for good: then its words are in neither the workspace file nor its
write-ahead log. The downloaded file brings the entry back for someone else. A kernel killed
while a person writes loses none of their words, and neither does a kernel frozen while the
form changes under the person's hands.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from pathlib import Path
from uuid import uuid4

import psutil
import pytest
from playwright.sync_api import expect

from cofacilitate.store import DB_NAME
from tests.conftest import axe_problems
from tests.test_browser_pages import LOOK, SIZES

pytestmark = pytest.mark.browser

WHAT_HAPPENED = "What happened?"
TOOK_OUT = "How much did this take out of me?"
BY_TAG = "Only entries with this tag"
POWER_TAG = "Sharing power (principle)"
SECRET = "heron-lantern-5521"  # words only this entry holds, so finding them anywhere means they were kept
FIRST = f"The steering group had to decide who holds the power. My code word is {SECRET}."
CHANGED = f"{FIRST} Later I saw it differently."
KILLED_WORDS = "I was half way through writing about amber-kestrel-2207 when it all stopped."


def address(voila) -> str:
    """The diary for a new person of their own, so each test's entries and drafts are apart."""
    return voila.url("diary.ipynb") + f"&person={uuid4().hex}"


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".cofa-app", state="visible", timeout=90_000)


def pick(page, label: str, shown: str) -> None:
    """Choose the option a drop-down shows as `shown` (ipywidgets writes its spaces as non-breaking ones)."""
    box = page.get_by_label(label, exact=True)
    texts = [text.replace("\xa0", " ") for text in box.locator("option").all_inner_texts()]
    box.select_option(index=texts.index(shown))


def said(page, where: str, words: str) -> None:
    page.locator(where, has_text=words).first.wait_for()


def count_says(page, words: str) -> None:
    expect(page.locator(".cofa-entry-count")).to_have_text(words)


def stored_words(db: Path) -> bytes:
    """The workspace file and its write-ahead log, as bytes: what someone who copies them could read."""
    return b"".join(path.read_bytes() for path in (db, db.with_name(db.name + "-wal")) if path.exists())


def drafts(db: Path) -> list[str]:
    """Every diary draft's stored value, read read-only: the test never writes to the workspace."""
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in reader.execute("SELECT value FROM cofacilitate_drafts WHERE tool = 'diary'")]
    finally:
        reader.close()


def wait_for_draft(db: Path, words: str, seconds: float = 20) -> None:
    """Wait until a draft holding `words` is in the workspace."""
    end = time.monotonic() + seconds
    while not any(words in value for value in drafts(db)):
        if time.monotonic() > end:
            raise AssertionError(f"no draft holding {words!r} was written within {seconds:.0f} s")
        time.sleep(0.2)


def open_entry(page) -> None:
    page.locator(".cofa-entries select").select_option(index=0)
    page.locator(".cofa-open-entry").click()
    said(page, ".cofa-feedback", "is shown below")


def save(page) -> None:
    """Press Save; the form empties once the entry is kept (the message alone says the same after each save)."""
    page.locator(".cofa-save").click()
    expect(page.get_by_label(WHAT_HAPPENED, exact=True)).to_have_value("")
    said(page, ".cofa-feedback", "is saved")


def hosts(requests: list[str]) -> set[str]:
    return {url.split("/")[2] for url in requests if url.startswith(("http://", "https://", "ws://", "wss://"))}


def test_write_reload_save_tag_filter_edit_delete_export_and_reimport(voila, visit, tmp_path):
    page, db = visit.page, voila.workspace / DB_NAME
    page.set_viewport_size(SIZES["laptop"])
    visit.open(address(voila))
    answer = page.get_by_label(WHAT_HAPPENED, exact=True)

    # Half way through writing, the page is reloaded: the words come back.
    answer.fill(FIRST)
    wait_for_draft(db, SECRET)
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".cofa-app", state="visible", timeout=90_000)
    expect(answer).to_have_value(FIRST)
    said(page, ".cofa-person-feedback", "Welcome back")

    # A heavy check-in brings the support box; the suggested tags tick "Sharing power" (from "decide" and "power").
    pick(page, TOOK_OUT, "4. A lot")
    expect(page.locator(".cofa-diary-support")).to_contain_text("not a health or crisis service")
    page.locator(".cofa-suggest-tags").click()
    expect(page.get_by_label(POWER_TAG, exact=True)).to_be_checked()
    said(page, ".cofa-feedback", "We ticked: Sharing power")
    save(page)

    # Looking back: a tag it does not have finds nothing, its own tag finds it.
    count_says(page, "Your 1 entry.")
    pick(page, BY_TAG, "Impact")
    count_says(page, "Your 1 entry does not match these choices.")
    pick(page, BY_TAG, "Sharing power")
    count_says(page, "Your 1 entry.")
    expect(page.locator(".cofa-entries select option")).to_have_count(1)

    # Changed and saved again: the entry keeps its earlier version.
    open_entry(page)
    expect(answer).to_have_value(FIRST)
    answer.fill(CHANGED)
    save(page)
    count_says(page, "Your 1 entry.")
    open_entry(page)
    reading = page.locator(".cofa-reading")
    expect(reading).to_contain_text("Earlier versions (1)")
    expect(reading).to_contain_text("Later I saw it differently.")
    expect(reading).to_contain_text("Tags: Sharing power")

    # Kept as a file: both versions, every word.
    page.locator(".cofa-get-files").click()
    page.locator("a.cofa-download-card").wait_for()
    with page.expect_download() as got:
        page.locator("a.cofa-download-card").click()
    card_file = tmp_path / "diary-response-card.json"
    got.value.save_as(card_file)
    card = json.loads(card_file.read_text(encoding="utf-8"))
    assert card["tool"] == "diary" and len(card["records"]) == 2, "both versions are in the file"
    assert {r["body"]["answers"][0]["text"] for r in card["records"]} == {FIRST, CHANGED}
    page.set_viewport_size(SIZES["laptop"])
    assert axe_problems(page) == [], "laptop, an entry open with its earlier version and the files ready"

    # Deleted for good while it is open in the form: asked first, then gone from the list, the reading view and the
    # form, and its words (from both versions and from the drafts the form kept) from the file and its log.
    page.locator(".cofa-delete-entry").click()
    expect(page.locator(".cofa-confirm-delete")).to_be_visible()
    page.locator(".cofa-confirm-delete").click()
    said(page, ".cofa-feedback", "is deleted, with its earlier versions")
    count_says(page, "You have no entries yet.")
    expect(reading).to_have_text("")
    expect(answer).to_have_value("")
    assert SECRET.encode() not in stored_words(db), "a deleted entry's words are still in the workspace file or its log"
    for path in (db, *(db.with_name(db.name + end) for end in ("-wal", "-shm"))):
        assert not path.exists() or path.stat().st_mode & 0o777 == 0o600, f"{path.name}: {oct(path.stat().st_mode)}"

    # Someone else restores the downloaded file on a phone: the entry is theirs now, with its earlier version.
    other = visit.context.new_page()
    other_requests: list[str] = []
    other.on("request", lambda request: other_requests.append(request.url))
    try:
        other.set_viewport_size(SIZES["phone"])
        open_page(other, address(voila))
        count_says(other, "You have no entries yet.")
        with other.expect_file_chooser() as chooser:
            other.locator(".cofa-upload").click()
        chooser.value.set_files(str(card_file))
        said(other, ".cofa-files-panel .cofa-feedback", "2 saved sets of answers were brought back.")
        count_says(other, "Your 1 entry.")
        expect(other.locator(".cofa-entries select option")).to_contain_text(["The steering group had to decide"])
        open_entry(other)
        expect(other.locator(".cofa-reading")).to_contain_text("Earlier versions (1)")
        expect(other.locator(".cofa-reading")).to_contain_text(SECRET)
        other.locator(".cofa-show-patterns").click()
        other.locator(".cofa-coverage-chart svg").wait_for()
        other.locator(".cofa-load-chart svg").wait_for()
        expect(other.locator(".cofa-coverage-chart .cofa-chart-sentence")).to_contain_text("Your 1 entry touches")
        other.wait_for_timeout(150)  # let Vega settle after the chart's box took its width
        assert other.evaluate(LOOK)["problems"] == [], "phone, restored and with the patterns"
        assert axe_problems(other) == [], "phone, restored and with the patterns"
    finally:
        other.close(run_before_unload=True)
    assert visit.hosts() == {f"127.0.0.1:{voila.port}"}
    assert hosts(other_requests) == {f"127.0.0.1:{voila.port}"}


def test_a_killed_kernel_does_not_lose_the_draft(voila, visit):
    page, db = visit.page, voila.workspace / DB_NAME
    url = address(voila)
    before = {process.pid for process in voila.kernels()}
    visit.open(url)
    fresh = [process for process in voila.kernels() if process.pid not in before]
    assert len(fresh) == 1, f"expected one new kernel for the page, found {[p.pid for p in fresh]}"
    kernel = fresh[0]

    page.get_by_label(WHAT_HAPPENED, exact=True).fill(KILLED_WORDS)
    wait_for_draft(db, KILLED_WORDS)
    kernel.kill()  # SIGKILL: no clean-up, as when the machine runs out of memory
    psutil.wait_procs([kernel], timeout=10)
    assert not kernel.is_running() or kernel.status() == psutil.STATUS_ZOMBIE

    open_page(page, url)
    assert kernel.pid not in {process.pid for process in voila.kernels()}
    expect(page.get_by_label(WHAT_HAPPENED, exact=True)).to_have_value(KILLED_WORDS)
    said(page, ".cofa-person-feedback", "Welcome back. We brought back what you were writing last time.")
    assert visit.hosts() == {f"127.0.0.1:{voila.port}"}


LOCKED_WORDS = "osprey-ledger-8813 is what I could not say in the room"
PASSPHRASE = "quiet harbour lamp"


def test_a_locked_diary_keeps_no_word_in_the_file_and_opens_again_with_its_passphrase(voila, browser) -> None:
    db = voila.workspace / DB_NAME
    url = address(voila)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        open_page(page, url)
        page.get_by_label(WHAT_HAPPENED, exact=True).fill(LOCKED_WORDS)
        page.locator(".cofa-save").click()
        said(page, ".cofa-feedback", "is saved")
        assert b"osprey-ledger-8813" in stored_words(db), "the check below can see words when they are there"

        page.get_by_label("A new passphrase (at least 8 characters)").fill(PASSPHRASE)
        page.get_by_label("The new passphrase again").fill(PASSPHRASE)
        page.locator(".cofa-lock").click()
        said(page, ".cofa-lock-section .cofa-feedback", "Your diary is locked")
        assert b"osprey-ledger-8813" not in stored_words(db)

        open_page(page, url)  # a reload: the diary is closed again
        assert page.locator(".cofa-entry-form").count() == 0 and "osprey" not in page.content()
        page.get_by_label("Your passphrase", exact=True).fill("not the passphrase")
        page.locator(".cofa-open").click()
        said(page, ".cofa-lock-section .cofa-feedback", "Nothing was changed")
        page.get_by_label("Your passphrase", exact=True).fill(PASSPHRASE)
        page.locator(".cofa-open").click()
        said(page, ".cofa-lock-section .cofa-feedback", "open on this page")
        count_says(page, "Your 1 entry.")
        assert "osprey-ledger-8813" in page.locator(".cofa-entries select").inner_text()
        assert b"osprey-ledger-8813" not in stored_words(db)
        assert axe_problems(page) == []
    finally:
        page.close(run_before_unload=True)
        context.close()


FROZEN_WAY = "What? So what? Now what?"
SO_WHAT = "So what does it mean?"
TYPED_FIRST = "Typed while it stood still: pelican-gate-3391."
TYPED_SECOND = "And this, into the second box: it matters."


def records_of(db: Path, person: str) -> list[dict]:
    """The person's stored diary bodies, read read-only."""
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = reader.execute("SELECT body FROM cofacilitate_records WHERE tool = 'diary' AND person = ?", (person,))
        return [json.loads(row[0]) for row in rows]
    finally:
        reader.close()


def page_kernel(voila, before: set[int]) -> psutil.Process:
    """The page's own kernel: the newest ipykernel_launcher child of the server since the page opened."""
    fresh = [process for process in voila.kernels()
             if process.pid not in before and "ipykernel_launcher" in " ".join(process.cmdline())]
    assert fresh, "the page's kernel was not found"
    return max(fresh, key=lambda process: process.create_time())


def test_words_typed_while_the_kernel_stands_still_and_the_form_changes_stay_on_screen_and_are_saved(voila, visit):
    page, db = visit.page, voila.workspace / DB_NAME
    person = uuid4().hex
    before = {process.pid for process in voila.kernels()}
    visit.open(voila.url("diary.ipynb") + f"&person={person}")
    kernel = page_kernel(voila, before)

    os.kill(kernel.pid, signal.SIGSTOP)  # as a busy laptop does for a second or more
    try:
        pick(page, "How would you like to write?", FROZEN_WAY)
        page.get_by_label(WHAT_HAPPENED, exact=True).fill(TYPED_FIRST)  # the boxes of the old way, still on screen
        page.get_by_label("What was I thinking and feeling?", exact=True).fill(TYPED_SECOND)
        pick(page, TOOK_OUT, "3. Some")
    finally:
        os.kill(kernel.pid, signal.SIGCONT)

    expect(page.get_by_label(SO_WHAT, exact=True)).to_have_value(TYPED_SECOND)
    expect(page.get_by_label(WHAT_HAPPENED, exact=True)).to_have_value(TYPED_FIRST)
    expect(page.get_by_label("What was I thinking and feeling?", exact=True)).to_have_count(0)
    page.locator(".cofa-save").click()
    said(page, ".cofa-feedback", "is saved, with 2 answers and your check-in.")
    [body] = records_of(db, person)
    assert body["prompt_set"] == "what-so-what" and body["took_out"] == 3
    assert body["answers"] == [{"prompt": "what", "text": TYPED_FIRST}, {"prompt": "so-what", "text": TYPED_SECOND}]
    assert visit.hosts() == {f"127.0.0.1:{voila.port}"}

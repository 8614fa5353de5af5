"""Locking the diary: someone who copies the workspace file reads nothing of it; the owner loses nothing."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cofacilitate.diary.app import DiaryPage
from cofacilitate.store import DB_NAME
from tests.conftest import data_links, html_values, shown
from tests.pages import Pages, pages

SAVED_WORDS = "ZEBRAFISH my brother's diagnosis"
DRAFT_WORDS = "GIRAFFE a draft I have not saved"
PASSPHRASE, NEW_PASSPHRASE = "correct horse battery", "staple lamp river"


@pytest.fixture
def diary(home: Path) -> Iterator[Pages]:
    yield from pages(home, "diary")


def file_bytes(home: Path) -> bytes:
    """The workspace file and its write-ahead log, as someone copying them would read them."""
    return b"".join(path.read_bytes() for path in home.glob(f"{DB_NAME}*") if path.is_file())


def write(page: DiaryPage, words: str, save: bool) -> None:
    page.form.answers["description"].value = words
    if save:
        page.save_button.click()
        assert "is saved" in shown(page.feedback)
    else:
        page.drafts.flush()


def lock(page: DiaryPage, passphrase: str = PASSPHRASE) -> None:
    section = page.lock_section
    section.new.value = section.again.value = passphrase
    section.buttons["lock"].click()
    assert "Your diary is locked" in shown(section.feedback)


def open_with(page: DiaryPage, passphrase: str) -> str:
    section = page.lock_section
    section.current.value = passphrase
    section.buttons["open"].click()
    return shown(section.feedback)


def test_a_locked_diary_leaves_no_word_in_the_file_and_opens_with_its_passphrase(diary: Pages, home: Path) -> None:
    page = diary()
    write(page, SAVED_WORDS, save=True)
    write(page, DRAFT_WORDS, save=False)
    assert SAVED_WORDS.encode() in file_bytes(home), "the check below can see words when they are there"

    lock(page)

    every = file_bytes(home)
    assert SAVED_WORDS.encode() not in every and DRAFT_WORDS.encode() not in every
    assert b"ZEBRAFISH" not in every and b"GIRAFFE" not in every
    assert stat.S_IMODE((home / DB_NAME).stat().st_mode) == 0o600
    reloaded = diary()
    assert not reloaded.built, "a locked diary shows only its lock until it is opened"
    assert not any("ZEBRAFISH" in value or "GIRAFFE" in value for value in html_values(reloaded))
    assert "Nothing was changed" in open_with(reloaded, "not the passphrase")
    assert not reloaded.built
    assert "open on this page" in open_with(reloaded, PASSPHRASE)
    assert reloaded.form.answers["description"].value == DRAFT_WORDS, "the draft comes back once opened"
    assert "Your 1 entry" in shown(reloaded.count)


def test_what_is_written_while_locked_is_sealed_too(diary: Pages, home: Path) -> None:
    page = diary()
    lock(page)
    write(page, SAVED_WORDS, save=True)
    write(page, DRAFT_WORDS, save=False)

    assert b"ZEBRAFISH" not in file_bytes(home) and b"GIRAFFE" not in file_bytes(home)
    again = diary()
    open_with(again, PASSPHRASE)
    assert "ZEBRAFISH" in again.count.value or "ZEBRAFISH" in str(again.listed.options)


def test_the_files_a_locked_diary_downloads_can_be_read_anywhere(diary: Pages, home: Path, tmp_path: Path) -> None:
    page = diary()
    write(page, SAVED_WORDS, save=True)
    lock(page)

    page.files.button.click()
    links = data_links(page.files.links.value)
    assert SAVED_WORDS.encode() in links["application/json"] and SAVED_WORDS.encode() in links["text/markdown"]
    fresh = diary(folder=tmp_path / "elsewhere")
    fresh.files.restore(links["application/json"], "diary-response-card.json")
    assert "Your 1 entry" in shown(fresh.count)


def test_a_card_restored_into_a_locked_diary_is_sealed_at_once(diary: Pages, home: Path, tmp_path: Path) -> None:
    elsewhere = diary(folder=tmp_path / "elsewhere")
    write(elsewhere, SAVED_WORDS, save=True)
    elsewhere.files.button.click()
    card = data_links(elsewhere.files.links.value)["application/json"]
    page = diary()
    lock(page)

    page.files.restore(card, "diary-response-card.json")

    assert "Your 1 entry" in shown(page.count)
    assert b"ZEBRAFISH" not in file_bytes(home)


def test_changing_the_passphrase_retires_the_old_one_and_removing_the_lock_keeps_every_word(diary: Pages, home: Path) -> None:
    page = diary()
    write(page, SAVED_WORDS, save=True)
    lock(page)
    section = page.lock_section
    section.current.value, section.new.value, section.again.value = PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE
    section.buttons["change"].click()
    assert "passphrase is changed" in shown(section.feedback)

    assert "Nothing was changed" in open_with(diary(), PASSPHRASE)
    reopened = diary()
    assert "open on this page" in open_with(reopened, NEW_PASSPHRASE)
    reopened.lock_section.current.value = NEW_PASSPHRASE
    reopened.lock_section.buttons["unlock"].click()
    assert "The lock is removed" in shown(reopened.lock_section.feedback)
    plain = diary()
    assert plain.built and "Your 1 entry" in shown(plain.count)


@pytest.mark.parametrize(("new", "again", "said"), [
    ("short", "short", "at least 8"),
    ("long enough one", "long enough two", "not the same"),
])
def test_a_new_passphrase_that_will_not_do_changes_nothing(diary: Pages, home: Path, new: str, again: str, said: str) -> None:
    page = diary()
    write(page, SAVED_WORDS, save=True)
    before = file_bytes(home)
    section = page.lock_section
    section.new.value, section.again.value = new, again

    section.buttons["lock"].click()

    assert said in shown(section.feedback) and "Nothing was changed" in shown(section.feedback)
    assert page.stored_lock() is None and SAVED_WORDS.encode() in before


def test_no_passphrase_or_entry_words_reach_the_log(diary: Pages, home: Path, logged: Path) -> None:
    page = diary()
    write(page, SAVED_WORDS, save=True)
    lock(page)
    open_with(diary(), "a wrong passphrase here")
    open_with(diary(), PASSPHRASE)

    for handler in logging.getLogger("cofacilitate").handlers:
        handler.flush()
    text = logged.read_text(encoding="utf-8") if logged.exists() else ""
    assert PASSPHRASE not in text and "a wrong passphrase" not in text and "ZEBRAFISH" not in text


# -- one diary in two windows: a lock (or a new passphrase, or none) made in one is seen by the other -------


LATE_WORDS = "PANGOLIN typed in the other window"


def change_passphrase(page: DiaryPage) -> None:
    section = page.lock_section
    section.current.value, section.new.value, section.again.value = PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE
    section.buttons["change"].click()
    assert "passphrase is changed" in shown(section.feedback)


def test_a_window_opened_before_the_diary_was_locked_elsewhere_writes_no_plain_word_and_says_so(
        diary: Pages, home: Path) -> None:
    first, second = diary(), diary()  # two windows of one diary, both open before it was locked
    write(first, SAVED_WORDS, save=True)
    first.files.button.click()
    card = data_links(first.files.links.value)["application/json"]
    lock(first)

    second.form.answers["description"].value = LATE_WORDS  # kept as a draft as it is typed: not here
    second.save_button.click()
    second.files.restore(card, "diary-response-card.json")

    assert b"PANGOLIN" not in file_bytes(home) and b"ZEBRAFISH" not in file_bytes(home)
    assert shown(second.feedback).startswith("Problem: Your entry is not saved yet. Your diary was locked in another window.")
    assert "nothing can be brought back" in shown(second.files.feedback) and "Nothing was changed" in shown(second.files.feedback)
    assert "Your diary was locked in another window" in shown(second.lock_notice)
    assert second.form.answers["description"].value == LATE_WORDS, "the words stay on screen"
    section = second.lock_section
    assert section.buttons["open"] in section.children and section.buttons["lock"] not in section.children

    assert "open on this page" in open_with(second, PASSPHRASE)
    assert shown(second.lock_notice) == ""
    second.save_button.click()
    assert "is saved" in shown(second.feedback)
    assert b"PANGOLIN" not in file_bytes(home), "kept, and sealed"
    again = diary()
    open_with(again, PASSPHRASE)
    assert "All 2 of your entries." in shown(again.count) and any("PANGOLIN" in label for label, _ in again.listed.options)


def test_lock_my_diary_in_a_window_that_did_not_see_the_lock_changes_nothing(diary: Pages, home: Path) -> None:
    first, second = diary(), diary()
    write(first, DRAFT_WORDS, save=False)
    lock(first)
    section = second.lock_section  # still offers "Lock my diary"
    section.new.value = section.again.value = NEW_PASSPHRASE

    section.buttons["lock"].click()

    assert "Your diary was locked in another window" in shown(section.feedback)
    assert "Nothing was changed" in open_with(diary(), NEW_PASSPHRASE)
    reopened = diary()
    assert "open on this page" in open_with(reopened, PASSPHRASE)
    assert reopened.form.answers["description"].value == DRAFT_WORDS


def test_words_typed_after_the_passphrase_changed_elsewhere_open_with_the_new_one(diary: Pages, home: Path) -> None:
    first = diary()
    lock(first)
    second = diary()
    open_with(second, PASSPHRASE)
    change_passphrase(first)

    second.form.answers["description"].value = LATE_WORDS
    open_with(second, NEW_PASSPHRASE)

    again = diary()
    open_with(again, NEW_PASSPHRASE)
    assert again.form.answers["description"].value == LATE_WORDS, "sealed with the key the diary uses now"
    assert b"PANGOLIN" not in file_bytes(home)


def test_a_window_that_did_not_see_a_new_passphrase_says_so_and_opens_only_with_the_new_one(diary: Pages) -> None:
    first = diary()
    lock(first)
    second = diary()
    open_with(second, PASSPHRASE)
    change_passphrase(first)

    second.form.answers["description"].value = LATE_WORDS

    assert "given a new passphrase in another window" in shown(second.lock_notice)
    assert second.key is None and second.lock_section.buttons["open"] in second.lock_section.children
    assert "Nothing was changed" in open_with(second, PASSPHRASE)
    assert "open on this page" in open_with(second, NEW_PASSPHRASE)
    assert second.form.answers["description"].value == LATE_WORDS


def test_words_typed_after_the_lock_was_removed_elsewhere_are_kept_plainly_and_come_back(diary: Pages, home: Path) -> None:
    first = diary()
    lock(first)
    second = diary()
    open_with(second, PASSPHRASE)
    first.lock_section.current.value = PASSPHRASE
    first.lock_section.buttons["unlock"].click()

    second.form.answers["description"].value = LATE_WORDS
    second.save_button.click()

    plain = diary()
    assert plain.built and any("PANGOLIN" in label for label, _ in plain.listed.options)
    assert "is saved" in shown(second.feedback)
    assert "The lock on your diary was removed in another window" in shown(second.lock_notice)
    assert second.lock_section.buttons["lock"] in second.lock_section.children

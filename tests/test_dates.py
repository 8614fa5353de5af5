"""Dates as people write them (issue 15, point 15): 1/12/2026 (the day first, as in the UK), 1 December 2026,
1 Dec 2026 and 2026-12-01 all mean the same day; the app keeps it as 2026-12-01 and writes it one way."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from cofacilitate.cards import problem_sentence
from cofacilitate.diary.model import DiaryEntry
from cofacilitate.words import long_date, read_date
from tests.conftest import shown
from tests.pages import Pages

SAME_DAY = ["1/12/2026", "01/12/2026", "1/12/26", "1.12.2026", "1-12-2026", "1 December 2026", "1 Dec 2026",
            "1 dec. 2026", "1st December 2026", "1st of December 2026", "Tuesday 1 December 2026",
            "Tue, 1 Dec 2026", "December 1, 2026", "Dec 1 2026", "2026-12-01", "2026-12-1", "  1   DECEMBER  2026 ",
            "20261201"]


@pytest.mark.parametrize("typed", SAME_DAY)
def test_a_date_written_as_people_write_it_is_read_as_that_day(typed: str) -> None:
    assert read_date(typed) == "2026-12-01"


def test_the_day_comes_first_as_in_the_uk() -> None:
    assert read_date("3/4/2026") == "2026-04-03"
    assert read_date("30 September 2026") == read_date("30 Sept 2026") == read_date("30 Sep 2026") == "2026-09-30"


@pytest.mark.parametrize(("typed", "said"), [
    ("yesterday", "the date is not one this app can read (write it like 23 November 2026 or 23/11/2026)"),
    ("", "the date is not one this app can read"),
    ("12/31/2026", "the month in the date is not one this app knows"),
    ("1 Decembre 2026", "the month in the date is not one this app knows"),
    ("31/02/2026", "February 2026 has no day 31"),
    ("30 February 2026", "February 2026 has no day 30"),
    ("<script>1/12/2026</script>", "the date is not one this app can read"),
    ("1/12/2026 and more", "the date is not one this app can read"),
    ("0000-01-01", "the year in the date is not one this app knows"),
])
def test_a_date_that_cannot_be_read_says_how_to_write_one(typed: str, said: str) -> None:
    with pytest.raises(ValueError) as caught:
        read_date(typed)
    assert said in str(caught.value)


def test_one_date_style_on_screen() -> None:
    assert long_date(read_date("1/12/2026")) == "1 December 2026"
    assert long_date(read_date("5 Mar 2027")) == "5 March 2027"


ENTRY = {"card": "diary", "project": "Stroke ward study", "entry": "a" * 32, "occasion": "meeting", "prompt_set": "gibbs"}


@pytest.mark.parametrize("typed", ["1/12/2026", "1 December 2026", "1 Dec 2026", "2026-12-01"])
def test_a_diary_entry_keeps_the_day_typed_as_an_iso_date(typed: str) -> None:
    assert DiaryEntry(**ENTRY, on=typed).on == "2026-12-01"
    assert DiaryEntry(**ENTRY, on=typed).model_dump()["on"] == "2026-12-01", "stored as it always was"


def test_a_diary_entry_saved_before_keeps_its_date() -> None:
    assert DiaryEntry.model_validate({**ENTRY, "kind": "diary-entry", "version": 1, "on": "2026-03-01"}).on == "2026-03-01"


def test_a_date_the_diary_cannot_read_is_refused_with_how_to_write_one() -> None:
    with pytest.raises(ValidationError) as caught:
        DiaryEntry(**ENTRY, on="31/02/2026")
    assert problem_sentence(caught.value) == "February 2026 has no day 31."


def test_a_diary_entry_typed_with_the_day_first_is_saved_as_that_day(home: Path) -> None:
    pages = Pages(home, "diary")
    try:
        page = pages()
        page.form.on.value = "1/12/2026"
        page.form.answers["description"].value = "We met on the ward."
        page.save_button.click()
        [record] = page.ctx.store.records("diary", page.ctx.owner)
        said = shown(page.feedback)
    finally:
        pages.close()
    assert record.body["on"] == "2026-12-01"
    assert said.startswith("Done: Your entry about 1 December 2026 is saved")

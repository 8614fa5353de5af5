"""A time can never break a page, in any time zone (issue 15, point 4).

A time at the calendar's ends (9999-12-31, year 1) cannot be moved into every zone: Berlin
is an hour past the last day Python knows, New York an hour before the first. A response
card holding one is refused; one already in a store, or a date nobody can read, is still
shown in words, and every page opens.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cofacilitate.store import DB_NAME, Owner, Workspace, new_id
from cofacilitate.words import day_words, long_date, when_words
from tests.conftest import html_values
from tests.pages import Pages

ZONES = ["Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "UTC"]
LAST, FIRST = "9999-12-31T23:59:59.000000+00:00", "0001-01-01T00:00:00.000000+00:00"
ODD = [LAST, FIRST, "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+14:00", "not a time", "", "2026-02-30T10:00:00+00:00"]


@pytest.fixture(params=ZONES)
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The computer's time zone, as a server east or west of UTC has it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize("stamp", ODD)
def test_a_time_in_words_never_raises_whatever_the_zone(zone: str, stamp: str) -> None:
    assert isinstance(when_words(stamp), str) and isinstance(day_words(stamp), str)


def test_a_time_too_near_the_calendars_end_is_shown_as_stored(zone: str) -> None:
    assert when_words(LAST).startswith("31 December 9999, ") and day_words(FIRST) == "1 January 1"
    assert when_words("not a time") == "at a time we cannot read" and day_words("") == "an unknown date"


def test_times_and_dates_are_written_one_way(zone: str) -> None:
    assert when_words("2026-12-01T06:05:00+00:00").startswith(day_words("2026-12-01T06:05:00+00:00"))
    assert day_words("2026-07-01T06:00:00+00:00") == "1 July 2026" == long_date("2026-07-01")


@pytest.mark.parametrize("iso", ["", "2026-02-30", "1 December 2026", "<b>", "9" * 50])
def test_a_date_nobody_can_read_is_an_unknown_date_not_an_error(iso: str) -> None:
    assert long_date(iso) == "an unknown date"


BODIES: dict[str, dict[str, Any]] = {
    "ladder": {"kind": "ladder-assessment", "version": 1, "card": "ladder", "project": "My project", "why_moved": "",
               "answers": [{"stage": "idea", "now": "informing", "aim": "co-production", "climb": ""}]},
    "powermap": {"kind": "power-map", "version": 1, "card": "powermap", "project": "My project"},
    "agendas": {"kind": "agenda", "version": 1, "card": "agendas", "project": "My project",
                "answers": [{"prompt": "why-here", "text": "My dad was in hospital.", "share": "named"}]},
    "diary": {"kind": "diary-entry", "version": 1, "card": "diary", "project": "My project", "entry": "e" * 32,
              "on": "2026-11-15", "occasion": "meeting", "prompt_set": "gibbs",
              "answers": [{"prompt": "description", "text": "We met on the ward."}]},
}


def stored_at(home: Path, tool_id: str, *stamps: str) -> None:
    """Records in the store with these times, as a restore before this check, or an edit by hand, left them."""
    store = Workspace.open(home)
    owner = Owner(store.current_person().id)
    for stamp in stamps:
        record = store.save_record(tool_id, BODIES[tool_id], owner=owner, record_id=new_id(), participant="Sam")
        with sqlite3.connect(home / DB_NAME) as db:
            db.execute("UPDATE cofacilitate_records SET created_at = ?, updated_at = ? WHERE id = ?",
                       (stamp, stamp, record.id))
        db.close()
    store.close()


@pytest.mark.parametrize("tool_id", list(BODIES))
def test_a_page_opens_with_times_at_the_calendars_ends_already_in_the_store(zone: str, tool_id: str, home: Path) -> None:
    stored_at(home, tool_id, LAST, FIRST, "2026-11-15T06:00:00.000000+00:00")
    pages = Pages(home, tool_id)
    try:
        page = pages()
        text = " ".join(html_values(page))
    finally:
        pages.close()
    assert "Traceback" not in text and "Something went wrong" not in text
    if tool_id == "ladder":  # its saved list names each assessment by when it was saved
        assert "9999" in text and "15 November 2026" in text


def test_the_ways_of_working_document_says_its_days_in_one_style_in_any_time_zone(monkeypatch) -> None:
    """A year-9999 version in a store must not break the document east of UTC (issue 15, point 4)."""
    import time
    from datetime import datetime

    from cofacilitate.agendas import analysis
    from cofacilitate.agendas.model import Purpose
    from cofacilitate.snapshots import Saved

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        purpose = Purpose(card="agendas", project="Study", text="Why we meet", agreed_by=["Sam"])
        saved = Saved(record_id="r1", saved_at="9999-12-31T23:59:59+00:00", pseudonym="", roles=(), item=purpose)
        doc = analysis.ways_of_working("Study", saved, None, None, analysis.Wall({}, [], [], 0, 0), datetime(2027, 3, 1))
        words = " ".join(line for section in doc.sections for line in section.paragraphs) + " ".join(doc.intro)
        assert "Made on 1 March 2027." in words and "Saved on 31 December 9999." in words
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()

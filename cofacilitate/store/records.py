"""What the workspace holds, as plain values: people, records, and when things happened.

Pure Python, so tools, analyses and tests can use these without a database.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from cofacilitate.words import day_words

EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)  # before any answer this app could have saved
RECORD_VERSION = 1  # the shape of a record's envelope; each tool versions its own body
# Use with `fullmatch` (and `\Z`, not `$`, which lets a trailing line break through: "?person=<id>%0A").
PERSON_ID = re.compile(r"\A[0-9a-f]{32}\Z")  # new_id()'s shape; ids made as uuid4 before have it too
ROOM_ID = re.compile(r"\A[a-z0-9][a-z0-9-]{0,59}\Z")


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def utc_stamp(text: str) -> str:
    """A date and time that says its time zone, in the same UTC form as `now_iso`.

    Stamps are sorted and compared as text and shown as local times, so one that is not a
    date, or has no time zone, would break a page later: it is refused here instead.
    """
    try:
        when = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError("it is not a date and time this app can read") from None
    if when.tzinfo is None:
        raise ValueError("it does not say which time zone it is in")
    try:
        return when.astimezone(timezone.utc).isoformat(timespec="microseconds")
    except OverflowError:
        raise ValueError("it is too far from today to be a time anything was saved") from None


def likely_stamp(text: str) -> str:
    """A stamp from a response card: readable (`utc_stamp`), and between 2000 and a day from now.

    Nothing could have been saved outside those times, and a time at the calendar's ends
    (year 1, year 9999) cannot even be shown in some time zones. A day's grace allows for a
    computer whose clock runs ahead.
    """
    stamp = utc_stamp(text)
    when = datetime.fromisoformat(stamp)
    if not EARLIEST <= when <= datetime.now(timezone.utc) + timedelta(days=1):
        raise ValueError(f"it falls on {day_words(stamp)}, when nothing could have been saved "
                         "(a saved time falls between 1 January 2000 and today)")
    return stamp


def new_id() -> str:
    """A random id of 128 bits: unguessable, so a person's id can also be their way back to their answers."""
    return secrets.token_hex(16)


def draft_json(value: Any) -> str:
    """Drafts are compared by their stored text, so the same value must always read the same."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Person:
    """Someone using the app: an id of their own, and the name and roles they chose to give.

    Two people who both call themselves "Sam" are two people, because the id is what counts.
    """

    id: str
    pseudonym: str = ""
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Owner:
    """Whose and where: every draft and record belongs to one person in one room ("" when alone)."""

    person: str
    room: str = ""


@dataclass(frozen=True)
class Record:
    """One saved piece of work, such as one ladder assessment, and whose it is."""

    id: str
    tool: str
    schema_version: int
    room: str
    person: str
    participant: str
    roles: tuple[str, ...]
    created_at: str
    updated_at: str
    body: dict[str, Any] = field(hash=False)
    problem: str = ""  # why it cannot be used, when it was damaged in the file (then `body` is empty)

    def as_json(self) -> dict[str, Any]:
        """The record as it goes into a response card: never the person's id, which is their key."""
        return {
            "id": self.id, "tool": self.tool, "schema_version": self.schema_version,
            "room": self.room, "participant": self.participant, "roles": list(self.roles),
            "created_at": self.created_at, "updated_at": self.updated_at, "body": self.body,
        }

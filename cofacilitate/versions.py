"""Documents a group writes together, kept as versions: a save adds a version, never overwrites one.

A purpose, a set of ground rules, a list of words: each save is a new record, so the
older versions stay to look back on, and two people saving at once both keep their
words. Pure Python and pydantic (no store, widgets or pandas), so the agendas page, the
diary and the workshop room share one rule for "current", "saved meanwhile" and "time to
look again".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from pydantic import Field, field_validator

from cofacilitate.cards import Strict
from cofacilitate.people import MAX_PSEUDONYM
from cofacilitate.snapshots import Saved
from cofacilitate.words import join_words, long_date, tidy

MAX_NAMES = 60  # people named as agreeing one version
MAX_NAME = MAX_PSEUDONYM  # a name someone gave in "About you" always fits

T = TypeVar("T")


class VersionFields(Strict):
    """What every version of a shared document says besides its content: who agreed it,
    when to look at it again, and which version its writer started from."""

    agreed_by: list[str] = Field(default_factory=list)  # at most MAX_NAMES, checked below in words a person can act on
    review_on: str = Field(default="", max_length=10)  # an ISO date, or "" for no date
    based_on: str = Field(default="", max_length=64)  # the record id of the version on screen when editing began

    @field_validator("agreed_by")
    @classmethod
    def _names(cls, names: list[str]) -> list[str]:
        kept = [tidy(name) for name in names if tidy(name)]
        if len(kept) > MAX_NAMES:
            raise ValueError(f"please name at most {MAX_NAMES} people as agreeing one version")
        for name in kept:
            if len(name) > MAX_NAME:
                raise ValueError(f"please keep each name to {MAX_NAME} characters or fewer")
        return kept

    @field_validator("review_on")
    @classmethod
    def _a_date(cls, value: str) -> str:
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError("the date to look again is not a date this app can read") from None
        return value


def names_from(typed: str) -> list[str]:
    """Names typed with commas between them, tidied, each once, in the order typed."""
    seen: dict[str, None] = {}
    for name in typed.split(","):
        if tidy(name):
            seen.setdefault(tidy(name), None)
    return list(seen)


def current(history: Sequence[Saved[T]]) -> Saved[T] | None:
    """The newest version (histories are oldest first, as shelves are)."""
    return history[-1] if history else None


def saved_meanwhile(history: Sequence[Saved[T]], based_on: str) -> list[Saved[T]]:
    """Versions saved after the one a writer started from: someone else's words they have not seen.

    Starting from nothing (`based_on` is ""), every version is one they have not seen.
    A version that is not in the history (a restored file's) hides nothing.
    """
    if not based_on:
        return list(history)
    ids = [saved.record_id for saved in history]
    return list(history[ids.index(based_on) + 1:]) if based_on in ids else []


def review_reasons(review_on: str, today: date, newcomers: int) -> list[str]:
    """Why a group might look at a document again now, in plain words (none: no need yet)."""
    reasons = []
    if review_on and date.fromisoformat(review_on) <= today:
        reasons.append(f"the date you set to look at them again ({long_date(review_on)}) has come")
    if newcomers == 1:
        reasons.append("someone new has joined since they were agreed")
    elif newcomers > 1:
        reasons.append(f"{newcomers} new people have joined since they were agreed")
    return reasons


NOT_AGREED_YET = "Not agreed yet: no one is named as agreeing it."


def agreed_words(names: Sequence[str]) -> str:
    """Who agreed a version, only as saved: nobody is counted as agreeing unless their name was written down."""
    return f"Agreed by {join_words(list(names))}." if names else NOT_AGREED_YET

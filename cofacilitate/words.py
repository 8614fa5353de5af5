"""Plain-language helpers shared by every tool (no pandas, no widgets)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

UNREADABLE_TIME = "at a time we cannot read"
UNKNOWN_DATE = "an unknown date"


def _local(stamp: str) -> datetime | None:
    """A stored time in this computer's time zone; as stored (in UTC) when it is too near the calendar's
    ends to move (9999-12-31 is a day later in Berlin); None when it cannot be read at all."""
    try:
        when = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    try:
        return when.astimezone()
    except (OverflowError, OSError, ValueError):
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _day(when: date) -> str:
    """The one way a date is written on screen: '1 December 2026'."""
    return f"{when.day} {when.strftime('%B')} {when.year}"


def when_words(stamp: str) -> str:
    """A stored time as a person reads it ('1 December 2026, 14:05'), in this computer's time zone.

    Never raises: a page shows whatever time a file holds, however odd.
    """
    when = _local(stamp)
    return f"{_day(when)}, {when.hour:02d}:{when.minute:02d}" if when else UNREADABLE_TIME


def day_words(stamp: str) -> str:
    """The day of a stored time ('1 December 2026'), in this computer's time zone; never raises."""
    when = _local(stamp)
    return _day(when) if when else UNKNOWN_DATE


def tidy(text: str) -> str:
    """Typed text with its spaces squashed: how names are compared and stored."""
    return " ".join(text.split())


def join_words(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def long_date(iso: str) -> str:
    """'1 March 2027' from '2027-03-01'; 'an unknown date' for anything else (never raises)."""
    try:
        return _day(date.fromisoformat(iso))
    except (TypeError, ValueError):
        return UNKNOWN_DATE


def found_at_word_starts(words: list[str], text: str) -> list[str]:
    """Which of a card's words start a word in the text ("learn" finds "learning", not "unlearned").

    The one rule every tool uses to suggest a theme or a tag, so a person can check it by eye.
    """
    return [word for word in words if re.search(r"(?<!\w)" + re.escape(word), text, re.IGNORECASE)]

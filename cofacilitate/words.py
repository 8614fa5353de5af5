"""Plain-language helpers shared by every tool (no pandas, no widgets)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

UNREADABLE_TIME = "at a time we cannot read"
UNKNOWN_DATE = "an unknown date"
# In English whatever the computer's language, so every page writes a date one way.
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MAX_TYPED_DATE = 40  # characters in a typed date: "Wednesday the 30th of September 2026" fits
DATE_EXAMPLE = "23 November 2026 or 23/11/2026"


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
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


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


_MONTH_NUMBER = {**{name.lower(): n for n, name in enumerate(MONTHS, 1)},
                 **{name[:3].lower(): n for n, name in enumerate(MONTHS, 1)}, "sept": 9}
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?\s+)?(?:the\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH_NAME = r"(?P<name>[a-z]{3,9})\.?"
_YEAR = r"(?P<year>\d{4})"
_TYPED_DATES = [re.compile(pattern) for pattern in (
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})",  # 2026-12-01, as the app has always written it
    r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2})",  # 1/12/2026: the day first, as in the UK
    _WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH_NAME + r"\s+" + _YEAR,  # 1 December 2026, 1st of Dec 2026
    _WEEKDAY + _MONTH_NAME + r"\s+" + _DAY + r"\s+" + _YEAR,  # December 1, 2026
)]


def read_date(typed: str) -> str:
    """A date as people write it (1/12/2026 with the day first, 1 December 2026, 1 Dec 2026, 2026-12-01),
    as the ISO date the app keeps ('2026-12-01'). A date it cannot read raises ValueError saying how to write one.
    """
    text = tidy(str(typed).lower().replace(",", " "))
    found = next((match for pattern in _TYPED_DATES if (match := pattern.fullmatch(text))), None)
    if found is None:
        try:  # any other ISO form the app once kept ("20261201"), so an old entry still reads
            return date.fromisoformat(tidy(str(typed))).isoformat()
        except ValueError:
            raise ValueError(f"the date is not one this app can read (write it like {DATE_EXAMPLE})") from None
    parts = found.groupdict()
    month = _MONTH_NUMBER.get(parts["name"], 0) if parts.get("name") else int(parts["month"])
    if not 1 <= month <= 12:
        raise ValueError(f"the month in the date is not one this app knows (write it like {DATE_EXAMPLE})")
    year = int(parts["year"]) + (2000 if len(parts["year"]) == 2 else 0)  # 1/12/26 is in 2026
    if year < 1:
        raise ValueError(f"the year in the date is not one this app knows (write it like {DATE_EXAMPLE})")
    try:
        return date(year, month, int(parts["day"])).isoformat()
    except ValueError:
        raise ValueError(f"{MONTHS[month - 1]} {year} has no day {int(parts['day'])}") from None

"""Plain-language helpers shared by every tool (no pandas, no widgets)."""

from __future__ import annotations

import re
from datetime import date, datetime


def when_words(stamp: str) -> str:
    """A stored UTC time as a person reads it, in this computer's time zone."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d %b %Y, %H:%M")
    except (TypeError, ValueError):
        return "at a time we cannot read"


def tidy(text: str) -> str:
    """Typed text with its spaces squashed: how names are compared and stored."""
    return " ".join(text.split())


def join_words(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def long_date(iso: str) -> str:
    """'1 March 2027' from '2027-03-01'."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B %Y')}"


def found_at_word_starts(words: list[str], text: str) -> list[str]:
    """Which of a card's words start a word in the text ("learn" finds "learning", not "unlearned").

    The one rule every tool uses to suggest a theme or a tag, so a person can check it by eye.
    """
    return [word for word in words if re.search(r"(?<!\w)" + re.escape(word), text, re.IGNORECASE)]

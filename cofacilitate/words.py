"""Plain-language helpers shared by every tool (no pandas, no widgets)."""

from __future__ import annotations

from datetime import datetime


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

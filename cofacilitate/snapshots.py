"""Saved work as every tool sees it: a record's checked body, with who saved it and when.

Pure Python (no store, widgets or pandas), so models and analyses can share it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from cofacilitate.words import tidy

T = TypeVar("T")
DEFAULT_PROJECT = "My project"


class AboutAProject(Protocol):
    """What every tool's saved item says about itself: which project, which card."""

    project: str
    card: str


P = TypeVar("P", bound=AboutAProject)


class StoredRecord(Protocol):
    id: str
    created_at: str
    participant: str
    roles: tuple[str, ...]
    body: dict[str, Any]


@dataclass(frozen=True)
class Saved(Generic[T]):
    record_id: str
    saved_at: str
    pseudonym: str
    roles: tuple[str, ...]
    item: T


def saved_items(records: Iterable[StoredRecord], check: Callable[[dict[str, Any]], T]) -> list[Saved[T]]:
    """Records whose bodies pass their tool's check, oldest first.

    A record that no longer fits (say, its card was removed) stays in the store untouched;
    it is only left out of what the page shows.
    """
    found = []
    for record in records:
        try:
            item = check(record.body)
        except ValueError:
            continue
        found.append(Saved(record.id, record.created_at, record.participant, tuple(record.roles), item))
    return sorted(found, key=lambda saved: saved.saved_at)


def of_project(saved: Iterable[Saved[P]], project: str, card: str | None = None) -> list[Saved[P]]:
    """The saved items about one project (and, if given, made with one card)."""
    return [s for s in saved if s.item.project == project and (card is None or s.item.card == card)]


def project_name(typed: str) -> str:
    """Project names group saved work; a blank one still gets a name people can find."""
    return tidy(typed) or DEFAULT_PROJECT


def projects(saved: Iterable[Saved[P]]) -> list[str]:
    return sorted({s.item.project for s in saved})

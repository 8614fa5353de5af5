"""Saved work as every tool sees it: a record's checked body, with who saved it and when.

Pure Python (no store, widgets or pandas), so models and analyses can share it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from cofacilitate.cards import plain_problem
from cofacilitate.words import tidy, when_words

T = TypeVar("T")
DEFAULT_PROJECT = "My project"
MAX_PROJECT = 200  # characters in a project's name, in every tool's model


class AboutAProject(Protocol):
    """What every tool's saved item says about itself: which project, which card.

    Read-only members, so frozen dataclasses and frozen pydantic models fit it.
    """

    @property
    def project(self) -> str: ...

    @property
    def card(self) -> str: ...


P = TypeVar("P", bound=AboutAProject)


class StoredRecord(Protocol):
    """What a shelf reads from a record (read-only, so the store's frozen `Record` fits)."""

    @property
    def id(self) -> str: ...

    @property
    def created_at(self) -> str: ...

    @property
    def person(self) -> str: ...

    @property
    def participant(self) -> str: ...

    @property
    def roles(self) -> tuple[str, ...]: ...

    @property
    def body(self) -> dict[str, Any]: ...

    @property
    def problem(self) -> str:
        """Why the record cannot be used at all ("" when it can): it was damaged in the file."""
        ...


@dataclass(frozen=True)
class Saved(Generic[T]):
    record_id: str
    saved_at: str
    pseudonym: str
    roles: tuple[str, ...]
    item: T
    person: str = ""  # who saved it, to tell people apart in a group's view; never shown


@dataclass(frozen=True)
class Shelf(Generic[T]):
    """What a person has saved with one tool: what can be shown, and why the rest cannot."""

    items: list[Saved[T]]
    unreadable: list[str]


def shelve(records: Iterable[StoredRecord], check: Callable[[dict[str, Any]], T]) -> Shelf[T]:
    """Records whose bodies pass their tool's check, oldest first, and a reason for each that does not.

    A record that cannot be shown (a newer version's, or made with a card since removed)
    stays in the store untouched and goes into every download; the page says it is there.
    One damaged in the file is listed with its own reason, so one bad row never stops a page.
    """
    found, unreadable = [], []
    for record in records:
        if record.problem:
            unreadable.append(f"Saved {when_words(record.created_at)}: {record.problem}.")
            continue
        try:
            item = check(record.body)
        except ValueError as why:
            unreadable.append(f"Saved {when_words(record.created_at)}: {plain_problem(why)}. It is kept, and it is in "
                              "your downloads, so it comes back whole wherever you restore them.")
            continue
        found.append(Saved(record.id, record.created_at, record.participant, tuple(record.roles), item, record.person))
    return Shelf(sorted(found, key=lambda saved: saved.saved_at), unreadable)


def of_project(saved: Iterable[Saved[P]], project: str, card: str | None = None) -> list[Saved[P]]:
    """The saved items about one project (and, if given, made with one card)."""
    return [s for s in saved if s.item.project == project and (card is None or s.item.card == card)]


def project_name(typed: str) -> str:
    """Project names group saved work; a blank one still gets a name people can find."""
    return tidy(typed) or DEFAULT_PROJECT


def projects(saved: Iterable[Saved[P]]) -> list[str]:
    return sorted({s.item.project for s in saved})

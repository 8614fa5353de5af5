"""A session plan: a small YAML file a facilitator writes (`exercises/sessions/*.yaml`), checked like the cards.

The file names exercise cards by id, in order, with the minutes each part takes, breaks, and parts done
together with no app (a welcome, a closing round). Everything else (the room, the one-person workbook, the
worksheets, the guide) is made from one checked `Session`, so a plan that loads is a plan every one of them can use.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, model_validator

from cofacilitate.cards import (
    FAST_LOADER,
    SLUG,
    CardError,
    Catalogue,
    Strict,
    catalogue,
    checked,
    default_cards_dir,
    line_of,
    read_yaml,
)
from cofacilitate.tools import tool

WHAT = "session file"
PartKind = Literal["exercise", "talk", "break"]


class SessionError(CardError):
    """A session file that cannot be used, with every problem and its line."""


class Step(Strict):
    """One part of the session as written: an exercise (a card's id), a part spent talking, or a break."""

    exercise: str | None = Field(default=None, pattern=SLUG, max_length=60)
    talk: str | None = Field(default=None, min_length=1, max_length=200)
    rest: str | None = Field(default=None, alias="break", min_length=1, max_length=200)
    minutes: int = Field(ge=1, le=240)
    in_room: bool | None = None  # exercises only; left out: on in the room, except a private tool (taken home)
    opening: str = Field(default="", max_length=1500)  # what the facilitator says to open it (else the guide's words)
    closing: str = Field(default="", max_length=1500)
    watch_for: list[str] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def one_kind(self) -> Step:
        given = [name for name, value in (("exercise", self.exercise), ("talk", self.talk), ("break", self.rest)) if value]
        if len(given) != 1:
            raise ValueError("each step needs exactly one of 'exercise' (a card's id), 'talk' or 'break'")
        if self.in_room is not None and not self.exercise:
            raise ValueError("'in_room' is only for an exercise")
        return self


class SessionFile(Strict):
    """The whole file as written."""

    id: str = Field(pattern=SLUG, max_length=60)
    title: str = Field(min_length=1, max_length=120)
    duration_minutes: int = Field(ge=5, le=600)
    welcome: str = Field(min_length=1, max_length=2000)
    steps: list[Step] = Field(min_length=1, max_length=30)


@dataclass(frozen=True)
class Part:
    """One part of a checked session: what it is, when it starts (minutes from the start) and how long it takes."""

    kind: PartKind
    title: str
    minutes: int
    starts_at: int
    tool: str = ""  # for an exercise: its tool and card
    card: str = ""
    in_room: bool = False  # an exercise switched on in the room (else done on paper or at home)
    opening: str = ""
    closing: str = ""
    watch_for: tuple[str, ...] = ()

    @property
    def taken_home(self) -> bool:
        return self.kind == "exercise" and not self.in_room


@dataclass(frozen=True)
class Session:
    """A checked session plan, ready for a room, a workbook, worksheets and a guide."""

    id: str
    title: str
    welcome: str
    duration_minutes: int
    parts: tuple[Part, ...]
    source: str = field(default="", compare=False)  # the file it came from, for messages

    @property
    def exercises(self) -> tuple[Part, ...]:
        return tuple(part for part in self.parts if part.kind == "exercise")

    @property
    def room_tools(self) -> tuple[str, ...]:
        """The tools switched on in the room, in the plan's order."""
        return tuple(part.tool for part in self.exercises if part.in_room)

    def card_for(self, tool_id: str) -> str:
        """The card the session uses for a tool; "" when it does not use the tool."""
        return next((part.card for part in self.exercises if part.tool == tool_id), "")

    def to_json(self) -> str:
        """The plan as a room keeps it (the room follows it even if the file changes later)."""
        return json.dumps({"id": self.id, "title": self.title, "welcome": self.welcome,
                           "duration_minutes": self.duration_minutes, "parts": [asdict(part) for part in self.parts]})

    @classmethod
    def from_json(cls, text: str) -> Session:
        data = json.loads(text)
        parts = tuple(Part(**{**part, "watch_for": tuple(part.get("watch_for", ()))}) for part in data["parts"])
        return cls(str(data["id"]), str(data["title"]), str(data["welcome"]), int(data["duration_minutes"]), parts)


def sessions_dir() -> Path:
    """The shipped sessions: a folder beside the cards."""
    return default_cards_dir() / "sessions"


def session_paths(folder: Path | None = None) -> list[Path]:
    return sorted((folder or sessions_dir()).glob("*.yaml"))


def load_session(path: Path, cards: Catalogue | None = None) -> Session:
    """Read and check a session file against the cards there are; SessionError lists each problem with its line."""
    path = Path(path)
    try:
        text, data = read_yaml(path, WHAT)
        written = checked(path, text, data, SessionFile, WHAT)
    except SessionError:
        raise
    except CardError as err:
        raise SessionError(str(err)) from err
    found = cards or catalogue()
    tree = yaml.compose(text, Loader=FAST_LOADER)
    problems: list[tuple[list[Any], str]] = []
    parts: list[Part] = []
    starts_at = 0
    seen_tools: dict[str, int] = {}
    for position, step in enumerate(written.steps):
        where = ["steps", position]
        if step.exercise:
            card = found.card(step.exercise)
            if card is None:
                known = ", ".join(found.cards) or "none"
                problems.append(([*where, "exercise"], f"there is no exercise card with the id '{step.exercise}'. "
                                                       f"The cards are: {known}"))
                starts_at += step.minutes
                continue
            info = tool(card.tool)
            if card.tool in seen_tools:
                problems.append(([*where, "exercise"], f"“{info.title}” is already step {seen_tools[card.tool] + 1}; "
                                                       "a session uses each exercise once"))
            seen_tools.setdefault(card.tool, position)
            if step.in_room and not info.in_rooms:
                problems.append(([*where, "in_room"], f"“{info.title}” is private, so it cannot be used in a room. "
                                                      "Leave out 'in_room': it is then taken home"))
            in_room = info.in_rooms if step.in_room is None else step.in_room and info.in_rooms
            parts.append(Part("exercise", card.title, step.minutes, starts_at, card.tool, card.id, in_room,
                              step.opening, step.closing, tuple(step.watch_for)))
        else:
            kind: PartKind = "talk" if step.talk else "break"
            parts.append(Part(kind, str(step.talk or step.rest), step.minutes, starts_at, opening=step.opening,
                              closing=step.closing, watch_for=tuple(step.watch_for)))
        starts_at += step.minutes
    if not any(step.exercise for step in written.steps):
        problems.append((["steps"], "a session needs at least one step with an exercise"))
    if starts_at != written.duration_minutes:
        problems.append((["duration_minutes"], f"the steps add up to {starts_at} minutes, but the session is "
                                               f"{written.duration_minutes} minutes. Please make them match"))
    if problems:
        lines = [f"The {WHAT} {path} has {len(problems)} problem(s):"]
        lines += [f"- line {line_of(tree, location)}, field '{' > '.join(map(str, location))}': {message}."
                  for location, message in problems]
        raise SessionError("\n".join(lines))
    return Session(written.id, written.title, written.welcome, written.duration_minutes, tuple(parts), str(path))

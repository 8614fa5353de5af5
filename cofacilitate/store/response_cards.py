"""Response cards: one person's answers as a JSON file they keep, carry or share.

An uploaded card is checked whole before anything is stored, and refused in plain words.
A body that is sound but not readable by this copy (a newer version, a card we lack) is
kept as it is, so a backup made anywhere restores whole anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from cofacilitate import __version__
from cofacilitate.bodies import NotReadableHere
from cofacilitate.cards import plain_problem
from cofacilitate.store.records import RECORD_VERSION, Record, likely_stamp, now_iso
from cofacilitate.store.safe_json import UnusableJson, loads

CARD_FORMAT = "cofacilitate-response-card"
CARD_VERSION = 1
MAX_CARD_BYTES = 2_000_000
MAX_CARD_SIZE_WORDS = "2 MB"
MAX_RECORDS_PER_CARD = 2000
MAX_TEXT = 20_000

BodyCheck = Callable[[dict[str, Any]], Any]
# A stamp the app can sort, compare and show later, from a time anything could have been saved; kept in UTC.
Stamp = Annotated[str, Field(max_length=40), AfterValidator(likely_stamp)]


class ImportRefused(ValueError):
    """An uploaded response card was refused; nothing was stored."""


class CardRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: str = Field(pattern=r"^[A-Za-z0-9-]{8,64}$")
    tool: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    schema_version: int = Field(ge=1, le=RECORD_VERSION)
    room: str = Field(max_length=120)
    participant: str = Field(max_length=200)
    roles: list[Annotated[str, Field(max_length=200)]] = Field(max_length=20)
    created_at: Stamp
    updated_at: Stamp
    body: dict[str, Any]


class ResponseCard(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    format: str
    schema_version: int
    app_version: str = Field(max_length=40)
    tool: str = Field(max_length=40)
    exported_at: str = Field(max_length=40)
    records: list[CardRecord] = Field(max_length=MAX_RECORDS_PER_CARD)


@dataclass(frozen=True)
class ImportReport:
    added: int
    already_here: int
    projects: tuple[str, ...] = ()  # what the card's answers are about, in the card's order, once each

    def sentence(self) -> str:
        """What a restore did, in plain words."""
        sets = "1 saved set of answers was" if self.added == 1 else f"{self.added} saved sets of answers were"
        done = f"{sets} brought back." if self.added else "Nothing new was added."
        if self.already_here:
            done += " 1 set was already here, so it was left as it was." if self.already_here == 1 else (
                f" {self.already_here} sets were already here, so they were left as they were.")
        return done


def card_bytes(tool: str, records: Iterable[Record]) -> bytes:
    """A response card of every record whose words can be read.

    A record damaged in the file is left out: its words cannot be read, so they cannot be
    written into a card. It stays in the file untouched, and the page names it.
    """
    card = {
        "format": CARD_FORMAT, "schema_version": CARD_VERSION, "app_version": __version__,
        "tool": tool, "exported_at": now_iso(), "records": [r.as_json() for r in records if not r.problem],
    }
    return json.dumps(card, indent=2, ensure_ascii=False).encode("utf-8")


def read_response_card(data: bytes, tool: str, check_body: BodyCheck) -> ResponseCard:
    """Check an uploaded card completely before anything is stored; say what is wrong."""
    if len(data) > MAX_CARD_BYTES:
        raise ImportRefused(
            f"This file is too big to be a response card ({len(data) / 1_000_000:.1f} MB). "
            f"Response cards are at most {MAX_CARD_SIZE_WORDS}. Nothing was changed."
        )
    try:
        raw = loads(data.decode("utf-8"))
    except UnusableJson as why:
        raise ImportRefused(f"This response card could not be used: {why}. Nothing was changed.") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportRefused(
            "This file is not a response card: it is not the kind of text file (JSON) this app saves. "
            "Nothing was changed."
        ) from None
    if not isinstance(raw, dict) or raw.get("format") != CARD_FORMAT:
        raise ImportRefused("This file is not a cofacilitate response card. Nothing was changed.")
    if raw.get("tool") != tool:
        raise ImportRefused(
            f"This response card belongs to another exercise ('{str(raw.get('tool'))[:40]}'), not this one. "
            "Open that exercise to restore it. Nothing was changed."
        )
    if _newer(raw.get("schema_version"), CARD_VERSION) or any(
            isinstance(item, dict) and _newer(item.get("schema_version"), RECORD_VERSION) for item in _items(raw)):
        raise ImportRefused(
            "This response card was made by a newer version of cofacilitate. "
            "Please update the app, then try again. Nothing was changed."
        )
    try:
        card = ResponseCard.model_validate(raw)
        for position, item in enumerate(card.records, start=1):
            if item.tool != tool:
                raise ValueError(f"set of answers number {position} is from another exercise")
            _check_text_sizes(item.body)
            with suppress(NotReadableHere):  # sound, just not for this copy: kept as it is
                check_body(item.body)
    except (ValidationError, ValueError) as err:
        detail = plain_problem(err)
        raise ImportRefused(f"This response card could not be used: {detail}. Nothing was changed.") from None
    return card


def _newer(version: object, ours: int) -> bool:
    return isinstance(version, int) and not isinstance(version, bool) and version > ours


def _items(raw: dict[str, Any]) -> list[Any]:
    records = raw.get("records")
    return records if isinstance(records, list) else []


def _check_text_sizes(value: Any, depth: int = 0) -> None:
    """Bodies are checked by their tool; this guards against absurd nesting and text."""
    if depth > 8:
        raise ValueError("it is nested more deeply than any answer set can be")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ValueError(f"one piece of text is longer than {MAX_TEXT:,} characters")
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        _check_text_sizes(child, depth + 1)

"""Answers that reach a room without its server: response cards people downloaded, and paper answers typed in.

Each card becomes one person of the room, made from the card's own record ids, so the same card
added twice is the same person with the same records: it counts once. Who they are comes from the
card (the name and roles its writer gave), never from the facilitator's guess.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from cofacilitate.agendas.model import AgendasVocabulary, shared_part
from cofacilitate.agendas.model import check_body as check_agendas
from cofacilitate.ladder.model import LadderVocabulary
from cofacilitate.ladder.model import check_body as check_ladder
from cofacilitate.powermap.model import PowerMapVocabulary
from cofacilitate.powermap.model import check_body as check_powermap
from cofacilitate.store import ImportRefused, ImportReport, Owner, Workspace, read_response_card
from cofacilitate.store.rooms import RoomRow
from cofacilitate.workshop.overview import first_card_vocabulary

CHECKS: dict[str, tuple[type, Callable[[dict[str, Any], dict[str, Any]], Any]]] = {
    "ladder": (LadderVocabulary, check_ladder), "powermap": (PowerMapVocabulary, check_powermap),
    "agendas": (AgendasVocabulary, check_agendas),
}
NOT_FOR_THIS_ROOM = ("That file is not answers to an exercise this room uses ({tools}). "
                     "Nothing was added.")


def card_tool(data: bytes) -> str:
    """The exercise a response card says it holds ("" when it says none we can read)."""
    try:
        found = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return ""
    return str(found.get("tool", "")) if isinstance(found, dict) else ""


def checker(tool_id: str) -> Callable[[dict[str, Any]], Any]:
    vocabulary_type, check = CHECKS[tool_id]
    _, _, vocabularies = first_card_vocabulary(tool_id, vocabulary_type)
    return lambda body: check(body, vocabularies)


def add_card(store: Workspace, room: RoomRow, data: bytes) -> tuple[ImportReport, str]:
    """Add a response card's answers to the room as its writer's own; refuses (ImportRefused) whole or not at all."""
    tool_id = card_tool(data)
    if tool_id not in room.tools or tool_id not in CHECKS:
        raise ImportRefused(NOT_FOR_THIS_ROOM.format(tools=", ".join(room.tools)))
    check = checker(tool_id)
    card = read_response_card(data, tool_id, check)
    ids = "/".join(sorted(item.id for item in card.records))
    person_id = hashlib.sha256(f"cofacilitate-room-card:{room.id}:{ids}".encode()).hexdigest()[:32]
    first = card.records[0]
    store.person_with_id(person_id, room.id)
    store.update_person(person_id, first.participant[:200], [role for role in first.roles if isinstance(role, str)])
    share = shared_part if tool_id == "agendas" else None
    return store.import_card(data, tool_id, check, Owner(person_id, room.id), share), tool_id

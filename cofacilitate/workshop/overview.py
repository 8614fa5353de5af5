"""The room's results, worked out once from the store: what the dashboard shows and what participants see.

The dashboard calls `room_overview` on every refresh; it reads each person's latest answer in the
room (a shared part only, for agendas), splits people by the roles they gave, and renders each
exercise's view. Participants' pages never run this: after a reveal they show the stored view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cofacilitate.agendas.model import Agenda, AgendasVocabulary
from cofacilitate.agendas.model import check_body as check_agendas
from cofacilitate.cards import load_cards
from cofacilitate.ladder.model import Assessment, LadderVocabulary
from cofacilitate.ladder.model import check_body as check_ladder
from cofacilitate.powermap.model import PowerMap, PowerMapVocabulary
from cofacilitate.powermap.model import check_body as check_powermap
from cofacilitate.snapshots import Saved, shelve
from cofacilitate.store import Record, Workspace
from cofacilitate.store.rooms import RoomRow, hidden_answers
from cofacilitate.tools import tool
from cofacilitate.workshop import render
from cofacilitate.workshop.agendas_results import AgendaResults, agendas_results, hideable_answers
from cofacilitate.workshop.following import room_session
from cofacilitate.workshop.groups import RoleSplit, split_by_role
from cofacilitate.workshop.ladder_results import LadderResults, ladder_results
from cofacilitate.workshop.powermap_results import PowerMapResults, powermap_results
from cofacilitate.workshop.results import RoomCounts, latest_per_person, room_counts


@dataclass(frozen=True)
class Overview:
    """Everything the dashboard shows after one look at the store."""

    split: RoleSplit
    counts: RoomCounts
    counts_html: str
    views: dict[str, dict[str, str]]  # tool -> {"html", "sentence"}: what participants see once revealed
    hideable: list[tuple[str, str, bool]] = field(default_factory=list)  # (answer key, its words, hidden now)
    ladder: LadderResults | None = None
    powermap: PowerMapResults | None = None
    agendas: AgendaResults | None = None
    agreed: list[Saved[Any]] = field(default_factory=list)  # the newest purpose, ground rules and words, for the report


def first_card_vocabulary(tool_id: str, vocabulary_type: type, card: str = "") -> tuple[str, Any, dict[str, Any]]:
    """The card a room uses (its session's, else the tool's first, as its pages do), and every card's vocabulary
    for checking."""
    cards: dict[str, Any] = load_cards(tool_id, vocabulary_type)[0]
    if not cards:
        raise ValueError(f"no card for {tool_id} can be used")
    first = cards.get(card) or next(iter(cards.values()))
    return first.id, first.vocabulary, {card_id: card.vocabulary for card_id, card in cards.items()}


def latest_checked(records: list[Record], card: str, check: Callable[[dict[str, Any]], Any], kind: type) -> list[Saved[Any]]:
    """Each person's newest readable answer of one kind, on the room's card (others are left out, never mixed in)."""
    items = shelve(latest_per_person(records), check).items
    return [saved for saved in items if isinstance(saved.item, kind) and getattr(saved.item, "card", card) == card]


def room_overview(store: Workspace, room: RoomRow) -> Overview:
    """The room's counts and every switched-on exercise's results, as the dashboard shows them."""
    people = {person.id: person.roles for person in store.room_people(room.id)}
    split = split_by_role(people, room.threshold)
    answered: dict[str, list[str]] = {}
    found: dict[str, Any] = {}
    hideable: list[tuple[str, str, bool]] = []
    agreed: list[Saved[Any]] = []
    following = room_session(store, room.id)
    session_cards = {tool_id: following.session.card_for(tool_id) for tool_id in room.tools} if following else {}
    if "ladder" in room.tools:
        card, vocabulary, vocabularies = first_card_vocabulary("ladder", LadderVocabulary, session_cards.get("ladder", ""))
        saved = latest_checked(store.room_records("ladder", room.id), card, lambda b: check_ladder(b, vocabularies),
                               Assessment)
        answered["ladder"] = [s.person for s in saved]
        found["ladder"] = ladder_results([(s.person, s.item) for s in saved], vocabulary, split)
    if "powermap" in room.tools:
        card, vocabulary, vocabularies = first_card_vocabulary("powermap", PowerMapVocabulary,
                                                               session_cards.get("powermap", ""))
        saved = latest_checked(store.room_records("powermap", room.id), card, lambda b: check_powermap(b, vocabularies),
                               PowerMap)
        answered["powermap"] = [s.person for s in saved]
        found["powermap"] = powermap_results([(s.person, s.item) for s in saved], vocabulary, split, room.groups)
    if "agendas" in room.tools:
        card, vocabulary, vocabularies = first_card_vocabulary("agendas", AgendasVocabulary,
                                                               session_cards.get("agendas", ""))
        shared = store.shared_records("agendas", room.id)
        hidden = hidden_answers(store.backend, room.id)
        saved = latest_checked(shared, card, lambda b: check_agendas(b, vocabularies), Agenda)
        answered["agendas"] = [s.person for s in saved]
        hideable = [(key, answer.text or ", ".join(answer.chosen), key in hidden) for key, answer in hideable_answers(saved)]
        found["agendas"] = agendas_results(saved, vocabulary, split, hidden)
        items = shelve(shared, lambda b: check_agendas(b, vocabularies)).items
        for kind in ("purpose", "rules", "dictionary"):
            versions = [s for s in items if getattr(s.item, "kind", "") == kind]
            agreed += versions[-1:]
    counts = room_counts(split, answered, {tool_id: tool(tool_id).title for tool_id in answered})
    return Overview(split, counts, render.counts_view(counts, split.groups),
                    render.participant_views(found.get("ladder"), found.get("powermap"), found.get("agendas")),
                    hideable, found.get("ladder"), found.get("powermap"), found.get("agendas"), agreed)

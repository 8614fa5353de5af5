"""Every tool's saved body starts with one shared header (kind, version, card, project), checked once in the kit.

Lifting the header must not change what is stored: a body written before reads back to the same JSON.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from cofacilitate.agendas.model import Agenda, AgendasVocabulary, Dictionary, Purpose, Rules
from cofacilitate.agendas.model import check_body as agendas_body
from cofacilitate.bodies import ToolBody
from cofacilitate.cards import first_unknown, load_cards, once_each
from cofacilitate.diary.model import DiaryEntry, DiaryVocabulary
from cofacilitate.diary.model import check_body as diary_body
from cofacilitate.ladder.model import Assessment, LadderVocabulary
from cofacilitate.ladder.model import check_body as ladder_body
from cofacilitate.powermap.model import PowerMap, PowerMapVocabulary
from cofacilitate.powermap.model import check_body as powermap_body
from cofacilitate.snapshots import MAX_PROJECT

BODIES = [Assessment, PowerMap, DiaryEntry, Agenda, Purpose, Rules, Dictionary]


VOCABULARY = {"ladder": LadderVocabulary, "powermap": PowerMapVocabulary, "diary": DiaryVocabulary,
              "agendas": AgendasVocabulary}


def vocabularies(tool_id: str) -> dict[str, Any]:
    return {card_id: card.vocabulary for card_id, card in load_cards(tool_id, VOCABULARY[tool_id])[0].items()}


# Bodies as the app wrote them before the header was shared: they must read back unchanged.
OLD_BODIES: dict[str, tuple[Any, dict[str, Any]]] = {
    "ladder": (ladder_body, {"kind": "ladder-assessment", "version": 1, "card": "ladder", "project": "Memory study",
                             "answers": [{"stage": "idea", "now": "informing", "aim": "co-production", "climb": "Pay"}],
                             "why_moved": ""}),
    "powermap": (powermap_body, {
        "kind": "power-map", "version": 1, "card": "powermap", "project": "Memory study",
        "stakeholders": [{"label": "Ward managers", "group": "managers", "own_group": "", "in_room": True,
                          "influence": 3, "involvement": 2}],
        "missing": [], "decisions": [],
        "reflection": {"power_types": [], "power_note": "", "spaces": [], "space_note": "", "change": ""}}),
    "diary": (diary_body, {
        "kind": "diary-entry", "version": 1, "card": "diary", "project": "Memory study", "entry": "a" * 32,
        "on": "2026-03-01", "occasion": "meeting", "prompt_set": "what-so-what", "answers": [], "took_out": 2,
        "safe": 4, "feelings": "", "tags": []}),
    "agendas": (agendas_body, {"agreed_by": ["Ann"], "review_on": "2027-03-01", "based_on": "", "version": 1,
                               "card": "agendas", "project": "Memory study", "kind": "rules",
                               "rules": [{"id": "listen", "text": "We listen.", "keep": True}]}),
}


@pytest.mark.parametrize("model", BODIES, ids=[model.__name__ for model in BODIES])
def test_every_tools_body_shares_the_kits_one_header(model: type) -> None:
    assert issubclass(model, ToolBody)
    assert not {"card", "project"} & set(model.__annotations__), "the header is declared once, in the kit"
    assert {"kind", "version", "card", "project"} <= set(model.model_fields)


def fitting_body(tool_id: str) -> dict[str, Any]:
    body = OLD_BODIES[tool_id][1]
    if tool_id == "powermap":  # the shipped card's first group, whatever it is called
        group = next(iter(vocabularies("powermap").values())).groups[0].id
        body = {**body, "stakeholders": [{**body["stakeholders"][0], "group": group}]}
    if tool_id == "diary":
        vocabulary = vocabularies("diary")["diary"]
        body = {**body, "occasion": vocabulary.occasions[0].id, "prompt_set": vocabulary.prompt_sets[0].id}
    return body


@pytest.mark.parametrize("tool_id", list(OLD_BODIES))
def test_a_body_saved_before_the_header_was_shared_reads_back_as_it_was(tool_id: str) -> None:
    check, _ = OLD_BODIES[tool_id]
    body = fitting_body(tool_id)

    item = check(body, vocabularies(tool_id))

    assert item.model_dump(mode="json") == body


@pytest.mark.parametrize("tool_id", list(OLD_BODIES))
@pytest.mark.parametrize(("field", "value"), [("card", "Not A Slug"), ("project", ""), ("project", "x" * (MAX_PROJECT + 1))])
def test_the_shared_header_is_checked_for_every_tool(tool_id: str, field: str, value: str) -> None:
    check, _ = OLD_BODIES[tool_id]
    with pytest.raises(ValidationError) as caught:
        check({**fitting_body(tool_id), field: value}, vocabularies(tool_id))
    assert field in str(caught.value)


def test_a_body_the_card_does_not_shape_has_nothing_to_refuse() -> None:
    purpose = Purpose(card="agendas", project="Memory study", text="To make leaving hospital safer.")
    assert purpose.check_against(object()) is purpose


def test_the_first_unknown_choice_is_always_the_same_one() -> None:
    assert first_unknown(["zebra", "apple", "known"], ["known"]) == "apple"
    assert first_unknown(["known"], iter(["known"])) == ""


def test_a_key_listed_twice_is_refused_in_the_tools_own_words() -> None:
    once_each(["a", "b"], "each rule may be listed only once")
    with pytest.raises(ValueError, match="each rule may be listed only once"):
        once_each(["a", "a"], "each rule may be listed only once")

"""A refusal says what the person can do, in our words, never a library's (issue 15, point 18).

pydantic's own wording ("String should have at most 1000 characters", "Input should be a
valid string", "Field required", field names such as `why_moved`) must never reach a page.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from cofacilitate.agendas.model import MAX_PURPOSE, MAX_RULE, MAX_RULES, Purpose, Rule, Rules
from cofacilitate.bodies import ToolBody
from cofacilitate.cards import plain_problem, problem_sentence
from cofacilitate.diary.model import MAX_ANSWER, DiaryEntry
from cofacilitate.ladder.model import Assessment, StageAnswer
from cofacilitate.powermap.model import PowerMap
from cofacilitate.snapshots import MAX_PROJECT
from cofacilitate.store import DB_NAME, Owner, Workspace, new_id
from tests.conftest import shown
from tests.pages import Pages

LIBRARY = re.compile(r"should|Input|Field required|Extra inputs|String|[a-z]_[a-z]|\bloc\b| > ")


def refusal(model: type[BaseModel], **fields: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        model(**fields)
    return caught.value


HEADER = {"card": "diary", "project": "Stroke ward study"}
ENTRY = {**HEADER, "entry": "a" * 32, "on": "2026-03-01", "occasion": "meeting", "prompt_set": "gibbs"}


@pytest.mark.parametrize(("made", "said"), [
    (lambda: refusal(DiaryEntry, **ENTRY, answers=[{"prompt": "description", "text": "x" * (MAX_ANSWER + 1)}]),
     "The answer is longer than the 10,000 characters it can hold. Please shorten it."),
    (lambda: refusal(Purpose, card="agendas", project="Study", text="x" * (MAX_PURPOSE + 1)),
     "The answer is longer than the 1,000 characters it can hold. Please shorten it."),
    (lambda: refusal(Rules, card="agendas", project="Study", rules=[{"id": "own-1", "text": "x" * (MAX_RULE + 1)}]),
     "The rule is longer than the 300 characters it can hold. Please shorten it."),
    (lambda: refusal(Rules, card="agendas", project="Study",
                     rules=[Rule(id=f"own-{n}", text="We listen.") for n in range(MAX_RULES + 1)]),
     "The list of rules has more than the 60 items it can hold. Please take some out."),
    (lambda: refusal(Assessment, card="ladder", project=""), "The project's name is empty. Please fill it in."),
    (lambda: refusal(Assessment, card="ladder", project="x" * (MAX_PROJECT + 1)),
     "The project's name is longer than the 200 characters it can hold. Please shorten it."),
    (lambda: refusal(Assessment, project="Study"), "The name of its exercise card is missing. Please fill it in."),
    (lambda: refusal(DiaryEntry, **ENTRY, took_out=9), "How much it took out of you is more than 5, the most it can be."),
    (lambda: refusal(StageAnswer, stage="Not A Slug"), "The stage is not written in a form this app can use."),
])
def test_a_refusal_at_the_form_is_a_plain_sentence_with_what_to_do(made: Any, said: str) -> None:
    assert problem_sentence(made()) == said


def test_our_own_words_pass_through_as_a_sentence() -> None:
    err = refusal(PowerMap, card="powermap", project="Study",
                  decisions=[{"decision": "money", "label": "Money"}, {"decision": "money", "label": "Money"}])
    assert problem_sentence(err) == "Each decision may appear only once."
    assert problem_sentence(ValueError("please write the purpose first")) == "Please write the purpose first."


def string_fields(model: type[BaseModel]) -> list[tuple[str, int]]:
    """(name, max_length) of each text field of a body model that has a limit."""
    found = []
    for name, info in model.model_fields.items():
        limits = [getattr(m, "max_length", None) for m in info.metadata]
        if info.annotation is str and any(limits):
            found.append((name, next(limit for limit in limits if limit)))
    return found


BODY_MODELS = [Assessment, PowerMap, DiaryEntry, Purpose, Rules]
VALID = {Assessment: {"card": "ladder"}, PowerMap: {"card": "powermap"}, DiaryEntry: ENTRY,
         Purpose: {"card": "agendas", "text": "Safer"}, Rules: {"card": "agendas"}}


@pytest.mark.parametrize("model", BODY_MODELS, ids=[m.__name__ for m in BODY_MODELS])
def test_no_box_of_any_body_refuses_in_a_librarys_words(model: type[ToolBody]) -> None:
    base = {"project": "Study", **VALID[model]}
    cases = [{name: "x" * (limit + 1)} for name, limit in string_fields(model)]
    cases += [{name: 42} for name, _ in string_fields(model)] + [{"project": ""}, {"version": 7}, {"secret": 1}]
    assert len(cases) > 4
    for change in cases:
        err = refusal(model, **{**base, **change})
        for said in (problem_sentence(err), plain_problem(err)):
            assert not LIBRARY.search(said), (change, said)


def test_a_damaged_saved_record_is_listed_in_our_words(home: Path) -> None:
    """A record whose project's name grew too long in the file: the page says why it cannot show it, plainly."""
    store = Workspace.open(home)
    body = {"kind": "ladder-assessment", "version": 1, "card": "ladder", "project": "My project", "answers": [],
            "why_moved": ""}
    record = store.save_record("ladder", body, owner=Owner(store.current_person().id), record_id=new_id())
    store.close()
    with sqlite3.connect(home / DB_NAME) as db:
        db.execute("UPDATE cofacilitate_records SET body = json_set(body, '$.why_moved', ?) WHERE id = ?",
                   ("x" * 5000, record.id))
    db.close()
    pages = Pages(home, "ladder")
    try:
        listed = shown(pages().saved_list)
    finally:
        pages.close()
    assert "the answer is longer than the 4,000 characters it can hold" in listed
    assert not LIBRARY.search(listed), listed

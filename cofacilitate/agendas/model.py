"""Naming agendas as data: the card's questions, themes, rules and words, and what people save.

A person's agenda is theirs: each answer says who may see it. The purpose, the ground
rules and the list of words belong to the group, so each save of them is a new version
(`cofacilitate.versions`). Pure Python and pydantic only.
"""

from __future__ import annotations

from typing import Any, Final, Literal, TypeAlias

from pydantic import Field, field_validator, model_validator

from cofacilitate.bodies import Migration, ToolBody, checked_body
from cofacilitate.cards import SLUG, Strict, Term, answered_once, first_unknown, once_each, unique_ids
from cofacilitate.people import MAX_PSEUDONYM
from cofacilitate.store.rooms import SharedPart
from cofacilitate.versions import VersionFields
from cofacilitate.words import tidy

TOOL = "agendas"
BODY_VERSION: Final = 1
MIGRATIONS: dict[int, Migration] = {}  # MIGRATIONS[n] takes a body from version n to n + 1
MAX_ANSWER = 2000  # characters in one answer
MAX_PURPOSE = 1000
MAX_RULE = 300
MAX_RULES = 60
MAX_TERM = 80
MAX_MEANING = 500
MAX_TERMS = 300
MAX_MEANINGS = 12  # meanings kept side by side for one word

PromptKind = Literal["hopes", "worries", "brings", "recognition", "needs"]
Share = Literal["private", "named", "anonymous"]
SHARE_OPTIONS: list[tuple[str, Share]] = [
    ("Only me", "private"),
    ("The group, with my name", "named"),
    ("The group, with no name", "anonymous"),
]


class Prompt(Term):
    """One question about a person's agenda, with a sentence of help and an example answer."""

    help: str = Field(default="", max_length=300)
    example: str = Field(default="", max_length=300)
    kind: PromptKind
    choices: list[Term] = Field(default_factory=list, max_length=12)

    @field_validator("choices")
    @classmethod
    def _choices_unique(cls, choices: list[Term]) -> list[Term]:
        return unique_ids(choices, "Choice")


class Theme(Term):
    """A thread the wall looks for: an answer touches it when one of its words starts a word in the answer."""

    words: list[str] = Field(min_length=1, max_length=40)

    @field_validator("words")
    @classmethod
    def _lower(cls, words: list[str]) -> list[str]:
        return [word.lower() for word in words if word.strip()]


class AgendasVocabulary(Strict):
    """What an agendas card must define."""

    prompts: list[Prompt] = Field(min_length=1, max_length=20)
    themes: list[Theme] = Field(default_factory=list, max_length=60)
    ground_rules: list[Term] = Field(default_factory=list, max_length=40)
    terms: list[Term] = Field(default_factory=list, max_length=100)

    @field_validator("prompts", "themes", "ground_rules", "terms")
    @classmethod
    def _ids_unique(cls, items: list[Any]) -> list[Any]:
        return unique_ids(items, "Item")

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((prompt for prompt in self.prompts if prompt.id == prompt_id), None)


class Answer(Strict):
    """One answer to one question, and who may see it (nobody but its writer, unless they say)."""

    prompt: str = Field(pattern=SLUG, max_length=60)
    text: str = Field(default="", max_length=MAX_ANSWER)
    chosen: list[str] = Field(default_factory=list, max_length=12)
    share: Share = "private"

    @property
    def said(self) -> bool:
        return bool(self.text.strip() or self.chosen)


class Agenda(ToolBody):
    """One person's agenda for one project."""

    kind: Literal["agenda"] = "agenda"
    version: Literal[1] = BODY_VERSION
    answers: list[Answer] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _one_answer_per_prompt(self) -> Agenda:
        answered_once([answer.prompt for answer in self.answers], "question")
        return self

    def check_against(self, vocabulary: AgendasVocabulary) -> Agenda:
        for answer in self.answers:
            prompt = vocabulary.prompt(answer.prompt)
            if prompt is None:
                raise ValueError(f"the question '{answer.prompt}' is not on the card '{self.card}'")
            if unknown := first_unknown(answer.chosen, (choice.id for choice in prompt.choices)):
                raise ValueError(f"'{unknown}' is not a choice for the question '{answer.prompt}'")
        return self

    def answer_for(self, prompt_id: str) -> Answer:
        return next((a for a in self.answers if a.prompt == prompt_id), Answer(prompt=prompt_id))

    @property
    def said_anything(self) -> bool:
        return any(answer.said for answer in self.answers)


class GroupDocument(ToolBody, VersionFields):
    """What every version of a group's document holds besides its content; the card does not shape it."""

    version: Literal[1] = BODY_VERSION


class Purpose(GroupDocument):
    """One version of the group's shared purpose: one or two sentences."""

    kind: Literal["purpose"] = "purpose"
    text: str = Field(min_length=1, max_length=MAX_PURPOSE)


class Rule(Strict):
    """A ground rule: from the card (its id) or the group's own (an id made when added)."""

    id: str = Field(pattern=SLUG, max_length=60)
    text: str = Field(min_length=1, max_length=MAX_RULE)
    keep: bool = True


class Rules(GroupDocument):
    """One version of the ground rules: each kept, changed or dropped, with a date to look again."""

    kind: Literal["rules"] = "rules"
    rules: list[Rule] = Field(default_factory=list, max_length=MAX_RULES)

    @field_validator("rules")
    @classmethod
    def _rules_unique(cls, rules: list[Rule]) -> list[Rule]:
        once_each([rule.id for rule in rules], "each rule may be listed only once")
        return rules

    @property
    def kept(self) -> list[Rule]:
        return [rule for rule in self.rules if rule.keep]


class Meaning(Strict):
    text: str = Field(min_length=1, max_length=MAX_MEANING)
    by: str = Field(default="", max_length=MAX_PSEUDONYM)  # who suggested it ("" for the card's or someone with no name)


class Entry(Strict):
    """A word the project uses, every meaning suggested for it, and which one the group agrees (if any)."""

    id: str = Field(pattern=SLUG, max_length=60)
    term: str = Field(min_length=1, max_length=MAX_TERM)
    meanings: list[Meaning] = Field(default_factory=list, max_length=MAX_MEANINGS)
    agreed: int | None = None  # the position of the agreed meaning; None while the group does not agree

    @model_validator(mode="after")
    def _agreed_exists(self) -> Entry:
        if self.agreed is not None and not 0 <= self.agreed < len(self.meanings):
            raise ValueError(f"the agreed meaning of '{self.term}' is not one of its meanings")
        return self


class Dictionary(GroupDocument):
    """One version of the group's list of words and their plain meanings."""

    kind: Literal["dictionary"] = "dictionary"
    entries: list[Entry] = Field(default_factory=list, max_length=MAX_TERMS)

    @field_validator("entries")
    @classmethod
    def _entries_unique(cls, entries: list[Entry]) -> list[Entry]:
        terms = [tidy(entry.term).lower() for entry in entries]
        if len(terms) != len(set(terms)) or len({entry.id for entry in entries}) != len(entries):
            raise ValueError("each word may be listed only once")
        return entries


Shared: TypeAlias = Purpose | Rules | Dictionary
AgendasBody: TypeAlias = Agenda | Purpose | Rules | Dictionary
BODY_KINDS: dict[str, type[AgendasBody]] = {"agenda": Agenda, "purpose": Purpose, "rules": Rules, "dictionary": Dictionary}


def check_body(body: dict[str, Any], vocabularies: dict[str, AgendasVocabulary]) -> AgendasBody:
    """Validate a stored or uploaded body (an agenda or a version of a shared document) against its card."""
    model = BODY_KINDS.get(str(body.get("kind")))
    if model is None:
        raise ValueError("it is not an agenda, a purpose, ground rules or a list of words")
    return checked_body(model, body, vocabularies, "card", BODY_VERSION, MIGRATIONS)


def shared_part(body: dict[str, Any], pseudonym: str) -> SharedPart:
    """What of a body the group may read: an agenda's shared answers (with the name only when one was shared
    named), or a group document whole (it belongs to the group)."""
    if body.get("kind") != "agenda":
        return SharedPart(body, pseudonym)
    shared = [answer for answer in body.get("answers", [])
              if isinstance(answer, dict) and answer.get("share") != "private"
              and (str(answer.get("text", "")).strip() or answer.get("chosen"))]
    named = any(answer.get("share") == "named" for answer in shared)
    return SharedPart({**body, "answers": shared} if shared else None, pseudonym if named else "")

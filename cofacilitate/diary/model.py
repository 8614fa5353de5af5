"""The reflective diary as data: the card's ways of writing, check-in, support and tags, and one entry.

An entry keeps one id through its edits: each save is a new record with that id, so an
edit never overwrites what was written before, and "delete" removes every version. Pure
Python and pydantic only.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import Field, field_validator, model_validator

from cofacilitate.bodies import Migration, ToolBody, checked_body
from cofacilitate.cards import SLUG, Strict, Term, answered_once, first_unknown, unique_ids
from cofacilitate.words import MAX_TYPED_DATE, read_date

TOOL = "diary"
BODY_VERSION: Final = 1
MIGRATIONS: dict[int, Migration] = {}  # MIGRATIONS[n] takes a body from version n to n + 1
MAX_ANSWER = 10_000  # characters in one answer: a long entry is welcome
MAX_FEELINGS = 2000
STEPS = 5  # each check-in scale has five steps, 1 to 5


class PromptSet(Term):
    """A way of writing: a few questions, each with a sentence of help (its `meaning`)."""

    prompts: list[Term] = Field(min_length=1, max_length=12)

    @field_validator("prompts")
    @classmethod
    def _prompts_unique(cls, prompts: list[Term]) -> list[Term]:
        return unique_ids(prompts, "Prompt")


class Scale(Strict):
    label: str = Field(min_length=1, max_length=120)
    steps: list[str] = Field(min_length=STEPS, max_length=STEPS)


class CheckIn(Strict):
    took_out: Scale
    safe: Scale


class Support(Strict):
    intro: str = Field(min_length=1, max_length=600)
    contacts: list[Term] = Field(min_length=1, max_length=12)


class Tag(Term):
    """A principle or standard; suggested when a word in an entry starts with one of its words."""

    group: Literal["principle", "standard"]
    words: list[str] = Field(default_factory=list, max_length=40)

    @field_validator("words")
    @classmethod
    def _lower(cls, words: list[str]) -> list[str]:
        return [word.lower().strip() for word in words if word.strip()]


class DiaryVocabulary(Strict):
    """What a diary card must define."""

    occasions: list[Term] = Field(min_length=1, max_length=12)
    prompt_sets: list[PromptSet] = Field(min_length=1, max_length=12)
    check_in: CheckIn
    high_load_from: int = Field(default=4, ge=1, le=STEPS)
    low_safety_to: int = Field(default=2, ge=1, le=STEPS)
    support: Support
    tags: list[Tag] = Field(default_factory=list, max_length=40)

    @field_validator("occasions", "prompt_sets", "tags")
    @classmethod
    def _ids_unique(cls, items: list[Any]) -> list[Any]:
        return unique_ids(items, "Item")

    def prompt_set(self, set_id: str) -> PromptSet | None:
        return next((found for found in self.prompt_sets if found.id == set_id), None)

    def tag(self, tag_id: str) -> Tag | None:
        return next((found for found in self.tags if found.id == tag_id), None)


class Answer(Strict):
    prompt: str = Field(pattern=SLUG, max_length=60)
    text: str = Field(default="", max_length=MAX_ANSWER)


class DiaryEntry(ToolBody):
    """One version of one entry, as stored in a record's body."""

    kind: Literal["diary-entry"] = "diary-entry"
    version: Literal[1] = BODY_VERSION
    entry: str = Field(pattern=r"^[0-9a-f]{32}$")  # the same through every edit
    on: str = Field(max_length=MAX_TYPED_DATE)  # the day it is about: typed as people write it, kept as ISO
    occasion: str = Field(pattern=SLUG, max_length=60)
    prompt_set: str = Field(pattern=SLUG, max_length=60)
    answers: list[Answer] = Field(default_factory=list, max_length=12)
    took_out: int | None = Field(default=None, ge=1, le=STEPS)
    safe: int | None = Field(default=None, ge=1, le=STEPS)
    feelings: str = Field(default="", max_length=MAX_FEELINGS)
    tags: list[str] = Field(default_factory=list, max_length=40)

    @field_validator("on")
    @classmethod
    def _a_day(cls, value: str) -> str:
        return read_date(value)

    @model_validator(mode="after")
    def _one_answer_per_prompt(self) -> DiaryEntry:
        answered_once([answer.prompt for answer in self.answers], "question")
        return self

    def check_against(self, vocabulary: DiaryVocabulary) -> DiaryEntry:
        chosen = vocabulary.prompt_set(self.prompt_set)
        if chosen is None:
            raise ValueError(f"the way of writing '{self.prompt_set}' is not on the card '{self.card}'")
        prompt_ids = {prompt.id for prompt in chosen.prompts}
        for answer in self.answers:
            if answer.prompt not in prompt_ids:
                raise ValueError(f"the question '{answer.prompt}' is not part of '{self.prompt_set}'")
        if self.occasion not in {occasion.id for occasion in vocabulary.occasions}:
            raise ValueError(f"'{self.occasion}' is not a kind of occasion on the card '{self.card}'")
        if unknown := first_unknown(self.tags, (tag.id for tag in vocabulary.tags)):
            raise ValueError(f"the tag '{unknown}' is not on the card '{self.card}'")
        return self

    def text_of(self, prompt_id: str) -> str:
        return next((answer.text for answer in self.answers if answer.prompt == prompt_id), "")

    @property
    def words(self) -> str:
        """Everything written in the entry, for searching and for suggesting tags."""
        return "\n".join([*(answer.text for answer in self.answers), self.feelings])


def check_body(body: dict[str, Any], vocabularies: dict[str, DiaryVocabulary]) -> DiaryEntry:
    """Validate a stored or uploaded entry against the diary card it names."""
    return checked_body(DiaryEntry, body, vocabularies, "diary card", BODY_VERSION, MIGRATIONS)

"""The ladder self-assessment as data: the card's vocabulary and one person's answers.

Pure Python and pydantic only (no widgets, no pandas), so every rule here is tested
without a browser and reused by the analysis, the import of response cards and the app.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from cofacilitate.bodies import Migration, ToolBody, checked_body
from cofacilitate.cards import SLUG, Strict, Term, answered_once, unique_ids

TOOL = "ladder"
BODY_VERSION: Final = 1
MIGRATIONS: dict[int, Migration] = {}  # MIGRATIONS[n] takes a body from version n to n + 1
MAX_TEXT = 4000

# Answers that are not a rung. Each is a real answer, never an error.
NOT_ANSWERED = ""
SPECIAL_ANSWERS: dict[str, str] = {
    "not-reached": "We have not reached this stage yet",
    "dont-know": "I don't know",
    "pass": "I'd rather not say",
}


class Band(Term):
    """A group of rungs, such as 'doing with'."""


class Rung(Term):
    """One rung; the card lists them bottom to top."""

    band: str = Field(pattern=SLUG)


class Stage(Term):
    """A stage of a research project where involvement can happen."""


class LadderVocabulary(Strict):
    """What a ladder card must define."""

    bands: list[Band] = Field(min_length=1, max_length=10)
    rungs: list[Rung] = Field(min_length=2, max_length=12)
    stages: list[Stage] = Field(min_length=1, max_length=20)

    @field_validator("bands")
    @classmethod
    def _bands_unique(cls, bands: list[Band]) -> list[Band]:
        return unique_ids(bands, "Band")

    @field_validator("stages")
    @classmethod
    def _stages_unique(cls, stages: list[Stage]) -> list[Stage]:
        return unique_ids(stages, "Stage")

    @field_validator("rungs")
    @classmethod
    def _rungs_sound(cls, rungs: list[Rung], info: ValidationInfo) -> list[Rung]:
        unique_ids(rungs, "Rung")
        band_ids = [band.id for band in info.data.get("bands", [])]
        for position, rung in enumerate(rungs, start=1):
            if rung.id in SPECIAL_ANSWERS:
                raise ValueError(f"rung number {position} uses the id '{rung.id}', which is kept for answers that are not a rung")
            if band_ids and rung.band not in band_ids:
                raise ValueError(
                    f"rung number {position} ('{rung.id}') is in band '{rung.band}', "
                    f"which is not one of the bands listed: {', '.join(band_ids)}"
                )
        return rungs

    def rung(self, rung_id: str) -> Rung | None:
        return next((rung for rung in self.rungs if rung.id == rung_id), None)

    def band(self, band_id: str) -> Band | None:
        return next((band for band in self.bands if band.id == band_id), None)

    def level(self, answer: str) -> int | None:
        """The rung's height, 1 at the bottom; None for an answer that is not a rung."""
        ids = [rung.id for rung in self.rungs]
        return ids.index(answer) + 1 if answer in ids else None

    def answer_label(self, answer: str) -> str:
        """How an answer reads to a person, for lists, tables and downloads."""
        rung = self.rung(answer)
        if rung:
            band = self.band(rung.band)
            return f"{rung.label} ({band.label.lower() if band else rung.band})"
        return SPECIAL_ANSWERS.get(answer, "Not answered")

    def answer_options(self) -> list[tuple[str, str]]:
        """Every choice for a 'where are we' question, top rung first, passes last."""
        options = [("Choose an answer (or leave it)", NOT_ANSWERED)]
        for height, rung in reversed(list(enumerate(self.rungs, start=1))):
            options.append((f"{height}. {self.answer_label(rung.id)}", rung.id))
        options += [(label, key) for key, label in SPECIAL_ANSWERS.items()]
        return options


class StageAnswer(Strict):
    """Where involvement is now and where we aim, for one stage."""

    stage: str = Field(pattern=SLUG, max_length=60)
    now: str = Field(default=NOT_ANSWERED, max_length=60)
    aim: str = Field(default=NOT_ANSWERED, max_length=60)
    climb: str = Field(default="", max_length=MAX_TEXT)


class Assessment(ToolBody):
    """One person's assessment of one project, as stored in a record's body."""

    kind: Literal["ladder-assessment"] = "ladder-assessment"
    version: Literal[1] = BODY_VERSION
    answers: list[StageAnswer] = Field(default_factory=list, max_length=40)
    why_moved: str = Field(default="", max_length=MAX_TEXT)

    @model_validator(mode="after")
    def _one_answer_per_stage(self) -> Assessment:
        answered_once([answer.stage for answer in self.answers], "stage")
        return self

    def check_against(self, vocabulary: LadderVocabulary) -> Assessment:
        """Refuse answers that name stages or rungs the card does not have."""
        stage_ids = {stage.id for stage in vocabulary.stages}
        allowed = {rung.id for rung in vocabulary.rungs} | set(SPECIAL_ANSWERS) | {NOT_ANSWERED}
        for answer in self.answers:
            if answer.stage not in stage_ids:
                raise ValueError(f"the stage '{answer.stage}' is not on the card '{self.card}'")
            for chosen in (answer.now, answer.aim):
                if chosen not in allowed:
                    raise ValueError(f"'{chosen}' is not a rung or answer on the card '{self.card}'")
        return self

    def answer_for(self, stage_id: str) -> StageAnswer:
        return next((a for a in self.answers if a.stage == stage_id), StageAnswer(stage=stage_id))

    @property
    def answered(self) -> int:
        """How many stages have any answer at all (passing counts as an answer)."""
        return sum(1 for a in self.answers if a.now or a.aim or a.climb)



def check_body(body: dict, vocabularies: dict[str, LadderVocabulary]) -> Assessment:
    """Validate a stored or uploaded body against the ladder card it names."""
    return checked_body(Assessment, body, vocabularies, "ladder", BODY_VERSION, MIGRATIONS)

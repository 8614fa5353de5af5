"""The room's ladder: for each stage and each shown group, the middle rung and the middle half of answers, now
and at the aim, and where two groups see a stage differently.

Answers that are not a rung (not reached yet, don't know, rather not say, or left blank) are never a
number: they count as "did not place this stage". A group's answer for a stage is shown only when
`threshold` or more of its people placed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Literal

from cofacilitate.ladder.model import Assessment, LadderVocabulary
from cofacilitate.workshop.groups import Group, RoleSplit
from cofacilitate.workshop.results import SafeCount, Spread, count_words, number_words, safe_count, spread_of, step_words

Measure = Literal["now", "aim"]
MEASURES: tuple[tuple[Measure, str], ...] = (("now", "Where it is now"), ("aim", "Where we aim"))
FOR_MEASURE = {"now": "for where it is now", "aim": "for where they aim"}
DIVERGENCE_RUNGS = 2  # two shown groups whose middles for a stage are this many rungs apart get a sentence
LIVED_EXPERIENCE = "public partners"
EXPLAINED = "public partners (lived experience)"


@dataclass(frozen=True)
class StageFigure:
    """One group's answers for one stage, now or at the aim."""

    stage: str
    group: str
    measure: Measure
    placed: SafeCount  # people in the group who chose a rung
    not_placed: SafeCount  # people in the group with an assessment who chose no rung for this stage
    spread: Spread | None  # None when fewer than `threshold` placed it


@dataclass(frozen=True)
class LadderResults:
    stages: tuple[tuple[str, str], ...]  # (id, words), the card's order
    rungs: tuple[str, ...]  # rung words, bottom first
    groups: tuple[Group, ...]
    figures: tuple[StageFigure, ...]
    answered: SafeCount  # people in the room who shared an assessment
    sentence: str
    divergences: tuple[str, ...]
    threshold: int

    def figure(self, stage: str, group: str, measure: Measure) -> StageFigure | None:
        return next((f for f in self.figures if (f.stage, f.group, f.measure) == (stage, group, measure)), None)


def ladder_results(answers: Sequence[tuple[str, Assessment]], vocabulary: LadderVocabulary, split: RoleSplit) -> LadderResults:
    """The room's ladder from each person's latest assessment: (person id, assessment) pairs."""
    by_person = dict(answers)  # one per person: a repeat of a person replaces their earlier one
    figures: list[StageFigure] = []
    for stage in vocabulary.stages:
        for group in split.groups:
            people = [person for person in by_person if person in group.members]
            for measure, _ in MEASURES:
                levels = [level for person in people
                          if (level := vocabulary.level(getattr(by_person[person].answer_for(stage.id), measure)))]
                enough = len(levels) >= split.threshold
                figures.append(StageFigure(stage.id, group.id, measure, safe_count(len(levels), split.threshold),
                                           safe_count(len(people) - len(levels), split.threshold),
                                           spread_of(levels) if enough else None))
    everyone = split.everyone
    answered = safe_count(len([p for p in by_person if p in everyone.members]), split.threshold) if everyone else None
    results = LadderResults(tuple((stage.id, stage.label) for stage in vocabulary.stages),
                            tuple(rung.label for rung in vocabulary.rungs), split.groups, tuple(figures), answered,
                            "", (), split.threshold)
    return replace(results, sentence=ladder_sentence(results, split), divergences=tuple(divergence_sentences(results, split)))


def divergence_sentences(results: LadderResults, split: RoleSplit) -> list[str]:
    """Where two shown groups' middles for a stage are DIVERGENCE_RUNGS or more apart, the lower group first.

    Stages where the same two groups are the same number of rungs apart share one sentence."""
    apart_at: dict[tuple[str, str, Measure, float], list[str]] = {}
    for stage, words in results.stages:
        for measure, _ in MEASURES:
            for one, other in combinations(split.parts, 2):
                first, second = results.figure(stage, one.id, measure), results.figure(stage, other.id, measure)
                if not (first and second and first.spread and second.spread):
                    continue
                apart = second.spread.middle - first.spread.middle
                if abs(apart) >= DIVERGENCE_RUNGS:
                    lower, higher = (one, other) if apart > 0 else (other, one)
                    apart_at.setdefault((lower.plural, higher.plural, measure, abs(apart)), []).append(f"“{words}”")
    said: list[str] = []
    explained = False
    for (lower_words, higher_words, measure, apart), stages in apart_at.items():
        listed = stages[0] if len(stages) == 1 else ", ".join(stages[:-1]) + " and " + stages[-1]
        sentence = (f"{lower_words} place {listed} {number_words(apart)} rungs lower than {higher_words} do, "
                    f"{FOR_MEASURE[measure]}.")
        if not explained and LIVED_EXPERIENCE in sentence:
            sentence, explained = sentence.replace(LIVED_EXPERIENCE, EXPLAINED, 1), True
        said.append(sentence[0].upper() + sentence[1:])
    return said


def ladder_sentence(results: LadderResults, split: RoleSplit) -> str:
    """What the room's ladder shows, in a few plain sentences (the chart's text alternative starts here)."""
    everyone = split.everyone
    if everyone is None:
        return split.sentence
    said = [f"{count_words(results.answered, split.threshold).capitalize()} shared where their project is on the ladder."]
    gaps = []
    for stage, words in results.stages:
        now, aim = results.figure(stage, everyone.id, "now"), results.figure(stage, everyone.id, "aim")
        if now and aim and now.spread and aim.spread and aim.spread.middle > now.spread.middle:
            gaps.append((aim.spread.middle - now.spread.middle, words, now.spread, aim.spread))
    if gaps:
        _, words, now_spread, aim_spread = max(gaps, key=lambda gap: gap[0])  # the first stage wins a tie
        said.append(f"For the whole room, the biggest step from now to the aim is at “{words}”: the middle answer "
                    f"is {step_words(now_spread.middle, results.rungs)} now, and {step_words(aim_spread.middle, results.rungs)} "
                    "for the aim.")
    said.append(f"A group's answer for a stage is shown only when {split.threshold} or more of its people placed that stage "
                "on the ladder. “We have not reached this stage”, “I don't know” and passing are not rungs, so they are "
                "counted as “did not place this stage”.")
    return " ".join(said)

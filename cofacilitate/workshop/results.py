"""What every view of a room's results shares: one answer per person, middles and ranges, and counts that
never show a number below the room's threshold.

Pure Python (the statistics module, no pandas): the dashboard computes each view once, and a
participant's page shows what it computed as text. Counts in every result are already safe to show:
a count below the threshold is kept as None and written as “fewer than 3”, so no page can print it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cofacilitate.store.records import Record
from cofacilitate.workshop.groups import RoleSplit

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
SafeCount = int | None  # None: fewer than the threshold, so never shown


def latest_per_person(records: Iterable[Record]) -> list[Record]:
    """Each person's newest record of each kind on each card (by `updated_at`), so an answer saved or added
    twice counts once.

    The kind matters: the agendas tool keeps a person's agenda beside the versions of the group's purpose
    they saved, and one must not hide the other. Records damaged in the file are left out, so a person's
    older readable answer stands. A record with no person (never in a room) stands for itself.
    """
    newest: dict[tuple[str, str, str], Record] = {}
    for record in records:
        if record.problem:
            continue
        key = (record.person or record.id, str(record.body.get("kind", "")), str(record.body.get("card", "")))
        if key not in newest or (record.updated_at, record.id) > (newest[key].updated_at, newest[key].id):
            newest[key] = record
    return sorted(newest.values(), key=lambda record: (record.updated_at, record.id))


def answer_key(record_id: str, prompt_id: str) -> str:
    """How a facilitator's "hide this answer" names one answer: the agenda's record and the question."""
    return f"{record_id}/{prompt_id}"


def safe_count(count: int, threshold: int) -> SafeCount:
    """A count as it may be shown: itself, 0, or None when it is above 0 and below the threshold."""
    return count if count == 0 or count >= threshold else None


def count_words(count: SafeCount, threshold: int, one: str = "person", many: str = "people") -> str:
    """“no one”, “12 people”, or “fewer than 3 people”: never the number of a small group."""
    if count is None:
        return f"fewer than {threshold} {many}"
    if count == 0:
        return "no one" if many == "people" else f"no {many}"
    return f"{count} {one if count == 1 else many}"


def number_words(number: float) -> str:
    """Whole and half numbers as words up to ten (“two”, “two and a half”); bigger ones as digits."""
    whole, half = int(number), number - int(number) >= 0.5
    if whole > 10:
        return f"{number:g}"
    if half:
        return "a half" if whole == 0 else f"{NUMBER_WORDS[whole]} and a half"
    return NUMBER_WORDS[whole]


@dataclass(frozen=True)
class Spread:
    """Where a group's answers sit on a scale of steps 1..n: the middle answer, and the middle half of answers.

    Each is a whole or half step. The range is the middle half (from the lower to the upper quarter),
    not lowest to highest, so one person's unusual answer is never drawn on its own.
    """

    middle: float
    low: float
    high: float


def half_step(value: float) -> float:
    return round(value * 2) / 2


def spread_of(values: Sequence[float]) -> Spread:
    """The middle and middle half of some answers (at least one)."""
    middle = statistics.median(values)
    if len(values) < 2:
        return Spread(half_step(middle), half_step(middle), half_step(middle))
    low, _, high = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(half_step(middle), half_step(low), half_step(high))


def step_words(position: float, words: Sequence[str]) -> str:
    """A step on a scale in the scale's words; a half step is “between A and B”."""
    whole = int(position)
    if position == whole:
        return words[whole - 1]
    return f"between {words[whole - 1]} and {words[whole]}"


def range_words(spread: Spread, words: Sequence[str]) -> str:
    """The middle half of answers in words: “Consultation to Co-design”, or one step when they all agree.

    A range reads in whole steps (a half step at either end widens it to the step beyond), so it never
    says “Informing to between Informing and Consultation”."""
    low, high = words[math.floor(spread.low) - 1], words[math.ceil(spread.high) - 1]
    return low if low == high else f"{low} to {high}"


@dataclass(frozen=True)
class ExerciseCount:
    exercise: str  # the tool's id
    label: str
    answered: tuple[tuple[str, SafeCount], ...]  # (group id, people in it who answered), groups in the split's order


@dataclass(frozen=True)
class RoomCounts:
    """Who joined, by shown group, and how many in each answered each exercise."""

    joined: tuple[tuple[str, int], ...]  # (group id, people): every group shown has `threshold` or more
    exercises: tuple[ExerciseCount, ...]
    threshold: int
    sentence: str


def room_counts(split: RoleSplit, answered: Mapping[str, Iterable[str]], labels: Mapping[str, str]) -> RoomCounts:
    """Counts for the dashboard's first view: `answered` maps a tool's id to the people who answered it."""
    joined = tuple((group.id, group.size) for group in split.groups)
    exercises = []
    for tool, people in answered.items():
        who = set(people)
        exercises.append(ExerciseCount(tool, labels.get(tool, tool), tuple(
            (group.id, safe_count(len(who & group.members), split.threshold)) for group in split.groups)))
    everyone = split.everyone
    if everyone is None:
        sentence = split.sentence
    else:
        said = [f"{count_words(everyone.size, split.threshold)} have joined the room."]
        for exercise in exercises:
            room = dict(exercise.answered).get(everyone.id)
            said.append(f"{count_words(room, split.threshold).capitalize()} answered “{exercise.label}”.")
        sentence = " ".join(said)
    return RoomCounts(joined, tuple(exercises), split.threshold, sentence[0].upper() + sentence[1:])

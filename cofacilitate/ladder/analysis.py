"""Ladder answers as tidy tables, and the plain sentences that describe them.

The sentences are the first thing a person reads under a chart and what a screen reader
says, so they talk about the project ("involvement sits lowest at ..."), never score
the person.
"""

from __future__ import annotations

import pandas as pd

from cofacilitate.ladder.model import NOT_ANSWERED, Assessment, LadderVocabulary
from cofacilitate.people import role_words
from cofacilitate.snapshots import Saved
from cofacilitate.words import join_words, when_words

GAP_COLUMNS = ["Stage", "Now", "Aim", "Rungs to climb", "What it would take, in your words"]
# Why a stage has no rung for now, for the sentence under the gap chart.
NO_RUNG_WORDS = {
    "not-reached": "not reached yet",
    "dont-know": "where you don't know",
    "pass": "you chose not to answer",
    NOT_ANSWERED: "with no answer yet",
}


def gap_frame(vocabulary: LadderVocabulary, assessment: Assessment) -> pd.DataFrame:
    """One row per stage of the card, in the card's order: now, aim, the gap between, and what it would take."""
    rows = []
    for order, stage in enumerate(vocabulary.stages):
        answer = assessment.answer_for(stage.id)
        now, aim = vocabulary.level(answer.now), vocabulary.level(answer.aim)
        rows.append({
            "order": order, "stage": stage.id, "Stage": stage.label,
            "now_level": now, "aim_level": aim, "now_answer": answer.now,
            "Now": vocabulary.answer_label(answer.now), "Aim": vocabulary.answer_label(answer.aim),
            "gap": (aim - now) if now is not None and aim is not None else None,
            "climb": answer.climb.strip(),
        })
    frame = pd.DataFrame(rows)
    for column in ("now_level", "aim_level", "gap"):
        frame[column] = frame[column].astype("Int64")
    return frame


def gap_sentence(frame: pd.DataFrame) -> str:
    """Which stages sit lowest now, where the gap to the aim is biggest, why any stage is not
    drawn, and where the person's notes on what it would take are."""
    placed = frame.dropna(subset=["now_level"])
    if placed.empty:
        return " ".join(part for part in [
            "No stage has a rung chosen for now yet, so there is nothing to draw. Passing a question is fine.",
            _notes(frame)] if part)
    lowest = placed[placed["now_level"] == placed["now_level"].min()]
    parts = [f"Involvement sits lowest at {join_words(list(lowest['Stage']))}, on the rung {lowest['Now'].iloc[0]}."]
    gaps = frame.dropna(subset=["gap"])
    if not gaps.empty and gaps["gap"].max() > 0:
        widest = gaps[gaps["gap"] == gaps["gap"].max()]
        size = int(widest["gap"].iloc[0])
        parts.append(
            f"The biggest gap between now and the aim is at {join_words(list(widest['Stage']))}: "
            f"{size} rung{'s' if size != 1 else ''} to climb."
        )
    elif not gaps.empty and (gaps["gap"] == 0).all():
        parts.append("Where both are answered, the aim is where things are now.")
    elif not gaps.empty:
        below = gaps[gaps["gap"] < 0]
        parts.append(f"At {join_words(list(below['Stage']))}, the aim is below where things are now.")
    parts += [_not_placed(frame[frame["now_level"].isna()]), _notes(frame)]
    return " ".join(part for part in parts if part)


def _not_placed(unplaced: pd.DataFrame) -> str:
    """'Stages with no rung for how things are now: 1 not reached yet and 3 with no answer yet.' (or nothing)."""
    if unplaced.empty:
        return ""
    counts = unplaced["now_answer"].map(lambda answer: answer if answer in NO_RUNG_WORDS else NOT_ANSWERED).value_counts()
    said = [f"{int(counts[answer])} {words}" for answer, words in NO_RUNG_WORDS.items() if answer in counts]
    return f"Stages with no rung for how things are now: {join_words(said)}."


def _notes(frame: pd.DataFrame) -> str:
    """Where the person's notes on what it would take to climb are (or nothing)."""
    notes = int((frame["climb"] != "").sum())
    if not notes:
        return ""
    return (f"You wrote what it would take to climb at {notes} stage{'s' if notes != 1 else ''}. "
            "Your words are in the table below.")


def gap_rows(frame: pd.DataFrame) -> list[tuple[str, str, str, str, str]]:
    """The table alternative to the gap chart, with the person's notes on what it would take."""
    return [
        (row.Stage, row.Now, row.Aim, "" if pd.isna(row.gap) else str(int(row.gap)), row.climb)
        for row in frame.itertuples()
    ]


def history_frame(vocabulary: LadderVocabulary, saved: list[Saved[Assessment]]) -> pd.DataFrame:
    """Every assessment of one project, one row per stage, oldest first."""
    rows = []
    for number, item in enumerate(sorted(saved, key=lambda s: s.saved_at), start=1):
        for order, stage in enumerate(vocabulary.stages):
            answer = item.item.answer_for(stage.id)
            rows.append({
                "number": number, "saved_at": item.saved_at, "When": when_words(item.saved_at),
                "order": order, "Stage": stage.label, "level": vocabulary.level(answer.now),
                "Now": vocabulary.answer_label(answer.now),
            })
    frame = pd.DataFrame(rows, columns=["number", "saved_at", "When", "order", "Stage", "level", "Now"])
    frame["level"] = frame["level"].astype("Int64")
    return frame


def history_sentence(frame: pd.DataFrame) -> str:
    """How 'now' moved between the first and the latest assessment of a project."""
    count = frame["number"].nunique()
    if count < 2:
        return "There is only one assessment of this project so far. Save another later to see how things move."
    first = frame[frame["number"] == 1].set_index("Stage")["level"]
    last = frame[frame["number"] == count].set_index("Stage")["level"]
    both = first.notna() & last.notna()
    up = [stage for stage in first.index if both[stage] and last[stage] > first[stage]]
    down = [stage for stage in first.index if both[stage] and last[stage] < first[stage]]
    start, end = frame["When"].iloc[0], frame["When"].iloc[-1]
    parts = [f"Across {count} assessments, from {start} to {end}:"]
    parts.append(f"moved up at {join_words(up)};" if up else "no stage moved up;")
    parts.append(f"moved down at {join_words(down)}." if down else "no stage moved down.")
    return " ".join(parts)


def why_moved_sentence(saved: list[Saved[Assessment]]) -> str:
    """The reasons people gave for movement, in their own words and in order."""
    why = [f"{when_words(s.saved_at)}: {s.item.why_moved}" for s in saved if s.item.why_moved]
    return ("Why things moved, in your words: " + " / ".join(why)) if why else ""


def history_table(frame: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Stages down the side, assessments across: the table alternative to the history chart."""
    wide = frame.pivot_table(index=["order", "Stage"], columns="number", values="Now", aggfunc="first")
    dates = frame.drop_duplicates("number").set_index("number")["When"]
    columns = ["Stage"] + [f"{number}. {dates[number]}" for number in wide.columns]
    rows = [[stage] + [str(value) for value in values] for (_, stage), values in zip(wide.index, wide.values, strict=True)]
    return columns, rows


def export_frame(vocabulary_for: dict[str, LadderVocabulary], saved: list[Saved[Assessment]]) -> pd.DataFrame:
    """Everything a person saved, one row per stage, for a spreadsheet."""
    rows = []
    for item in saved:
        assessment = item.item
        vocabulary = vocabulary_for.get(assessment.card)
        for answer in assessment.answers:
            words = vocabulary.answer_label if vocabulary else str
            rows.append({
                "assessment": item.record_id, "saved at": item.saved_at, "ladder": assessment.card,
                "project": assessment.project, "name used": item.pseudonym, "roles": role_words(item.roles),
                "stage": answer.stage, "now": words(answer.now), "aim": words(answer.aim),
                "what it would take to climb one rung": answer.climb, "why things moved": assessment.why_moved,
            })
    return pd.DataFrame(rows)

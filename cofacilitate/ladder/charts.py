"""Ladder charts: tidy frames in, altair charts out (specs are dicts, so tests read them).

Both charts share one layout that reads on a phone as well as on a laptop: one row per stage
(its name broken onto lines beside it), the rungs of the ladder along the bottom, and the chart
as wide as its box. Now and aim differ by shape as well as colour (Okabe-Ito blue and
vermillion, safe for colour-blind eyes); earlier assessments are numbered where they sit, and
numbers that share a rung are written once, together ("1 to 3"), never over each other.
Every chart carries its sentence as its description; screen readers meet each point by its tooltip's
words, and lines and written numbers that repeat them are hidden from them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cofacilitate.chartkit import COLOURS, WIDTH, alt, broken, finish, title, turning_labels, word_axis
from cofacilitate.ladder.model import LadderVocabulary

NOW_AIM = ["Now", "Aim"]
NOW_AIM_SHAPES = ["circle", "diamond"]
EARLIER_LATEST = ["Earlier", "Latest"]
STAGE_LINE = 18  # characters per line of a stage's name beside the chart
ROW = 56  # px per stage: room for a name on three lines
RUNG_TITLE = "Rung of the ladder (further right is more shared)"


def _rung_axis(vocabulary: LadderVocabulary, title_words: str | None, **extra: Any) -> alt.Axis:
    return word_axis([rung.label for rung in vocabulary.rungs], title_words, **extra)


def _stage_y(stages: list[str]) -> alt.Y:
    """One row per stage, in the card's order, each name on as many lines as it needs."""
    axis = alt.Axis(labelPadding=8, **broken("datum.label", STAGE_LINE))
    return alt.Y("Stage:N", sort=stages, title=None, scale=alt.Scale(domain=stages), axis=axis)


def _rung_x(vocabulary: LadderVocabulary, field: str, with_axis: bool = True) -> alt.X:
    scale = alt.Scale(domain=[0.5, len(vocabulary.rungs) + 0.5])
    if not with_axis:
        return alt.X(f"{field}:Q", scale=scale)
    return alt.X(f"{field}:Q", scale=scale, axis=_rung_axis(vocabulary, RUNG_TITLE, **turning_labels()))


def gap_chart(frame: pd.DataFrame, vocabulary: LadderVocabulary, sentence: str) -> alt.LayerChart:
    """Each stage on its own line: a circle where things are now, a diamond at the aim."""
    stages = list(frame.sort_values("order")["Stage"])
    long = frame.melt(id_vars=["Stage", "order"], value_vars=["now_level", "aim_level"], var_name="which", value_name="level")
    long["Which"] = long["which"].map({"now_level": "Now", "aim_level": "Aim"})
    long["Rung"] = [vocabulary.rungs[int(level) - 1].label if pd.notna(level) else "" for level in long["level"]]
    long = long.dropna(subset=["level"]).astype({"level": "int64"})
    spans = frame.dropna(subset=["now_level", "aim_level"]).astype({"now_level": "int64", "aim_level": "int64"})
    y = _stage_y(stages)
    spans_layer = alt.Chart(spans[["Stage", "now_level", "aim_level"]]).mark_rule(
        strokeWidth=3, color="#777777", aria=False
    ).encode(
        y=y, x=_rung_x(vocabulary, "now_level", with_axis=False), x2="aim_level:Q"
    )
    key = alt.Legend(title="Key", orient="top", direction="horizontal")
    points = alt.Chart(long[["Stage", "Which", "level", "Rung"]]).mark_point(
        filled=True, size=220, opacity=1, aria=not long.empty
    ).encode(
        y=y,
        x=_rung_x(vocabulary, "level"),
        color=alt.Color("Which:N", scale=alt.Scale(domain=NOW_AIM, range=COLOURS[:2]), legend=key),
        shape=alt.Shape("Which:N", scale=alt.Scale(domain=NOW_AIM, range=NOW_AIM_SHAPES), legend=key),
        tooltip=[alt.Tooltip("Stage:N"), alt.Tooltip("Which:N", title="Now or aim"), alt.Tooltip("Rung:N")],
    )
    chart = alt.layer(spans_layer, points).properties(
        title=title("Where involvement is now, and where we aim"), width=WIDTH, height=ROW * len(stages)
    )
    return finish(chart, sentence)


def numbers_words(numbers: list[int]) -> str:
    """Assessment numbers written once, runs shortened: [1, 2, 3, 5] -> "1 to 3, 5"."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]} to {run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


def history_spots(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per stage and rung where 'now' sat at least once: which assessments sat there, in one label."""
    placed = frame.dropna(subset=["level"]).astype({"level": "int64"})
    spots = placed.groupby(["Stage", "level"], sort=False)["number"].apply(lambda numbers: numbers_words(list(numbers)))
    return spots.rename("Assessments").reset_index()


def history_chart(frame: pd.DataFrame, vocabulary: LadderVocabulary, sentence: str) -> alt.LayerChart:
    """How 'now' moved at each stage: every assessment numbered where it sat (1 is the oldest), joined in order;
    the latest one filled."""
    stages = list(frame.drop_duplicates("Stage").sort_values("order")["Stage"])
    placed = frame.dropna(subset=["level"]).astype({"level": "int64"})[["number", "When", "Stage", "level", "Now"]].copy()
    latest = int(frame["number"].max()) if len(frame) else 0
    placed["Which"] = ["Latest" if number == latest else "Earlier" for number in placed["number"]]
    y = _stage_y(stages)
    path = alt.Chart(placed).mark_line(color="#777777", strokeWidth=2, aria=False).encode(
        y=y, x=_rung_x(vocabulary, "level", with_axis=False), order="number:Q", detail="Stage:N"
    )
    points = alt.Chart(placed).mark_point(size=200, strokeWidth=2.5, opacity=1, color=COLOURS[0], aria=not placed.empty).encode(
        y=y, x=_rung_x(vocabulary, "level"),
        fill=alt.Fill("Which:N", scale=alt.Scale(domain=EARLIER_LATEST, range=["#ffffff", COLOURS[0]]),
                      legend=alt.Legend(title="Assessment", orient="top", direction="horizontal",
                                        symbolStrokeColor=COLOURS[0], symbolStrokeWidth=2.5)),
        tooltip=[alt.Tooltip("number:O", title="Assessment"), alt.Tooltip("When:N", title="Saved"),
                 alt.Tooltip("Now:N", title="Now")],
    )
    numbers = alt.Chart(history_spots(frame)).mark_text(baseline="bottom", dy=-12, aria=False).encode(
        y=y, x=_rung_x(vocabulary, "level", with_axis=False), text="Assessments:N"
    )
    chart = alt.layer(path, points, numbers).properties(
        title=title("How 'now' moved over time, stage by stage",
                    "Each number is one assessment; 1 is the oldest. The filled circle is the latest."),
        width=WIDTH, height=ROW * len(stages),
    )
    return finish(chart, sentence)

"""The diary's two charts: which tags entries touch (and which never), and the check-ins over time.

Tags are grouped by kind, written in each label as well as shown by colour; the two
check-in questions are two small charts, each with its own steps named in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timezone

import pandas as pd

from cofacilitate.chartkit import COLOURS, WIDTH, alt, broken, finish, narrow, title, turning_labels, word_axis
from cofacilitate.diary.model import STEPS, DiaryVocabulary
from cofacilitate.words import long_date

ROW = 40  # px per tag
LABEL_LINE = 24


def coverage_chart(rows: Sequence[tuple[str, str, int]], sentence: str) -> alt.Chart:
    """One bar per tag; a tag never touched shows as a bar of 0 with its name, so the gap is visible."""
    frame = pd.DataFrame([{"Tag": f"{kind}: {tag}", "Kind": kind, "Entries": count} for tag, kind, count in rows],
                         columns=["Tag", "Kind", "Entries"])
    most = int(frame["Entries"].max()) if len(frame) else 1
    chart = alt.Chart(frame).mark_bar(height=20, aria=not frame.empty).encode(
        y=alt.Y("Tag:N", sort=list(frame["Tag"]), title=None, axis=alt.Axis(labelPadding=8, **broken("datum.label", LABEL_LINE))),
        x=alt.X("Entries:Q", title="Entries", scale=alt.Scale(domain=[0, max(most, 2)]),
                axis=alt.Axis(values=list(range(max(most, 2) + 1)), format="d") if most <= 20 else alt.Axis(format="d")),
        color=alt.Color("Kind:N", scale=alt.Scale(domain=["Principle", "Standard"], range=COLOURS[:2]),
                        legend=alt.Legend(title="Kind of tag", orient="top", direction="vertical")),
        tooltip=[alt.Tooltip("Tag:N"), alt.Tooltip("Entries:Q")],
    ).properties(title=title("What my entries touch"), width=WIDTH, height=ROW * max(len(frame), 1))
    return finish(chart, sentence)


DAY_MS = 86_400_000
MOST_DAYS_NAMED = 8  # up to this many days with check-ins, each has its own tick; more, and Vega spaces them


def load_chart(rows: Sequence[tuple[str, int | None, int | None]], vocabulary: DiaryVocabulary,
               sentence: str) -> alt.VConcatChart:
    """Each check-in question in a small chart of its own, one above the other, each step named in its words.

    On one scale the two would cross and mislead: for one 5 is heavy, for the other 5 is safe. The
    days run along the bottom in UTC (the dates are days, not times), one tick per day: several
    entries on one day never repeat its date along the axis."""
    out, safe = vocabulary.check_in.took_out, vocabulary.check_in.safe
    days = sorted({on for on, _, _ in rows})
    panels = [_check_in_panel([(on, step) for on, *steps in rows if (step := steps[at])], scale.label, scale.steps, days,
                              COLOURS[at], shape) for at, (scale, shape) in enumerate(((out, "circle"), (safe, "diamond")))]
    return finish(alt.vconcat(*panels, spacing=36).properties(title=title("My check-ins over time")), sentence)


def _check_in_panel(points: Sequence[tuple[str, int]], question: str, steps: Sequence[str], days: Sequence[str],
                    colour: str, shape: str) -> alt.Chart:
    words = [f"{n}. {step}" for n, step in enumerate(steps, start=1)]
    frame = pd.DataFrame([{"Date": on, "Day": long_date(on), "Step": step, "Answer": words[step - 1]} for on, step in points],
                         columns=["Date", "Day", "Step", "Answer"])
    named = len(days) <= MOST_DAYS_NAMED
    ticks = {"values": [_utc_ms(day) for day in days]} if named else {"tickCount": alt.ExprRef(expr=f"{narrow()} ? 4 : 8")}
    # both charts span the same days, with half a day to spare at each end (one day alone sits in the middle)
    span = [_utc_ms(days[0]) - DAY_MS // 2, _utc_ms(days[-1]) + DAY_MS // 2] if days else alt.Undefined
    drawn = not frame.empty  # a question never answered draws no marks, and an empty mark group must not claim a role
    return alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=120, filled=True, shape=shape, color=colour, aria=drawn),
                                      color=colour, strokeWidth=2, aria=drawn).encode(
        x=alt.X("Date:T", title=None, scale=alt.Scale(type="utc", domain=span),
                axis=alt.Axis(format="%-d %b %Y", labelOverlap=True, **ticks, **turning_labels())),
        y=alt.Y("Step:Q", scale=alt.Scale(domain=[0.5, STEPS + 0.5]), axis=word_axis(words, None)),
        tooltip=[alt.Tooltip("Day:N", title="Day"), alt.Tooltip("Answer:N", title=question)],
    ).properties(title=title(question), width=WIDTH, height=ROW * STEPS)


def _utc_ms(day: str) -> int:
    """A day as Vega reads a date written like 2026-11-25: midnight UTC, in milliseconds."""
    return int(datetime.combine(date.fromisoformat(day), time(), tzinfo=timezone.utc).timestamp() * 1000)

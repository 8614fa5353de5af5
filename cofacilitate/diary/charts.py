"""The diary's two charts: which tags entries touch (and which never), and the check-ins over time.

Tags are grouped by kind, written in each label as well as shown by colour; the two
check-in questions differ by shape as well as colour, and their steps are named in words.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cofacilitate.chartkit import COLOURS, WIDTH, alt, broken, finish, title, word_axis
from cofacilitate.diary.model import STEPS, DiaryVocabulary

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


def load_chart(rows: Sequence[tuple[str, int | None, int | None]], vocabulary: DiaryVocabulary, sentence: str) -> alt.Chart:
    """Both check-in answers by date: circles for 'took out of me', diamonds for 'safe to speak', steps 1 to 5."""
    out, safe = vocabulary.check_in.took_out, vocabulary.check_in.safe
    long = pd.DataFrame(
        [{"Date": on, "Question": out.label, "Step": took} for on, took, _ in rows if took]
        + [{"Date": on, "Question": safe.label, "Step": felt} for on, _, felt in rows if felt],
        columns=["Date", "Question", "Step"],
    )
    questions = [out.label, safe.label]
    chart = alt.Chart(long).mark_line(point=alt.OverlayMarkDef(size=120, filled=True), strokeWidth=2, aria=not long.empty).encode(
        x=alt.X("Date:T", title="Date", axis=alt.Axis(format="%d %b %Y", labelAngle=-40)),
        y=alt.Y("Step:Q", scale=alt.Scale(domain=[0.5, STEPS + 0.5]),
                axis=word_axis([f"{n}" for n in range(1, STEPS + 1)], "Step (1 is lowest)")),
        color=alt.Color("Question:N", scale=alt.Scale(domain=questions, range=COLOURS[:2]),
                        legend=alt.Legend(title=None, orient="top", direction="vertical")),
        shape=alt.Shape("Question:N", scale=alt.Scale(domain=questions, range=["circle", "diamond"])),
        tooltip=[alt.Tooltip("Date:T", format="%d %b %Y"), alt.Tooltip("Question:N"), alt.Tooltip("Step:Q")],
    ).properties(title=title("My check-ins over time"), width=WIDTH, height=260)
    return finish(chart, sentence)

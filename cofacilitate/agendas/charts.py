"""The wall's chart: how many people each common thread runs through (a spec is a dict, so tests read it).

One bar per thread, its question and its words beside it on as many lines as they need, in the
wall's order. The question is written in each label, so the chart needs no legend (a legend is
cut short on a phone) and colour is never the only signal. Each row is as tall as its longest
label, so labels never run into each other.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cofacilitate.agendas.analysis import HOW_WORDS, Thread
from cofacilitate.chartkit import COLOURS, LINE, WIDTH, alt, broken, finish, tallest, title

LABEL_LINE = 24  # characters per line of a thread's words beside the chart
ROW = 44  # px per thread, at least (a label of more than two lines makes every row taller)
MOST_BARS = 30  # the chart keeps the most shared; the table beside it lists every one


def thread_frame(threads: Sequence[Thread]) -> pd.DataFrame:
    rows = [{"Thread": t.heading, "Question": t.question, "Found by": HOW_WORDS[t.how], "People": t.people}
            for t in threads[:MOST_BARS]]
    return pd.DataFrame(rows, columns=["Thread", "Question", "Found by", "People"])


def row_height(labels: Sequence[str]) -> int:
    """Px per bar: room for the longest label's lines, so no label reaches into the next one's row."""
    return max(ROW, tallest(labels, LABEL_LINE) * LINE + 12)


def threads_chart(frame: pd.DataFrame, sentence: str) -> alt.Chart:
    """Bars of people per thread, in the wall's order (question by question, then most shared)."""
    order = list(frame["Thread"])
    questions = list(dict.fromkeys(frame["Question"]))
    most = int(frame["People"].max()) if len(frame) else 1
    chart = alt.Chart(frame).mark_bar(height=22, aria=not frame.empty).encode(
        y=alt.Y("Thread:N", sort=order, title=None,
                axis=alt.Axis(labelPadding=8, labelOverlap=False, **broken("datum.label", LABEL_LINE))),
        x=alt.X("People:Q", title="People", scale=alt.Scale(domain=[0, max(most, 2)]),
                axis=alt.Axis(values=list(range(max(most, 2) + 1)), format="d")),
        color=alt.Color("Question:N", legend=None,
                        scale=alt.Scale(domain=questions, range=[COLOURS[n % len(COLOURS)] for n in range(len(questions))])),
        tooltip=[alt.Tooltip("Question:N"), alt.Tooltip("Thread:N"), alt.Tooltip("Found by:N"), alt.Tooltip("People:Q")],
    ).properties(title=title("Threads that run through our agendas"), width=WIDTH, height=alt.Step(row_height(order)))
    return finish(chart, sentence)

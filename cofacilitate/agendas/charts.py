"""The wall's chart: how many people each common thread runs through (a spec is a dict, so tests read it).

One bar per thread, its words beside it on as many lines as they need, grouped by the kind
of question, which is written in each label (colour is never the only signal).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cofacilitate.agendas.analysis import HOW_WORDS, KIND_HEADINGS, Thread
from cofacilitate.chartkit import COLOURS, WIDTH, alt, broken, finish, title

LABEL_LINE = 24  # characters per line of a thread's words beside the chart
ROW = 44  # px per thread
MOST_BARS = 30  # the chart keeps the most shared; the table beside it lists every one


def thread_frame(threads: Sequence[Thread]) -> pd.DataFrame:
    rows = [{"Thread": f"{KIND_HEADINGS[t.kind]}: {t.label}", "Kind": KIND_HEADINGS[t.kind], "Found by": HOW_WORDS[t.how],
             "People": t.people} for t in threads[:MOST_BARS]]
    return pd.DataFrame(rows, columns=["Thread", "Kind", "Found by", "People"])


def threads_chart(frame: pd.DataFrame, sentence: str) -> alt.Chart:
    """Bars of people per thread, in the wall's order (kind of question, then most shared)."""
    order = list(frame["Thread"])
    kinds = [kind for kind in KIND_HEADINGS.values() if kind in set(frame["Kind"])]
    most = int(frame["People"].max()) if len(frame) else 1
    chart = alt.Chart(frame).mark_bar(height=22, aria=not frame.empty).encode(
        y=alt.Y("Thread:N", sort=order, title=None, axis=alt.Axis(labelPadding=8, **broken("datum.label", LABEL_LINE))),
        x=alt.X("People:Q", title="People", scale=alt.Scale(domain=[0, max(most, 2)]),
                axis=alt.Axis(values=list(range(max(most, 2) + 1)), format="d")),
        color=alt.Color("Kind:N", scale=alt.Scale(domain=kinds, range=COLOURS[:len(kinds)]),
                        legend=alt.Legend(title="Kind of question", orient="top", direction="vertical")),
        tooltip=[alt.Tooltip("Thread:N"), alt.Tooltip("Found by:N"), alt.Tooltip("People:Q")],
    ).properties(title=title("Threads that run through our agendas"), width=WIDTH, height=ROW * max(len(order), 1))
    return finish(chart, sentence)

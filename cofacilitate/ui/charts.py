"""A chart with its sentence and its table: every chart needs a text alternative."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import ipywidgets as widgets

from cofacilitate.ui.fields import FULL_WIDTH, html, table_html


class ChartView(widgets.VBox):
    """One chart widget reused for every redraw (its JavaScript bundle is large), a sentence, a table."""

    def __init__(self, css: str) -> None:
        super().__init__(layout=FULL_WIDTH)
        self.add_class(css)
        self.sentence = html("", "cofa-chart-sentence")
        self.table = html("", "cofa-chart-table")
        self._chart: Any = None

    def owned_widgets(self) -> list[widgets.Widget]:
        """What `ui.retire` closes with this view, shown or not."""
        return [self.sentence, self.table, *([self._chart] if self._chart is not None else [])]

    def show(self, chart: Any, sentence: str, caption: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Draw (or redraw) the chart; pandas and altair are already loaded by the caller."""
        from cofacilitate.offline import offline_chart_class

        if self._chart is None:
            self._chart = offline_chart_class()(chart, embed_options={"renderer": "svg", "actions": False}, layout=FULL_WIDTH)
        else:
            self._chart.chart = chart
        self.sentence.value = f"<p>{escape(sentence)}</p>"
        rows = list(rows)
        opened = " open" if len(rows) <= 12 else ""
        count = f"{len(rows)} row" + ("" if len(rows) == 1 else "s")
        self.table.value = (f"<details{opened}><summary>The same as a table ({count})</summary>"
                            f"{table_html(caption, columns, rows)}</details>")
        self.children = [self.sentence, self._chart, self.table]

"""The landing page: what the workbook is for, where answers are kept, and the tools."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.store import Workspace


@dataclass(frozen=True)
class Tool:
    notebook: str
    title: str
    blurb: str


TOOLS = (
    Tool("ladder.ipynb", "The ladder of co-production",
         "Look at each stage of a project: how much say do people with lived experience have now, and how much "
         "should they have? See the gap, and how it changes over time."),
    Tool("power-map.ipynb", "Power map",
         "Who has a say over which decisions, who is in the room, and who is missing, and why? Draw the map, "
         "then redraw it later to see power shift."),
)


def landing(workspace: Workspace) -> widgets.Widget:
    links = "".join(
        f'<li><a href="{escape(tool.notebook)}" class="cofa-tool-link">{escape(tool.title)}</a><br>{escape(tool.blurb)}</li>'
        for tool in TOOLS
    )
    return widgets.VBox([
        ui.heading("Choose an exercise"),
        ui.html(f'<ul class="cofa-tools">{links}</ul>'),
        ui.storage_notice(workspace),
    ], layout=ui.FULL_WIDTH)


def show(home: str | None = None) -> widgets.Widget:
    return ui.launch(landing, home)

"""The landing page: what the workbook is for, where answers are kept, and the tools."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.store import Workspace
from cofacilitate.tools import TOOLS


def landing(workspace: Workspace) -> widgets.Widget:
    links = "".join(
        f'<li><a href="{escape(info.workbook)}" class="cofa-tool-link">{escape(info.title)}</a><br>{escape(info.sentence)}</li>'
        for info in TOOLS
    )
    return widgets.VBox([
        ui.heading("Choose an exercise"),
        ui.html(f'<ul class="cofa-tools">{links}</ul>'),
        ui.storage_notice(str(workspace.home), workspace.database_name),
    ], layout=ui.FULL_WIDTH)


def show(home: str | None = None) -> widgets.Widget:
    return ui.launch(landing, home)

"""The landing page: what the workbook is for, where answers are kept, the tools, and the one-person sessions."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.sessions.workbook import shipped_workbooks
from cofacilitate.store import Workspace
from cofacilitate.tools import TOOLS


def landing(workspace: Workspace) -> widgets.Widget:
    links = "".join(
        f'<li><a href="{escape(info.workbook)}" class="cofa-tool-link">{escape(info.title)}</a><br>{escape(info.sentence)}</li>'
        for info in TOOLS
    )
    sessions = "".join(f'<li><a href="{escape(href)}" class="cofa-session-link">{escape(title)}</a></li>'
                       for href, title in shipped_workbooks())
    return widgets.VBox([
        ui.heading("Choose an exercise"),
        ui.html(f'<ul class="cofa-tools">{links}</ul>'),
        *([ui.heading("Or do a whole session on your own"),
           ui.paragraph("Each one has the exercises of a session in order, for one person to do at their own pace."),
           ui.html(f'<ul class="cofa-sessions">{sessions}</ul>')] if sessions else []),
        ui.storage_notice(str(workspace.home), workspace.database_name),
    ], layout=ui.FULL_WIDTH)


def show(home: str | None = None) -> widgets.Widget:
    return ui.launch(landing, home)

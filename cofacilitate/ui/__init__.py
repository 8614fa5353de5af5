"""The shared widget kit: every tool builds its page from these pieces.

- `fields`: labelled controls and escaped markup
- `messages`: the message line, the one callback guard, notices
- `events`: running later on the kernel's loop (debounced)
- `press`: buttons that act once the page has sent what was typed before the click
- `drafts`: drafts kept as people type, and one record id per Save
- `files`: downloads and restores of a person's own answers
- `charts`: a chart with its sentence and table
- `person`: whose answers are on the page, and "start as someone new"
- `address`: who and where a page is for, read one way for every page (pooled kernels too)
- `page`: the context, the page skeleton every tool shares, and `show`
"""

from cofacilitate.ui.charts import ChartView
from cofacilitate.ui.drafts import DraftKeeper, DraftRefused, SaveSlot, draft_key
from cofacilitate.ui.events import kernel_loop
from cofacilitate.ui.fields import (
    FULL_WIDTH,
    button,
    card_intro_html,
    choice,
    heading,
    html,
    list_box,
    live_widgets,
    over_limit,
    paragraph,
    project_field,
    retire,
    table_html,
    text_field,
    tick_boxes,
    with_counter,
)
from cofacilitate.ui.files import DownloadFile, FilesPanel, download_link
from cofacilitate.ui.messages import SOMETHING_WENT_WRONG, SUPPORT, Feedback, problem_note, storage_notice, support_note
from cofacilitate.ui.page import Context, ToolPage, launch, show

__all__ = [
    "FULL_WIDTH",
    "SOMETHING_WENT_WRONG",
    "SUPPORT",
    "ChartView",
    "Context",
    "DownloadFile",
    "DraftKeeper",
    "DraftRefused",
    "Feedback",
    "FilesPanel",
    "SaveSlot",
    "ToolPage",
    "button",
    "card_intro_html",
    "choice",
    "download_link",
    "draft_key",
    "heading",
    "html",
    "kernel_loop",
    "launch",
    "list_box",
    "live_widgets",
    "over_limit",
    "paragraph",
    "problem_note",
    "project_field",
    "retire",
    "show",
    "storage_notice",
    "support_note",
    "table_html",
    "text_field",
    "tick_boxes",
    "with_counter",
]

"""Keeping and restoring answers: download links made on request, and a checked upload.

Voilà cannot serve files it did not make, so downloads are data: links. Uploads travel
as one websocket message, so their size is checked here and said in plain words.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

import ipywidgets as widgets

from cofacilitate.store import MAX_CARD_BYTES, MAX_CARD_SIZE_WORDS, ImportRefused, ImportReport, Owner, Record, Workspace
from cofacilitate.ui.fields import FULL_WIDTH, button, heading, html, paragraph
from cofacilitate.ui.messages import Feedback
from cofacilitate.ui.upload import FilePicker


@dataclass(frozen=True)
class DownloadFile:
    text: str
    filename: str
    data: bytes
    mime: str
    css: str


def download_link(text: str, filename: str, data: bytes, mime: str, css: str) -> str:
    """A link that saves a file straight from the page (Voilà cannot serve files it did not make)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="cofa-download {escape(css)}" download="{escape(filename)}" '
        f'href="data:{mime};base64,{encoded}">{escape(text)}</a>'
    )


class FilesPanel(widgets.VBox):
    """A person's own answers as files (the response card first), and a restore that makes them theirs.

    Its messages appear in the panel, next to the buttons a person just used.
    """

    def __init__(self, store: Workspace, tool: str, owner: Owner, check_body: Callable[[dict[str, Any]], Any],
                 other_files: Callable[[], list[DownloadFile]], after_restore: Callable[[ImportReport], str],
                 readable: Callable[[Record], Record] = lambda record: record) -> None:
        self.feedback = Feedback()
        self.readable = readable  # a locked tool's records, opened for a file the person can read anywhere
        self.store, self.tool, self.owner = store, tool, owner
        self.check_body, self.other_files, self.after_restore = check_body, other_files, after_restore
        self.button = button("Get my answers as files", "cofa-get-files")
        self.links = html("", "cofa-files")
        self.button.on_click(self.feedback.guard(lambda _: self.prepare()))
        self.upload = FilePicker("Restore from a file", "cofa-upload", MAX_CARD_BYTES, self.feedback.guard(self.chosen))
        self.parts = [
            heading("Keep or restore your answers"),
            paragraph("Download your answers to keep them, or to share them with someone you choose. "
                      "The file for this app (it ends in .json) brings your answers back later, here or on another computer."),
            self.button, self.links,
            paragraph(f"To bring answers back, choose a file this app saved. It can be up to {MAX_CARD_SIZE_WORDS}."),
            self.upload,
        ]
        super().__init__(self.parts, layout=FULL_WIDTH)
        self.add_class("cofa-files-panel")

    def files(self) -> list[DownloadFile]:
        """Every saved record of this person's, untouched (even ones this copy cannot show), then the tool's own files."""
        records = [self.readable(r) for r in self.store.records(self.tool, self.owner) if not r.problem]  # damaged: unreadable
        card = [DownloadFile("Download my answers (a file for this app)", f"{self.tool}-response-card.json",
                             self.store.export_card(self.tool, records), "application/json", "cofa-download-card")]
        return (card if records else []) + self.other_files()

    def owned_widgets(self) -> list[widgets.Widget]:
        """The message line too, when it is not shown yet (for `ui.retire`)."""
        return [self.feedback]

    def beside(self, used: widgets.Widget) -> None:
        """The panel's message goes just below what the person used, where they are looking."""
        at = self.parts.index(used) + 1
        self.children = [*self.parts[:at], self.feedback, *self.parts[at:]]

    def prepare(self) -> None:
        self.beside(self.links)
        files = self.files()
        if not files:
            self.feedback.say("There is nothing saved yet. Press Save first, then get your files.")
            return
        self.links.value = "".join(download_link(f.text, f.filename, f.data, f.mime, f.css) for f in files)
        self.feedback.say("Your files are ready. Use the links above.", "done")

    def chosen(self, name: str, size: int, data: bytes | None) -> None:
        """A file from the picker: too big to read (said in words), or restored."""
        self.beside(self.upload)
        if data is None or size > MAX_CARD_BYTES:
            self.feedback.say(f"That file is too big ({size / 1_000_000:.1f} MB). A file from this app is at most "
                              f"{MAX_CARD_SIZE_WORDS}. Nothing was changed.", "problem")
            return
        self.restore(data, name)

    def restore(self, data: bytes, name: str) -> None:
        """Import a response card whole, as this person's own, or say plainly why not (nothing changes then)."""
        try:
            report = self.store.import_card(data, self.tool, self.check_body, self.owner)
        except ImportRefused as refusal:
            self.feedback.say(str(refusal), "problem")
            return
        where = self.after_restore(report)  # the page shows what came back, and says where
        self.feedback.say(f"From {name}: {report.sentence()} {where}".strip(), "done")

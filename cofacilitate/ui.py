"""The shared widget kit: every tool builds its page from these pieces.

Voilà shows callback errors nowhere (or as a raw traceback), `widgets.HTML` is raw
innerHTML, and a page reload forgets what was typed. This module answers each of those
once: `Feedback.guard` wraps every callback, every piece of text goes through `escape`,
and `DraftKeeper` keeps typed words in the workspace as they are typed.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import ipywidgets as widgets

from cofacilitate.cards import Card
from cofacilitate.store import (
    MAX_CARD_BYTES,
    MAX_CARD_SIZE_WORDS,
    Workspace,
    on_temporary_server,
)

log = logging.getLogger("cofacilitate")

SOMETHING_WENT_WRONG = (
    "Something went wrong on our side. It was not your fault. What you typed is still on screen. "
    "If it happens again, please tell the person running the session."
)
FULL_WIDTH = widgets.Layout(width="100%")
WIDE_LABEL = {"description_width": "initial"}


def html(markup: str, css: str = "") -> widgets.HTML:
    """Fixed markup written by us. Anything a person typed must go through `escape` first."""
    block = widgets.HTML(markup, layout=FULL_WIDTH)
    if css:
        block.add_class(css)
    return block


def card_intro_html(card: Card) -> str:
    """An exercise card's own words at the top of its page, with where it comes from."""
    note = " We have put it in our own words." if card.adapted else ""
    return (
        f"<h2>{escape(card.title)}</h2><p>{escape(card.purpose)}</p><p>{escape(card.instructions)}</p>"
        f'<p class="cofa-source"><small>Based on: {escape(card.source.rstrip("."))}.{note}</small></p>'
    )


def problem_note(text: str) -> widgets.HTML:
    """A problem that stops part of a page (a bad card, an unusable workspace), in its own words."""
    return html(f'<div class="cofa-notice cofa-temporary" role="alert"><p style="white-space: pre-line">{escape(text)}</p></div>')


def heading(text: str, level: int = 2) -> widgets.HTML:
    return html(f"<h{level}>{escape(text)}</h{level}>")


def paragraph(text: str, css: str = "") -> widgets.HTML:
    return html(f"<p>{escape(text)}</p>", css)


class Feedback(widgets.HTML):
    """The app's one message line: what just happened, in words (never colour alone)."""

    def __init__(self) -> None:
        super().__init__(value="", layout=FULL_WIDTH)
        self.add_class("cofa-feedback")

    def say(self, text: str, kind: str = "info") -> None:
        prefix = {"done": "Done: ", "problem": "Problem: ", "info": ""}[kind]
        role = "alert" if kind == "problem" else "status"
        self.value = f'<p role="{role}" class="cofa-{kind}">{escape(prefix + text)}</p>'

    def guard(self, callback: Callable | None = None, *, problem: str = SOMETHING_WENT_WRONG) -> Callable:
        """Wrap a widget callback: on any error, a plain message here and the details in the log."""
        if callback is None:
            return functools.partial(self.guard, problem=problem)

        @functools.wraps(callback)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except Exception:  # the page must keep working whatever went wrong
                log.exception("callback %s failed", getattr(callback, "__qualname__", callback))
                self.say(problem, "problem")
                return None

        return guarded


def kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The running kernel's event loop, or None in plain Python (tests, scripts).

    A loop may be running that is not a kernel's (Playwright's sync API keeps one in the
    main thread), and a callback scheduled there would never run, so ask for a kernel too.
    """
    from ipykernel.kernelbase import Kernel

    if not Kernel.initialized():
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def after_input_settles(action: Callable[[], None], delay: float = 0.4) -> None:
    """Run `action` once the browser's last keystrokes have reached the kernel.

    The browser holds back a text box's newest value while an earlier one is in flight,
    but sends a button click at once, so a click can overtake the last words typed.
    Waiting a moment lets them land first; without an event loop (plain Python) it runs now.
    """
    loop = kernel_loop()
    if loop is None:
        action()
    else:
        loop.call_later(delay, action)


def text_field(label: str, *, placeholder: str = "", multiline: bool = False, css: str = "") -> widgets.Widget:
    """A labelled text box; the label is a real <label> so screen readers and tests find it."""
    maker = widgets.Textarea if multiline else widgets.Text
    box = maker(description=label, placeholder=placeholder, style=WIDE_LABEL, layout=FULL_WIDTH, continuous_update=True)
    box.add_class("cofa-stack")
    if multiline:
        box.rows = 3
    if css:
        box.add_class(css)
    return box


def choice(label: str, options: Sequence[tuple[str, Any]], *, css: str = "") -> widgets.Dropdown:
    """A labelled drop-down list (a native <select>, so arrow keys work)."""
    box = widgets.Dropdown(description=label, options=list(options), value=options[0][1], style=WIDE_LABEL, layout=FULL_WIDTH)
    box.add_class("cofa-stack")
    if css:
        box.add_class(css)
    return box


def list_box(label: str, rows: int, css: str) -> widgets.Select:
    """A labelled list to choose one item from (arrow keys move through it)."""
    box = widgets.Select(description=label, options=[], rows=rows, style=WIDE_LABEL, layout=FULL_WIDTH)
    box.add_class("cofa-stack")
    box.add_class(css)
    return box


def tick_boxes(options: Iterable[tuple[str, str]], css: str = "") -> dict[str, widgets.Checkbox]:
    """One labelled tick box per option, keyed by the option's id."""
    boxes = {}
    for label, key in options:
        box = widgets.Checkbox(description=label, value=False, indent=False, layout=FULL_WIDTH)
        if css:
            box.add_class(css)
        boxes[key] = box
    return boxes


def button(label: str, css: str, *, primary: bool = False) -> widgets.Button:
    made = widgets.Button(description=label, button_style="primary" if primary else "", tooltip=label)
    made.layout = widgets.Layout(width="auto", min_height="44px")
    made.add_class(css)
    return made


def table_html(caption: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], css: str = "cofa-table") -> str:
    """A plain, escaped table: the alternative to every chart."""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def download_link(text: str, filename: str, data: bytes, mime: str, css: str) -> str:
    """A link that saves a file straight from the page (Voilà cannot serve files it did not make)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="cofa-download {escape(css)}" download="{escape(filename)}" '
        f'href="data:{mime};base64,{encoded}">{escape(text)}</a>'
    )


def storage_notice(workspace: Workspace) -> widgets.HTML:
    """Say plainly where answers are kept, and warn loudly when the server is temporary."""
    if on_temporary_server():
        return html(
            '<div class="cofa-notice cofa-temporary" role="note"><strong>Please note: this copy runs on a '
            "temporary server.</strong> What you save here is deleted when you close the page or after about "
            "ten minutes without use. Before you leave, use <em>Get my answers as files</em> to keep a copy. "
            "You can bring it back later with <em>Restore from a file</em>.</div>"
        )
    return html(
        '<p class="cofa-notice" role="note">Your answers are saved on this computer only, in '
        f"<code>{escape(str(workspace.home))}</code>. Nothing is sent anywhere.</p>"
    )


class DraftKeeper:
    """Keeps every typed word: restores drafts when a page opens, saves them as people type."""

    def __init__(self, workspace: Workspace, tool: str, owner: str, feedback: Feedback, delay: float = 0.6) -> None:
        self.workspace, self.tool, self.owner, self.feedback, self.delay = workspace, tool, owner, feedback, delay
        self.saved: dict[str, Any] = workspace.drafts(tool, owner)
        self._pending: dict[str, Any] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._flush = feedback.guard(
            self.flush,
            problem="We could not keep a draft of your words just now. They are still on screen: please press Save.",
        )

    def keep(self, key: str, widget: widgets.ValueWidget) -> widgets.ValueWidget:
        """Bring back this field's draft (if any) and save it again on every change."""
        if key in self.saved:
            try:
                widget.value = self.saved[key]
            except Exception:  # an option that a card no longer offers: start the field afresh
                log.info("draft %s no longer fits its field", key)
        widget.observe(self.feedback.guard(lambda change: self._changed(key, change["new"])), names="value")
        return widget

    def remember(self, key: str, value: Any) -> None:
        """Keep a piece of state that is not one widget's value (a list being built, say)."""
        self._changed(key, value)

    def _changed(self, key: str, value: Any) -> None:
        self._pending[key] = value
        loop = kernel_loop()
        if loop is None:  # plain Python: save at once
            self._flush()
            return
        if self._timer:
            self._timer.cancel()
        self._timer = loop.call_later(self.delay, self._flush)

    def flush(self) -> None:
        """Save every pending draft now (also called before an explicit Save)."""
        if self._timer:
            self._timer.cancel()
            self._timer = None
        pending, self._pending = self._pending, {}
        try:
            for key, value in pending.items():
                self.workspace.save_draft(self.tool, self.owner, key, value)
        except Exception:
            self._pending = {**pending, **self._pending}
            raise

    def forget(self, keys: Iterable[str]) -> None:
        """Drop drafts that have been saved for real."""
        keys = list(keys)
        for key in keys:
            self._pending.pop(key, None)
        self.workspace.clear_drafts(self.tool, self.owner, keys)


class UploadBox(widgets.VBox):
    """Choose a response card file; its bytes go to `on_file`, with the size checked first."""

    def __init__(self, label: str, on_file: Callable[[bytes, str], None], feedback: Feedback, css: str) -> None:
        self.picker = widgets.FileUpload(accept=".json,application/json", multiple=False, description=label)
        self.picker.layout = widgets.Layout(width="auto", min_height="44px")
        self.picker.add_class(css)
        self.on_file, self.feedback = on_file, feedback
        self.picker.observe(feedback.guard(self._received), names="value")
        hint = paragraph(f"Choose a response card file (.json) that this app saved. Files can be up to {MAX_CARD_SIZE_WORDS}.")
        super().__init__([hint, self.picker])

    def _received(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        self.picker.value = ()  # so the same file can be chosen again after fixing it
        if item["size"] > MAX_CARD_BYTES:
            self.feedback.say(
                f"That file is too big ({item['size'] / 1_000_000:.1f} MB). Response cards are at most "
                f"{MAX_CARD_SIZE_WORDS}. Nothing was changed.",
                "problem",
            )
            return
        self.on_file(bytes(item["content"]), str(item["name"]))


class ChartView(widgets.VBox):
    """A chart with its sentence and its table: every chart needs a text alternative."""

    def __init__(self, css: str) -> None:
        super().__init__(layout=FULL_WIDTH)
        self.add_class(css)
        self.sentence = html("", "cofa-chart-sentence")
        self.table = html("", "cofa-chart-table")
        self._chart: widgets.Widget | None = None

    def show(self, chart: Any, sentence: str, caption: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Draw (or redraw) the chart; pandas and altair are already loaded by the caller."""
        from cofacilitate.offline import offline_chart_class

        if self._chart is None:
            self._chart = offline_chart_class()(chart, embed_options={"renderer": "svg", "actions": False})
            self._chart.layout = FULL_WIDTH
        else:
            self._chart.chart = chart
        self.sentence.value = f"<p>{escape(sentence)}</p>"
        rows = list(rows)
        opened = " open" if len(rows) <= 12 else ""
        count = f"{len(rows)} row" + ("" if len(rows) == 1 else "s")
        self.table.value = f"<details{opened}><summary>The same as a table ({count})</summary>{table_html(caption, columns, rows)}</details>"
        self.children = [self.sentence, self._chart, self.table]


def launch(build: Callable[[Workspace], widgets.Widget], home: str | None = None) -> widgets.Widget:
    """Open the workspace and build an app; if either fails, show why in plain words instead."""
    from cofacilitate.cards import CardError
    from cofacilitate.store import WorkspaceError, configure_log

    try:
        workspace = Workspace.open(home)
        configure_log(workspace)
        app = build(workspace)
    except (WorkspaceError, CardError) as err:
        app = problem_note(str(err))
    app.add_class("cofa-app")
    return app


def project_field(label: str) -> widgets.Combobox:
    """The project's name: free text that also offers the projects already saved."""
    from cofacilitate.snapshots import DEFAULT_PROJECT

    field = widgets.Combobox(description=label, placeholder=DEFAULT_PROJECT, ensure_option=False, style=WIDE_LABEL, layout=FULL_WIDTH)
    field.add_class("cofa-stack")
    field.add_class("cofa-project")
    return field


def saved_list_html(project: str, what: str, entries: Sequence[str]) -> str:
    """The list of earlier saves for a project, oldest first, all escaped."""
    if not entries:
        return f"<p>No saved {escape(what)} of “{escape(project)}” yet.</p>"
    items = "".join(f"<li>{escape(entry)}</li>" for entry in entries)
    return f'<p>Saved {escape(what)} of “{escape(project)}”, oldest first:</p><ol class="cofa-history-items">{items}</ol>'


@dataclass(frozen=True)
class DownloadFile:
    text: str
    filename: str
    data: bytes
    mime: str
    css: str


class FilesPanel(widgets.VBox):
    """Keep or restore answers: files made on request, and an upload that restores a response card."""

    def __init__(self, feedback: Feedback, workspace: Workspace, tool: str, check_body: Callable[[dict], Any],
                 make_files: Callable[[], list[DownloadFile]], after_restore: Callable[[], None]) -> None:
        self.feedback, self.workspace, self.tool = feedback, workspace, tool
        self.check_body, self.make_files, self.after_restore = check_body, make_files, after_restore
        self.button = button("Get my answers as files", "cofa-get-files")
        self.links = html("", "cofa-files")
        self.button.on_click(lambda _: after_input_settles(feedback.guard(self.prepare)))
        self.upload = UploadBox("Restore from a file", feedback.guard(self.restore), feedback, "cofa-upload")
        super().__init__([
            heading("Keep or restore your answers"),
            paragraph("Download your answers to keep them, or to share them with someone you choose."),
            self.button, self.links, self.upload,
        ], layout=FULL_WIDTH)

    def prepare(self) -> None:
        files = self.make_files()
        if not files:
            self.feedback.say("There is nothing saved yet. Press Save first, then get your files.")
            return
        self.links.value = "".join(download_link(f.text, f.filename, f.data, f.mime, f.css) for f in files)
        self.feedback.say("Your files are ready. Use the links below.", "done")

    def restore(self, data: bytes, name: str) -> None:
        """Import a response card whole, or say plainly why not (nothing changes then)."""
        from cofacilitate.store import ImportRefused

        try:
            report = self.workspace.import_card(data, self.tool, self.check_body)
        except ImportRefused as refusal:
            self.feedback.say(str(refusal), "problem")
            return
        self.after_restore()
        self.feedback.say(f"From {name}: {report.sentence()}", "done")

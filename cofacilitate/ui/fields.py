"""Labelled controls and escaped markup: the pieces every page is built from.

`widgets.HTML` is raw innerHTML, so every piece of text a person could have typed goes
through `escape`; every control carries a real label so screen readers and tests find it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any, TypeAlias
from weakref import WeakKeyDictionary

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from cofacilitate.cards import Card
from cofacilitate.ui.press import Press

FULL_WIDTH = widgets.Layout(width="100%")
# One style of each kind, shared like FULL_WIDTH: otherwise every widget sends its own style model to
# the browser before the page can show (a third of an agendas page's models were HTML styles).
HTML_STYLE = HTMLStyle()
TEXT_STYLE = TextStyle(description_width="initial")
LIST_STYLE = DescriptionStyle(description_width="initial")
TICK_STYLE = CheckboxStyle()
BUTTON_LAYOUT = widgets.Layout(width="auto", min_height="44px")
SHARED_MODELS = (FULL_WIDTH, HTML_STYLE, TEXT_STYLE, LIST_STYLE, TICK_STYLE, BUTTON_LAYOUT)
RETIRE_GRACE = 5.0  # seconds a replaced widget still takes keystrokes already on their way, before it closes


def live_widgets() -> list[widgets.Widget]:
    """Every widget model open in this kernel (what a page holds in the browser's widget store too)."""
    from ipywidgets.widgets.widget import _instances

    return list(_instances.values())


def widgets_in(holder: object) -> list[widgets.Widget]:
    """The widgets an object keeps as its own public attributes (alone, or in lists and dicts)."""
    found: list[widgets.Widget] = []
    for name, value in vars(holder).items():
        if name.startswith("_"):  # a widget's own traits live there: its layout, its parent's shared style
            continue
        values = value.values() if isinstance(value, dict) else value if isinstance(value, list | tuple) else [value]
        found += [item for item in values if isinstance(item, widgets.DOMWidget)]
    return found


def retire(*gone: widgets.Widget) -> None:
    """Close widgets a page has replaced, and everything inside them, so no one's words stay in the kernel or browser.

    On a slow kernel, typing into a box can still be on its way when the box is replaced: the box
    stays open a few seconds so those words reach its draft first. Without a kernel loop it closes now.
    """
    from cofacilitate.ui.events import kernel_loop

    loop = kernel_loop()
    if loop is None:
        close_tree(gone)
    else:
        loop.call_later(RETIRE_GRACE, close_tree, gone)


def close_tree(roots: Iterable[widgets.Widget]) -> None:
    """Close every widget under these roots, with their own layouts and styles (never one still in use or the kit's)."""
    found: dict[int, widgets.Widget] = {}
    waiting = list(roots)
    while waiting:
        widget = waiting.pop()
        if (isinstance(widget, widgets.Widget) and widget.comm is not None and id(widget) not in found
                and all(widget is not kept for kept in SHARED_MODELS)):
            found[id(widget)] = widget
            waiting += list(getattr(widget, "children", ()))
            if widget in _LIMITS:  # a text box's counter sits beside it, not inside
                waiting.append(_LIMITS[widget][1])
            if hasattr(widget, "owned_widgets"):  # parts kept aside until shown (a chart's table, a question)
                waiting += widget.owned_widgets()
    parts = {id(part): part for widget in found.values()
             for part in (getattr(widget, "layout", None), getattr(widget, "style", None))
             if isinstance(part, widgets.Widget) and all(part is not kept for kept in SHARED_MODELS)}
    for widget in found.values():
        widget.close()
    still_used = {id(getattr(w, name, None)) for w in list(live_widgets()) for name in ("layout", "style")}
    for key, part in parts.items():
        if key not in still_used:
            part.close()


def html(markup: str, css: str = "") -> widgets.HTML:
    """Fixed markup written by us. Anything a person typed must go through `escape` first."""
    block = widgets.HTML(markup, layout=FULL_WIDTH, style=HTML_STYLE)
    if css:
        block.add_class(css)
    return block


def anchor(text: str) -> str:
    """The id a section's heading has, so the page's list of sections can jump to it."""
    return "cofa-" + ("-".join(re.findall(r"[a-z0-9]+", text.lower()))[:60] or "section")


def heading(text: str, level: int = 2) -> widgets.HTML:
    """A heading; a section's own (level 2) can be jumped to from the list at the top of the page."""
    if level == 2:
        return html(f'<h2 id="{anchor(text)}" tabindex="-1">{escape(text)}</h2>', "cofa-section-heading")
    return html(f"<h{level}>{escape(text)}</h{level}>")


def sections_in(root: widgets.Widget) -> list[str]:
    """The page's section headings, in order (what the list at the top of the page jumps to)."""
    found = []
    if isinstance(root, widgets.HTML) and "cofa-section-heading" in root._dom_classes:
        found.append(re.sub(r"<[^>]+>", "", root.value))
    for child in getattr(root, "children", ()):
        found += sections_in(child)
    return found


def contents_html(sections: Sequence[str]) -> str:
    """A short list of the page's sections; each jumps to its heading (and moves the keyboard there too)."""
    from html import unescape

    items = "".join(f'<li><a href="#{anchor(unescape(s))}">{s}</a></li>' for s in sections)
    return f'<nav class="cofa-contents" aria-label="On this page"><p><strong>On this page</strong></p><ul>{items}</ul></nav>'


def paragraph(text: str, css: str = "") -> widgets.HTML:
    return html(f"<p>{escape(text)}</p>", css)


TextBox: TypeAlias = "widgets.Text | widgets.Textarea | widgets.Combobox"
# Every text box's limit (the same as its model's) and the counter that says it, kept beside the box.
_LIMITS: WeakKeyDictionary[widgets.Widget, tuple[int, widgets.HTML]] = WeakKeyDictionary()


def counter_words(length: int, limit: int) -> str:
    """A friendly count near the limit, and past it what to do; silent well below it."""
    if length > limit:
        return (f"This is {length - limit:,} characters longer than the {limit:,} this box can save. "
                "Please shorten it before you save. Your words are kept.")
    if length >= limit * 0.8:
        return f"{length:,} of {limit:,} characters used."
    return ""


def counted(box: TextBox, limit: int) -> TextBox:
    """Give a text box its model's limit and a counter that speaks up near it (words are never cut)."""
    counter = html("", "cofa-counter")

    def show(_: object = None) -> None:
        words = counter_words(len(box.value), limit)
        counter.value = f'<p aria-live="polite">{escape(words)}</p>' if words else ""

    box.observe(show, names="value")
    _LIMITS[box] = (limit, counter)
    return box


def with_counter(box: widgets.Widget) -> list[widgets.Widget]:
    """A text box and its counter, for a page's layout."""
    return [box, _LIMITS[box][1]] if box in _LIMITS else [box]


def shorten_first(label: str) -> str:
    """What Save says when a box holds more than it can keep: which box, and what to do."""
    return f"“{label}” holds more than it can save. Please shorten it, then press Save again."


def over_limit(root: widgets.Widget) -> list[str]:
    """The labels of every text box on a page that holds more than it can save."""
    found = []
    if root in _LIMITS and len(root.value) > _LIMITS[root][0]:
        found.append(str(root.description))
    for child in getattr(root, "children", ()):
        found += over_limit(child)
    return found


def text_field(label: str, *, limit: int, placeholder: str = "", multiline: bool = False, css: str = "") -> TextBox:
    """A labelled text box with its limit; the label is a real <label> so screen readers and tests find it."""
    maker = widgets.Textarea if multiline else widgets.Text
    box = maker(description=label, placeholder=placeholder, style=TEXT_STYLE, layout=FULL_WIDTH, continuous_update=True)
    box.add_class("cofa-stack")
    if isinstance(box, widgets.Textarea):
        box.rows = 3
    if css:
        box.add_class(css)
    return counted(box, limit)


def choice(label: str, options: Sequence[tuple[str, Any]], *, css: str = "") -> widgets.Dropdown:
    """A labelled drop-down list (a native <select>, so arrow keys work)."""
    box = widgets.Dropdown(description=label, options=list(options), value=options[0][1], style=LIST_STYLE, layout=FULL_WIDTH)
    box.add_class("cofa-stack")
    if css:
        box.add_class(css)
    return box


def list_box(label: str, rows: int, css: str) -> widgets.Select:
    """A labelled list to choose one item from (arrow keys move through it)."""
    box = widgets.Select(description=label, options=[], rows=rows, style=LIST_STYLE, layout=FULL_WIDTH)
    box.add_class("cofa-stack")
    box.add_class(css)
    return box


def tick_boxes(options: Iterable[tuple[str, str]], css: str = "") -> dict[str, widgets.Checkbox]:
    """One labelled tick box per option, keyed by the option's id."""
    boxes = {}
    for label, key in options:
        box = widgets.Checkbox(description=label, value=False, indent=False, layout=FULL_WIDTH, style=TICK_STYLE)
        if css:
            box.add_class(css)
        boxes[key] = box
    return boxes


def button(label: str, css: str, *, primary: bool = False) -> Press:
    """A button that acts on everything typed before it was pressed (see `ui.press`)."""
    return Press(label, css, primary=primary, layout=BUTTON_LAYOUT)


def project_field(label: str) -> TextBox:
    """The project's name: free text that also offers the projects already saved."""
    from cofacilitate.snapshots import DEFAULT_PROJECT, MAX_PROJECT

    # Sent when the person leaves the box (or presses Enter), not at each key: a page fills its form again for the
    # project named, and a name still arriving letter by letter could land after an answer chosen below it.
    field = widgets.Combobox(description=label, placeholder=DEFAULT_PROJECT, ensure_option=False,
                             style=TEXT_STYLE, layout=FULL_WIDTH, continuous_update=False)
    field.add_class("cofa-stack")
    field.add_class("cofa-project")
    return counted(field, MAX_PROJECT)


def table_html(caption: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], css: str = "cofa-table") -> str:
    """A plain, escaped table: the alternative to every chart."""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def saved_list_html(project: str, what: str, entries: Sequence[str], unreadable: Sequence[str] = ()) -> str:
    """The list of earlier saves for a project, oldest first, all escaped; and what could not be shown."""
    if entries:
        items = "".join(f"<li>{escape(entry)}</li>" for entry in entries)
        listed = f'<p>Saved {escape(what)} of “{escape(project)}”, oldest first:</p><ol class="cofa-history-items">{items}</ol>'
    else:
        listed = f"<p>Nothing saved yet for “{escape(project)}”.</p>"
    if not unreadable:
        return listed
    count = "One saved item" if len(unreadable) == 1 else f"{len(unreadable)} saved items"
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in unreadable)
    return listed + (
        f'<div class="cofa-unreadable" role="note"><p>{count} could not be shown here. Nothing was deleted.</p>'
        f"<ul>{reasons}</ul></div>"
    )


def card_intro_html(card: Card[Any]) -> str:
    """An exercise card's own words at the top of its page, with where it comes from.

    A card's `source` is written to follow "This comes from", so a source of several
    sentences reads on: "This comes from several ideas. The map of ... is from ...".
    """
    note = " We have put it in our own words." if card.adapted else ""
    return (
        f"<h2>{escape(card.title)}</h2><p>{escape(card.purpose)}</p><p>{escape(card.instructions)}</p>"
        f'<p class="cofa-source"><small>This comes from {escape(card.source.rstrip("."))}.{note}</small></p>'
    )

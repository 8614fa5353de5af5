"""Keeping every typed word: drafts saved as people type, and one id per Save.

Drafts belong to one person in one room, and each to what it is about (a project, a
card, a question), so two tabs on two projects never mix their words. The keeper holds
the newest value of every field in memory too, so a page that rebuilds part of itself
(another ladder chosen, then the first again) gets the newest words back, never an older
draft; and words typed into a box while it was being replaced carry over to the box that
took its place.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets

from cofacilitate.store import Owner, Workspace, new_id
from cofacilitate.store.sealed import is_sealed
from cofacilitate.ui.events import Debounced
from cofacilitate.ui.messages import Feedback

log = logging.getLogger("cofacilitate")

DRAFT_PROBLEM = "We could not keep a draft of your words just now. They are still on screen: please press Save."
MOST_IN_A_KEY_PART = 48  # a longer part (a project's name can be 200 characters) is kept by its fingerprint

DraftKey = str | Callable[[], str]


class DraftRefused(Exception):
    """A page will not write drafts just now and has said why itself (a diary locked in another window)."""


def draft_key(*parts: str) -> str:
    """A draft's key from what it belongs to (project, card, question), of bounded size whatever a person typed."""
    return "/".join(part if len(part) <= MOST_IN_A_KEY_PART and "/" not in part
                    else "#" + hashlib.sha256(part.encode("utf-8", "surrogatepass")).hexdigest()[:32] for part in parts)


def is_empty(value: Any) -> bool:
    """A draft that holds nothing: it must never hide a saved answer."""
    return value is None or value is False or value == "" or value == [] or value == {}


class DraftKeeper:
    """Keeps every typed word: restores drafts when a page opens, saves them as people type."""

    def __init__(self, store: Workspace, tool: str, owner: Owner, feedback: Feedback, delay: float = 0.6, *,
                 bring_back: bool = True) -> None:
        """`bring_back=False`: a page that could not open with its drafts opens without them (they stay stored)."""
        self.store, self.tool, self.owner, self.feedback = store, tool, owner, feedback
        self.newest: dict[str, Any] = store.drafts(tool, owner) if bring_back else {}
        self.brought_back: set[str] = set()
        self.on_change: list[Callable[[], None]] = []
        self._pending: dict[str, Any] = {}
        self._debounced = Debounced(feedback.guard(self.flush, problem=DRAFT_PROBLEM), delay)
        self._seal: Callable[[Any], Any] | None = None
        self._unseal: Callable[[Any], Any] = lambda value: value
        self._holders: dict[str, widgets.ValueWidget] = {}  # the newest field kept under each fixed key
        self._quiet = 0

    def sealing(self, seal: Callable[[Any], Any] | None, unseal: Callable[[Any], Any] | None) -> None:
        """Keep drafts sealed from now on (a locked diary), or plain again (both None); opens what is kept now."""
        self.flush()
        self._seal, self._unseal = seal, unseal or (lambda value: value)
        self.newest = {key: self._opened(value) for key, value in self.store.drafts(self.tool, self.owner).items()}

    def _opened(self, value: Any) -> Any:
        try:
            return self._unseal(value)
        except ValueError:  # sealed with another key, or damaged: it cannot be shown, and stays in the file
            return None

    def keep(self, key: DraftKey, widget: widgets.ValueWidget) -> widgets.ValueWidget:
        """Put this field's newest draft on top of what the field shows, then keep every change.

        An empty draft is not put back: the field keeps the saved answer it was filled with. A key
        can be a function (the field belongs to whichever project is chosen now): it is read at each change.
        """
        key_now: Callable[[], str] = key if callable(key) else (lambda: key)
        self._put_back(key_now(), widget)
        if not callable(key):
            self._holders[key] = widget
        widget.observe(self.feedback.guard(lambda change: self._typed(key_now(), widget, change["new"])), names="value")
        return widget

    def refill(self, key: str, widget: widgets.ValueWidget, shown: Any) -> None:
        """Show `shown` (a saved answer, or empty) in a kept field, with its newest draft under `key` on top."""
        with self.quiet():
            widget.value = shown
            self._put_back(key, widget)

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Values the page itself puts in fields (a saved answer shown again) are not drafts."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def _put_back(self, key: str, widget: widgets.ValueWidget) -> None:
        draft = self.newest.get(key)
        if is_empty(draft) or is_sealed(draft):  # sealed words show only once their lock is opened
            return
        try:
            with self.quiet():
                widget.value = draft
            self.brought_back.add(key)
        except Exception:  # an option that a card no longer offers: the field keeps what it had
            log.info("a draft of %s no longer fits its field", self.tool)  # never the key: it can hold a project's name

    def _typed(self, key: str, widget: widgets.ValueWidget, value: Any) -> None:
        if self._quiet:
            return
        self.remember(key, value)
        successor = self._holders.get(key)
        if successor is not None and successor is not widget and successor.comm is not None and successor.value != value:
            with self.quiet():  # typed into a box as it was replaced: the words carry over to the box in its place
                successor.value = value

    def remember(self, key: str, value: Any) -> None:
        """Keep a value as a draft (also for state that is not one widget's value, such as a list)."""
        self.newest[key] = value
        self._pending[key] = value
        for listener in self.on_change:
            listener()
        self._debounced.poke()

    @property
    def all_kept(self) -> bool:
        """Whether every word typed so far is in the store (False after a draft failed to write)."""
        return not self._pending

    def flush(self) -> None:
        """Save every pending draft now (also called before an explicit Save)."""
        self._debounced.cancel()
        pending, self._pending = self._pending, {}
        try:
            for key, value in pending.items():
                self.store.save_draft(self.tool, self.owner, key, self._seal(value) if self._seal else value)
        except DraftRefused:  # kept in memory and on screen; the page has said why
            self._pending = {**pending, **self._pending}
        except Exception:
            self._pending = {**pending, **self._pending}
            raise

    def forget(self, saved: Mapping[str, Any]) -> None:
        """Drop the drafts a Save just stored; a draft another page has changed since stays."""
        for key, value in saved.items():
            if self.newest.get(key) == value:
                self.newest.pop(key, None)
        if self._seal:  # sealed drafts differ each time: compare what they hold, then clear what is stored
            stored = self.store.drafts(self.tool, self.owner)
            saved = {key: stored[key] for key, value in saved.items() if key in stored and self._opened(stored[key]) == value}
        self.store.clear_drafts(self.tool, self.owner, saved)


class SaveSlot:
    """The id the next Save uses: made when the form opens and kept until the form changes.

    So a double click, or a Save sent twice, stores one record; a change after a Save
    makes the next Save a new, dated record.
    """

    def __init__(self) -> None:
        self.id = new_id()
        self.used = False

    def take(self) -> str:
        self.used = True
        return self.id

    def changed(self) -> None:
        if self.used:
            self.id, self.used = new_id(), False

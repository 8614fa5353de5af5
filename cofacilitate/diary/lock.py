"""Locking the diary with a passphrase: entries and drafts sealed at rest, opened for this page only.

The lock itself (its salt and check) is kept as one of the person's drafts, so locking,
changing the passphrase and removing the lock each rewrite the records, the drafts and the
lock in one transaction (`Workspace.rewrite`): a kill halfway leaves the old state whole.
The passphrase is never stored, logged or shown; only the page's memory holds the key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.store import Owner, Record, Workspace
from cofacilitate.store.sealed import Key, Lock, check_new_passphrase, new_lock, open_lock

SEALED_KIND = "diary-sealed"
LOCK_DRAFT = "__lock__"  # the drafts' key that holds the lock (never a field's)
OPEN_IT_HERE = ("Your diary was locked in another window. Your words are still on screen. Open your diary below "
                "with your passphrase, then try again.")
NOT_RESTORED = ("your diary was locked in another window, so nothing can be brought back into it from this page. "
                "Open your diary below with your passphrase, then restore the file again")


class LockedElsewhere(ValueError, ui.DraftRefused):
    """The diary's lock changed in another window since this page knew it: nothing is written until it catches up."""

    def __init__(self) -> None:
        super().__init__("the diary's lock changed in another window")


def changed_elsewhere(seen: Lock | None, stored: Lock | None) -> str:
    """What a page says when another window locked the diary, changed its passphrase or removed the lock."""
    if stored is None:
        return "The lock on your diary was removed in another window. Your diary is kept as plain words again."
    which = "locked" if seen is None else "given a new passphrase"
    passphrase = "your passphrase" if seen is None else "the new passphrase"
    return (f"Your diary was {which} in another window, so nothing more from this page is kept for now. Your words are "
            f"still on screen. To keep them, type {passphrase} under “Your diary is locked” below, then press "
            "“Open my diary”.")


def sealed_body(key: Key, body: dict[str, Any], context: str) -> dict[str, Any]:
    """A record's body as the file keeps it once locked: only which card, and the sealed words."""
    return {"kind": SEALED_KIND, "version": 1, "card": body.get("card", ""), "sealed": key.seal(body, context)}


def opened_body(key: Key | None, body: dict[str, Any], context: str) -> dict[str, Any]:
    """A body to read: sealed ones opened with the key (ValueError if it cannot be)."""
    if body.get("kind") != SEALED_KIND:
        return body
    if key is None:
        raise ValueError("it is locked")
    opened = key.unseal(str(body.get("sealed", "")), context)
    if not isinstance(opened, dict):
        raise ValueError("it could not be opened")
    return opened


def rewritten(store: Workspace, tool: str, owner: Owner, context: str, old: Key | None, new: Key | None,
              lock: Lock | None) -> None:
    """Open every record and draft with the old key, seal them with the new one (or none), in one transaction."""
    bodies = {record.id: opened_body(old, record.body, context) for record in store.records(tool, owner) if not record.problem}
    drafts = {name: old.unseal(value, context) if old and isinstance(value, str) and value.startswith("sealed-v1:") else value
              for name, value in store.drafts(tool, owner).items() if name != LOCK_DRAFT}
    if new:
        bodies = {record_id: sealed_body(new, body, context) for record_id, body in bodies.items()}
        drafts = {name: new.seal(value, context) for name, value in drafts.items()}
    store.rewrite(tool, owner, bodies, {**drafts, **({LOCK_DRAFT: lock.to_dict()} if lock else {})})


class LockedDiary(Protocol):
    """What the lock section needs from the diary page."""

    key: Key | None
    lock_seen: Lock | None
    context: str
    feedback: ui.Feedback

    @property
    def ctx(self) -> ui.Context: ...

    def stored_lock(self) -> Lock | None: ...

    def lock_changed(self, key: Key | None) -> None: ...

    def may_write(self) -> bool: ...


def secret(label: str, css: str) -> widgets.Password:
    box = widgets.Password(description=label, layout=ui.FULL_WIDTH, style=ui.fields.TEXT_STYLE)
    box.add_class("cofa-stack")
    box.add_class(css)
    return box


class LockSection(widgets.VBox):
    """Lock, open, change or remove the passphrase; which parts show depends on the diary's state."""

    def __init__(self, page: LockedDiary) -> None:
        self.page = page
        self.feedback = ui.Feedback()
        guard = self.feedback.guard
        self.current = secret("Your passphrase", "cofa-passphrase")
        self.new = secret("A new passphrase (at least 8 characters)", "cofa-new-passphrase")
        self.again = secret("The new passphrase again", "cofa-passphrase-again")
        self.buttons = {name: ui.button(words, f"cofa-{name}") for name, words in (
            ("lock", "Lock my diary"), ("open", "Open my diary"), ("change", "Change my passphrase"),
            ("unlock", "Remove the lock"))}
        actions: dict[str, Callable[[], None]] = {"lock": self.lock_diary, "open": self.open_diary,  # not Widget.open
                                                  "change": self.change_passphrase, "unlock": self.remove_lock}
        for name, action in actions.items():
            self.buttons[name].on_click(guard(lambda _, act=action: act()))
        super().__init__(layout=ui.FULL_WIDTH)
        self.add_class("cofa-lock-section")
        self.show()

    def _moved(self) -> bool:
        """Whether the lock changed in another window since the page knew it: then nothing here is done, and the
        page shows the lock as it is now (an action is never taken on a state the person did not see)."""
        if self.page.stored_lock() == self.page.lock_seen:
            return False
        self.page.may_write()
        return True

    def show(self) -> None:
        """Lay out the parts that fit: no lock yet, locked and closed, or locked and open."""
        lock, key = self.page.stored_lock(), self.page.key
        for box in (self.current, self.new, self.again):
            box.value = ""
        if lock is None:
            self.children = [
                ui.heading("Lock my diary (optional)"),
                ui.paragraph("A passphrase locks your entries and drafts in the file on this computer. Anyone who copies "
                             "the file then reads nothing of your diary."),
                ui.html('<p class="cofa-notice" role="note"><strong>Please note:</strong> if you forget the passphrase, no '
                        "one can open your diary again, not even us. Download your entries first (“Get my answers as files” "
                        "above), and keep the file somewhere safe.</p>"),
                self.new, self.again, self.buttons["lock"], self.feedback]
        elif key is None:
            self.children = [
                ui.heading("Your diary is locked"),
                ui.paragraph("Type your passphrase to open it on this page. It stays open until you leave or reload."),
                self.current, self.buttons["open"], self.feedback]
        else:
            self.children = [
                ui.heading("Your diary is locked, and open on this page"),
                ui.paragraph("It closes when you leave or reload the page. To change or remove the passphrase, type the "
                             "one you use now first."),
                self.current, self.new, self.again, self.buttons["change"], self.buttons["unlock"], self.feedback]

    def _new_passphrase(self) -> str | None:
        problem = check_new_passphrase(self.new.value)
        if problem is None and self.new.value != self.again.value:
            problem = "The two new passphrases are not the same. Please type them again."
        if problem:
            self.feedback.say(f"{problem} Nothing was changed.", "problem")
            return None
        return str(self.new.value)

    def _current_key(self) -> Key | None:
        lock = self.page.stored_lock()
        if lock is None:
            return None
        return open_lock(lock, self.current.value)  # WrongPassphrase: said plainly by the caller

    def _rewrite(self, old: Key | None, new: Key | None, lock: Lock | None, said: str) -> None:
        page = self.page
        page.ctx.drafts.flush()
        rewritten(page.ctx.store, page.ctx.tool.id, page.ctx.owner, page.context, old, new, lock)
        page.lock_changed(new)
        self.show()
        self.feedback.say(said, "done")

    def lock_diary(self) -> None:
        if self._moved():
            return
        passphrase = self._new_passphrase()
        if passphrase is None:
            return
        lock, key = new_lock(passphrase)
        self._rewrite(None, key, lock, "Your diary is locked. Your entries and drafts are sealed in the file.")

    def open_diary(self) -> None:
        if self.page.stored_lock() is None:  # removed in another window while this page was closed
            self.page.lock_changed(None)
            self.show()
            self.feedback.say("Your diary is open. Its lock was taken off in another window.", "done")
            return
        key = self._try(self._current_key)
        if key:
            self.page.lock_changed(key)
            self.show()
            self.feedback.say("Your diary is open on this page.", "done")

    def change_passphrase(self) -> None:
        if self._moved():
            return
        old = self._try(self._current_key)
        passphrase = self._new_passphrase() if old else None
        if old and passphrase:
            lock, key = new_lock(passphrase)
            self._rewrite(old, key, lock, "Your passphrase is changed. Use the new one from now on.")

    def remove_lock(self) -> None:
        if self._moved():
            return
        old = self._try(self._current_key)
        if old:
            self._rewrite(old, None, None, "The lock is removed. Your diary is kept in the file as plain words again.")

    def _try(self, get_key: Callable[[], Key | None]) -> Key | None:
        """The key from the typed passphrase; a wrong one is said plainly, and nothing changes."""
        from cofacilitate.store.sealed import WrongPassphrase

        try:
            return get_key()
        except WrongPassphrase as wrong:
            self.feedback.say(f"{wrong} Nothing was changed.", "problem")
            return None


def readable(record: Record, key: Key | None, context: str) -> Record:
    """A record with its body opened, for the person's own files (which must open anywhere)."""
    return replace(record, body=opened_body(key, record.body, context))

"""A document a group writes together, on a page: what stands now, the editor, Save, and every older version.

Each Save adds a version (`cofacilitate.versions`), so nothing anyone agreed is overwritten.
What someone is writing is kept as their own draft until they save. If someone else saved
while they wrote, both versions are kept and the page says so; a tool can also fold the
other version's additions in (`combine`). A tool subclasses `SharedSection` and says how its
editor reads, fills and shows a version.

Nobody is recorded as agreeing who did not: "Who agreed this?" starts empty, with the names
people gave on this project offered beside it, never filled in for them. A section opens
with whatever its draft holds (words too long to save stay in their box, with the counter
saying so); a refusal says what to do, never a library's wording.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from html import escape
from typing import Any, Generic, Protocol, TypeVar

import ipywidgets as widgets
from pydantic import ValidationError

from cofacilitate.cards import problem_sentence
from cofacilitate.snapshots import Saved
from cofacilitate.store import Record
from cofacilitate.ui.drafts import DraftKeeper, SaveSlot, is_empty
from cofacilitate.ui.fields import (
    FULL_WIDTH,
    TextBox,
    button,
    choice,
    heading,
    html,
    over_limit,
    paragraph,
    shorten_first,
    text_field,
    with_counter,
)
from cofacilitate.ui.messages import Feedback
from cofacilitate.versions import (
    MAX_NAME,
    MAX_NAMES,
    VersionFields,
    agreed_words,
    current,
    long_date,
    names_from,
    review_reasons,
    saved_meanwhile,
)
from cofacilitate.words import join_words, when_words

log = logging.getLogger("cofacilitate")
S = TypeVar("S", bound=VersionFields)
KEEP_DATE = "keep"
NO_DATE = "none"
LOOK_AGAIN = [("In one month", "31"), ("In three months", "91"), ("In six months", "182"), ("In a year", "365"),
              ("No date", NO_DATE)]


class VersionHost(Protocol):
    """What a shared section needs from its page: the versions, a way to keep one, and who is new."""

    drafts: DraftKeeper

    def versions(self, kind: str) -> list[Saved[Any]]: ...

    def keep_version(self, body: dict[str, Any], record_id: str) -> Record: ...

    def draft_key(self, kind: str) -> str: ...

    def newcomers(self, since: str) -> int: ...

    def names_to_suggest(self) -> list[str]: ...

    def too_long(self) -> list[str]:
        """The labels of boxes elsewhere on the page that a version is saved with (the project's name), if too long."""
        ...


def suggested_names_html(names: Sequence[str]) -> str:
    """The names a group might write under "Who agreed this?": offered, never filled in."""
    offer = f" Names given on this project: {join_words(list(names))}." if names else ""
    return f"<p>Write a name only when that person says they agree.{escape(offer)}</p>"


def refusal(problem: Exception, what: str) -> str:
    """Why a version cannot be saved, in words a person can act on (our own checks say so; a library's never shows)."""
    if isinstance(problem, ValidationError) and problem.errors(include_url=False)[0]["type"] != "value_error":
        log.info("a version of %s was refused: %s", what, problem.errors(include_url=False)[0]["type"])
        return f"Something in {what} does not fit what can be saved. Please check the boxes above, then press Save again."
    return problem_sentence(problem)


def review_date(chosen: str, kept: str, today: date) -> str:
    """The date to look again, from the list's choice: keep the one set, none, or some days from today."""
    if chosen == KEEP_DATE:
        return kept
    if chosen == NO_DATE:
        return ""
    return (today + timedelta(days=int(chosen))).isoformat()


class SharedSection(widgets.VBox, Generic[S]):
    """One shared document: the version that stands, the tool's editor, who agreed, Save, and the older versions."""

    kind = ""  # the body's kind, as the tool's model names it
    what = "this"  # how messages name the document ("the purpose")
    reviewable = False  # True: a date to look again, and a prompt when it comes or someone new joins

    def __init__(self, host: VersionHost, title: str, explanation: str, editor: Sequence[widgets.Widget], css: str,
                 typing: Mapping[str, TextBox] | None = None) -> None:
        self.host = host
        self.typing = dict(typing or {})  # boxes for words not yet added (a new rule): kept in the draft, not saved
        self.feedback = Feedback()  # it speaks beside its own Save
        self.slot, self._slot_key = SaveSlot(), ""
        self.based_on = ""
        self._filling = False
        self.standing = html("", "cofa-standing")
        self.prompt = html("", "cofa-review-prompt")
        self.older = html("", "cofa-older-versions")
        self.agreed = text_field("Who agreed this? Names, with commas between them.", limit=MAX_NAMES * (MAX_NAME + 2),
                                 css="cofa-agreed-by")
        self.suggested = html("", "cofa-agreed-suggestions")
        # only a document the group looks at again has the list (no model sent to the browser for nothing)
        self.look_again = choice("When should we look at this again?", LOOK_AGAIN, css="cofa-look-again") \
            if self.reviewable else None
        review = [self.look_again] if self.look_again else []
        self.save_button = button(f"Save {self.what} for the group", f"cofa-save-{self.kind}", primary=True)
        for field in (self.agreed, *review):
            field.observe(self.feedback.guard(lambda _: self.edited()), names="value")
        for box in self.typing.values():
            box.observe(self.feedback.guard(lambda _: self.keep_draft()), names="value")
        self.save_button.on_click(lambda _: self.feedback.guard(self.save)())
        super().__init__([
            heading(title), self.prompt, paragraph(explanation), self.standing, *editor, *with_counter(self.agreed),
            self.suggested, *review,
            paragraph(f"Everyone working on this project here can see {self.what}. Saving adds a new version; "
                      "the older ones are kept below."),
            self.save_button, self.feedback, self.older,
        ], layout=FULL_WIDTH)
        self.add_class(css)

    # -- what each document says -----------------------------------------------
    def value(self) -> Any:
        """What the editor holds, as plain data (kept as a draft)."""
        raise NotImplementedError

    def fill(self, value: Any) -> None:
        """Put plain data (a version's, or a draft's) into the editor."""
        raise NotImplementedError

    def value_of(self, item: S | None) -> Any:
        """A version's content as the editor's data; None: what a new document starts from."""
        raise NotImplementedError

    def body(self, value: Any, fields: dict[str, Any]) -> dict[str, Any]:
        """A checked body from the editor's data and the version fields; ValueError in plain words if it cannot be."""
        raise NotImplementedError

    def show_html(self, item: S) -> str:
        """A version's content on the page, every typed word escaped."""
        raise NotImplementedError

    def combine(self, body: dict[str, Any], meanwhile: list[Saved[S]]) -> tuple[dict[str, Any], str]:
        """Fold in versions saved meanwhile, and say what was done (nothing, by default: both stay as versions)."""
        return body, ""

    # -- what the kit does --------------------------------------------------------
    def edited(self) -> None:
        """The document changed: the next Save is a new version, and the change is kept as this person's draft."""
        if self._filling:
            return
        self.slot.changed()
        self.keep_draft()

    def keep_draft(self) -> None:
        """Keep what is being written as this person's draft, for this document in this project."""
        if not self._filling:
            self.host.drafts.remember(self.host.draft_key(self.kind), self._draft())

    def _draft(self) -> dict[str, Any]:
        return {"value": self.value(), "agreed": self.agreed.value,
                "look_again": self.look_again.value if self.look_again else "", "based_on": self.based_on,
                "typing": {name: box.value for name, box in self.typing.items()}}

    def refresh(self) -> bool:
        """Show the version that stands and the older ones, and fill the editor: this person's draft first.

        Returns whether a draft was brought back."""
        key = self.host.draft_key(self.kind)
        moved = key != self._slot_key
        if moved:  # another project or card: its own next version, never this one's
            self.slot, self._slot_key = SaveSlot(), key
        history = self.host.versions(self.kind)
        standing = current(history)
        self.show_versions(history)
        self.suggest_names()
        draft = self.host.drafts.newest.get(key)
        kept: dict[str, Any] = draft if isinstance(draft, dict) else {}
        typed = kept.get("typing")
        typing: dict[str, Any] = typed if isinstance(typed, dict) else {}
        self._filling = True
        try:
            if self.look_again:
                self.look_again.options = self._date_options(standing)
            if not is_empty(kept.get("value")) or any(typing.values()):
                return self._bring_back(kept, typing, standing)
            self.based_on = standing.record_id if standing else ""
            self.fill(self.value_of(standing.item if standing else None))
            self.agreed.value = ""  # only the people who say they agree, written in by the group
            if moved:
                for box in self.typing.values():
                    box.value = ""
            return False
        finally:
            self._filling = False

    def _bring_back(self, draft: dict[str, Any], typing: dict[str, Any], standing: Saved[S] | None) -> bool:
        """Put this person's draft back as they left it; what cannot be used is said, and what stands is shown."""
        try:
            self.fill(draft.get("value"))
        except (ValueError, TypeError):  # pydantic's ValidationError is a ValueError
            log.info("a draft of %s could not be shown", self.kind)
            self.fill(self.value_of(standing.item if standing else None))
            self.feedback.say(f"Your draft of {self.what} could not be shown here, so this shows what stands now.",
                              "problem")
        self.based_on = str(draft.get("based_on", ""))
        self.agreed.value = str(draft.get("agreed", ""))
        if self.look_again and draft.get("look_again") in [value for _, value in self.look_again.options]:
            self.look_again.value = draft["look_again"]
        for name, box in self.typing.items():
            box.value = str(typing.get(name, ""))
        return True

    def suggest_names(self) -> None:
        """Offer the names people gave on this project beside "Who agreed this?" (the box itself is left alone)."""
        self.suggested.value = suggested_names_html(self.host.names_to_suggest())

    def _date_options(self, standing: Saved[S] | None) -> list[tuple[str, str]]:
        kept = standing.item.review_on if standing else ""
        return ([(f"Keep the date we set: {long_date(kept)}", KEEP_DATE)] if kept else []) + LOOK_AGAIN

    def show_versions(self, history: list[Saved[S]]) -> None:
        standing = current(history)
        if standing is None:
            self.standing.value = "<p>Nothing is saved yet. Start from the words below, and change them as you agree.</p>"
            self.prompt.value = self.older.value = ""
            return
        self.standing.value = ('<div class="cofa-version" role="group" aria-label="What stands now">'
                               f"<p><strong>What stands now</strong> (saved {escape(when_words(standing.saved_at))}"
                               f"{escape(self._by(standing))}). {escape(agreed_words(standing.item.agreed_by))}</p>"
                               f"{self.show_html(standing.item)}</div>")
        reasons = review_reasons(standing.item.review_on, date.today(), self.host.newcomers(standing.saved_at)) \
            if self.reviewable else []
        self.prompt.value = (f'<p class="cofa-notice" role="note">It is a good time to look at {escape(self.what)} together '
                             f"again: {escape(join_words(reasons))}.</p>") if reasons else ""
        earlier = history[:-1]
        items = "".join(f"<li><p>Saved {escape(when_words(old.saved_at))}{escape(self._by(old))}. "
                        f"{escape(agreed_words(old.item.agreed_by))}</p>{self.show_html(old.item)}</li>"
                        for old in reversed(earlier))
        self.older.value = (f"<details><summary>Earlier versions ({len(earlier)})</summary><ol reversed>{items}</ol></details>"
                            if earlier else "")

    @staticmethod
    def _by(saved: Saved[Any]) -> str:
        return f" by {saved.pseudonym}" if saved.pseudonym else ""

    def save(self) -> None:
        typing = [str(box.description) for box in self.typing.values()]
        too_long = [label for label in [*self.host.too_long(), *over_limit(self)] if label not in typing]
        if too_long:
            self.feedback.say(f"{shorten_first(too_long[0])} Nothing was saved, and your words are still here.", "problem")
            return
        history = self.host.versions(self.kind)
        standing = current(history)
        fields = {"agreed_by": names_from(self.agreed.value), "based_on": self.based_on,
                  "review_on": review_date(self.look_again.value, standing.item.review_on if standing else "", date.today())
                  if self.look_again else ""}
        try:
            body = self.body(self.value(), fields)
        except ValueError as problem:  # pydantic's ValidationError is a ValueError
            self.feedback.say(f"{refusal(problem, self.what)} Nothing was saved, and your words are still here.",
                              "problem")
            return
        meanwhile = [saved for saved in saved_meanwhile(history, self.based_on) if saved.record_id != self.slot.id]
        body, folded = self.combine(body, meanwhile)
        draft = self._draft()
        record = self.host.keep_version(body, self.slot.take())
        self.host.drafts.forget({self.host.draft_key(self.kind): draft})
        self.host.drafts.newest.pop(self.host.draft_key(self.kind), None)
        self.refresh()
        said = f"Saved. This is now what stands for {self.what}, and older versions are kept."
        if meanwhile:
            others = join_words([f"{when_words(saved.saved_at)}{self._by(saved)}" for saved in meanwhile])
            said += (f" While you were writing, another version was saved ({others}). It is kept too, under "
                     f"“Earlier versions”. {folded}").rstrip()
        self.feedback.say(said, "done")
        self.based_on = record.id
        if any(box.value for box in self.typing.values()):  # words not yet added stay a draft after the Save
            self.keep_draft()

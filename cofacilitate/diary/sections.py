"""The diary page's parts: the entry being written, looking back, and patterns.

Every word a person wrote is escaped before it is shown. The form's fields are kept as
drafts by the kit's keeper as they are typed, so a reload or a restarted kernel brings them back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from html import escape
from typing import Any

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.cards import Card, Term
from cofacilitate.diary import analysis
from cofacilitate.diary.model import MAX_ANSWER, MAX_FEELINGS, Answer, DiaryEntry, DiaryVocabulary
from cofacilitate.store.sealed import is_sealed
from cofacilitate.words import DATE_EXAMPLE, MAX_TYPED_DATE, long_date, when_words

NOT_SAID = 0  # a check-in passed: stored as None
NEW_ENTRY = "new"  # what the drafts of an entry not saved yet belong to
MOST_LISTED = 200  # entries in the look-back list at once; filters find the rest
ROWS, ROWS_ALONE = 4, 12  # lines in an answer box; a way of writing with one question gets one big box


class AnswerBox:
    """One answer box with the help above it and its counter, reused for whichever question it shows.

    Its draft is kept under the key of the question it shows when the words arrive (the kit's
    `DraftKeeper.keep` binds one key to a widget for good). A box hidden by a shorter way of writing
    keeps its last question's key, so late words land in that question's draft and come back with it.
    """

    def __init__(self, drafts: ui.DraftKeeper, guard: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
        self.drafts, self.key, self.filling = drafts, "", False
        self.help = ui.html("", "cofa-prompt-help")
        self.box = ui.text_field("", limit=MAX_ANSWER, multiline=True, css="cofa-diary-answer")
        self.parts = [self.help, *ui.with_counter(self.box)]
        self.box.observe(guard(self.typed), names="value")

    def typed(self, change: dict[str, Any]) -> None:
        if not self.filling:
            self.drafts.remember(self.key, change["new"])

    def show(self, key: str, prompt: Term, rows: int) -> None:
        """Ask this question now, showing its newest draft (a sealed one only once its lock is open)."""
        draft = self.drafts.newest.get(key)
        words = draft if isinstance(draft, str) and not is_sealed(draft) else ""
        if words and not self.key:  # filled as the page opens: "Welcome back"
            self.drafts.brought_back.add(key)
        self.key, self.filling = key, True
        try:
            self.box.description, self.box.rows = prompt.label, rows
            self.help.value = f"<p>{escape(prompt.meaning)}</p>"
            self.box.value = words
        finally:
            self.filling = False


class EntryForm(widgets.VBox):
    """One entry: when, what it was, a way of writing and its questions, a check-in, and tags."""

    def __init__(self, card: Card[DiaryVocabulary], drafts: ui.DraftKeeper,
                 guard: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
        vocabulary = self.vocabulary = card.vocabulary
        self.drafts, self.card_id = drafts, card.id
        self.feedback = ui.Feedback()
        self.editing = str(drafts.newest.get("entry") or "")  # the entry id being edited ("" for a new entry)
        self.editing_note = ui.html("", "cofa-editing")
        self.on = ui.text_field(f"The date it happened (for example {DATE_EXAMPLE})", limit=MAX_TYPED_DATE, css="cofa-on")
        self.on.value = long_date(date.today().isoformat())  # before its draft is kept, so today's date is not a draft
        drafts.keep(partial(self.key, "on"), self.on)
        occasions = [(o.label, o.id) for o in vocabulary.occasions]
        self.occasion = drafts.keep(partial(self.key, "occasion"), ui.choice("What was it?", occasions, css="cofa-occasion"))
        self.prompt_set = drafts.keep(partial(self.key, "set"), ui.choice("How would you like to write?",
                                                       [(s.label, s.id) for s in vocabulary.prompt_sets], css="cofa-set"))
        self.guard = guard
        self.questions = widgets.VBox(layout=ui.FULL_WIDTH)
        self.answers: dict[str, widgets.Textarea] = {}  # the shown way of writing's questions, by id
        self.pool: list[AnswerBox] = []  # grown to the largest way of writing chosen, never closed
        steps = vocabulary.check_in
        self.took_out = drafts.keep(partial(self.key, "took_out"),
                                    ui.choice(steps.took_out.label, self._scale(steps.took_out.steps), css="cofa-took-out"))
        self.safe = drafts.keep(partial(self.key, "safe"),
                                ui.choice(steps.safe.label, self._scale(steps.safe.steps), css="cofa-safe"))
        self.feelings = drafts.keep(partial(self.key, "feelings"), ui.text_field("Anything else about how it felt? (optional)",
                                                              limit=MAX_FEELINGS, multiline=True, css="cofa-feelings"))
        self.support = ui.html("", "cofa-diary-support")
        self.tags = ui.tick_boxes([(f"{tag.label} ({tag.group})", tag.id) for tag in vocabulary.tags], css="cofa-tag")
        for tag_id, box in self.tags.items():
            drafts.keep(partial(self.key, "tag", tag_id), box)
        self.suggest = ui.button("Suggest tags from what I wrote", "cofa-suggest-tags")
        self.suggest.on_click(lambda _: self.feedback.guard(self.suggest_tags)())
        self.prompt_set.observe(guard(lambda _: self.show_questions()), names="value")
        for scale in (self.took_out, self.safe):
            scale.observe(guard(lambda _: self.show_support()), names="value")
        self.show_questions()
        self.show_support()
        super().__init__([
            self.editing_note, *ui.with_counter(self.on), self.occasion, self.prompt_set, self.questions,
            ui.heading("How was it for me?", 3),
            ui.paragraph("Only you see this. It is not a test and not a score, and you can pass either question."),
            self.took_out, self.safe, self.support, *ui.with_counter(self.feelings),
            ui.heading("Tags", 3),
            ui.paragraph("Tags show which ideas of good co-production an entry is about. "
                         "We can suggest some from your words: a tag is ticked when you wrote a word that starts with one of "
                         "its words. You choose in the end."),
            *self.tags.values(), self.suggest, self.feedback,
        ], layout=ui.FULL_WIDTH)
        self.add_class("cofa-entry-form")

    @staticmethod
    def _scale(steps: list[str]) -> list[tuple[str, int]]:
        return [("I'd rather not say", NOT_SAID), *((f"{n}. {step}", n) for n, step in enumerate(steps, start=1))]

    def show_questions(self) -> None:
        """Show the chosen way of writing's questions in the same boxes, relabelled and filled from its drafts.

        Boxes are reused, never closed: on a slow kernel a person keeps typing into the boxes on screen
        while the change travels, and those words must land. A box's draft follows the question it shows
        now, so words typed as the form changes stay on screen under the new question and are saved with it.
        """
        chosen = self.vocabulary.prompt_set(self.prompt_set.value) or self.vocabulary.prompt_sets[0]
        while len(self.pool) < len(chosen.prompts):
            self.pool.append(AnswerBox(self.drafts, self.guard))
        rows = ROWS if len(chosen.prompts) > 1 else ROWS_ALONE
        for box, prompt in zip(self.pool, chosen.prompts, strict=False):
            box.show(self.key(chosen.id, prompt.id), prompt, rows)
        shown = self.pool[: len(chosen.prompts)]
        self.answers = {prompt.id: box.box for box, prompt in zip(shown, chosen.prompts, strict=True)}
        self.questions.children = [part for box in shown for part in box.parts]

    def show_support(self) -> None:
        """The card's support contacts, calmly, when a check-in says it took a lot or did not feel safe."""
        took, safe = self.took_out.value or None, self.safe.value or None
        if not analysis.is_heavy(took, safe, self.vocabulary):
            self.support.value = ""
            return
        support = self.vocabulary.support
        items = "".join(f"<li><strong>{escape(c.label)}</strong>: {escape(c.meaning)}</li>" for c in support.contacts)
        self.support.value = (f'<aside class="cofa-notice cofa-support" aria-label="Support you can reach">'
                              f"<p>{escape(support.intro)}</p><ul>{items}</ul></aside>")

    def suggest_tags(self) -> None:
        found = analysis.suggested_tags(self.words(), self.vocabulary)
        for tag_id in found:
            self.tags[tag_id].value = True
        self.feedback.say(analysis.suggestion_sentence(found, self.vocabulary))

    def words(self) -> str:
        """Everything written in the form, in the same shape as `DiaryEntry.words`, so the two compare."""
        answered = (box.value.strip() for box in self.answers.values() if box.value.strip())
        return "\n".join([*answered, self.feelings.value.strip()])

    def entry(self, project: str, entry_id: str) -> DiaryEntry:
        return DiaryEntry(
            card=self.card_id, project=project, entry=entry_id, on=self.on.value.strip(), occasion=self.occasion.value,
            prompt_set=self.prompt_set.value, feelings=self.feelings.value.strip(),
            answers=[Answer(prompt=key, text=box.value.strip()) for key, box in self.answers.items() if box.value.strip()],
            took_out=self.took_out.value or None, safe=self.safe.value or None,
            tags=[tag_id for tag_id, box in self.tags.items() if box.value],
        )

    def on_screen(self) -> dict[str, Any]:
        """What the drafts hold for this form now (a Save drops exactly these)."""
        shown = {self.key(name): box.value for name, box in (("on", self.on), ("occasion", self.occasion),
                 ("set", self.prompt_set), ("took_out", self.took_out), ("safe", self.safe), ("feelings", self.feelings))}
        shown.update({self.key(self.prompt_set.value, key): box.value for key, box in self.answers.items()})
        shown.update({self.key("tag", tag_id): box.value for tag_id, box in self.tags.items()})
        return {**shown, "entry": self.editing}

    def key(self, *parts: str) -> str:
        """A draft's key: the entry it belongs to (an entry being changed, or the new one), then the field.
        So a window changing one entry and another writing a new one never mix their words."""
        return ui.draft_key(self.editing or NEW_ENTRY, *parts)

    def fill(self, entry: DiaryEntry | None) -> None:
        """Show an entry to edit (its id is kept, so a save adds a version), or an empty form for a new one;
        words written for it and not saved yet (in another window, say) are put back on top."""
        self.editing = entry.entry if entry else ""
        self.drafts.remember("entry", self.editing)
        self.drafts.refill(self.key("on"), self.on, long_date(entry.on if entry else date.today().isoformat()))
        self.drafts.refill(self.key("set"), self.prompt_set, entry.prompt_set if entry else self.vocabulary.prompt_sets[0].id)
        self.show_questions()  # the boxes show this entry's drafts now
        self.drafts.refill(self.key("occasion"), self.occasion, entry.occasion if entry else self.vocabulary.occasions[0].id)
        for key, box in self.answers.items():
            box.value = box.value or (entry.text_of(key) if entry else "")
        self.drafts.refill(self.key("took_out"), self.took_out, (entry.took_out if entry else None) or NOT_SAID)
        self.drafts.refill(self.key("safe"), self.safe, (entry.safe if entry else None) or NOT_SAID)
        self.drafts.refill(self.key("feelings"), self.feelings, entry.feelings if entry else "")
        for tag_id, box in self.tags.items():
            self.drafts.refill(self.key("tag", tag_id), box, bool(entry and tag_id in entry.tags))
        self.editing_note.value = (f'<p class="cofa-notice" role="note">You are changing your entry of '
                                   f"{escape(long_date(entry.on))}. Saving keeps the earlier version too.</p>"
                                   if entry else "")


def entry_html(found: analysis.Standing, vocabulary: DiaryVocabulary) -> str:
    """One entry to read, with its earlier versions folded away below it; all escaped."""
    def body(item: DiaryEntry) -> str:
        chosen = vocabulary.prompt_set(item.prompt_set)
        parts = [f"<p><strong>{escape(p.label)}</strong></p><p style=\"white-space: pre-wrap\">{escape(item.text_of(p.id))}</p>"
                 for p in (chosen.prompts if chosen else []) if item.text_of(p.id)]
        if item.feelings:
            parts.append(f'<p style="white-space: pre-wrap">{escape(item.feelings)}</p>')
        tags = [tag.label for tag in vocabulary.tags if tag.id in item.tags]
        if tags:
            parts.append(f"<p>Tags: {escape(', '.join(tags))}</p>")
        return "".join(parts) or "<p>Nothing written.</p>"

    older = "".join(f"<li><p>Saved {escape(when_words(v.saved_at))}</p>{body(v.item)}</li>" for v in reversed(found.earlier))
    earlier = (f"<details><summary>Earlier versions ({len(found.earlier)})</summary><ol reversed>{older}</ol></details>"
               if found.earlier else "")
    return (f'<div class="cofa-diary-entry"><h3>{escape(long_date(found.item.on))}</h3>'
            f"<p>Saved {escape(when_words(found.latest.saved_at))}.</p>{body(found.item)}{earlier}</div>")


def list_label(found: analysis.Standing, vocabulary: DiaryVocabulary) -> str:
    occasion = next((o.label for o in vocabulary.occasions if o.id == found.item.occasion), found.item.occasion)
    first = next((a.text for a in found.item.answers if a.text), found.item.feelings)
    return f"{long_date(found.item.on)}: {occasion}. {' '.join(first.split())[:60]}"

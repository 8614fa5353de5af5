"""The reflective diary page: the kit's page, the entry being written, looking back, and patterns.

Only wiring here. Entries are the writer's own records: nothing here reads anyone else's,
and nothing is ever shown in a group view. "Delete" removes every version from the file.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets
from pydantic import ValidationError

from cofacilitate import ui
from cofacilitate.cards import problem_sentence
from cofacilitate.diary import analysis, lock
from cofacilitate.diary.lock import LOCK_DRAFT, LockSection, opened_body, sealed_body
from cofacilitate.diary.model import DiaryEntry, DiaryVocabulary, check_body
from cofacilitate.diary.sections import MOST_LISTED, EntryForm, entry_html, list_label
from cofacilitate.snapshots import Saved, Shelf
from cofacilitate.store import Record, new_id
from cofacilitate.store.sealed import Key, Lock, is_sealed
from cofacilitate.words import long_date, when_words

ANY = ""


class DiaryPage(ui.ToolPage[DiaryVocabulary, DiaryEntry]):
    """Write about a meeting or a moment; look back; see what your entries touch, and what they never do."""

    card_question = "Which diary would you like to use?"
    project_question = "Which project was it part of?"
    saved_what = "entries"
    save_words = "Save this entry"
    shows_one_project = False  # "Look back" lists every entry, whatever its project
    roles_sentence = "In your diary, your name and roles are only for you: nobody else sees them."
    save_problem = ("Your entry could not be saved just now. It is still on screen and kept as a draft. "
                    "Please try Save again in a moment.")

    vocabulary_type = DiaryVocabulary

    def __init__(self, ctx: ui.Context) -> None:
        super().__init__(ctx)
        self.key: Key | None = None  # the open lock's key: in this page's memory only
        self.context = f"diary:{ctx.person.id}"  # sealed words open only as this person's diary
        self.built = False
        self._shelf: Shelf[DiaryEntry] | None = None  # read once, kept until this page changes what is stored
        self.main = widgets.VBox(layout=ui.FULL_WIDTH)
        self.lock_seen = self.stored_lock()  # the lock as this page last knew it: another window may change it
        self.lock_notice = ui.html("", "cofa-lock-notice")
        self.lock_section = LockSection(self)
        self.children = [*self.top, self.main, self.lock_section]
        self.drafts.sealing(self.sealed_for_file, self.opened_from_file)  # every draft written checks the lock first
        self.files.check_body = self.check_restorable
        if self.lock_seen is None:
            self.build()

    def build(self) -> None:
        """The diary itself: built at once, or once a locked diary is opened (so no sealed word reaches a field)."""
        self.built = True
        self.project.value = str(self.drafts.newest.get("project") or self.project.value)
        guard = self.feedback.guard
        self.form = EntryForm(self.card, self.drafts, guard)
        self.new_button = ui.button("Start a new entry", "cofa-new-entry")
        self.new_button.on_click(lambda _: guard(self.start_new)())
        self.look_feedback = ui.Feedback()
        look_guard = self.look_feedback.guard
        vocabulary = self.card.vocabulary
        self.by_tag = ui.choice("Only entries with this tag", [("Any tag", ANY), *((t.label, t.id) for t in vocabulary.tags)],
                                css="cofa-filter-tag")
        self.by_set = ui.choice("Only entries written this way",
                                [("Any way of writing", ANY), *((s.label, s.id) for s in vocabulary.prompt_sets)],
                                css="cofa-filter-set")
        self.by_words = ui.text_field("Only entries with these words", limit=200, css="cofa-filter-words")
        self.listed = ui.list_box("Your entries, newest first", 8, "cofa-entries")
        self.count = ui.html("", "cofa-entry-count")
        self.open_button = ui.button("Open to read or change", "cofa-open-entry")
        self.delete_button = ui.button("Delete this entry", "cofa-delete-entry")
        self.confirm = ui.button("Yes, delete it for good", "cofa-confirm-delete")
        self.keep_it = ui.button("No, keep it", "cofa-keep-entry")
        self.confirm_box = widgets.VBox(layout=ui.FULL_WIDTH)
        self.asked_about = ""  # the entry a delete question names; choosing another closes the question
        self.listed.observe(lambda _: setattr(self.confirm_box, "children", []), names="value")
        self.reading = ui.html("", "cofa-reading")
        for box in (self.by_tag, self.by_set, self.by_words):
            box.observe(look_guard(lambda _: self.show_list()), names="value")
        self.open_button.on_click(lambda _: look_guard(self.open_chosen)())
        self.delete_button.on_click(lambda _: look_guard(self.ask_to_delete)())
        self.confirm.on_click(lambda _: look_guard(self.delete_chosen)())
        self.keep_it.on_click(lambda _: look_guard(self.keep_chosen)())
        self.patterns_button = ui.button("Show my patterns", "cofa-show-patterns")
        self.coverage_view, self.load_view = ui.ChartView("cofa-coverage-chart"), ui.ChartView("cofa-load-chart")
        self.patterns_feedback = ui.Feedback()
        self.patterns_button.on_click(lambda _: self.patterns_feedback.guard(self.show_patterns)())
        self.main.children = [
            ui.heading("Write an entry"), *ui.with_counter(self.project), self.form, self.lock_notice,
            ui.paragraph("Your words are kept as you type, even if the page is closed. Press Save when you are ready."),
            self.save_button, self.feedback, self.new_button,
            ui.heading("Look back"), self.by_tag, self.by_set, *ui.with_counter(self.by_words), self.count, self.listed,
            self.open_button, self.delete_button, self.look_feedback, self.confirm_box, self.reading,
            ui.heading("Patterns"),
            ui.paragraph("See which principles and standards your entries touch, and how your check-ins change over time."),
            self.patterns_button, self.patterns_feedback, self.coverage_view, self.load_view,
            self.files,
        ]
        self.show_saved_list()
        self.show_list()
        if self.form.editing:  # still changing an entry: its saved words, with what was written since on top
            found = next((s for s in self.entries() if s.item.entry == self.form.editing), None)
            self.form.fill(found.item if found else None)
        self.greet()

    # -- the kit's questions -----------------------------------------------------
    def check(self, body: dict[str, Any]) -> DiaryEntry:
        return check_body(opened_body(self.key, body, self.context), self.vocabularies)

    def shelf(self) -> Shelf[DiaryEntry]:
        """Checked once, not at every keystroke in a filter: 10,000 entries take a tenth of a second to check."""
        if self._shelf is None:
            self._shelf = super().shelf()
        return self._shelf

    def store_body(self, body: dict[str, Any], record_id: str) -> Record:
        self._shelf = None
        return super().store_body(sealed_body(self.key, body, self.context) if self.key else body, record_id)

    def readable(self, record: Record) -> Record:
        return lock.readable(record, self.key, self.context)

    # -- the lock (what the lock section asks for) -----------------------------------
    def stored_lock(self) -> Lock | None:
        kept = self.ctx.store.drafts(self.ctx.tool.id, self.ctx.owner).get(LOCK_DRAFT)
        return Lock.from_dict(kept) if kept else None

    def lock_changed(self, key: Key | None) -> None:
        """Locked, opened, changed or unlocked: drafts are sealed (or not) from now on, and the page shows what it may."""
        self.key, self._shelf, self.lock_seen = key, None, self.stored_lock()
        self.lock_notice.value = ""
        self.drafts.sealing(self.sealed_for_file, self.opened_from_file)  # words waiting since a lock elsewhere go now
        if self.built:
            self.show_list()
        else:
            self.build()

    def may_write(self) -> bool:
        """Whether this page may write: the lock is as it last knew it. Another window may have locked the diary
        (plain words must never follow), changed its passphrase or removed it (this page's key then seals words
        nobody can open). Then the page catches up and says so; only after a removal may it write, plainly, at once."""
        stored = self.stored_lock()
        if stored != self.lock_seen:
            words = lock.changed_elsewhere(self.lock_seen, stored)
            self.key, self._shelf = None, None
            if stored is None:
                self.lock_seen = None
            self.lock_section.show()
            self.lock_section.feedback.say(words, "info" if stored is None else "problem")
            self.lock_notice.value = f'<p class="cofa-notice" role="alert">{escape(words)}</p>'
        return stored == self.lock_seen

    def sealed_for_file(self, value: Any) -> Any:
        """A draft as the file keeps it: sealed in a locked diary; refused when the lock changed in another window."""
        if not self.may_write():
            raise lock.LockedElsewhere()
        return self.key.seal(value, self.context) if self.key else value

    def opened_from_file(self, value: Any) -> Any:
        return self.key.unseal(value, self.context) if self.key and is_sealed(value) else value

    def check_restorable(self, body: dict[str, Any]) -> DiaryEntry:
        """A restore brings plain words: never into a diary locked in another window (nothing is stored then)."""
        if not self.may_write():
            raise ValueError(lock.NOT_RESTORED)
        try:
            return self.check(body)
        except ValidationError as problem:
            raise ValueError(analysis.entry_problem(problem)) from None

    def refused(self, feedback: ui.Feedback, doing: str) -> bool:
        """Say plainly that nothing was done, when the diary's lock changed in another window."""
        if self.may_write():
            return False
        feedback.say(f"{doing} {lock.OPEN_IT_HERE}", "problem")
        return True

    def entry(self, saved: Saved[DiaryEntry]) -> str:
        return f"{when_words(saved.saved_at)}: an entry about {long_date(saved.item.on)}"

    def show_saved_list(self) -> None:
        """The kit's list is per project; a diary's own look-back list does that job better, so it stays empty."""
        self.project.options = sorted({s.item.project for s in self.shelf().items})
        self.saved_list.value = ""

    def restored(self) -> None:
        """Restored entries arrive as plain words: in a locked diary, seal them at once."""
        if self.key:
            lock.rewritten(self.ctx.store, self.ctx.tool.id, self.ctx.owner, self.context, self.key, self.key,
                           self.stored_lock())
        self._shelf = None
        super().restored()
        self.show_list()

    # -- writing -------------------------------------------------------------------
    def save(self) -> None:
        if self.refused(self.feedback, "Your entry is not saved yet."):
            return
        try:
            entry = self.form.entry(self.project_name(), self.form.editing or new_id())
        except ValueError as problem:
            said = problem_sentence(ValueError(analysis.entry_problem(problem, "your entry")))
            self.feedback.say(f"{said} Your words are still here, kept as a draft.", "problem")
            return
        if not (entry.answers or entry.feelings or entry.took_out or entry.safe):
            self.feedback.say("There is nothing in the form to save. Write as much or as little as you like, then press "
                              "Save. Anything you saved before is in “Look back”.")
            return
        self.keep_record(entry.model_dump(), self.form.on_screen())
        self.form.fill(None)
        self.show_list()
        self.feedback.say(f"{analysis.saved_sentence(entry)} It is in “Look back” below. The form is empty for your next one.",
                          "done")

    def start_new(self) -> None:
        if self.refused(self.feedback, "The form was not emptied."):
            return
        if self.unsaved_words():
            self.feedback.say("The form holds words you have not saved. Save them first, or clear the boxes yourself, "
                              "so nothing is lost by mistake.")
            return
        self.drafts.flush()
        self.form.fill(None)
        self.feedback.say("The form is empty for a new entry. Anything you saved is in “Look back”.")

    # -- looking back ---------------------------------------------------------------
    def entries(self) -> list[analysis.Standing]:
        return analysis.standing(self.shelf().items)

    def show_list(self) -> None:
        every = self.entries()
        found = analysis.filtered(every, self.by_tag.value, self.by_set.value, self.by_words.value)
        vocabulary = self.card.vocabulary
        self.listed.options = [(list_label(s, vocabulary), s.item.entry) for s in found[:MOST_LISTED]]
        self.count.value = f'<p aria-live="polite">{analysis.count_sentence(len(found), len(every), MOST_LISTED)}</p>'
        self.confirm_box.children = []

    def chosen(self) -> analysis.Standing | None:
        found = next((s for s in self.entries() if s.item.entry == self.listed.value), None)
        if found is None:
            self.look_feedback.say("First choose an entry in the list.")
        return found

    def unsaved_words(self) -> bool:
        """Whether the form holds words that no saved version holds: then nothing may replace them unasked."""
        if not self.form.words().strip():
            return False
        saved = next((s for s in self.entries() if s.item.entry == self.form.editing), None) if self.form.editing else None
        return saved is None or self.form.words() != saved.item.words

    def open_chosen(self) -> None:
        found = self.chosen()
        if not found or self.refused(self.look_feedback, "Nothing was opened."):
            return
        self.reading.value = entry_html(found, self.card.vocabulary)
        if self.unsaved_words() and self.form.editing != found.item.entry:
            self.look_feedback.say(f"Your entry of {long_date(found.item.on)} is shown below. The form above still "
                                   "holds words you have not saved, so we left them there. Save them first if you want "
                                   "to change this entry.", "done")
            return
        self.form.fill(found.item)
        self.look_feedback.say(f"Your entry of {long_date(found.item.on)} is shown below, and is in the form "
                               "above so you can change it.", "done")

    def ask_to_delete(self) -> None:
        found = self.chosen()
        if found:
            self.asked_about = found.item.entry  # the one named in the question, whatever is chosen later
            self.confirm_box.children = [
                ui.paragraph(f"Delete your entry of {long_date(found.item.on)}, with all its earlier versions? "
                             "It will be gone from this computer for good. Keep a download first if you might want it."),
                self.confirm, self.keep_it]

    def keep_chosen(self) -> None:
        self.confirm_box.children = []
        self.look_feedback.say("Nothing was deleted.")

    def delete_chosen(self) -> None:
        self.confirm_box.children = []
        if self.refused(self.look_feedback, "Nothing was deleted."):
            return
        found = next((s for s in self.entries() if s.item.entry == self.asked_about), None)
        if not found:
            self.look_feedback.say("That entry is not here any more. Nothing was deleted.")
            return
        if self.form.editing == found.item.entry:  # its words leave the drafts before the file is cleaned
            self.drafts.flush()
            self.drafts.forget(self.form.on_screen())  # the drafts that belong to this entry
            self.form.fill(None)
            self.drafts.flush()
        ids = [found.latest.record_id, *(v.record_id for v in found.earlier)]
        self.ctx.store.delete_records(self.ctx.tool.id, self.ctx.owner, ids)
        self._shelf = None
        self.reading.value = ""
        self.show_list()
        self.look_feedback.say(f"Your entry of {long_date(found.item.on)} is deleted, with its earlier versions.",
                               "done")

    # -- patterns and files -----------------------------------------------------------
    def show_patterns(self) -> None:
        from cofacilitate.diary import charts

        entries, vocabulary = self.entries(), self.card.vocabulary
        rows = analysis.coverage(entries, vocabulary)
        sentence = analysis.coverage_sentence(rows, len(entries))
        self.coverage_view.show(charts.coverage_chart(rows, sentence), sentence, "What my entries touch",
                                analysis.COVERAGE_COLUMNS, rows)
        load = analysis.load_sentence(entries, vocabulary)
        self.load_view.show(charts.load_chart(analysis.load_points(entries), vocabulary, load), load,
                            "My check-ins over time", analysis.load_columns(vocabulary), analysis.load_rows(entries, vocabulary))
        self.patterns_feedback.say("Your patterns are below.", "done")

    def other_files(self) -> list[ui.DownloadFile]:
        from cofacilitate.documents import to_html, to_markdown

        entries = analysis.filtered(self.entries(), self.by_tag.value, self.by_set.value, self.by_words.value)
        if not entries:
            return []
        doc = analysis.as_document(entries, self.card.vocabulary, "My reflective diary")
        which = "the entries listed" if len(entries) < len(self.entries()) else "all my entries"
        return [ui.DownloadFile(f"Download {which} to print (web page)", "my-diary.html", to_html(doc).encode(),
                                "text/html", "cofa-download-html"),
                ui.DownloadFile(f"Download {which} as Markdown (text)", "my-diary.md", to_markdown(doc).encode(),
                                "text/markdown", "cofa-download-md")]

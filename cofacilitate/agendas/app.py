"""The naming agendas page: the kit's page, a person's own agenda, the wall, and what the group agrees.

Only wiring here. A person's agenda is theirs (the kit's records and drafts); the wall and
the group's documents read everyone's records in this room, and show only what was shared
or what belongs to the group.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.agendas import analysis
from cofacilitate.agendas.agreements import DictionarySection, PurposeSection, RulesSection
from cofacilitate.agendas.model import Agenda, AgendasBody, AgendasVocabulary, Answer, check_body, shared_part
from cofacilitate.agendas.sections import PromptQuestions, TakeAwaySection, WallSection
from cofacilitate.documents import Document
from cofacilitate.snapshots import Saved, of_project, shelve
from cofacilitate.store import Record
from cofacilitate.store.rooms import SharedPart
from cofacilitate.ui.events import Debounced
from cofacilitate.ui.shared import SharedSection
from cofacilitate.words import when_words

KIND_WORDS = {"purpose": "a version of the purpose", "rules": "a version of the ground rules",
              "dictionary": "a version of the list of words"}


class AgendasPage(ui.ToolPage[AgendasVocabulary, AgendasBody]):
    """Why is each of us here? Then: what are we here to do together, and how will we work?"""

    card_question = "Which version of the questions would you like to use?"
    saved_what = "answers"
    save_words = "Save my agenda"
    vocabulary_type = AgendasVocabulary

    def __init__(self, ctx: ui.Context) -> None:
        super().__init__(ctx)
        self.questions_area = widgets.VBox(layout=ui.FULL_WIDTH)
        self.questions: list[PromptQuestions] = []
        self.wall_section = WallSection(self.make_wall)
        self.shared: list[SharedSection[Any]] = [PurposeSection(self), RulesSection(self), DictionarySection(self)]
        self.takeaway = TakeAwaySection(self.make_document)
        self.refresh_later = Debounced(self.feedback.guard(self.project_changed), 0.6)
        self.project.observe(lambda _: self.refresh_later.poke(), names="value")
        self.names_later = Debounced(self.feedback.guard(self.suggest_names), 0.6)
        self.person_bar.pseudonym.observe(lambda _: self.names_later.poke(), names="value")
        self.children = [
            *self.top,
            ui.heading("Your project"), *ui.with_counter(self.project), self.saved_list,
            ui.heading("1. Your agenda"),
            ui.paragraph("Your answers are only yours unless you choose to share them. You can change that choice later "
                         "and Save again. If you share this computer, you get a return code when you hand over. "
                         "Keep it: you need it to get back to your answers."),
            self.questions_area,
            ui.paragraph("Your words are kept as you type, even if the page is closed. Press Save when you are ready."),
            self.save_button, self.feedback,
            *self.personal(self.wall_section), *self.shared, *self.personal(self.takeaway, self.files),
        ]
        latest = self.show_questions()
        self.show_saved_list()
        brought_back = any([section.refresh() for section in self.shared])
        if latest:
            self.feedback.say(f"Your answers start from the agenda you saved {when_words(latest.saved_at)}. "
                              "Change whatever you like.")
        elif brought_back or self.words_brought_back():
            self.welcome("Welcome back. We brought back what you were writing last time.")

    # -- the kit's questions -----------------------------------------------------
    def check(self, body: dict[str, Any]) -> AgendasBody:
        return check_body(body, self.vocabularies)

    def entry(self, saved: Saved[AgendasBody]) -> str:
        item = saved.item
        if isinstance(item, Agenda):
            shared = sum(1 for answer in item.answers if answer.said and answer.share != "private")
            said = sum(1 for answer in item.answers if answer.said)
            return f"{when_words(saved.saved_at)}: your agenda ({said} answers, {shared} of them shared)"
        return f"{when_words(saved.saved_at)}: {KIND_WORDS[item.kind]}, saved by you"

    def card_changed(self) -> None:
        super().card_changed()
        self.show_questions()
        self.project_changed()

    def restored(self) -> None:
        self.project_changed()  # restored answers and versions show at once, with any drafts still on top

    def project_changed(self) -> None:
        self.fill_questions()
        self.show_saved_list()
        for section in self.shared:
            section.refresh()

    # -- a person's own agenda ---------------------------------------------------
    def my_agendas(self) -> list[Saved[Agenda]]:
        return [s for s in self.of_project(self.card.id) if isinstance(s.item, Agenda)]  # type: ignore[misc]


    def show_questions(self) -> Saved[Agenda] | None:
        """Lay out the card's questions (retiring another card's), filled for the project."""
        ui.retire(*self.questions)
        self.questions = [PromptQuestions(prompt) for prompt in self.card.vocabulary.prompts]
        latest = self.fill_questions()
        for question in self.questions:
            question.keep_drafts(self.drafts, self.project_key)
        self.questions_area.children = self.questions
        return latest

    def fill_questions(self) -> Saved[Agenda] | None:
        """The project's last saved agenda, with its newer drafts on top (another project shows its own)."""
        mine = self.my_agendas()
        latest = mine[-1] if mine else None
        for question in self.questions:
            saved = latest.item.answer_for(question.prompt_id) if latest else Answer(prompt=question.prompt_id)
            question.refill(self.drafts, self.project_key, saved)
        return latest

    def save(self) -> None:
        agenda = Agenda(card=self.card.id, project=self.project_name(), answers=[q.answer() for q in self.questions])
        if not agenda.said_anything:
            self.feedback.say("There is nothing to save yet: every question is empty. That is fine. Write as much or as "
                              "little as you like, then press Save.")
            return
        on_screen = {key: value for q in self.questions for key, value in q.on_screen(self.project_key).items()}
        self.keep_record(agenda.model_dump(), on_screen)
        shared = sum(1 for answer in agenda.answers if answer.said and answer.share != "private")
        shared_words = {0: "You shared no answers with the group, so they are all only yours.",
                        1: "You shared 1 answer with the group. The rest are only yours."}.get(
            shared, f"You shared {shared} answers with the group. The rest are only yours.")
        if any(a.said and a.share == "named" for a in agenda.answers) and not self.my_name():
            shared_words += (" You chose to share with your name, but there is no name in “About you” yet, so the wall "
                             "says “Someone”.")
        self.feedback.say(f"Your agenda for “{agenda.project}” is saved. {shared_words}", "done")

    # -- the group's views (what the kit's shared sections ask for) -------------
    def room_items(self) -> list[Saved[AgendasBody]]:
        """Everyone's items for this project and card in this room (checked; unreadable ones left out).

        In a workshop room only the shared parts are read, so nobody's private words reach anyone else's page."""
        store, tool_id, room = self.ctx.store, self.ctx.tool.id, self.ctx.room
        records = store.shared_records(tool_id, room) if self.in_room else store.room_records(tool_id, room)
        return of_project(shelve(records, self.check).items, self.project_name(), self.card.id)

    def shared_part(self, body: dict[str, Any], pseudonym: str) -> SharedPart | None:
        return shared_part(body, pseudonym)

    def room_agendas(self) -> list[Saved[Agenda]]:
        return [s for s in self.room_items() if isinstance(s.item, Agenda)]  # type: ignore[misc]

    def versions(self, kind: str) -> list[Saved[Any]]:
        return [s for s in self.room_items() if s.item.kind == kind]

    def keep_version(self, body: dict[str, Any], record_id: str) -> Record:
        self.drafts.flush()
        record = self.store_body(body, record_id)
        self.show_saved_list()
        return record

    def draft_key(self, kind: str) -> str:
        return ui.draft_key(kind, self.card.id, self.project_name())

    def newcomers(self, since: str) -> int:
        return analysis.newcomers(self.room_agendas(), since)

    def names_to_suggest(self) -> list[str]:
        """People who put their name to a shared answer, and this person (if they gave a name)."""
        named = {s.pseudonym for s in analysis.latest_per_person(self.room_agendas())
                 if s.pseudonym and any(a.share == "named" for a in analysis.shared_answers(s.item))}
        mine = self.my_name()
        return sorted(named | ({mine} if mine else set()), key=str.lower)

    def too_long(self) -> list[str]:
        return ui.over_limit(self.project)

    def suggest_names(self) -> None:
        """A name typed in "About you" joins the names offered under "Who agreed this?"."""
        for section in self.shared:
            section.suggest_names()

    def my_name(self) -> str:
        return self.person_bar.person().pseudonym

    def make_wall(self) -> tuple[AgendasVocabulary, analysis.Wall]:
        return self.card.vocabulary, analysis.wall(self.card.vocabulary, self.room_agendas())

    def make_document(self) -> Document:
        items = self.room_items()

        def newest(kind: str) -> Any:
            found = [s for s in items if s.item.kind == kind]
            return found[-1] if found else None

        result = analysis.wall(self.card.vocabulary, [s for s in items if isinstance(s.item, Agenda)])  # type: ignore[misc]
        return analysis.ways_of_working(self.project_name(), newest("purpose"), newest("rules"), newest("dictionary"),
                                        result, datetime.now())

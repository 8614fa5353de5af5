"""The power map page's sections: each a form and its list, wired to the page's map.

Every edit goes through `MapEditor.changed`, which keeps the draft, refreshes the lists
and redraws what is drawn, so a section only says what changed and in which words.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Protocol

import ipywidgets as widgets
from pydantic import ValidationError

from cofacilitate import ui
from cofacilitate.cards import problem_sentence
from cofacilitate.powermap.model import (
    MAX_NAME,
    MAX_TEXT,
    OWN_GROUP,
    MissingVoice,
    PowerMap,
    PowerMapVocabulary,
    Reflection,
    Stakeholder,
)
from cofacilitate.ui.fields import TextBox

ROOM_GROUP = "room-group:"  # before the name of a group a room's facilitator added, in the group list

NOT_SAID = ("No saved map yet", "")  # the compare lists' one choice while nothing is saved (the page imports this name)


class MapEditor(Protocol):
    """What a section needs from the page."""

    map: PowerMap
    drafts: ui.DraftKeeper

    @property
    def vocabulary(self) -> PowerMapVocabulary: ...

    def changed(self, new_map: PowerMap, message: str, rebuild_says: bool = True, said_by: ui.Feedback | None = None) -> None:
        ...

    def keep_form(self, name: str, field: TextBox) -> TextBox: ...

    def personal(self, *parts: widgets.Widget) -> list[widgets.Widget]: ...

    @property
    def room_groups(self) -> tuple[str, ...]: ...


def attempt(feedback: ui.Feedback, make: Callable[[], PowerMap]) -> PowerMap | None:
    """A new map from an edit, or None after saying plainly why the edit cannot be made."""
    try:
        return make()
    except (ValidationError, ValueError) as problem:
        feedback.say(problem_sentence(problem) + " Nothing was changed.", "problem")
        return None


def chosen(feedback: ui.Feedback, box: widgets.Select, list_name: str) -> int | None:
    """The position chosen in a list, or None after saying plainly what to do first."""
    if box.index is None:
        feedback.say(f"First choose someone in the list “{list_name}”.")
    return box.index


class RemoveQuestion(widgets.VBox):
    """"Remove" asks first, naming who would go, as the diary's delete does. The question remembers the
    name it asked about, and choosing anyone else in the list closes it, so Yes never removes the wrong one."""

    def __init__(self, feedback: ui.Feedback, css: str, yes: str, no: str, remove: Callable[[str], None],
                 keep: Callable[[str], None]) -> None:
        self.words = ui.html("", f"{css}-question")
        self.yes, self.no = ui.button(yes, f"{css}-yes"), ui.button(no, f"{css}-no")
        self.asked_about = ""  # the name in the question; empty while no question is open
        self.yes.on_click(feedback.guard(lambda _: remove(self.answered())))
        self.no.on_click(feedback.guard(lambda _: keep(self.answered())))
        super().__init__(layout=ui.FULL_WIDTH)

    def owned_widgets(self) -> list[widgets.Widget]:
        """What `ui.retire` closes with the question, shown or not."""
        return [self.words, self.yes, self.no]

    def ask(self, name: str, question: str) -> None:
        self.asked_about = name
        self.words.value = f'<p role="alert">{escape(question)}</p>'
        self.children = [self.words, self.yes, self.no]

    def withdraw(self) -> None:
        self.asked_about = ""
        self.children = []

    def answered(self) -> str:
        """The name the question was about ('' once withdrawn), and the question closes."""
        name = self.asked_about
        self.withdraw()
        return name


def place_of(labels: list[str], name: str) -> int | None:
    """Where the one with this name is now (names are unique, whatever their case), or None."""
    return next((i for i, label in enumerate(labels) if name and label.casefold() == name.casefold()), None)


class PeopleSection(widgets.VBox):
    """1. Add, change and remove the people and groups around the project."""

    def __init__(self, editor: MapEditor) -> None:
        self.editor = editor
        self.feedback = ui.Feedback()  # each section speaks next to its own buttons
        vocabulary, guard = editor.vocabulary, self.feedback.guard
        self.name = ui.text_field("Name of the person or group", limit=MAX_NAME, placeholder="for example: Ward managers",
                                  css="cofa-sh-name")
        # In a room, the groups the facilitator added come before "a group of their own": choosing one is that group.
        extra = [(name, ROOM_GROUP + name) for name in editor.room_groups]
        options = vocabulary.group_options()
        self.group = ui.choice("Which group are they in?", [*options[:-1], *extra, options[-1]], css="cofa-sh-group")
        self.own_group = ui.text_field("If they are in a group of their own, which group?", limit=MAX_NAME, css="cofa-sh-own")
        self.in_room = widgets.Checkbox(description="In the room now (they take part where decisions are made)",
                                        value=True, indent=False)
        self.in_room.add_class("cofa-sh-room")
        self.influence = ui.choice("How much influence do they have over decisions?",
                                   [(t.label, n) for n, t in enumerate(vocabulary.influence, 1)], css="cofa-sh-influence")
        self.involvement = ui.choice("How involved are they day to day?",
                                     [(t.label, n) for n, t in enumerate(vocabulary.involvement, 1)], css="cofa-sh-involvement")
        self.add = ui.button("Add to the map", "cofa-add-person", primary=True)
        self.people = ui.list_box("On the map (choose one to change it):", 8, "cofa-people")
        self.update = ui.button("Save changes to the chosen one", "cofa-update-person")
        self.remove = ui.button("Remove the chosen one", "cofa-remove-person")
        self.list_feedback = ui.Feedback()  # what Save changes and Remove did, said beside them
        self.question = RemoveQuestion(self.list_feedback, "cofa-remove-person", "Yes, remove them from the map",
                                       "No, keep them on the map", self.remove_stakeholder, self.keep_stakeholder)
        for key, field in {"person/name": self.name, "person/own-group": self.own_group}.items():
            editor.keep_form(key, field)  # half-typed words survive a reload too
        self.add.on_click(lambda _: guard(self.add_stakeholder)())
        self.update.on_click(lambda _: self.list_feedback.guard(self.update_stakeholder)())
        self.remove.on_click(lambda _: self.list_feedback.guard(self.ask_to_remove)())
        self.people.observe(guard(lambda _: self.choose()), names="value")
        super().__init__([
            ui.heading("1. People and groups around the project"),
            ui.paragraph("Add each person or group. You can change or remove them later by choosing them in the list."),
            *ui.with_counter(self.name), self.group, *ui.with_counter(self.own_group), self.in_room, self.influence,
            self.involvement,
            self.add, self.feedback, self.people, self.update, self.remove, self.question, self.list_feedback,
        ], layout=ui.FULL_WIDTH)

    def owned_widgets(self) -> list[widgets.Widget]:
        return [self.question]

    def read(self) -> Stakeholder:
        group, own_group = self.group.value, self.own_group.value
        if group.startswith(ROOM_GROUP):  # one the facilitator added: a group of its own, by that name
            group, own_group = OWN_GROUP, group.removeprefix(ROOM_GROUP)
        return Stakeholder(label=self.name.value, group=group, own_group=own_group,
                           in_room=self.in_room.value, influence=self.influence.value, involvement=self.involvement.value)

    def fill(self, person: Stakeholder) -> None:
        group, own_group = person.group, person.own_group
        if group == OWN_GROUP and own_group in self.editor.room_groups:
            group, own_group = ROOM_GROUP + own_group, ""
        self.name.value, self.group.value, self.own_group.value = person.label, group, own_group
        self.in_room.value, self.influence.value, self.involvement.value = person.in_room, person.influence, person.involvement

    def show(self, power_map: PowerMap) -> None:
        self.question.withdraw()  # the list changes under it: a question could name the wrong line
        self.people.options = [f"{p.label} ({power_map.group_words(p, self.editor.vocabulary)})" for p in power_map.stakeholders]

    def add_stakeholder(self) -> None:
        editor = self.editor
        new_map = attempt(self.feedback, lambda: editor.map.with_stakeholder(self.read()))
        if new_map:
            self.name.value = self.own_group.value = ""
            editor.changed(new_map, f"“{new_map.stakeholders[-1].label}” is on the map.", said_by=self.feedback)

    def update_stakeholder(self) -> None:
        index = chosen(self.list_feedback, self.people, "On the map")
        if index is None:
            return
        new_map = attempt(self.list_feedback, lambda: self.editor.map.with_stakeholder(self.read(), replacing=index))
        if new_map:
            self.editor.changed(new_map, f"“{new_map.stakeholders[index].label}” is changed.", said_by=self.list_feedback)

    def ask_to_remove(self) -> None:
        index = chosen(self.list_feedback, self.people, "On the map")
        if index is not None:
            name = self.editor.map.stakeholders[index].label
            self.list_feedback.say("")
            self.question.ask(name, f"Remove “{name}” from the map? You can add them again later.")

    def remove_stakeholder(self, name: str) -> None:
        index = place_of([p.label for p in self.editor.map.stakeholders], name)
        if index is None:
            self.list_feedback.say("Nobody was removed. Choose someone in the list “On the map”, then press Remove.")
            return
        self.editor.changed(self.editor.map.without_stakeholder(index), f"“{name}” is no longer on the map.",
                            said_by=self.list_feedback)
        self.people.index = None
        self.name.value = self.own_group.value = ""

    def keep_stakeholder(self, name: str) -> None:
        self.list_feedback.say(f"Nothing was removed. “{name}” is still on the map." if name else "Nothing was removed.")

    def choose(self) -> None:
        self.question.withdraw()  # a question about someone else must never remove this one
        if self.people.index is not None and self.people.index < len(self.editor.map.stakeholders):
            self.fill(self.editor.map.stakeholders[self.people.index])


class MissingSection(widgets.VBox):
    """2. Who is not in the room, why, and one step that could bring them in."""

    def __init__(self, editor: MapEditor) -> None:
        self.editor = editor
        self.feedback = ui.Feedback()  # each section speaks next to its own buttons
        guard = self.feedback.guard
        self.name = ui.text_field("Who is missing?", limit=MAX_NAME, placeholder="for example: Young carers",
                                  css="cofa-miss-name")
        self.reasons = ui.tick_boxes([(r.label, r.id) for r in editor.vocabulary.missing_reasons], css="cofa-miss-reason")
        self.own_reason = ui.text_field("Another reason, in your own words (optional)", limit=MAX_TEXT, css="cofa-miss-own")
        self.step = ui.text_field("One step that could bring them in (optional)", limit=MAX_TEXT, multiline=True,
                                  css="cofa-miss-step")
        self.add = ui.button("Add to the missing list", "cofa-add-missing", primary=True)
        self.voices = ui.list_box("Missing voices (choose one to remove it):", 5, "cofa-missing-list")
        self.remove = ui.button("Remove the chosen missing voice", "cofa-remove-missing")
        self.list_feedback = ui.Feedback()  # what Remove did, said beside it
        self.question = RemoveQuestion(self.list_feedback, "cofa-remove-missing", "Yes, take them off the list",
                                       "No, keep them on the list", self.remove_voice, self.keep_voice)
        self.table = ui.html("", "cofa-missing-table")
        for key, field in {"missing/name": self.name, "missing/own-reason": self.own_reason, "missing/step": self.step}.items():
            editor.keep_form(key, field)
        self.add.on_click(lambda _: guard(self.add_voice)())
        self.remove.on_click(lambda _: self.list_feedback.guard(self.ask_to_remove)())
        self.voices.observe(guard(lambda _: self.question.withdraw()), names="value")
        super().__init__([
            ui.heading("2. Who is not in the room?"),
            ui.paragraph("Think about who should have a say but is not here, and why. They appear on the map as dashed circles."),
            *ui.with_counter(self.name), ui.paragraph("Why might they be missing? Tick any that fit."), *self.reasons.values(),
            *ui.with_counter(self.own_reason), *ui.with_counter(self.step), self.add, self.feedback, self.voices,
            self.remove, self.question, self.list_feedback, self.table,
        ], layout=ui.FULL_WIDTH)

    def owned_widgets(self) -> list[widgets.Widget]:
        return [self.question]

    def read(self) -> MissingVoice:
        return MissingVoice(label=self.name.value, reasons=[key for key, box in self.reasons.items() if box.value],
                            own_reason=self.own_reason.value.strip(), step=self.step.value.strip())

    def show(self, power_map: PowerMap) -> None:
        self.question.withdraw()  # the list changes under it: a question could name the wrong line
        self.voices.options = [voice.label for voice in power_map.missing]
        self.table.value = ui.table_html(
            "Who is missing, why, and one step", ["Who", "Why", "One step"], power_map.missing_rows(self.editor.vocabulary)
        ) if power_map.missing else ""

    def add_voice(self) -> None:
        new_map = attempt(self.feedback, lambda: self.editor.map.with_missing(self.read()))
        if new_map:
            self.name.value = self.own_reason.value = self.step.value = ""
            for box in self.reasons.values():
                box.value = False
            self.editor.changed(new_map, f"“{new_map.missing[-1].label}” is on the missing list.", said_by=self.feedback)

    def ask_to_remove(self) -> None:
        index = chosen(self.list_feedback, self.voices, "Missing voices")
        if index is not None:
            name = self.editor.map.missing[index].label
            self.list_feedback.say("")
            self.question.ask(name, f"Take “{name}” off the missing list? You can add them again later.")

    def remove_voice(self, name: str) -> None:
        index = place_of([v.label for v in self.editor.map.missing], name)
        if index is None:
            self.list_feedback.say("Nobody was taken off. Choose someone in the list “Missing voices”, then press Remove.")
            return
        self.editor.changed(self.editor.map.without_missing(index), f"“{name}” is no longer on the missing list.",
                            said_by=self.list_feedback)

    def keep_voice(self, name: str) -> None:
        self.list_feedback.say(f"Nothing was removed. “{name}” is still on the missing list." if name else
                               "Nothing was removed.")


class ReflectionSection(widgets.VBox):
    """4. The kinds of power at work, where decisions are made, and one change."""

    def __init__(self, editor: MapEditor) -> None:
        vocabulary = editor.vocabulary
        self.power_types = ui.tick_boxes([(f"{t.label}: {t.meaning}", t.id) for t in vocabulary.power_types],
                                         css="cofa-power-type")
        self.spaces = ui.tick_boxes([(f"{t.label}: {t.meaning}", t.id) for t in vocabulary.spaces], css="cofa-space")
        # Kept with the project's working map (the editor keeps it at every change), so each project keeps its own notes.
        self.power_note = ui.text_field("What did you notice about power? (optional)", limit=MAX_TEXT, multiline=True,
                                        css="cofa-power-note")
        self.space_note = ui.text_field("Where are the real decisions made? (optional)", limit=MAX_TEXT, multiline=True,
                                        css="cofa-space-note")
        self.change = ui.text_field("One change the team could make (optional)", limit=MAX_TEXT, multiline=True,
                                    css="cofa-change")
        super().__init__([
            ui.heading("4. What kinds of power are at work?"),
            ui.paragraph("Tick any you notice. None of these are about blame: they help a team talk about power."),
            *self.power_types.values(), *ui.with_counter(self.power_note),
            ui.heading("Where are decisions made?"), *self.spaces.values(), *ui.with_counter(self.space_note),
            *ui.with_counter(self.change),
        ], layout=ui.FULL_WIDTH)

    def read(self) -> Reflection:
        """The notes as they are on screen, however long: they are kept as a draft, and Save checks their length."""
        return Reflection.model_construct(
            power_types=[k for k, box in self.power_types.items() if box.value], power_note=self.power_note.value.strip(),
            spaces=[k for k, box in self.spaces.items() if box.value], space_note=self.space_note.value.strip(),
            change=self.change.value.strip(),
        )

    def fill(self, reflection: Reflection) -> None:
        for key, box in self.power_types.items():
            box.value = key in reflection.power_types
        for key, box in self.spaces.items():
            box.value = key in reflection.spaces
        self.power_note.value = reflection.power_note
        self.space_note.value = reflection.space_note
        self.change.value = reflection.change

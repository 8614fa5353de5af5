"""The power map page's sections: each a form and its list, wired to the page's map.

Every edit goes through `MapEditor.changed`, which keeps the draft, refreshes the lists
and redraws what is drawn, so a section only says what changed and in which words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import ipywidgets as widgets
from pydantic import ValidationError

from cofacilitate import ui
from cofacilitate.cards import problem_sentence
from cofacilitate.powermap.model import (
    MAX_DECISION,
    MAX_NAME,
    MAX_TEXT,
    MissingVoice,
    PowerMap,
    PowerMapVocabulary,
    Reflection,
    Stakeholder,
    own_decision_id,
)
from cofacilitate.words import tidy

NOT_SAID = ("No saved map yet", "")  # the compare lists' one choice while nothing is saved (the page imports this name)
NO_SAY_CHOSEN = ("Choose an answer (or leave it)", "")  # first in each list of how much say a group has


class MapEditor(Protocol):
    """What a section needs from the page."""

    map: PowerMap
    drafts: ui.DraftKeeper

    @property
    def vocabulary(self) -> PowerMapVocabulary: ...

    def changed(self, new_map: PowerMap, message: str, rebuild_says: bool = True, said_by: ui.Feedback | None = None) -> None:
        ...



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


class PeopleSection(widgets.VBox):
    """1. Add, change and remove the people and groups around the project."""

    def __init__(self, editor: MapEditor) -> None:
        self.editor = editor
        self.feedback = ui.Feedback()  # each section speaks next to its own buttons
        vocabulary, guard = editor.vocabulary, self.feedback.guard
        self.name = ui.text_field("Name of the person or group", limit=MAX_NAME, placeholder="for example: Ward managers",
                                  css="cofa-sh-name")
        self.group = ui.choice("Which group are they in?", vocabulary.group_options(), css="cofa-sh-group")
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
        for key, field in {"person/name": self.name, "person/own-group": self.own_group}.items():
            editor.drafts.keep(key, field)  # half-typed words survive a reload too
        self.add.on_click(lambda _: ui.after_input_settles(guard(self.add_stakeholder)))
        self.update.on_click(lambda _: ui.after_input_settles(guard(self.update_stakeholder)))
        self.remove.on_click(guard(lambda _: self.remove_stakeholder()))
        self.people.observe(guard(lambda _: self.choose()), names="value")
        super().__init__([
            ui.heading("1. People and groups around the project"),
            ui.paragraph("Add each person or group. You can change or remove them later by choosing them in the list."),
            *ui.with_counter(self.name), self.group, *ui.with_counter(self.own_group), self.in_room, self.influence,
            self.involvement,
            self.add, self.feedback, self.people, self.update, self.remove,
        ], layout=ui.FULL_WIDTH)

    def read(self) -> Stakeholder:
        return Stakeholder(label=self.name.value, group=self.group.value, own_group=self.own_group.value,
                           in_room=self.in_room.value, influence=self.influence.value, involvement=self.involvement.value)

    def fill(self, person: Stakeholder) -> None:
        self.name.value, self.group.value, self.own_group.value = person.label, person.group, person.own_group
        self.in_room.value, self.influence.value, self.involvement.value = person.in_room, person.influence, person.involvement

    def show(self, power_map: PowerMap) -> None:
        self.people.options = [f"{p.label} ({power_map.group_words(p, self.editor.vocabulary)})" for p in power_map.stakeholders]

    def add_stakeholder(self) -> None:
        editor = self.editor
        new_map = attempt(self.feedback, lambda: editor.map.with_stakeholder(self.read()))
        if new_map:
            self.name.value = self.own_group.value = ""
            editor.changed(new_map, f"“{new_map.stakeholders[-1].label}” is on the map.", said_by=self.feedback)

    def update_stakeholder(self) -> None:
        index = chosen(self.feedback, self.people, "On the map")
        if index is None:
            return
        new_map = attempt(self.feedback, lambda: self.editor.map.with_stakeholder(self.read(), replacing=index))
        if new_map:
            self.editor.changed(new_map, f"“{new_map.stakeholders[index].label}” is changed.", said_by=self.feedback)

    def remove_stakeholder(self) -> None:
        index = chosen(self.feedback, self.people, "On the map")
        if index is None:
            return
        name = self.editor.map.stakeholders[index].label
        self.editor.changed(self.editor.map.without_stakeholder(index), f"“{name}” is no longer on the map.",
                            said_by=self.feedback)
        self.people.index = None
        self.name.value = self.own_group.value = ""

    def choose(self) -> None:
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
        self.table = ui.html("", "cofa-missing-table")
        for key, field in {"missing/name": self.name, "missing/own-reason": self.own_reason, "missing/step": self.step}.items():
            editor.drafts.keep(key, field)
        self.add.on_click(lambda _: ui.after_input_settles(guard(self.add_voice)))
        self.remove.on_click(guard(lambda _: self.remove_voice()))
        super().__init__([
            ui.heading("2. Who is not in the room?"),
            ui.paragraph("Think about who should have a say but is not here, and why. They appear on the map as dashed circles."),
            *ui.with_counter(self.name), ui.paragraph("Why might they be missing? Tick any that fit."), *self.reasons.values(),
            *ui.with_counter(self.own_reason), *ui.with_counter(self.step), self.add, self.feedback, self.voices,
            self.remove, self.table,
        ], layout=ui.FULL_WIDTH)

    def read(self) -> MissingVoice:
        return MissingVoice(label=self.name.value, reasons=[key for key, box in self.reasons.items() if box.value],
                            own_reason=self.own_reason.value.strip(), step=self.step.value.strip())

    def show(self, power_map: PowerMap) -> None:
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

    def remove_voice(self) -> None:
        index = chosen(self.feedback, self.voices, "Missing voices")
        if index is None:
            return
        name = self.editor.map.missing[index].label
        self.editor.changed(self.editor.map.without_missing(index), f"“{name}” is no longer on the missing list.",
                            said_by=self.feedback)


class DecisionSection(widgets.VBox):
    """3. For each decision, how much say each group has."""

    def __init__(self, editor: MapEditor) -> None:
        self.editor = editor
        self.feedback = ui.Feedback()  # each section speaks next to its own buttons
        guard = self.feedback.guard
        self.decision = ui.choice("Choose a decision", [(d.label, d.id) for d in editor.vocabulary.decisions],
                                  css="cofa-decision")
        self.say_area = widgets.VBox(layout=ui.FULL_WIDTH)
        self.says: dict[str, widgets.Dropdown] = {}
        self.own_decision = editor.drafts.keep("own-decision", ui.text_field(
            "Add a decision of your own", limit=MAX_DECISION, placeholder="for example: Who is paid, and how much",
            css="cofa-own-decision"))
        self.add = ui.button("Add this decision", "cofa-add-decision")
        self.view = ui.ChartView("cofa-decision-chart")
        self.decision.observe(guard(lambda _: self.show_says()), names="value")
        self.add.on_click(lambda _: ui.after_input_settles(guard(self.add_own_decision)))
        super().__init__([
            ui.heading("3. Who has a say in each decision?"),
            ui.paragraph("Choose a decision, then say how much say each group has. Leave any you are not sure of."),
            self.decision, self.say_area, *ui.with_counter(self.own_decision), self.add, self.feedback, self.view,
        ], layout=ui.FULL_WIDTH)

    def show(self, power_map: PowerMap) -> None:
        options = power_map.decision_options(self.editor.vocabulary)
        if self.decision.options != tuple(options):
            picked = self.decision.value
            self.decision.options = options
            self.decision.value = picked if picked in dict(options).values() else options[0][1]

    def show_says(self) -> None:
        """One drop-down per group on the map, for the chosen decision."""
        editor, vocabulary, decision_id = self.editor, self.editor.vocabulary, self.decision.value
        current = next((d.says for d in editor.map.decisions if d.decision == decision_id), {})
        levels = [NO_SAY_CHOSEN] + [(level.label, level.id) for level in vocabulary.say_levels]
        for old in self.says.values():
            old.close()
        self.says = {}
        label = editor.map.decision_label(decision_id, vocabulary)
        for key, words in editor.map.groups_in_use(vocabulary):
            box = ui.choice(f"{words}: how much say do they have in “{label}”?", levels, css="cofa-say")
            box.value = current.get(key, "")
            box.observe(self.feedback.guard(lambda change, key=key, words=words: self.set_say(key, words, change["new"])),
                        names="value")
            self.says[key] = box
        self.say_area.children = list(self.says.values())

    def set_say(self, group: str, group_words: str, level: str) -> None:
        editor, decision_id = self.editor, self.decision.value
        label = editor.map.decision_label(decision_id, editor.vocabulary)
        level_words = editor.vocabulary.words("say_levels", level)
        message = (f"Noted for “{label}”: {group_words}, “{level_words}”." if level_words else
                   f"The answer for {group_words} in “{label}” is cleared.")
        editor.changed(editor.map.with_say(decision_id, label, group, level), message, rebuild_says=False,
                       said_by=self.feedback)

    def add_own_decision(self) -> None:
        editor, label = self.editor, tidy(self.own_decision.value)
        if not label:
            self.feedback.say("Please write the decision first, then press “Add this decision”.", "problem")
            return
        decision_id = own_decision_id([d.decision for d in editor.map.decisions])
        new_map = attempt(self.feedback, lambda: editor.map.with_say(decision_id, label, "", ""))
        if new_map:
            self.own_decision.value = ""
            editor.changed(new_map, f"“{label}” is added to the decisions.", said_by=self.feedback)
            self.decision.value = decision_id


class ReflectionSection(widgets.VBox):
    """4. The kinds of power at work, where decisions are made, and one change."""

    def __init__(self, editor: MapEditor) -> None:
        vocabulary, drafts = editor.vocabulary, editor.drafts
        self.power_types = ui.tick_boxes([(f"{t.label}: {t.meaning}", t.id) for t in vocabulary.power_types],
                                         css="cofa-power-type")
        self.spaces = ui.tick_boxes([(f"{t.label}: {t.meaning}", t.id) for t in vocabulary.spaces], css="cofa-space")
        ticks = {**{f"power/{k}": b for k, b in self.power_types.items()}, **{f"space/{k}": b for k, b in self.spaces.items()}}
        for key, box in ticks.items():
            drafts.keep(key, box)
        self.power_note = drafts.keep("power-note", ui.text_field("What did you notice about power? (optional)",
                                                                  limit=MAX_TEXT, multiline=True, css="cofa-power-note"))
        self.space_note = drafts.keep("space-note", ui.text_field("Where are the real decisions made? (optional)",
                                                                  limit=MAX_TEXT, multiline=True, css="cofa-space-note"))
        self.change = drafts.keep("change", ui.text_field("One change the team could make (optional)",
                                                          limit=MAX_TEXT, multiline=True, css="cofa-change"))
        super().__init__([
            ui.heading("4. What kinds of power are at work?"),
            ui.paragraph("Tick any you notice. None of these are about blame: they help a team talk about power."),
            *self.power_types.values(), *ui.with_counter(self.power_note),
            ui.heading("Where are decisions made?"), *self.spaces.values(), *ui.with_counter(self.space_note),
            *ui.with_counter(self.change),
        ], layout=ui.FULL_WIDTH)

    def read(self) -> Reflection:
        return Reflection(
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

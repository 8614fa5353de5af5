"""The power map page: card + workspace in, widgets out. Only wiring here.

Everything is edited through labelled forms and lists (no dragging), so the map can be
built with a keyboard alone. pandas and altair load when the map is first drawn.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
from pydantic import ValidationError

from cofacilitate import ui
from cofacilitate.cards import CardError, load_cards, plain_problem
from cofacilitate.powermap.model import (
    TOOL,
    MissingVoice,
    PowerMap,
    PowerMapVocabulary,
    Reflection,
    Stakeholder,
    check_body,
    own_decision_id,
)
from cofacilitate.snapshots import (
    Saved,
    of_project,
    project_name,
    projects,
    saved_items,
)
from cofacilitate.store import Workspace
from cofacilitate.words import tidy, when_words

BUSY_MAP = 60  # past this many names, names are hidden until asked for
NOT_SAID = ("Not said", "")


def _problem(err: Exception) -> str:
    """The first problem as a sentence, without the field path (the form says which field)."""
    message = plain_problem(err).split(": ", 1)[-1]
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


class StakeholderForm(widgets.VBox):
    """Add or change one person or group."""

    def __init__(self, vocabulary: PowerMapVocabulary) -> None:
        self.name = ui.text_field("Name of the person or group", placeholder="for example: Ward managers", css="cofa-sh-name")
        self.group = ui.choice("Which group are they in?", vocabulary.group_options(), css="cofa-sh-group")
        self.own_group = ui.text_field("If they are in a group of their own, which group?", css="cofa-sh-own")
        self.in_room = widgets.Checkbox(description="In the room now (they take part where decisions are made)", value=True, indent=False)
        self.in_room.add_class("cofa-sh-room")
        self.influence = ui.choice("How much influence do they have over decisions?",
                                   [(t.label, n) for n, t in enumerate(vocabulary.influence, 1)], css="cofa-sh-influence")
        self.involvement = ui.choice("How involved are they day to day?",
                                     [(t.label, n) for n, t in enumerate(vocabulary.involvement, 1)], css="cofa-sh-involvement")
        super().__init__([self.name, self.group, self.own_group, self.in_room, self.influence, self.involvement])

    def read(self) -> Stakeholder:
        return Stakeholder(label=self.name.value, group=self.group.value, own_group=self.own_group.value,
                           in_room=self.in_room.value, influence=self.influence.value, involvement=self.involvement.value)

    def fill(self, person: Stakeholder) -> None:
        self.name.value, self.group.value, self.own_group.value = person.label, person.group, person.own_group
        self.in_room.value, self.influence.value, self.involvement.value = person.in_room, person.influence, person.involvement

    def clear(self) -> None:
        self.name.value = self.own_group.value = ""


class MissingForm(widgets.VBox):
    """Name someone who is not in the room, why, and one step to bring them in."""

    def __init__(self, vocabulary: PowerMapVocabulary) -> None:
        self.name = ui.text_field("Who is missing?", placeholder="for example: Young carers", css="cofa-miss-name")
        self.reasons = ui.tick_boxes([(r.label, r.id) for r in vocabulary.missing_reasons], css="cofa-miss-reason")
        self.own_reason = ui.text_field("Another reason, in your own words (optional)", css="cofa-miss-own")
        self.step = ui.text_field("One step that could bring them in (optional)", multiline=True, css="cofa-miss-step")
        super().__init__([self.name, ui.paragraph("Why might they be missing? Tick any that fit."), *self.reasons.values(),
                          self.own_reason, self.step])

    def read(self) -> MissingVoice:
        return MissingVoice(label=self.name.value, reasons=[key for key, box in self.reasons.items() if box.value],
                            own_reason=self.own_reason.value.strip(), step=self.step.value.strip())

    def clear(self) -> None:
        self.name.value = self.own_reason.value = self.step.value = ""
        for box in self.reasons.values():
            box.value = False


class PowerMapApp(widgets.VBox):
    """Who decides, who is in the room, who is missing, and how that shifts over time."""

    def __init__(self, workspace: Workspace, cards_folder: Path | None = None, owner: str = "") -> None:
        super().__init__(layout=ui.FULL_WIDTH)
        self.workspace = workspace
        cards, card_problems = load_cards(TOOL, PowerMapVocabulary, cards_folder)
        if not cards:
            raise CardError("No power map card could be used, so this page cannot open.\n" + "\n".join(card_problems))
        self.card = next(iter(cards.values()))
        self.vocabulary = self.card.vocabulary
        self.vocabularies = {card_id: card.vocabulary for card_id, card in cards.items()}
        self.feedback = ui.Feedback()
        self.drafts = ui.DraftKeeper(workspace, TOOL, owner, self.feedback)
        guard = self.feedback.guard
        vocabulary = self.vocabulary

        self.project = self.drafts.keep("project", ui.project_field("Which project is this map about?"))
        self.saved_list = ui.html("", "cofa-history")
        self.load_last = ui.button("Start from the last saved map of this project", "cofa-load-last")

        self.person_form = StakeholderForm(vocabulary)
        self.add_person = ui.button("Add to the map", "cofa-add-person", primary=True)
        self.people = ui.list_box("On the map (choose one to change it):", 8, "cofa-people")
        self.update_person = ui.button("Save changes to the chosen one", "cofa-update-person")
        self.remove_person = ui.button("Remove the chosen one", "cofa-remove-person")
        self.show_names = widgets.Checkbox(description="Show names on the map", value=True, indent=False)
        self.show_names.add_class("cofa-show-names")
        self.map_view = ui.ChartView("cofa-map-chart")
        self.draw_button = ui.button("Show the map", "cofa-draw-map")

        self.missing_form = MissingForm(vocabulary)
        self.add_missing = ui.button("Add to the missing list", "cofa-add-missing", primary=True)
        self.missing_list = ui.list_box("Missing voices (choose one to remove it):", 5, "cofa-missing-list")
        self.remove_missing = ui.button("Remove the chosen missing voice", "cofa-remove-missing")
        self.missing_table = ui.html("", "cofa-missing-table")

        self.decision = ui.choice("Choose a decision", [(d.label, d.id) for d in vocabulary.decisions], css="cofa-decision")
        self.say_area = widgets.VBox(layout=ui.FULL_WIDTH)
        self.says: dict[str, widgets.Dropdown] = {}
        self.own_decision = ui.text_field("Add a decision of your own", placeholder="for example: Who is paid, and how much",
                                          css="cofa-own-decision")
        self.add_decision = ui.button("Add this decision", "cofa-add-decision")
        self.decision_view = ui.ChartView("cofa-decision-chart")

        self.power_types = ui.tick_boxes([(f"{t.label}: {t.meaning}", t.id) for t in vocabulary.power_types], css="cofa-power-type")
        self.spaces = ui.tick_boxes([(f"{t.label}: {t.meaning}", t.id) for t in vocabulary.spaces], css="cofa-space")
        for key, box in {**{f"power/{k}": b for k, b in self.power_types.items()},
                         **{f"space/{k}": b for k, b in self.spaces.items()}}.items():
            self.drafts.keep(key, box)
        self.power_note = self.drafts.keep("power-note", ui.text_field("What did you notice about power? (optional)", multiline=True, css="cofa-power-note"))
        self.space_note = self.drafts.keep("space-note", ui.text_field("Where are the real decisions made? (optional)", multiline=True, css="cofa-space-note"))
        self.change = self.drafts.keep("change", ui.text_field("One change the team could make (optional)", multiline=True, css="cofa-change"))

        self.save_button = ui.button("Save this map", "cofa-save", primary=True)
        self.earlier = ui.choice("Earlier map", [NOT_SAID], css="cofa-earlier")
        self.later = ui.choice("Later map", [NOT_SAID], css="cofa-later")
        self.compare_button = ui.button("Compare the two maps", "cofa-compare")
        self.compare_view = ui.ChartView("cofa-compare-chart")
        self.files = ui.FilesPanel(self.feedback, workspace, TOOL, lambda body: check_body(body, self.vocabularies),
                                    self.files_to_download, self.show_saved_list)

        for key, field in {"person/name": self.person_form.name, "person/own-group": self.person_form.own_group,
                           "missing/name": self.missing_form.name, "missing/own-reason": self.missing_form.own_reason,
                           "missing/step": self.missing_form.step, "own-decision": self.own_decision}.items():
            self.drafts.keep(key, field)  # half-typed words survive a reload too
        self.map = self.starting_map()
        self.project.observe(guard(lambda _: self.show_saved_list()), names="value")
        self.load_last.on_click(guard(lambda _: self.start_from_last()))
        self.add_person.on_click(lambda _: ui.after_input_settles(guard(self.add_stakeholder)))
        self.update_person.on_click(lambda _: ui.after_input_settles(guard(self.update_stakeholder)))
        self.remove_person.on_click(guard(lambda _: self.remove_stakeholder()))
        self.people.observe(guard(lambda _: self.choose_stakeholder()), names="value")
        self.show_names.observe(guard(lambda _: self.redraw()), names="value")
        self.draw_button.on_click(guard(lambda _: self.redraw(force=True)))
        self.add_missing.on_click(lambda _: ui.after_input_settles(guard(self.add_missing_voice)))
        self.remove_missing.on_click(guard(lambda _: self.remove_missing_voice()))
        self.decision.observe(guard(lambda _: self.show_says()), names="value")
        self.add_decision.on_click(lambda _: ui.after_input_settles(guard(self.add_own_decision)))
        save = guard(self.save, problem="The map could not be saved just now. It is still on screen and kept as a "
                     "draft. Please try Save again in a moment.")
        self.save_button.on_click(lambda _: ui.after_input_settles(save))
        self.compare_button.on_click(guard(lambda _: self.compare()))

        problems = [ui.problem_note(problem) for problem in card_problems]
        self.children = [
            ui.storage_notice(workspace), *problems, ui.html(ui.card_intro_html(self.card)),
            ui.heading("Your project"), self.project, self.saved_list, self.load_last,
            ui.heading("1. People and groups around the project"),
            ui.paragraph("Add each person or group. You can change or remove them later by choosing them in the list."),
            self.person_form, self.add_person, self.people, self.update_person, self.remove_person,
            ui.heading("The map"), self.draw_button, self.show_names, self.map_view,
            ui.heading("2. Who is not in the room?"),
            ui.paragraph("Think about who should have a say but is not here, and why. They appear on the map as hollow circles."),
            self.missing_form, self.add_missing, self.missing_list, self.remove_missing, self.missing_table,
            ui.heading("3. Who has a say in each decision?"),
            ui.paragraph("Choose a decision, then say how much say each group has. Leave any you are not sure of."),
            self.decision, self.say_area, self.own_decision, self.add_decision, self.decision_view,
            ui.heading("4. What kinds of power are at work?"),
            ui.paragraph("Tick any you notice. None of these are about blame: they help a team talk about power."),
            *self.power_types.values(), self.power_note,
            ui.heading("Where are decisions made?"), *self.spaces.values(), self.space_note, self.change,
            ui.paragraph("Your map is kept as you work, even if the page is closed. Press Save to keep a dated copy you can compare later."),
            self.save_button, self.feedback,
            ui.heading("Compare two saved maps"), self.earlier, self.later, self.compare_button, self.compare_view,
            self.files,
        ]
        self.show_saved_list()
        self.show_lists()
        self.show_says()

    # -- reading the page -----------------------------------------------------
    def project_name(self) -> str:
        return project_name(self.project.value)

    def saved(self) -> list[Saved[PowerMap]]:
        return saved_items(self.workspace.records(TOOL), lambda body: check_body(body, self.vocabularies))

    def starting_map(self) -> PowerMap:
        """The map being worked on: the draft if there is one, else empty."""
        draft = self.drafts.saved.get("map")
        if draft:
            try:
                found = check_body(draft, self.vocabularies)
                self.feedback.say("Welcome back. We brought back the map you were working on.")
                return found
            except ValueError:
                pass
        return PowerMap(card=self.card.id, project=self.project_name())

    def current(self) -> PowerMap:
        """The working map with the project and reflection as they are on screen."""
        reflection = Reflection(
            power_types=[k for k, box in self.power_types.items() if box.value], power_note=self.power_note.value.strip(),
            spaces=[k for k, box in self.spaces.items() if box.value], space_note=self.space_note.value.strip(),
            change=self.change.value.strip(),
        )
        return self.map.model_copy(update={"project": self.project_name(), "reflection": reflection})

    # -- editing ---------------------------------------------------------------
    def changed(self, new_map: PowerMap, message: str, rebuild_says: bool = True) -> None:
        """Every edit lands here: keep the draft, refresh the lists, redraw what is drawn."""
        self.map = new_map
        self.show_lists()
        if rebuild_says:  # not after a say changes, so keyboard focus stays where it is
            self.show_says()
        self.redraw()
        self.feedback.say(message, "done")
        self.drafts.remember("map", new_map.model_dump())  # last, so a failure to keep it is what people see

    def _try(self, make) -> PowerMap | None:
        try:
            return make()
        except (ValidationError, ValueError) as problem:
            self.feedback.say(_problem(problem) + " Nothing was changed.", "problem")
            return None

    def add_stakeholder(self) -> None:
        new_map = self._try(lambda: self.map.with_stakeholder(self.person_form.read()))
        if new_map:
            name = new_map.stakeholders[-1].label
            self.person_form.clear()
            self.changed(new_map, f"“{name}” is on the map.")

    def _chosen(self, box: widgets.Select, list_name: str) -> int | None:
        """The position chosen in a list, or None after saying plainly what to do first."""
        if box.index is None:
            self.feedback.say(f"First choose someone in the list “{list_name}”.")
        return box.index

    def update_stakeholder(self) -> None:
        index = self._chosen(self.people, "On the map")
        if index is None:
            return
        new_map = self._try(lambda: self.map.with_stakeholder(self.person_form.read(), replacing=index))
        if new_map:
            self.changed(new_map, f"“{new_map.stakeholders[index].label}” is changed.")

    def remove_stakeholder(self) -> None:
        index = self._chosen(self.people, "On the map")
        if index is None:
            return
        name = self.map.stakeholders[index].label
        self.changed(self.map.without_stakeholder(index), f"“{name}” is no longer on the map.")
        self.people.index = None
        self.person_form.clear()

    def choose_stakeholder(self) -> None:
        if self.people.index is not None and self.people.index < len(self.map.stakeholders):
            self.person_form.fill(self.map.stakeholders[self.people.index])

    def add_missing_voice(self) -> None:
        new_map = self._try(lambda: self.map.with_missing(self.missing_form.read()))
        if new_map:
            self.missing_form.clear()
            self.changed(new_map, f"“{new_map.missing[-1].label}” is on the missing list.")

    def remove_missing_voice(self) -> None:
        index = self._chosen(self.missing_list, "Missing voices")
        if index is None:
            return
        name = self.map.missing[index].label
        self.changed(self.map.without_missing(index), f"“{name}” is no longer on the missing list.")

    def add_own_decision(self) -> None:
        label = tidy(self.own_decision.value)
        if not label:
            self.feedback.say("Please write the decision first, then press “Add this decision”.", "problem")
            return
        decision_id = own_decision_id([d.decision for d in self.map.decisions])
        new_map = self._try(lambda: self.map.with_say(decision_id, label, "", ""))
        if new_map:
            self.own_decision.value = ""
            self.changed(new_map, f"“{label}” is added to the decisions.")
            self.decision.value = decision_id

    def set_say(self, group: str, group_words: str, level: str) -> None:
        decision_id = self.decision.value
        label = self.map.decision_label(decision_id, self.vocabulary)
        level_words = self.vocabulary.words("say_levels", level, "not said")
        self.changed(self.map.with_say(decision_id, label, group, level),
                     f"Noted: {group_words}, {level_words.lower()}, in “{label}”.", rebuild_says=False)

    # -- showing ---------------------------------------------------------------
    def show_lists(self) -> None:
        self.people.options = [f"{p.label} ({self.map.group_words(p, self.vocabulary)})" for p in self.map.stakeholders]
        self.missing_list.options = [voice.label for voice in self.map.missing]
        options = self.map.decision_options(self.vocabulary)
        if self.decision.options != tuple(options):
            chosen = self.decision.value
            self.decision.options = options
            self.decision.value = chosen if chosen in dict(options).values() else options[0][1]
        self.missing_table.value = ui.table_html(
            "Who is missing, why, and one step", ["Who", "Why", "One step"], self.map.missing_rows(self.vocabulary)
        ) if self.map.missing else ""

    def show_says(self) -> None:
        """One drop-down per group on the map, for the chosen decision."""
        decision_id = self.decision.value
        current = next((d.says for d in self.map.decisions if d.decision == decision_id), {})
        levels = [NOT_SAID] + [(level.label, level.id) for level in self.vocabulary.say_levels]
        for old in self.says.values():
            old.close()
        self.says = {}
        label = self.map.decision_label(decision_id, self.vocabulary)
        for key, words in self.map.groups_in_use(self.vocabulary):
            box = ui.choice(f"Say of {words} in “{label}”", levels, css="cofa-say")
            box.value = current.get(key, "")
            box.observe(self.feedback.guard(lambda change, key=key, words=words: self.set_say(key, words, change["new"])), names="value")
            self.says[key] = box
        self.say_area.children = list(self.says.values())

    def redraw(self, force: bool = False) -> None:
        """Draw the map and the decision grid (only once someone has asked to see them)."""
        if not (force or self.map_view.children):
            return
        from cofacilitate.powermap import analysis, charts

        frame = analysis.map_frame(self.vocabulary, self.map)
        if len(frame) > BUSY_MAP and self.show_names.value and not self.map_view.children:
            self.show_names.value = False  # a busy map starts without names; they stay in the table
        sentence = analysis.map_sentence(frame, self.vocabulary)
        self.map_view.show(charts.map_chart(frame, self.vocabulary, sentence, self.show_names.value), sentence,
                           "Everyone on the map", analysis.MAP_COLUMNS, analysis.map_rows(frame))
        decisions = analysis.decision_frame(self.vocabulary, self.map)
        if not decisions.empty:
            said = analysis.decision_sentence(decisions, self.vocabulary)
            self.decision_view.show(charts.decision_chart(decisions, self.vocabulary, said), said,
                                    "Say in each decision", analysis.DECISION_COLUMNS, analysis.decision_rows(decisions))

    def show_saved_list(self) -> None:
        saved = self.saved()
        self.project.options = projects(saved)
        mine = of_project(saved, self.project_name())
        self.saved_list.value = ui.saved_list_html(self.project_name(), "maps", [
            f"{when_words(s.saved_at)}: {len(s.item.stakeholders)} on the map, {len(s.item.missing)} missing" for s in mine
        ])
        choices = [(f"{number}. {when_words(s.saved_at)}", s.record_id) for number, s in enumerate(mine, start=1)] or [NOT_SAID]
        self.earlier.options, self.later.options = choices, choices
        self.earlier.value, self.later.value = choices[max(0, len(choices) - 2)][1], choices[-1][1]

    # -- saving, comparing, files ----------------------------------------------
    def start_from_last(self) -> None:
        mine = of_project(self.saved(), self.project_name())
        if not mine:
            self.feedback.say("There is no saved map of this project yet.")
            return
        latest = mine[-1].item
        reflection = latest.reflection
        for key, box in self.power_types.items():
            box.value = key in reflection.power_types
        for key, box in self.spaces.items():
            box.value = key in reflection.spaces
        self.power_note.value, self.space_note.value, self.change.value = reflection.power_note, reflection.space_note, reflection.change
        self.changed(latest, f"The map from {when_words(mine[-1].saved_at)} is loaded. Change whatever has moved.")

    def save(self) -> None:
        self.drafts.flush()
        power_map = self.current()
        self.workspace.save_record(TOOL, power_map.model_dump())
        self.show_saved_list()
        self.feedback.say(f"The map of “{power_map.project}” is saved ({len(power_map.stakeholders)} on the map).", "done")

    def compare(self) -> None:
        from cofacilitate.powermap import analysis, charts

        saved = {s.record_id: s for s in of_project(self.saved(), self.project_name())}
        before, after = saved.get(self.earlier.value), saved.get(self.later.value)
        if not before or not after or before is after:
            self.feedback.say("Choose two different saved maps of this project to compare.")
            return
        sentence, rows = analysis.compare(self.vocabulary, before.item, after.item)
        chart = charts.side_by_side(
            self.vocabulary, analysis.map_frame(self.vocabulary, before.item), analysis.map_frame(self.vocabulary, after.item),
            (when_words(before.saved_at), when_words(after.saved_at)), sentence,
        )
        self.compare_view.show(chart, sentence, "What changed between the two maps", analysis.COMPARE_COLUMNS, rows)

    def files_to_download(self) -> list[ui.DownloadFile]:
        from cofacilitate.frames import csv_bytes
        from cofacilitate.offline import chart_picture
        from cofacilitate.powermap import analysis, charts

        records = self.workspace.records(TOOL)
        files = []
        if records:
            files += [
                ui.DownloadFile("Download my response card (for this app)", "power-map-response-card.json",
                                self.workspace.export_card(TOOL, records), "application/json", "cofa-download-card"),
                ui.DownloadFile("Download a spreadsheet of saved maps (CSV)", "power-maps.csv",
                                csv_bytes(analysis.export_frame(self.vocabulary, self.saved())), "text/csv", "cofa-download-csv"),
            ]
        if self.map.stakeholders or self.map.missing:
            frame = analysis.map_frame(self.vocabulary, self.map)
            spec = charts.map_chart(frame, self.vocabulary, analysis.map_sentence(frame, self.vocabulary), self.show_names.value).to_dict()
            files += [
                ui.DownloadFile("Download the map as a picture (SVG)", "power-map.svg", chart_picture(spec, "svg"), "image/svg+xml", "cofa-download-svg"),
                ui.DownloadFile("Download the map as a picture (PNG)", "power-map.png", chart_picture(spec, "png"), "image/png", "cofa-download-png"),
            ]
        return files


def show(home: str | None = None) -> widgets.Widget:
    """What the workbook calls: the whole power map page, or a plain message if it cannot open."""
    return ui.launch(PowerMapApp, home)

"""The power map page: the kit's page plus the map's sections. Only wiring here.

Everything is edited through labelled forms and lists (no dragging), so the map can be
built with a keyboard alone. pandas and altair load when the map is first drawn.
"""

from __future__ import annotations

import hashlib
from typing import Any

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.powermap.decisions import DecisionSection
from cofacilitate.powermap.model import OWN_GROUP, PowerMap, PowerMapVocabulary, check_body, kept_map, own_group_key
from cofacilitate.powermap.sections import NOT_SAID, MissingSection, PeopleSection, ReflectionSection
from cofacilitate.snapshots import Saved
from cofacilitate.ui.fields import TextBox
from cofacilitate.words import when_words

BUSY_MAP = 60  # past this many names, names are hidden until asked for


def working_map_key(card_id: str, project: str) -> str:
    """The draft that holds a project's working map (and notes) for one card: each project keeps its own."""
    return f"{card_id}/map/{hashlib.sha256(project.encode('utf-8')).hexdigest()[:16]}"


class PowerMapPage(ui.ToolPage[PowerMapVocabulary, PowerMap]):
    """Who decides, who is in the room, who is missing, and how that shifts over time."""

    vocabulary_type = PowerMapVocabulary
    card_question = "Which power map would you like to use?"
    project_question = "Which project is this map about?"
    saved_what = "maps"
    save_words = "Save this map"
    save_problem = ("The map could not be saved just now. It is still on screen and kept as a draft. "
                    "Please try Save again in a moment.")

    def __init__(self, ctx: ui.Context) -> None:
        super().__init__(ctx)
        guard = self.feedback.guard
        self.load_last = ui.button("Start from the last saved map of this project", "cofa-load-last")
        self.project_feedback = ui.Feedback()  # what happened to the map when the project changed, said beside it
        self.draw_button = ui.button("Show the map", "cofa-draw-map")
        self.show_names = widgets.Checkbox(description="Show names on the map", value=True, indent=False)
        self.show_names.add_class("cofa-show-names")
        self.map_view = ui.ChartView("cofa-map-chart")
        self.grid_view = ui.ChartView("cofa-decision-chart")  # the decision grid, below its section's button
        self.sections = widgets.VBox(layout=ui.FULL_WIDTH)
        self.earlier = ui.choice("Earlier map", [NOT_SAID], css="cofa-earlier")
        self.later = ui.choice("Later map", [NOT_SAID], css="cofa-later")
        self.compare_button = ui.button("Compare the two maps", "cofa-compare")
        self.compare_view = ui.ChartView("cofa-compare-chart")
        self.load_last.on_click(self.project_feedback.guard(lambda _: self.start_from_last()))
        self.show_names.observe(guard(lambda _: self.redraw()), names="value")
        self.draw_button.on_click(guard(lambda _: self.redraw(force=True)))
        self.compare_button.on_click(guard(lambda _: self.compare()))
        self.swapping = False
        self.saved_maps: list[PowerMap] = []  # this project's saved maps with this card, oldest first
        self.build_sections()
        self.project.observe(guard(lambda _: self.project_changed()), names="value")
        self.children = [
            *self.top, ui.heading("Your project"), *ui.with_counter(self.project), self.saved_list, self.load_last,
            self.project_feedback, self.sections,
            ui.paragraph("Your map is kept as you work, even if the page is closed. "
                         "Press Save to keep a dated copy you can compare later."),
            self.save_button, self.feedback,
            *self.personal(ui.heading("Compare two saved maps"), self.earlier, self.later, self.compare_button,
                           self.compare_view, self.files),
        ]
        self.show_saved_list()
        self.greet()

    # -- what the kit asks of a tool ---------------------------------------------
    def check(self, body: dict[str, Any]) -> PowerMap:
        return check_body(body, self.vocabularies)

    def entry(self, saved: Saved[PowerMap]) -> str:
        return f"{when_words(saved.saved_at)}: {len(saved.item.stakeholders)} on the map, {len(saved.item.missing)} missing"

    def card_changed(self) -> None:
        super().card_changed()
        self.build_sections()
        self.show_saved_list()  # the maps to compare, and the marks, are this card's

    @property
    def vocabulary(self) -> PowerMapVocabulary:
        return self.card.vocabulary

    @property
    def room_groups(self) -> tuple[str, ...]:
        """The groups a room's facilitator asks everyone to place (none outside a room)."""
        return self.ctx.setting.groups if self.ctx.setting else ()

    def map_key(self, project: str) -> str:
        return working_map_key(self.card.id, project)

    def keep_form(self, name: str, field: TextBox) -> TextBox:
        """A half-typed box of a section's form: its draft belongs to the project (and card) on screen."""
        self.form_fields.append((name, field))
        self.drafts.keep(lambda: self.form_key(name), field)
        return field

    def form_key(self, name: str) -> str:
        return f"{self.map_key(self.map_project)}/{name}"

    def build_sections(self) -> None:
        """The chosen card's sections, starting from the map kept as a draft for this project and card;
        the sections of the card chosen before are closed."""
        replaced = list(self.sections.children)
        self.form_fields: list[tuple[str, TextBox]] = []
        self.map = self.draft_map()
        self.people = PeopleSection(self)
        self.missing = MissingSection(self)
        self.decisions = DecisionSection(self, self.grid_view)
        self.grid_view.children = []  # another card's grid shows once asked for
        self.reflection = ReflectionSection(self)
        self.swapping = True
        try:
            self.reflection.fill(self.map.reflection)
        finally:
            self.swapping = False
        for box in [*self.reflection.power_types.values(), *self.reflection.spaces.values(),
                    self.reflection.power_note, self.reflection.space_note, self.reflection.change]:
            box.observe(self.feedback.guard(lambda _: self.keep_working_map()), names="value")
        self.sections.children = [
            self.people, *self.personal(ui.heading("The map"), self.draw_button, self.show_names, self.map_view),
            self.missing, self.decisions, *self.personal(self.grid_view), self.reflection,
        ]
        ui.retire(*[section for section in replaced if section not in self.sections.children])
        self.show_lists()
        self.decisions.show_says()

    def draft_map(self) -> PowerMap:
        """The map being worked on for this project with this card: its draft if there is one, else empty.
        A draft of this map that cannot be used is said beside the project's name, and the map starts empty."""
        project = self.project_name()
        self.map_project = project
        self.unusable_draft = False
        kept = self.drafts.newest
        for key in (self.map_key(project), f"{self.card.id}/map", "map"):  # the last two: kept by earlier versions
            try:
                found = kept_map(kept[key], self.vocabularies) if isinstance(kept.get(key), dict) else None
            except ValueError:
                self.unusable_draft = self.unusable_draft or key == self.map_key(project)
                continue
            if found and found.card == self.card.id and found.project == project:
                self.drafts.brought_back.add(key)
                return found
        if self.unusable_draft:
            self.project_feedback.say(f"The map kept from last time for “{project}” could not be used here, so this "
                                      "map starts empty. Your saved maps are not changed.")
        return PowerMap.started(self.card.id, project)

    def keep_working_map(self) -> None:
        """Keep the map and its notes as this project's draft (not while the page swaps projects), and any
        group new to the project in its order of marks."""
        if not self.swapping:
            self.drafts.remember(self.map_key(self.map_project), self.current().model_dump())
            kept, order = self.kept_groups(), self.group_order()
            if order[len(self.vocabulary.groups):] != kept:
                self.drafts.remember(self.groups_key(), order[len(self.vocabulary.groups):])

    # -- each group's mark, for the life of the project -----------------------------
    def groups_key(self) -> str:
        return self.map_key(self.map_project) + "/groups"

    def kept_groups(self) -> list[str]:
        """The groups people named in this project, in the order they first appeared (kept as a draft)."""
        kept = self.drafts.newest.get(self.groups_key())
        return [key for key in kept if isinstance(key, str)] if isinstance(kept, list) else []

    def group_order(self) -> list[str]:
        """Every group's place among the marks: the card's groups in its order, then the groups people named,
        first those already placed, then any in the project's saved maps (oldest first) or on the map now."""
        named = [own_group_key(p.own_group) for m in [*self.saved_maps, self.map] for p in m.stakeholders
                 if p.group == OWN_GROUP]
        return list(dict.fromkeys([*(g.id for g in self.vocabulary.groups), *self.kept_groups(), *named]))

    def project_changed(self) -> None:
        """A new project starts with an empty map; going back to a project brings its map back."""
        if self.project_name() == self.map_project:
            return
        before = self.map_project
        self.swapping = True
        try:
            self.map = self.draft_map()
            self.reflection.fill(self.map.reflection)
            for name, field in self.form_fields:  # each project's half-typed words, or empty boxes
                self.drafts.refill(self.form_key(name), field, "")
        finally:
            self.swapping = False
        self.show_lists()
        self.decisions.show_says()
        self.redraw()
        if self.unusable_draft:
            return  # already said
        if self.map.stakeholders or self.map.missing:
            self.project_feedback.say(f"This is the map you were making for “{self.map_project}”.")
        else:
            self.project_feedback.say(f"“{self.map_project}” starts with an empty map. The map for “{before}” is kept: "
                              "type that name again to go back to it.")

    def current(self) -> PowerMap:
        """The working map with the project and reflection as they are on screen."""
        return self.map.model_copy(update={"project": self.map_project, "reflection": self.reflection.read()})

    # -- editing -----------------------------------------------------------------
    def changed(self, new_map: PowerMap, message: str, rebuild_says: bool = True, said_by: ui.Feedback | None = None) -> None:
        """Every edit lands here: keep the draft, refresh the lists, redraw what is drawn."""
        self.map = new_map
        self.show_lists()
        if rebuild_says:  # not after a say changes, so keyboard focus stays where it is
            self.decisions.show_says()
        self.redraw()
        (said_by or self.feedback).say(message, "done")
        self.keep_working_map()  # last, so a failure to keep it is what people see

    def show_lists(self) -> None:
        self.people.show(self.map)
        self.missing.show(self.map)
        self.decisions.show(self.map)

    def redraw(self, force: bool = False) -> None:
        """Draw the map (once someone has asked to see it, or now if `force`), and the decision grid if asked for."""
        self.decisions.draw()
        if not (force or self.map_view.children):
            return
        from cofacilitate.powermap import analysis

        frame = analysis.map_frame(self.vocabulary, self.map)
        if len(frame) > BUSY_MAP and self.show_names.value and not self.map_view.children:
            self.show_names.value = False  # a busy map starts without names; they stay in the table
        chart, sentence = self.map_chart(frame)
        self.map_view.show(chart, sentence, "Everyone on the map", analysis.MAP_COLUMNS, analysis.map_rows(frame))

    def map_chart(self, frame: Any) -> tuple[Any, str]:
        """The working map as drawn on the page and in its pictures, each group in its mark for the project."""
        from cofacilitate.powermap import analysis, charts

        vocabulary = self.vocabulary
        sentence = analysis.map_sentence(frame, vocabulary)
        marks = analysis.group_marks(vocabulary, self.group_order(), self.map)
        return charts.map_chart(frame, vocabulary, sentence, self.show_names.value, marks=marks), sentence

    # -- saving, comparing, files --------------------------------------------------
    def show_saved_list(self) -> None:
        super().show_saved_list()
        mine = self.of_project(self.card.id)
        self.saved_maps = [saved.item for saved in mine]
        choices = [(f"{number}. {when_words(s.saved_at)}", s.record_id) for number, s in enumerate(mine, start=1)] or [NOT_SAID]
        self.earlier.options, self.later.options = choices, choices
        self.earlier.value, self.later.value = choices[max(0, len(choices) - 2)][1], choices[-1][1]

    def start_from_last(self) -> None:
        mine = self.of_project(self.card.id)
        if not mine:
            self.project_feedback.say("There is no saved map of this project yet.")
            return
        self.reflection.fill(mine[-1].item.reflection)
        self.changed(mine[-1].item, f"The map from {when_words(mine[-1].saved_at)} is loaded. Change whatever has moved.",
                     said_by=self.project_feedback)

    def save(self) -> None:
        """Keep a dated copy; the working map (and its draft) stays on screen to carry on with."""
        power_map = self.current()
        self.keep_record(power_map.model_dump(), {})
        self.feedback.say(f"The map of “{power_map.project}” is saved ({len(power_map.stakeholders)} on the map).", "done")

    def compare(self) -> None:
        from cofacilitate.powermap import analysis, charts

        saved = {s.record_id: s for s in self.of_project(self.card.id)}
        before, after = saved.get(self.earlier.value), saved.get(self.later.value)
        if not before or not after or before is after:
            self.feedback.say("Choose two different saved maps of this project to compare.")
            return
        vocabulary = self.vocabulary
        sentence, rows = analysis.compare(vocabulary, before.item, after.item)
        chart = charts.side_by_side(
            vocabulary, analysis.map_frame(vocabulary, before.item), analysis.map_frame(vocabulary, after.item),
            (when_words(before.saved_at), when_words(after.saved_at)), sentence,
            analysis.group_marks(vocabulary, self.group_order(), before.item, after.item),
        )
        self.compare_view.show(chart, sentence, "What changed between the two maps", analysis.COMPARE_COLUMNS, rows)

    def other_files(self) -> list[ui.DownloadFile]:
        from cofacilitate.frames import csv_bytes
        from cofacilitate.offline import chart_picture
        from cofacilitate.powermap import analysis

        files = []
        items = self.shelf().items
        if items:
            files.append(ui.DownloadFile("Download a spreadsheet of saved maps (CSV)", "power-maps.csv",
                                         csv_bytes(analysis.export_frame(self.vocabularies, items)),
                                         "text/csv", "cofa-download-csv"))
        if self.map.stakeholders or self.map.missing:
            spec = self.map_chart(analysis.map_frame(self.vocabulary, self.map))[0].to_dict()
            files += [
                ui.DownloadFile("Download the map as a picture (SVG)", "power-map.svg", chart_picture(spec, "svg"),
                                "image/svg+xml", "cofa-download-svg"),
                ui.DownloadFile("Download the map as a picture (PNG)", "power-map.png", chart_picture(spec, "png"),
                                "image/png", "cofa-download-png"),
            ]
        return files

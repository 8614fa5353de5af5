"""The power map's third section: for each decision, how much say each group has, and the grid of it all.

The drop-downs of says are made once per group and filled again when another decision is
chosen, never rebuilt: on a busy laptop or a phone, answers given while the kernel is still
catching up reach the same drop-downs, and so land in the decision chosen now. Only a group
that joins or leaves the map gains or loses its drop-down.
"""

from __future__ import annotations

import ipywidgets as widgets

from cofacilitate import ui
from cofacilitate.powermap.model import MAX_DECISION, PowerMap, own_decision_id
from cofacilitate.powermap.sections import MapEditor, attempt
from cofacilitate.words import tidy

NO_SAY_CHOSEN = ("Choose an answer (or leave it)", "")  # first in each list of how much say a group has


def counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class DecisionSection(widgets.VBox):
    """3. For each decision, how much say each group has; and a grid of every decision, on its own button.

    The grid's view is the page's, shown right after this section, so one chart widget (its JavaScript
    is large) serves every card's section."""

    def __init__(self, editor: MapEditor, view: ui.ChartView) -> None:
        self.editor = editor
        self.feedback = ui.Feedback()  # each section speaks next to its own buttons
        guard = self.feedback.guard
        self.decision = ui.choice("Choose a decision", [(d.label, d.id) for d in editor.vocabulary.decisions],
                                  css="cofa-decision")
        self.say_area = widgets.VBox(layout=ui.FULL_WIDTH)
        self.says: dict[str, widgets.Dropdown] = {}  # group key -> its drop-down, kept while the group is on the map
        self.group_words: dict[str, str] = {}
        self.filling = False  # True while the page itself puts a decision's answers in the drop-downs
        self.own_decision = editor.keep_form("own-decision", ui.text_field(
            "Add a decision of your own", limit=MAX_DECISION, placeholder="for example: Who is paid, and how much",
            css="cofa-own-decision"))
        self.add = ui.button("Add this decision", "cofa-add-decision")
        self.grid_button = ui.button("Show the decision grid", "cofa-draw-grid")
        self.grid_feedback = ui.Feedback()  # what the grid's button did, said beside it
        self.grid_asked = False
        self.view = view
        self.decision.observe(guard(lambda _: self.show_says()), names="value")
        self.add.on_click(lambda _: guard(self.add_own_decision)())
        self.grid_button.on_click(self.grid_feedback.guard(lambda _: self.draw(asked=True)))
        super().__init__([
            ui.heading("3. Who has a say in each decision?"),
            ui.paragraph("Choose a decision, then say how much say each group has. Leave any you are not sure of."),
            self.decision, self.say_area, *ui.with_counter(self.own_decision), self.add, self.feedback,
            *editor.personal(ui.heading("The decision grid", 3),
                             ui.paragraph("All the decisions and groups in one picture. Darker squares mean more say."),
                             self.grid_button, self.grid_feedback),
        ], layout=ui.FULL_WIDTH)

    def show(self, power_map: PowerMap) -> None:
        options = power_map.decision_options(self.editor.vocabulary)
        if self.decision.options != tuple(options):
            picked = self.decision.value
            self.decision.options = options
            self.decision.value = picked if picked in dict(options).values() else options[0][1]

    def show_says(self) -> None:
        """One drop-down per group on the map, filled with the chosen decision's answers.

        A group new to the map gets a drop-down; one that left has its drop-down closed; every other
        drop-down stays the same widget, so nothing a person is choosing in it is lost.
        """
        groups = dict(self.editor.map.groups_in_use(self.editor.vocabulary))
        gone = [box for key, box in self.says.items() if key not in groups]
        joined = [key for key in groups if key not in self.says]
        self.says = {key: self.says[key] if key in self.says else self.say_box(key) for key in groups}
        self.group_words = groups
        self.fill_says()
        if gone or joined:
            self.say_area.children = list(self.says.values())
            ui.retire(*gone)

    def say_box(self, key: str) -> widgets.Dropdown:
        levels = [NO_SAY_CHOSEN] + [(level.label, level.id) for level in self.editor.vocabulary.say_levels]
        box = ui.choice("", levels, css="cofa-say")
        box.observe(self.feedback.guard(lambda change: self.set_say(key, change["new"])), names="value")
        return box

    def fill_says(self) -> None:
        """Put the chosen decision's answers (kept in the working map) in the drop-downs, and name it in each."""
        editor, decision_id = self.editor, self.decision.value
        current = next((d.says for d in editor.map.decisions if d.decision == decision_id), {})
        label = editor.map.decision_label(decision_id, editor.vocabulary)
        self.filling = True
        try:
            for key, box in self.says.items():
                box.description = f"{self.group_words[key]}: how much say do they have in “{label}”?"
                box.value = current.get(key, "")
        finally:
            self.filling = False

    def set_say(self, group: str, level: str) -> None:
        """An answer given: it belongs to the decision chosen now, whichever that was when the list was opened
        (an answer still on its way for a group that has just left the map has nowhere to go)."""
        if self.filling or group not in self.says:
            return
        editor, decision_id = self.editor, self.decision.value
        label = editor.map.decision_label(decision_id, editor.vocabulary)
        group_words = self.group_words[group]
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

    def draw(self, asked: bool = False) -> None:
        """Draw the grid once its button is pressed; from then on it follows every change."""
        if not (asked or self.grid_asked):
            return
        self.grid_asked = True
        from cofacilitate.powermap import analysis, charts

        vocabulary = self.editor.vocabulary
        frame = analysis.decision_frame(vocabulary, self.editor.map)
        if frame.empty:
            self.view.children = []
            if asked:
                self.grid_feedback.say("The grid is empty so far. Add people to the map, choose a decision above, "
                                       "and say how much say a group has. The grid then shows here.")
            return
        said = analysis.decision_sentence(frame, vocabulary)
        self.view.show(charts.decision_chart(frame, vocabulary, said), said, "Say in each decision",
                       analysis.DECISION_COLUMNS, analysis.decision_rows(frame))
        if asked:
            decisions = counted(frame["Decision"].nunique(), "decision", "decisions")
            groups = counted(frame["Group"].nunique(), "group", "groups")
            self.grid_feedback.say(f"The grid below shows {decisions} and {groups}. It changes as you answer.", "done")

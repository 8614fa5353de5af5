"""A paper answer typed in by the facilitator: the exercise's own page, for a new person of the room.

The page is the one participants use, so a paper answer is checked, saved and counted exactly as
theirs are; its name and roles are whatever the paper says, typed into "About you".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as widgets

from cofacilitate.tools import tool
from cofacilitate.ui import fields
from cofacilitate.ui.messages import Feedback
from cofacilitate.ui.page import RoomSetting, Shell

if TYPE_CHECKING:
    from cofacilitate.workshop.dashboard import Dashboard


class PaperAnswer(widgets.VBox):
    """Choose the exercise, type the paper's answers in, save, and start the next one."""

    def __init__(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        room = dashboard.room
        self.feedback = Feedback()
        self.exercise = fields.choice("Which exercise is the paper answer for?",
                                      [(tool(tool_id).title, tool_id) for tool_id in room.tools], css="cofa-paper-exercise")
        self.start = fields.button("Type in a paper answer", "cofa-paper-start")
        self.done = fields.button("Done with this paper answer", "cofa-paper-done")
        self.area = widgets.VBox(layout=fields.FULL_WIDTH)
        self.shell: Shell | None = None
        self.start.on_click(self.feedback.guard(lambda _: self.begin()))
        self.done.on_click(self.feedback.guard(lambda _: self.finish()))
        super().__init__([self.exercise, self.start, self.feedback, self.area], layout=fields.FULL_WIDTH)

    def begin(self) -> None:
        """A new person of the room, on the chosen exercise's own page."""
        self.finish(said="")
        store, room = self.dashboard.store, self.dashboard.room
        person = store.new_person(room.id)
        store.update_person(person.id, "", [])
        self.shell = Shell(store, tool(self.exercise.value), person, room.id, RoomSetting(room.name, room.groups))
        self.area.children = [self.shell, self.done]
        self.feedback.say("Type the paper's answers below, then press its Save button.", "done")

    def finish(self, said: str = "The paper answer is kept. You can type in another.") -> None:
        replaced, self.shell = self.shell, None
        if replaced is not None and replaced.drafts:
            replaced.drafts.flush()
        self.area.children = []
        if replaced is not None:
            fields.retire(replaced)
            self.dashboard.refresh(force=True)
        if said:
            self.feedback.say(said, "done")

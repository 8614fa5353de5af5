"""A paper answer typed in by the facilitator: the exercise's own page, for the person of the sheet's code.

The page is the one participants use, so a paper answer is checked, saved and counted exactly as
theirs are; its name and roles are whatever the paper says, typed into "About you". A printed worksheet
carries a code (cofacilitate/sessions/sheet_codes.py) that stands for whoever filled in that copy, so its
answers typed in twice still count once: the room counts each person's newest answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as widgets

from cofacilitate.sessions.sheet_codes import MISTYPED, read_sheet_code
from cofacilitate.store import Owner
from cofacilitate.tools import tool
from cofacilitate.ui import fields
from cofacilitate.ui.messages import Feedback
from cofacilitate.ui.page import RoomSetting, Shell
from cofacilitate.workshop.following import room_session
from cofacilitate.workshop.rooms import paper_person

if TYPE_CHECKING:
    from cofacilitate.workshop.dashboard import Dashboard

NO_CODE = ("There is no code, so these answers count as one more person. If the sheet has a code at its top, type it "
           "in above: then the sheet counts once, however often it is typed in.")


class PaperAnswer(widgets.VBox):
    """Choose the exercise, type the sheet's code and its answers in, save, and start the next one."""

    def __init__(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        room = dashboard.room
        self.feedback = Feedback()
        self.exercise = fields.choice("Which exercise is the paper answer for?",
                                      [(tool(tool_id).title, tool_id) for tool_id in room.tools], css="cofa-paper-exercise")
        self.code = fields.text_field("The sheet’s code, at the top of the paper (leave it empty if there is none)",
                                      limit=20, placeholder="for example: K7PA-3QX", css="cofa-paper-code")
        self.start = fields.button("Type in a paper answer", "cofa-paper-start")
        self.done = fields.button("Done with this paper answer", "cofa-paper-done")
        self.area = widgets.VBox(layout=fields.FULL_WIDTH)
        self.shell: Shell | None = None
        self.start.on_click(self.feedback.guard(lambda _: self.begin()))
        self.done.on_click(self.feedback.guard(lambda _: self.finish()))
        super().__init__([self.exercise, *fields.with_counter(self.code), self.start, self.feedback, self.area],
                         layout=fields.FULL_WIDTH)

    def begin(self) -> None:
        """The sheet's person (or, with no code, a new person of the room), on the chosen exercise's own page."""
        store, room = self.dashboard.store, self.dashboard.room
        typed = self.code.value.strip()
        code = read_sheet_code(typed) if typed else None
        if typed and code is None:
            self.feedback.say(MISTYPED, "problem")
            return
        self.finish(said="")
        info = tool(self.exercise.value)
        if code is None:
            person = store.new_person(room.id)
            said = f"Type the paper’s answers below, then press its Save button. {NO_CODE}"
        else:
            person_id = paper_person(room.id, code)
            person = store.person_with_id(person_id, room.id)
            typed_before = bool(store.records(info.id, Owner(person.id, room.id)))
            said = (f"The answers of sheet {code} for “{info.title}” were typed in before. What you save now takes their "
                    "place, so the sheet still counts once." if typed_before else
                    f"Type the answers of sheet {code} below, then press its Save button.")
        following = room_session(store, room.id)
        card = following.session.card_for(info.id) if following else ""
        self.shell = Shell(store, info, person, room.id, RoomSetting(room.name, room.groups, card))
        self.area.children = [self.shell, self.done]
        self.code.value = ""
        self.feedback.say(said, "done")

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

"""On a JupyterHub, the facilitator starts the room: a short form, then the live dashboard; closing it starts again.

A hub's room services (workshop/hub.py) serve one room, named in the hub's rooms file, but they do not
make it: the room is a session its facilitator opens here (its name, the exercises switched on, the
smallest group shown; `rooms.open_room`, new codes each time) and closes on the dashboard, which
deletes everything in it. Then this form comes back, so the room can be opened again later as a new
session with nobody from before in it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import ipywidgets as widgets

from cofacilitate.store import Workspace
from cofacilitate.store.rooms import RoomRow
from cofacilitate.tools import tool
from cofacilitate.ui import fields
from cofacilitate.ui.messages import Feedback, support_note
from cofacilitate.workshop.rooms import (
    DEFAULT_THRESHOLD,
    HUB_NAME_VARIABLE,
    HUB_SMALLEST_GROUP_VARIABLE,
    HUB_TOOLS_VARIABLE,
    MAX_ROOM_NAME,
    ROOM_TOOLS,
    RoomRefused,
    open_room,
)

LARGEST_SMALLEST_GROUP = 12
NOT_OPEN = ("The room is not open yet. Nobody can join it, and nothing is saved in it, until you open it. "
            "People who open their link now are told to wait, and their page shows the room when you open it.")
CLOSED_NOW = "The room is closed and everything in it is deleted. You can open it again when you like: it starts empty."


class StartForm(widgets.VBox):
    """The room's name, its exercises and its smallest group, then “Open the room” (every control labelled)."""

    def __init__(self, store: Workspace, room_id: str, opened: Callable[[RoomRow], None], *, name: str,
                 tools: Sequence[str], threshold: int, said: str = "") -> None:
        self.store, self.room_id, self.opened = store, room_id, opened
        self.feedback = Feedback()
        self.name = fields.text_field("The room’s name (everyone in the room sees it)", limit=MAX_ROOM_NAME,
                                      css="cofa-start-name")
        self.name.value = name
        self.tools = fields.tick_boxes([(tool(tool_id).title, tool_id) for tool_id in ROOM_TOOLS], css="cofa-start-tool")
        for tool_id, box in self.tools.items():
            box.value = tool_id in tools
        sizes = list(range(DEFAULT_THRESHOLD, LARGEST_SMALLEST_GROUP + 1))
        self.smallest = fields.choice("The smallest group whose answers are shown on their own",
                                      [(f"{size} people", size) for size in sizes], css="cofa-start-smallest")
        self.smallest.value = threshold if threshold in sizes else max(DEFAULT_THRESHOLD, min(threshold, sizes[-1]))
        self.start_button = fields.button("Open the room", "cofa-open-room", primary=True)
        self.start_button.on_click(self.feedback.guard(lambda _: self.start()))
        super().__init__([
            fields.html("<h1>Start the room</h1>", "cofa-room-title"),
            fields.paragraph(NOT_OPEN, "cofa-room-not-open"),
            support_note(),
            *fields.with_counter(self.name),
            fields.paragraph("The exercises people can do in the room (tick one or more):"), *self.tools.values(),
            fields.paragraph("Groups smaller than this are never shown on their own, so nobody can be picked out."),
            self.smallest, self.start_button, self.feedback,
        ], layout=fields.FULL_WIDTH)
        self.add_class("cofa-room-start")
        if said:
            self.feedback.say(said, "done")

    def start(self) -> None:
        already = self.store.room(self.room_id)
        if already is not None:  # opened meanwhile on another of the facilitator's pages: that session stands
            self.opened(already)
            return
        chosen = [tool_id for tool_id, box in self.tools.items() if box.value]
        if not chosen:
            self.feedback.say("Please tick at least one exercise for the room.", "problem")
            return
        try:
            open_room(self.store, self.name.value, chosen, int(self.smallest.value), room_id=self.room_id)
        except RoomRefused as refusal:
            self.feedback.say(str(refusal), "problem")
            return
        room = self.store.room(self.room_id)
        assert room is not None
        self.opened(room)


class HubDesk(widgets.VBox):
    """The facilitator's page for the hub's room: the start form while the room is not open, else its live dashboard."""

    def __init__(self, store: Workspace, room_id: str, participant_link: str) -> None:
        self.store, self.room_id, self.participant_link = store, room_id, participant_link
        self.area = widgets.VBox(layout=fields.FULL_WIDTH)
        super().__init__([self.area], layout=fields.FULL_WIDTH)
        room = store.room(room_id)
        if room is None:
            self.show_start()
        else:
            self.show_dashboard(room)

    def show_start(self, said: str = "") -> None:
        tools = [t for t in os.environ.get(HUB_TOOLS_VARIABLE, ",".join(ROOM_TOOLS)).split(",") if t] or list(ROOM_TOOLS)
        self.replace(StartForm(self.store, self.room_id, self.show_dashboard, name=os.environ.get(HUB_NAME_VARIABLE, ""),
                               tools=tools, threshold=int(os.environ.get(HUB_SMALLEST_GROUP_VARIABLE, DEFAULT_THRESHOLD)),
                               said=said))

    def show_dashboard(self, room: RoomRow) -> None:
        from cofacilitate.workshop.dashboard import Dashboard

        self.replace(Dashboard(self.store, room, self.participant_link, on_closed=lambda: self.show_start(CLOSED_NOW),
                               on_hub=True))

    def replace(self, part: widgets.Widget) -> None:
        replaced = list(self.area.children)
        self.area.children = [part]
        fields.retire(*replaced)

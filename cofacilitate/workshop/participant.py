"""A participant's page in a workshop room: join, do the exercises switched on, see results once revealed.

Light by design, because forty of these run at once on one laptop: no pandas and no altair are
ever imported here (the room's results arrive from the dashboard as text, tables and pictures,
already worked out). The heavy part (the tools' pages and cards) is imported before the page
waits for its visitor, so a kernel from Voilà's preheated pool has done it before anyone arrives.
Who the visitor is comes from their device (`device.DeviceKey`), never from the address alone.
"""

from __future__ import annotations

import os
from html import escape

import ipywidgets as widgets

from cofacilitate.people import MAX_PSEUDONYM, ROLES, clean_pseudonym
from cofacilitate.store import Owner, Person, Workspace
from cofacilitate.store.rooms import RoomRow, get_view
from cofacilitate.tools import tool
from cofacilitate.ui import fields
from cofacilitate.ui.address import visitor_query
from cofacilitate.ui.drafts import DraftKeeper
from cofacilitate.ui.events import Repeating
from cofacilitate.ui.messages import Feedback, problem_note, support_note
from cofacilitate.ui.page import RoomSetting, Shell, launch, page_class
from cofacilitate.workshop.device import DeviceKey
from cofacilitate.workshop.following import RoomSession, room_session, waiting_words
from cofacilitate.workshop.rooms import (
    HUB_NAME_VARIABLE,
    HUB_ROOM_VARIABLE,
    HUB_USER_VARIABLE,
    ROOM_TOOLS,
    device_person,
    hub_person,
    room_for_code,
)

LOOK_EVERY = 5.0  # seconds between looks at the room for a reveal
NOT_A_ROOM = ("This link does not open a room. It may be incomplete, or from an earlier session. "
              "Please scan the code again, or ask the person running the session for the link.")
WHAT_IS_SHARED = ("What you save here goes to the person running this session, {where}. They show the room’s "
                  "answers together, never one person’s, and never a group of fewer than {threshold} people.")
YOUR_CHOICE = "Your name and roles are up to you, and you can pass any question. Other people here never see your drafts."
NOT_REVEALED = "The room’s answers for this exercise are not shown yet. The person running the session will share them."
NOT_OPEN_YET = ("This room has not opened yet, so nothing has been saved. Please keep this page open. "
                "When the person running the session opens the room, the form to join will show up here by itself.")
CLOSED_NOW = ("This room has closed. Everything in it has been deleted, so nothing you typed is kept. Thank you for taking "
              "part. If the room opens again, this page shows it.")
FORGETFUL_BROWSER = ("This browser will not remember you, so please keep this page open. If you close it, you will "
                     "come back as someone new.")


class RoomPage(widgets.VBox):
    """One device's page in one room: the door, then its exercises and the room's revealed results."""

    def __init__(self, store: Workspace, room: RoomRow, hub_person_id: str | None = None) -> None:
        """`hub_person_id`: on a JupyterHub, the person the hub says this is (no device secret is asked for)."""
        self.store, self.room = store, room
        self.feedback = Feedback()
        # On a hub the hub says who this is: no device secret is made, so no widget is left unshown and unclosed.
        self.device = None if hub_person_id else DeviceKey(room=room.id)
        if self.device is not None:
            self.device.observe(self.feedback.guard(lambda _: self.arrived()), names="device")
        self.area = widgets.VBox(layout=fields.FULL_WIDTH)
        self.person: Person | None = None
        self.shell: Shell | None = None
        self.looking = Repeating(self.feedback.guard(self.look_for_results), LOOK_EVERY)
        self.shown_view = ""
        shared = WHAT_IS_SHARED.format(where="on this server" if hub_person_id else "on their computer",
                                       threshold=room.threshold)
        super().__init__([
            fields.html(f"<h1>{escape(room.name)}</h1>", "cofa-room-title"),
            fields.html(f'<p class="cofa-notice" role="note">{escape(shared)} '
                        f"{escape(YOUR_CHOICE)}</p>"),
            support_note(), *([self.device] if self.device is not None else []), self.area, self.feedback,
        ], layout=fields.FULL_WIDTH)
        self.area.children = [fields.paragraph("Opening your page…", "cofa-room-opening")]
        self.add_class("cofa-room")
        if hub_person_id:
            self.feedback.guard(lambda: self.came(hub_person_id))()

    # -- the door ----------------------------------------------------------------
    def arrived(self) -> None:
        """The device sent its secret: its own page, or the join form the first time."""
        if self.person is not None or self.device is None:
            return  # one device, one person, however often its script speaks
        person_id = device_person(self.room.id, self.device.device)
        if person_id is None:
            self.feedback.say("This page could not make a place for you. Please reload the page.", "problem")
            return
        if not self.device.kept:
            self.feedback.say(FORGETFUL_BROWSER)
        self.came(person_id)

    def came(self, person_id: str) -> None:
        """This person's own page, or the join form the first time."""
        found = self.store.person(person_id)
        if found is not None:
            self.enter(found, "Welcome back. These are your own answers.")
            return
        self.show_join(person_id)

    def show_join(self, person_id: str) -> None:
        drafts = DraftKeeper(self.store, "room", Owner(person_id, self.room.id), self.feedback)
        name = drafts.keep("join/name", fields.text_field(
            "A name for yourself (any name you like; it need not be your real name)", limit=MAX_PSEUDONYM,
            css="cofa-pseudonym"))
        roles = fields.tick_boxes([(label, key) for key, label in ROLES.items()], css="cofa-role")
        for key, box in roles.items():
            drafts.keep(f"join/role/{key}", box)
        join = fields.button("Join the room", "cofa-join", primary=True)
        said = Feedback()
        join.on_click(lambda _: said.guard(lambda: self.join(person_id, name, roles, drafts, said))())
        self.replace_area([
            fields.heading("Join the room"),
            fields.paragraph("Both of these are optional. Your role helps the room see how differently people see the "
                             "same project. Roles with fewer than "
                             f"{self.room.threshold} people are never shown on their own."),
            *fields.with_counter(name),
            fields.paragraph("Your role or roles (tick any that fit, or none):"), *roles.values(),
            join, said,
        ])

    def join(self, person_id: str, name: widgets.Text, roles: dict[str, widgets.Checkbox], drafts: DraftKeeper,
             said: Feedback) -> None:
        if len(name.value.strip()) > MAX_PSEUDONYM:
            said.say(f"{fields.shorten_first(name.description)} What you typed is kept.", "problem")
            return
        self.store.person_with_id(person_id, self.room.id)
        chosen = tuple(key for key, box in roles.items() if box.value)
        person = self.store.update_person(person_id, clean_pseudonym(name.value), chosen)
        drafts.flush()
        drafts.forget({"join/name": name.value, **{f"join/role/{key}": box.value for key, box in roles.items()}})
        self.enter(person, "You have joined the room.")

    # -- inside ------------------------------------------------------------------
    def enter(self, person: Person, greeting: str) -> None:
        self.person = person
        # A room that follows a session shows only the part the facilitator has open; else people choose.
        self.session: RoomSession | None = room_session(self.store, self.room.id)
        tools = [tool_id for tool_id in self.room.tools if tool_id in ROOM_TOOLS]
        self.exercise = fields.choice("Which exercise would you like to do?",
                                      [(tool(tool_id).title, tool_id) for tool_id in tools], css="cofa-exercise")
        self.exercise.observe(self.feedback.guard(lambda _: self.open_exercise()), names="value")
        self.part_note = fields.html("", "cofa-room-part")
        self.results = fields.html("", "cofa-room-results")
        self.results_heading = fields.heading("What the room said")
        self.results_box = widgets.VBox(layout=fields.FULL_WIDTH)  # only while an exercise is open
        self.exercise_area = widgets.VBox(layout=fields.FULL_WIDTH)
        self.replace_area([
            fields.paragraph(greeting, "cofa-room-greeting"),
            *([self.exercise] if len(tools) > 1 and self.session is None else []), self.part_note, self.exercise_area,
            self.results_box,
        ])
        self.open_exercise()
        self.looking.start()

    @property
    def open_tool(self) -> str:
        """The exercise on this page now: the one the session has open ("" for none), else the one chosen."""
        return self.session.open_tool if self.session is not None else str(self.exercise.value)

    def open_exercise(self) -> None:
        """The open exercise's own page for this person (the last one's words are kept as drafts)."""
        assert self.person is not None
        tool_id = self.open_tool
        shown = None
        if tool_id:
            room = self.store.room(self.room.id) or self.room  # the facilitator may have added groups since
            card = self.session.session.card_for(tool_id) if self.session is not None else ""
            shown = Shell(self.store, tool(tool_id), self.person, self.room.id, RoomSetting(self.room.name, room.groups, card))
        replaced, self.shell = self.shell, shown
        if replaced is not None and replaced.drafts:
            replaced.drafts.flush()
        self.exercise_area.children = [shown] if shown is not None else []
        if replaced is not None:
            fields.retire(replaced)
        waiting = waiting_words(self.session) if self.session is not None and not tool_id else ""
        self.part_note.value = f'<p class="cofa-notice" role="status">{escape(waiting)}</p>' if waiting else ""
        self.results_box.children = [self.results_heading, self.results] if tool_id else []
        self.shown_view = ""
        self.look_for_results()

    def follow_session(self) -> None:
        """The facilitator moved the session on: show the part now open (the words of the last are kept)."""
        if self.session is None:
            return
        found = room_session(self.store, self.room.id)
        if found is not None and (found.step, found.step_started_at) == (self.session.step, self.session.step_started_at):
            return
        was_open, self.session = self.open_tool, found
        if found is None or found.open_tool != was_open or not was_open:
            self.open_exercise()

    def look_for_results(self) -> None:
        """Show the room's results for the exercise on screen once the facilitator has revealed them."""
        room = self.store.room(self.room.id)
        if room is None:
            self.looking.stop()
            self.replace_area([fields.paragraph("This room has closed. Thank you for taking part.", "cofa-room-closed")])
            return
        self.follow_session()
        tool_id = self.open_tool
        view = get_view(self.store.backend, room.id, tool_id) if tool_id and tool_id in room.revealed else None
        markup = str(view.get("html", "")) if view else f"<p>{escape(NOT_REVEALED)}</p>"
        if markup != self.shown_view:
            self.shown_view = self.results.value = markup

    def replace_area(self, parts: list[widgets.Widget]) -> None:
        replaced = list(self.area.children)
        self.area.children = parts
        fields.retire(*replaced)


class HubDoor(widgets.VBox):
    """On a hub, the room's page while the room is open; while it is not (or once it has closed), a plain word that it
    is not, and a look every few seconds, so the join form comes as soon as the facilitator opens it, with no reload."""

    def __init__(self, store: Workspace, room_id: str, person_id: str, name: str) -> None:
        self.store, self.room_id, self.person_id, self.name = store, room_id, person_id, name
        self.feedback = Feedback()
        self.page: RoomPage | None = None
        self.session = ""  # the open room's join hash: new codes each time it opens make a new session
        self.looking = Repeating(self.feedback.guard(self.look), LOOK_EVERY)
        self.area = widgets.VBox(layout=fields.FULL_WIDTH)
        super().__init__([self.area, self.feedback], layout=fields.FULL_WIDTH)
        self.add_class("cofa-room-door")
        self.look()
        self.looking.start()

    def look(self) -> None:
        room = self.store.room(self.room_id)
        if room is not None and room.join_hash == self.session:
            return
        if room is None and self.page is None and self.area.children:
            return  # still waiting, and saying so
        self.session = room.join_hash if room is not None else ""
        shown = RoomPage(self.store, room, self.person_id) if room is not None else self.waiting(closed=self.page is not None)
        if self.page is not None:
            self.page.looking.stop()
        self.page = shown if isinstance(shown, RoomPage) else None
        replaced = list(self.area.children)
        self.area.children = [shown]
        fields.retire(*replaced)

    def waiting(self, closed: bool) -> widgets.Widget:
        words, css = (CLOSED_NOW, "cofa-room-closed") if closed else (NOT_OPEN_YET, "cofa-room-not-open")
        return widgets.VBox([fields.html(f"<h1>{escape(self.name)}</h1>", "cofa-room-title"),
                             fields.html(f'<p class="{css}" role="status">{escape(words)}</p>', "cofa-room-waiting"),
                             support_note()], layout=fields.FULL_WIDTH)


def visitor_address() -> tuple[str, str]:
    """The room and join code in the address (waiting for the visitor in a pooled kernel); the address
    never says who someone is: their device does."""
    found = visitor_query()
    return (found.get("room") or [""])[0], (found.get("join") or [""])[0]


def prepare() -> None:
    """Import every room tool's page before the visitor comes (a pooled kernel does this while it waits)."""
    for tool_id in ROOM_TOOLS:
        page_class(tool(tool_id))


def show_participant(home: str | None = None) -> widgets.Widget:
    """What the participant notebook calls: the room's page for this device, or a plain message."""
    prepare()
    room_id, join_code = visitor_address()

    hub_room = os.environ.get(HUB_ROOM_VARIABLE)  # set only in a hub service's own environment (workshop/hub.py)

    def build(store: Workspace) -> widgets.Widget:
        if hub_room:  # the hub let this person in and its service named them: no join code
            person_id = hub_person(hub_room, os.environ.get(HUB_USER_VARIABLE, ""))
            name = os.environ.get(HUB_NAME_VARIABLE, "")
            return HubDoor(store, hub_room, person_id, name) if person_id else problem_note(NOT_A_ROOM)
        room = room_for_code(store, room_id, join_code)
        return RoomPage(store, room) if room else problem_note(NOT_A_ROOM)

    return launch(build, home)

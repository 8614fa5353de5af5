"""The facilitator's view of a room: who is here, the room's answers split by role, reveals, hiding,
answers from outside, the report, and closing the room.

It runs on its own server, on this computer only, and opens only with the room's facilitator key
(checked before anything is read). It looks at the store every few seconds (a timer on the kernel's
loop, no server of our own), works each view out once, and keeps it for participants' pages.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from html import escape

import ipywidgets as widgets

from cofacilitate.store import ImportRefused, Workspace
from cofacilitate.store.rooms import RoomRow, put_view, room_stamp, set_groups, set_hidden, set_revealed
from cofacilitate.tools import tool
from cofacilitate.ui import fields
from cofacilitate.ui.events import Repeating
from cofacilitate.ui.files import download_link
from cofacilitate.ui.messages import Feedback, problem_note, support_note
from cofacilitate.ui.upload import FilePicker
from cofacilitate.workshop.following import room_session
from cofacilitate.workshop.intake import add_card
from cofacilitate.workshop.overview import Overview, room_overview
from cofacilitate.workshop.paper import PaperAnswer
from cofacilitate.workshop.rooms import HUB_ROOM_VARIABLE, LINK_VARIABLE, room_for_key
from cofacilitate.workshop.session_panel import SessionPanel

LOOK_EVERY = 4.0  # seconds between looks at the store
NOT_YOURS = ("This page opens only with your own link, the one printed when the room was started. "
             "Please copy that link again.")


def qr_svg(link: str) -> str:
    """The participant link as a QR code, drawn as markup (segno), with the link in words beside it."""
    import segno

    code = segno.make(link, error="m")
    return (f'<figure class="cofa-room-qr"><div role="img" aria-label="QR code of the link to join the room">'
            f'{code.svg_inline(scale=6, dark="#1b1b1b", light="#ffffff")}</div>'
            f'<figcaption><a href="{escape(link)}">{escape(link)}</a></figcaption></figure>')


MAX_GROUP_NAME = 80
MOST_GROUPS = 12


class RoomGroups(widgets.VBox):
    """Groups the facilitator asks everyone to place on the power map, beside the card's own (a name each)."""

    def __init__(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        self.feedback = Feedback()
        self.name = fields.text_field("Add a group for everyone to place on their map", limit=MAX_GROUP_NAME,
                                      placeholder="for example: Peer support workers", css="cofa-room-group")
        self.add = fields.button("Add this group", "cofa-add-room-group")
        self.listed = fields.html("", "cofa-room-groups")
        self.add.on_click(self.feedback.guard(lambda _: self.add_group()))
        super().__init__([*fields.with_counter(self.name), self.add, self.feedback, self.listed], layout=fields.FULL_WIDTH)
        self.show()

    def show(self) -> None:
        groups = self.dashboard.room.groups
        self.listed.value = ("<p>Groups you added: " + ", ".join(f"“{escape(name)}”" for name in groups) + ".</p>"
                             if groups else "")

    def add_group(self) -> None:
        name = " ".join(self.name.value.split())
        room = self.dashboard.room
        if not name or len(name) > MAX_GROUP_NAME:
            self.feedback.say(f"Please type a group’s name of 1 to {MAX_GROUP_NAME} letters.", "problem")
            return
        if name.casefold() in {group.casefold() for group in room.groups}:
            self.feedback.say(f"“{name}” is already on the list.", "problem")
            return
        if len(room.groups) >= MOST_GROUPS:
            self.feedback.say(f"A room can add up to {MOST_GROUPS} groups.", "problem")
            return
        set_groups(self.dashboard.store.backend, room.id, (*room.groups, name))
        self.name.value = ""
        self.dashboard.refresh(force=True)
        self.show()
        self.feedback.say(f"“{name}” is added. People see it when they next open the power map.", "done")


class ExerciseView(widgets.VBox):
    """One exercise's results, and whether participants see them."""

    def __init__(self, dashboard: Dashboard, tool_id: str) -> None:
        self.dashboard, self.tool_id = dashboard, tool_id
        self.view = fields.html("", "cofa-room-view").add_class(f"cofa-room-view-{tool_id}")
        self.shown_to_room = fields.html("", "cofa-room-revealed")
        self.reveal = fields.button("", "cofa-reveal").add_class(f"cofa-reveal-{tool_id}")
        self.feedback = Feedback()
        self.reveal.on_click(self.feedback.guard(lambda _: self.toggle()))
        self.groups = [RoomGroups(dashboard)] if tool_id == "powermap" else []
        super().__init__([fields.heading(tool(tool_id).title), *self.groups, self.shown_to_room, self.reveal,
                          self.feedback, self.view], layout=fields.FULL_WIDTH)

    @property
    def revealed(self) -> bool:
        return self.tool_id in self.dashboard.room.revealed

    def show(self, markup: str) -> None:
        if self.view.value != markup:
            self.view.value = markup
        if self.revealed:
            self.reveal.description = "Stop showing these results to the room"
            self.shown_to_room.value = "<p><strong>Participants can see these results now.</strong></p>"
        else:
            self.reveal.description = "Show these results to the room"
            self.shown_to_room.value = "<p>People in the room do not see these results now.</p>"

    def toggle(self) -> None:
        room = self.dashboard.room
        revealed = tuple(t for t in room.revealed if t != self.tool_id) if self.revealed else (*room.revealed, self.tool_id)
        set_revealed(self.dashboard.store.backend, room.id, revealed)
        self.dashboard.refresh(force=True)
        self.feedback.say("Participants can now see these results." if self.revealed else
                          "People in the room no longer see these results.", "done")


class Dashboard(widgets.VBox):
    """The facilitator's page for one room."""

    def __init__(self, store: Workspace, room: RoomRow, participant_link: str = "",
                 on_closed: Callable[[], None] | None = None, on_hub: bool = False) -> None:
        """`on_closed`: what follows once the room is closed (on a hub, the start form again: workshop/start.py)."""
        who, where = ("Only the people who run this room can open this page.", "this server") if on_hub else (
            "Only this computer can open this page.", "this computer")
        self.store, self.room, self.on_closed = store, room, on_closed
        self.feedback = Feedback()
        self.stamp = ""
        self.overview: Overview | None = None
        self.counts = fields.html("", "cofa-room-counts")
        self.looked = fields.html("", "cofa-room-looked")
        self.refresh_button = fields.button("Look again now", "cofa-refresh")
        self.refresh_button.on_click(self.feedback.guard(lambda _: self.refresh(force=True)))
        self.exercises = {tool_id: ExerciseView(self, tool_id) for tool_id in room.tools}
        self.hiding = widgets.VBox(layout=fields.FULL_WIDTH)
        self.hide_boxes: dict[str, widgets.Checkbox] = {}
        self.intake_feedback = Feedback()
        self.upload = FilePicker("Add answers from a file", "cofa-room-upload", 2_000_000,
                                 self.intake_feedback.guard(self.card_chosen))
        self.paper = PaperAnswer(self)
        self.report_button = fields.button("Get the session report", "cofa-report")
        self.report_links = fields.html("", "cofa-report-links")
        self.report_button.on_click(self.feedback.guard(lambda _: self.make_report()))
        self.close_area = widgets.VBox(layout=fields.FULL_WIDTH)
        self.close_button = fields.button("Close the room and delete its answers", "cofa-close-room")
        self.close_button.on_click(self.feedback.guard(lambda _: self.ask_to_close()))
        self.close_area.children = [self.close_button]
        self.looking = Repeating(self.feedback.guard(self.refresh), LOOK_EVERY)
        invite = [fields.html(qr_svg(participant_link), "cofa-room-invite")] if participant_link else []
        following = room_session(store, room.id)
        self.session_panel = SessionPanel(self, following) if following is not None else None
        super().__init__([
            fields.html(f"<h1>{escape(room.name)}: the facilitator’s view</h1>", "cofa-room-title"),
            fields.paragraph(f"{who} Participants see only their own page, and the "
                             "results you choose to show them."),
            support_note(),
            fields.heading("Invite people"),
            fields.paragraph("Anyone with this link can join the room. Show the code on the screen, or share the link."),
            *invite,
            *([fields.heading("The session plan"), self.session_panel] if self.session_panel is not None else []),
            self.counts, self.looked, self.refresh_button, self.feedback,
            *self.exercises.values(),
            *([fields.heading("Hide an answer"), fields.paragraph(
                "Tick an answer to hide it from every view and the report. It stays saved, and you can untick it."),
               self.hiding] if "agendas" in room.tools else []),
            fields.heading("Answers from outside the room"),
            fields.paragraph("People who are not on the room’s wifi can save their answers as a file and send it to you. "
                             "Or they can give you their answers on paper. A file added twice counts once."),
            self.upload, self.intake_feedback, self.paper,
            fields.heading("The session report"),
            fields.paragraph("One page you can print or keep, with a spreadsheet of the figures. Small groups and "
                             "hidden answers are left out."),
            self.report_button, self.report_links,
            fields.heading("Close the room"),
            fields.paragraph("When the session is over, get the report first. Closing deletes every answer, name and "
                             f"draft in this room from {where}."),
            self.close_area,
        ], layout=fields.FULL_WIDTH)
        self.add_class("cofa-room-dashboard")
        self.refresh(force=True)
        self.looking.start()

    # -- looking at the store --------------------------------------------------
    def refresh(self, force: bool = False) -> None:
        """Work the views out again when anything in the room changed (or when asked), and keep them for participants."""
        room = self.store.room(self.room.id)
        if room is None:
            self.closed()
            return
        stamp = room_stamp(self.store.backend, room.id)
        self.looked.value = f"<p>Last looked at the answers at {datetime.now():%H:%M:%S}.</p>"
        if self.session_panel is not None:
            self.session_panel.look()  # its time left moves on even when no answer does
        if stamp == self.stamp and not force:
            return
        self.room, self.stamp = room, stamp
        overview = self.overview = room_overview(self.store, room)
        self.counts.value = overview.counts_html
        for tool_id, view in overview.views.items():
            put_view(self.store.backend, room.id, tool_id, view)
        for tool_id, exercise in self.exercises.items():
            exercise.show(overview.views.get(tool_id, {}).get("html", ""))
        self.show_hideable(overview)

    def show_hideable(self, overview: Overview) -> None:
        """One tick box per shared answer (its words as plain text, never markup)."""
        keys = [key for key, _, _ in overview.hideable]
        if keys == list(self.hide_boxes):
            for key, _, hidden in overview.hideable:
                self.hide_boxes[key].value = hidden
            return
        replaced = list(self.hiding.children)
        self.hide_boxes = {}
        for key, words, hidden in overview.hideable:
            box = widgets.Checkbox(value=hidden, description=f"Hide: {words[:300]}", indent=False,
                                   layout=fields.FULL_WIDTH)
            box.add_class("cofa-hide-answer")
            box.observe(self.feedback.guard(lambda change, key=key: self.hide(key, change["new"])), names="value")
            self.hide_boxes[key] = box
        self.hiding.children = list(self.hide_boxes.values()) or [fields.paragraph("No one has shared an answer yet.")]
        fields.retire(*replaced)

    def hide(self, key: str, hidden: bool) -> None:
        set_hidden(self.store.backend, self.room.id, key, hidden)
        self.refresh(force=True)

    # -- answers from outside ---------------------------------------------------
    def card_chosen(self, name: str, size: int, data: bytes | None) -> None:
        if data is None:
            self.intake_feedback.say(f"That file is too big ({size / 1_000_000:.1f} MB). Nothing was added.", "problem")
            return
        try:
            report, tool_id = add_card(self.store, self.room, data)
        except ImportRefused as refusal:
            self.intake_feedback.say(str(refusal), "problem")
            return
        self.intake_feedback.say(f"From {name} ({tool(tool_id).title}): {report.sentence()}", "done")
        self.refresh(force=True)

    # -- the report and closing --------------------------------------------------
    def make_report(self) -> None:
        from cofacilitate.workshop.report import report_csv, session_report

        self.refresh(force=True)
        found = self.overview
        assert found is not None
        agreed = {kind: [s for s in found.agreed if getattr(s.item, "kind", "") == kind]
                  for kind in ("purpose", "rules", "dictionary")}
        page = session_report(self.room.name, datetime.now().date(), found.split, counts=found.counts, ladder=found.ladder,
                              powermap=found.powermap, agendas=found.agendas, project=self.room.name,
                              purpose=agreed["purpose"], rules=agreed["rules"], dictionary=agreed["dictionary"])
        table = report_csv(found.split, counts=found.counts, ladder=found.ladder, powermap=found.powermap,
                           agendas=found.agendas)
        self.report_links.value = (
            download_link("Download the report (a web page)", f"{self.room.id}-report.html", page.encode("utf-8"),
                          "text/html", "cofa-download-report")
            + download_link("Download the figures (CSV)", f"{self.room.id}-figures.csv", table, "text/csv",
                            "cofa-download-figures"))
        self.feedback.say("The report is ready. Use the links below its button.", "done")

    def ask_to_close(self) -> None:
        sure = fields.button("Yes: delete everything in this room now", "cofa-close-sure", primary=True)
        keep = fields.button("No: keep the room", "cofa-close-keep")
        sure.on_click(self.feedback.guard(lambda _: self.close_room()))
        keep.on_click(self.feedback.guard(lambda _: self.keep_room()))
        self.replace_close([fields.paragraph("This cannot be undone. Have you downloaded the report?"), sure, keep])

    def keep_room(self) -> None:
        self.replace_close([self.close_button])
        self.feedback.say("The room stays open.", "done")

    def close_room(self) -> None:
        self.store.delete_room(self.room.id)
        self.closed()

    def closed(self) -> None:
        self.looking.stop()
        if self.on_closed is not None:
            self.on_closed()
            return
        self.replace_close([fields.paragraph("The room is closed. Its answers, names and drafts are deleted.", "cofa-room-gone")])
        self.feedback.say("The room is closed and everything in it is deleted.", "done")

    def replace_close(self, parts: list[widgets.Widget]) -> None:
        replaced = [part for part in self.close_area.children if part is not self.close_button]
        self.close_area.children = parts
        fields.retire(*replaced)


def show_dashboard(home: str | None = None) -> widgets.Widget:
    """What the dashboard notebook calls: the room's facilitator view, only with the facilitator's key."""
    from cofacilitate.ui.address import visitor_query
    from cofacilitate.ui.page import launch

    found = visitor_query()
    room_id, key = (found.get("room") or [""])[0], (found.get("key") or [""])[0]

    hub_room = os.environ.get(HUB_ROOM_VARIABLE)  # a hub service's own environment: the hub let only facilitators in

    def build(store: Workspace) -> widgets.Widget:
        if hub_room:  # the facilitator opens and closes the room here (the start form while it is not open)
            from cofacilitate.workshop.start import HubDesk

            return HubDesk(store, hub_room, os.environ.get(LINK_VARIABLE, ""))
        room = room_for_key(store, room_id, key)
        return Dashboard(store, room, os.environ.get(LINK_VARIABLE, "")) if room else problem_note(NOT_YOURS)

    return launch(build, home)

"""The dashboard's part for a room that follows a session: where it is, what comes next, the time left, and the
buttons that open the next part (or go back one) for everyone in the room."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import ipywidgets as widgets

from cofacilitate.ui import fields
from cofacilitate.ui.messages import Feedback
from cofacilitate.workshop.following import RoomSession, move, next_words, now, place_words, room_session, where_words

if TYPE_CHECKING:
    from cofacilitate.workshop.dashboard import Dashboard


def plan_html(found: RoomSession) -> str:
    """The plan as a list, with its start times; the open part says "Now" in words (never by colour alone)."""
    items = []
    for position, part in enumerate(found.session.parts):
        start = f"{part.starts_at // 60}:{part.starts_at % 60:02d}"
        is_now = position == found.step
        opening = '<li class="cofa-session-now">' if is_now else "<li>"
        items.append(f"{opening}{start}: {escape(part.title)}, {part.minutes} minutes, {escape(place_words(part))}"
                     f"{' <strong>(now)</strong>' if is_now else ''}</li>")
    return f'<ol class="cofa-session-plan">{"".join(items)}</ol>'


class SessionPanel(widgets.VBox):
    """Moves the room's session on; the room's pages follow within a few seconds."""

    def __init__(self, dashboard: Dashboard, found: RoomSession) -> None:
        self.dashboard, self.found = dashboard, found
        self.feedback = Feedback()
        self.where = fields.html("", "cofa-session-where")
        self.coming = fields.html("", "cofa-session-coming")
        self.plan = fields.html("", "cofa-session-plan-box")
        self.forward = fields.button("", "cofa-session-forward", primary=True)
        self.back = fields.button("Go back one part", "cofa-session-back")
        self.forward.on_click(self.feedback.guard(lambda _: self.step(1)))
        self.back.on_click(self.feedback.guard(lambda _: self.step(-1)))
        super().__init__([fields.paragraph(f"This room follows the session “{found.session.title}”. People in the room "
                                           "see only the exercise you open."),
                          self.where, self.coming, self.forward, self.back,
                          self.feedback, self.plan], layout=fields.FULL_WIDTH)
        self.show(found)

    def look(self) -> None:
        """Read where the session is (another tab of this dashboard may have moved it) and say so."""
        found = room_session(self.dashboard.store, self.dashboard.room.id)
        if found is not None:
            self.show(found)

    def show(self, found: RoomSession) -> None:
        self.found = found
        at = now()
        parts = found.session.parts
        following = found.next_part
        said = {
            self.where: f'<p class="cofa-session-where-words"><strong>{escape(where_words(found, at))}</strong></p>',
            self.coming: f"<p>{escape(next_words(found, at))}</p>" if next_words(found, at) else "",
            self.plan: plan_html(found),
        }
        for widget, markup in said.items():
            if widget.value != markup:
                widget.value = markup
        if not found.started:
            self.forward.description = f"Start the session: open “{parts[0].title}”"
        elif found.ended:
            self.forward.description = "The session has ended"
        elif following is None:
            self.forward.description = "End the session"
        else:
            self.forward.description = f"Go on to the next part: “{following.title}”"
        self.forward.disabled = found.ended
        self.back.disabled = not found.started

    def step(self, by: int) -> None:
        self.look()  # from where it is now, not where this page last saw it
        move(self.dashboard.store, self.dashboard.room.id, self.found, by)
        self.look()
        part = self.found.current
        if part is None:
            said = "The session has ended. People in the room see a thank-you." if self.found.ended else \
                "The session is back at its start. People in the room are asked to wait."
        elif part.kind == "exercise" and part.in_room:
            said = f"“{part.title}” is open on everyone’s page now."
        else:
            said = f"“{part.title}” is open now. People in the room see what it is, and no exercise."
        self.feedback.say(said, "done")
        self.dashboard.refresh(force=True)

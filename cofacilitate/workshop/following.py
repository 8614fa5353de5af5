"""A room that follows a session plan: which part is open, what comes next, and how much time is left.

The plan is kept with the room when it opens (`cofacilitate workshop --session`), so the room follows the
plan it was opened with, whatever happens to the file later. Only the facilitator moves it on; participants'
pages look every few seconds and show only the part that is open. No widgets here: the dashboard and the
participants' pages both take their words from these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone

from cofacilitate.failures import log_failure
from cofacilitate.sessions.plan import Part, Session
from cofacilitate.store import Workspace
from cofacilitate.store.rooms import get_session, set_step
from cofacilitate.tools import tool


@dataclass(frozen=True)
class RoomSession:
    """A room's session and where it is."""

    session: Session
    step: int  # -1: not started; len(parts): ended
    step_started_at: datetime

    @property
    def started(self) -> bool:
        return self.step >= 0

    @property
    def ended(self) -> bool:
        return self.step >= len(self.session.parts)

    @property
    def current(self) -> Part | None:
        return self.session.parts[self.step] if 0 <= self.step < len(self.session.parts) else None

    @property
    def next_part(self) -> Part | None:
        following = self.step + 1
        return self.session.parts[following] if 0 <= following < len(self.session.parts) else None

    @property
    def open_tool(self) -> str:
        """The tool participants have open now ("" during a break, a talk, or a part taken home)."""
        part = self.current
        return part.tool if part is not None and part.kind == "exercise" and part.in_room else ""

    def minutes_left(self, now: datetime) -> int:
        """Minutes left of the open part (below 0 once it runs over)."""
        part = self.current
        if part is None:
            return 0
        spent = (now - self.step_started_at).total_seconds() / 60
        return math.ceil(part.minutes - spent)

    def session_minutes_left(self, now: datetime) -> int:
        """The minutes the plan still has: what is left of this part (never below 0) and every part after it."""
        if not self.started:
            return self.session.duration_minutes
        later = sum(part.minutes for part in self.session.parts[self.step + 1:])
        return later + max(self.minutes_left(now), 0) if not self.ended else 0


def room_session(store: Workspace, room_id: str) -> RoomSession | None:
    """The session the room follows; None when it follows none (or its stored plan cannot be read: then it is a
    room without a plan, and the log says why)."""
    row = get_session(store.backend, room_id)
    if row is None:
        return None
    try:
        started = datetime.fromisoformat(row.step_started_at)
        return RoomSession(Session.from_json(row.plan), row.step, started)
    except (ValueError, KeyError, TypeError) as err:
        log_failure("reading a room's session plan", err)
        return None


def move(store: Workspace, room_id: str, found: RoomSession, by: int) -> None:
    """Open the part `by` steps on (or back), from now; never before the start or past the end."""
    step = min(max(found.step + by, -1), len(found.session.parts))
    set_step(store.backend, room_id, step)


def now() -> datetime:
    return datetime.now(timezone.utc)


def where_words(found: RoomSession, at: datetime) -> str:
    """Where the session is, for the facilitator, in one or two calm sentences."""
    total = len(found.session.parts)
    if not found.started:
        return f"The session has not started. It has {total} parts and takes {found.session.duration_minutes} minutes."
    part = found.current
    if part is None:
        return "The session has ended."
    left = found.minutes_left(at)
    time_said = (f"About {left} minute{'s' * (left != 1)} left of this part." if left > 0 else
                 "This part has used its time." if left == 0 else
                 f"This part is {-left} minute{'s' * (left != -1)} over its time.")
    return f"Now: part {found.step + 1} of {total}, “{part.title}” ({place_words(part)}). {time_said}"


def next_words(found: RoomSession, at: datetime) -> str:
    part = found.next_part
    if found.ended:
        return ""
    if part is None:
        return "This is the last part."
    left = found.session_minutes_left(at)
    return (f"Next: “{part.title}”, {part.minutes} minutes ({place_words(part)}). "
            f"The plan has about {left} minutes left in all.")


def place_words(part: Part) -> str:
    if part.kind == "break":
        return "a break"
    if part.kind == "talk":
        return "together, out loud"
    if part.in_room:
        return "on people’s screens"
    return "on paper" if tool(part.tool).in_rooms else "taken home"  # a private tool's part is always taken home


def waiting_words(found: RoomSession) -> str:
    """What a participant sees while no exercise is open on their page."""
    part = found.current
    if not found.started:
        return "The session has not started yet. When the person running it opens the first exercise, it shows here."
    if part is None:
        return "The session has ended. Thank you for taking part. Your saved answers are kept until the room closes."
    if part.kind == "break":
        return f"Now: {part.title}. Take your time. The next part shows here by itself."
    if part.kind == "talk":
        return f"Now: {part.title}. This part is done together, out loud. There is nothing to type."
    if place_words(part) == "on paper":
        return f"Now: {part.title}. This part is done on paper, so there is nothing to type here."
    return (f"Now: {part.title}. This part is for you to do at home, in your own time, on paper or in your own "
            "workbook. Nobody here sees it.")

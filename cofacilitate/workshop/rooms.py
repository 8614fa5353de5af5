"""Making a workshop room, and telling who may come in: participants by the join code, the facilitator by a key.

A room lives in a workspace of its own (`room_home`), so closing it never touches anyone's own
answers. Each start gives the room new codes (only their hashes are stored, so they cannot be
printed again): the old links stop working, and a device that joined before comes back as the
same person with the new link, because who a device is comes from its own secret, not the code.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cofacilitate.sessions.plan import Session
from cofacilitate.store import ROOM_ID, Workspace
from cofacilitate.store.rooms import RoomRow, drop_session, put_session
from cofacilitate.tools import TOOLS

ROOM_TOOLS = tuple(info.id for info in TOOLS if info.in_rooms)  # the diary is private: it never enters a room
DEFAULT_THRESHOLD = 3  # the smallest role group shown; cards may say more, never fewer
MAX_ROOM_NAME = 120
LINK_VARIABLE = "COFACILITATE_PARTICIPANT_LINK"  # the dashboard's server holds the participant link here, for its QR code
DEVICE_SECRET = re.compile(r"\A[0-9a-f]{64}\Z")  # what the page's script makes (device.py)
# On a JupyterHub (workshop/hub.py) the room's service names its room in its own environment, which its kernels
# inherit, and the service's server puts the hub user it checked into a header of its own making, which Voilà
# hands to the kernel (VoilaConfiguration.http_header_envs) as HUB_USER_VARIABLE. Neither comes from the address.
HUB_ROOM_VARIABLE = "COFACILITATE_HUB_ROOM"
# What the hub's rooms file says of the room (its name, exercises and smallest group), for the facilitator's start form.
HUB_NAME_VARIABLE = "COFACILITATE_HUB_ROOM_NAME"
HUB_TOOLS_VARIABLE = "COFACILITATE_HUB_TOOLS"
HUB_SMALLEST_GROUP_VARIABLE = "COFACILITATE_HUB_SMALLEST_GROUP"
HUB_USER_HEADER = "X-Cofacilitate-Hub-User"
HUB_USER_VARIABLE = "HTTP_" + HUB_USER_HEADER.upper().replace("-", "_")


@dataclass(frozen=True)
class RoomKeys:
    """What a start prints, once: the codes themselves are never stored."""

    room: str
    name: str
    join_code: str
    facilitator_key: str


class RoomRefused(ValueError):
    """A room cannot be made as asked; the message says why in plain words."""


def room_id_for(name: str) -> str:
    """The room's id in its links: the name in small letters and dashes (the same name, the same room)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-")
    if not slug:
        slug = "room-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    if not ROOM_ID.fullmatch(slug):
        raise RoomRefused("Please give the room a name with some letters or numbers in it.")
    return slug


def room_home(base: Path, room_id: str) -> Path:
    """The room's own workspace folder."""
    return Path(base) / "rooms" / room_id


def check_tools(tools: Sequence[str]) -> tuple[str, ...]:
    known = {info.id for info in TOOLS}
    chosen = tuple(dict.fromkeys(tool.strip() for tool in tools if tool.strip()))
    if "diary" in chosen:
        raise RoomRefused("The reflective diary is private, so it cannot be used in a room. "
                          f"Choose from: {', '.join(ROOM_TOOLS)}.")
    unknown = [tool for tool in chosen if tool not in known or tool not in ROOM_TOOLS]
    if unknown or not chosen:
        raise RoomRefused(f"A room can use these exercises: {', '.join(ROOM_TOOLS)}. "
                          f"Please choose from them{' (not ' + ', '.join(unknown) + ')' if unknown else ''}.")
    return chosen


def session_tools(session: Session) -> tuple[str, ...]:
    """The exercises a session switches on in its room; a session with none needs no room."""
    if not session.room_tools:
        raise RoomRefused(f"The session “{session.title}” has no exercise switched on in the room, so it needs no "
                          "room. Its worksheets and workbook work without one.")
    return check_tools(session.room_tools)


def open_room(store: Workspace, name: str, tools: Sequence[str] = ROOM_TOOLS,
              threshold: int = DEFAULT_THRESHOLD, room_id: str | None = None, session: Session | None = None) -> RoomKeys:
    """Make the room, or open it again with new codes; its answers stay as they were.

    `room_id`: the room's id whatever its name (a hub's room service serves one id, and its facilitator may
    rename the room when they open it); else the id comes from the name. `session`: the plan the room follows
    (its exercises switched on in the room are the room's tools, with its cards)."""
    if session is not None:
        tools = session_tools(session)
    name = " ".join(name.split())
    if not name or len(name) > MAX_ROOM_NAME:
        raise RoomRefused(f"Please give the room a name of 1 to {MAX_ROOM_NAME} letters.")
    if threshold < DEFAULT_THRESHOLD:
        raise RoomRefused(f"Groups smaller than {DEFAULT_THRESHOLD} people are never shown, so the smallest "
                          f"group size must be {DEFAULT_THRESHOLD} or more.")
    keys = RoomKeys(room_id or room_id_for(name), name, secrets.token_urlsafe(12), secrets.token_urlsafe(24))
    store.put_room(keys.room, name, check_tools(tools), threshold, keys.join_code, keys.facilitator_key)
    if session is not None:
        put_session(store.backend, keys.room, session.to_json())
    else:
        drop_session(store.backend, keys.room)
    return keys


def device_person(room: str, device_secret: str) -> str | None:
    """The person a device is in a room: made from the device's own secret, so no list of people is needed
    and the same device in another room is someone else. None when the secret is not one the page makes."""
    if not DEVICE_SECRET.fullmatch(device_secret or ""):
        return None
    return hashlib.sha256(f"cofacilitate-room-person:{room}:{device_secret}".encode()).hexdigest()[:32]


def hub_person(room: str, hub_user: str) -> str | None:
    """The person a hub user is in a room: made from their hub name, so the same login is the same person on
    any device, and someone else in another room. None without a name."""
    if not hub_user:
        return None
    return hashlib.sha256(f"cofacilitate-room-person:{room}:hub:{hub_user}".encode()).hexdigest()[:32]


def paper_person(room: str, sheet_code: str) -> str:
    """The person a printed copy of the worksheets is in a room: made from its sheet code, so the answers typed in
    from that copy, on any exercise and however often, are one person's, and count once."""
    return hashlib.sha256(f"cofacilitate-room-person:{room}:paper:{sheet_code}".encode()).hexdigest()[:32]


def room_for_code(store: Workspace, room: str, join_code: str) -> RoomRow | None:
    """The room a participant link opens, or None (no such room, or a wrong code: they are told the same)."""
    if not ROOM_ID.fullmatch(room or ""):
        return None
    found = store.room(room)
    return found if found and join_code and found.joins_with(join_code) else None


def room_for_key(store: Workspace, room: str, key: str) -> RoomRow | None:
    """The room a facilitator link opens, or None."""
    if not ROOM_ID.fullmatch(room or ""):
        return None
    found = store.room(room)
    return found if found and key and found.opens_with(key) else None

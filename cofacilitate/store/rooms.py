"""A workshop room in the store: its row, what its dashboard worked out, hidden answers, shared parts.

Portable SQL over a `Backend`, like the rest of the workspace. The room's codes are kept only
as hashes: they are long random keys (not words a person picks), so one fast hash is enough and
nothing in the file can be typed in to join a room or open its dashboard. Closing a room
deletes every row that belongs to it, in one transaction, and the checkpoint takes the old
pages out of the write-ahead log, so its words leave the file instead of being marked deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from cofacilitate.store import schema
from cofacilitate.store.backend import Backend, Writer
from cofacilitate.store.records import RECORD_VERSION, Record, now_iso
from cofacilitate.store.rows import text_list, to_record
from cofacilitate.store.safe_json import loads

_ROOM_COLUMNS = "id, name, tools, threshold, revealed, groups, join_hash, key_hash"
_SHARED_COLUMNS = "id, tool, room, person, participant, created_at, updated_at, body"
# Every table with a `room` column; closing a room empties each of them of that room's rows.
_ROOM_TABLES = ("cofacilitate_records", "cofacilitate_drafts", "cofacilitate_people", schema.RETURN_CODES_TABLE,
                schema.ROOM_VIEWS_TABLE, schema.HIDDEN_TABLE, schema.SHARED_TABLE, schema.ROOM_SESSIONS_TABLE)


@dataclass(frozen=True)
class RoomRow:
    """A room as stored: which exercises are on, how small a group may be shown, what is revealed."""

    id: str
    name: str
    tools: tuple[str, ...]
    threshold: int
    revealed: tuple[str, ...]
    groups: tuple[str, ...]  # groups the facilitator added for everyone to place on the power map
    join_hash: str
    key_hash: str

    def joins_with(self, code: str) -> bool:
        return hmac.compare_digest(self.join_hash, code_hash(code))

    def opens_with(self, key: str) -> bool:
        return hmac.compare_digest(self.key_hash, code_hash(key))


def code_hash(code: str) -> str:
    return hashlib.sha256(("cofacilitate-room:" + code).encode("utf-8", "replace")).hexdigest()


def put_room(backend: Backend, room: str, name: str, tools: tuple[str, ...], threshold: int,
             join_code: str, facilitator_key: str) -> None:
    """Make the room, or give it new codes and settings (the old links stop working; answers stay)."""
    stamp = now_iso()
    with backend.transaction() as db:
        db.run(
            f"INSERT INTO {schema.ROOMS_TABLE} ({_ROOM_COLUMNS}, created_at, updated_at) VALUES (:id, :name, :tools, "
            ":threshold, '[]', '[]', :join_hash, :key_hash, :stamp, :stamp) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
            "tools = excluded.tools, threshold = excluded.threshold, join_hash = excluded.join_hash, "
            "key_hash = excluded.key_hash, updated_at = excluded.updated_at",
            {"id": room, "name": name, "tools": json.dumps(list(tools)), "threshold": threshold,
             "join_hash": code_hash(join_code), "key_hash": code_hash(facilitator_key), "stamp": stamp},
        )


def get_room(backend: Backend, room: str) -> RoomRow | None:
    """The room, or None when there is none (or its row cannot be read: then nobody can join it)."""
    rows = backend.read(f"SELECT {_ROOM_COLUMNS} FROM {schema.ROOMS_TABLE} WHERE id = :id", {"id": room})
    if not rows:
        return None
    room_id, name, tools, threshold, revealed, groups, join_hash, key_hash = rows[0]
    try:
        return RoomRow(str(room_id), str(name), text_list(tools), int(threshold), text_list(revealed), text_list(groups),
                       str(join_hash), str(key_hash))
    except (TypeError, ValueError):
        return None


def set_revealed(backend: Backend, room: str, revealed: tuple[str, ...]) -> None:
    with backend.transaction() as db:
        db.run(f"UPDATE {schema.ROOMS_TABLE} SET revealed = :revealed, updated_at = :stamp WHERE id = :id",
               {"revealed": json.dumps(list(revealed)), "stamp": now_iso(), "id": room})


def set_groups(backend: Backend, room: str, groups: tuple[str, ...]) -> None:
    """The groups the facilitator asks everyone to place on the power map, beside the card's own."""
    with backend.transaction() as db:
        db.run(f"UPDATE {schema.ROOMS_TABLE} SET groups = :groups, updated_at = :stamp WHERE id = :id",
               {"groups": json.dumps(list(groups)), "stamp": now_iso(), "id": room})


def put_view(backend: Backend, room: str, tool: str, view: dict[str, Any]) -> None:
    """Keep what the dashboard worked out for one exercise, for participants' pages to show after a reveal."""
    with backend.transaction() as db:
        db.run(f"INSERT INTO {schema.ROOM_VIEWS_TABLE} (room, tool, body, updated_at) VALUES (:room, :tool, :body, :stamp) "
               "ON CONFLICT (room, tool) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
               {"room": room, "tool": tool, "body": json.dumps(view), "stamp": now_iso()})


def get_view(backend: Backend, room: str, tool: str) -> dict[str, Any] | None:
    rows = backend.read(f"SELECT body FROM {schema.ROOM_VIEWS_TABLE} WHERE room = :room AND tool = :tool",
                        {"room": room, "tool": tool})
    if not rows:
        return None
    try:
        view = loads(str(rows[0][0]))
    except ValueError:
        return None
    return view if isinstance(view, dict) else None


def set_hidden(backend: Backend, room: str, answer: str, hidden: bool) -> None:
    """Hide an answer from every view (it stays in its record), or show it again."""
    with backend.transaction() as db:
        if hidden:
            db.run(f"INSERT INTO {schema.HIDDEN_TABLE} (room, answer, created_at) VALUES (:room, :answer, :stamp) "
                   "ON CONFLICT (room, answer) DO NOTHING", {"room": room, "answer": answer, "stamp": now_iso()})
        else:
            db.run(f"DELETE FROM {schema.HIDDEN_TABLE} WHERE room = :room AND answer = :answer",
                   {"room": room, "answer": answer})


def hidden_answers(backend: Backend, room: str) -> frozenset[str]:
    rows = backend.read(f"SELECT answer FROM {schema.HIDDEN_TABLE} WHERE room = :room", {"room": room})
    return frozenset(str(row[0]) for row in rows)


@dataclass(frozen=True)
class SharedPart:
    """What of a record its owner shares with the group: a body, or None when nothing is shared."""

    body: dict[str, Any] | None
    participant: str = ""  # the name shown with it; empty when everything shared is anonymous


def put_shared(db: Writer, record: Record, part: SharedPart) -> None:
    """Keep the shared part of a record beside it, in the record's own transaction."""
    db.run(f"DELETE FROM {schema.SHARED_TABLE} WHERE id = :id", {"id": record.id})
    if part.body is not None:
        db.run(f"INSERT INTO {schema.SHARED_TABLE} (id, tool, room, person, participant, created_at, updated_at, body) "
               "VALUES (:id, :tool, :room, :person, :participant, :created_at, :updated_at, :body)",
               {"id": record.id, "tool": record.tool, "room": record.room, "person": record.person,
                "participant": part.participant, "created_at": record.created_at, "updated_at": record.updated_at,
                "body": json.dumps(part.body)})


def shared_records(backend: Backend, tool: str, room: str) -> list[Record]:
    """The shared parts of everyone's records of one tool in one room: never a private word."""
    rows = backend.read(f"SELECT {_SHARED_COLUMNS} FROM {schema.SHARED_TABLE} WHERE tool = :tool AND room = :room "
                        "ORDER BY created_at, id", {"tool": tool, "room": room})
    return [to_record((rid, tool_id, RECORD_VERSION, room_id, person, participant, "[]", created, updated, body))
            for rid, tool_id, room_id, person, participant, created, updated, body in rows]


@dataclass(frozen=True)
class SessionRow:
    """The session plan a room follows, as stored (the workshop reads the plan), and which part is open."""

    plan: str  # JSON, as cofacilitate.sessions.plan.Session.to_json writes it
    step: int  # -1 before the start; one past the last part once it has ended
    step_started_at: str


def put_session(backend: Backend, room: str, plan: str) -> None:
    """Give the room its plan. Opened again with the same plan, it stays where it was; a changed plan starts again."""
    stamp = now_iso()
    with backend.transaction() as db:
        db.run(f"INSERT INTO {schema.ROOM_SESSIONS_TABLE} (room, plan, step, step_started_at, updated_at) "
               "VALUES (:room, :plan, -1, :stamp, :stamp) ON CONFLICT (room) DO UPDATE SET plan = excluded.plan, "
               f"step = CASE WHEN {schema.ROOM_SESSIONS_TABLE}.plan = excluded.plan THEN {schema.ROOM_SESSIONS_TABLE}.step "
               "ELSE -1 END, updated_at = excluded.updated_at", {"room": room, "plan": plan, "stamp": stamp})


def drop_session(backend: Backend, room: str) -> None:
    """The room no longer follows a plan (it was opened again without one)."""
    with backend.transaction() as db:
        db.run(f"DELETE FROM {schema.ROOM_SESSIONS_TABLE} WHERE room = :room", {"room": room})


def get_session(backend: Backend, room: str) -> SessionRow | None:
    rows = backend.read(f"SELECT plan, step, step_started_at FROM {schema.ROOM_SESSIONS_TABLE} WHERE room = :room",
                        {"room": room})
    if not rows:
        return None
    plan, step, started = rows[0]
    try:
        return SessionRow(str(plan), int(step), str(started))
    except (TypeError, ValueError):
        return None


def set_step(backend: Backend, room: str, step: int) -> None:
    """Open another part of the room's session, from now."""
    stamp = now_iso()
    with backend.transaction() as db:
        db.run(f"UPDATE {schema.ROOM_SESSIONS_TABLE} SET step = :step, step_started_at = :stamp, updated_at = :stamp "
               "WHERE room = :room", {"step": step, "stamp": stamp, "room": room})


def delete_room(backend: Backend, room: str) -> int:
    """Every row of the room, gone in one transaction; then out of the write-ahead log too. How many rows went."""
    with backend.transaction() as db:
        gone = sum(db.run(f"DELETE FROM {table} WHERE room = :room", {"room": room}) for table in _ROOM_TABLES)
        gone += db.run(f"DELETE FROM {schema.ROOMS_TABLE} WHERE id = :room", {"room": room})
    backend.checkpoint()
    return gone



def room_stamp(backend: Backend, room: str) -> str:
    """A short mark that changes whenever anything in the room does (answers, people, shares, hidden, the row),
    so a dashboard works its views out again only when there is something new."""
    parts = []
    for table, where in (("cofacilitate_records", "room"), ("cofacilitate_people", "room"), (schema.SHARED_TABLE, "room"),
                         (schema.ROOMS_TABLE, "id"), (schema.ROOM_SESSIONS_TABLE, "room")):
        count, newest = backend.read(f"SELECT COUNT(*), MAX(updated_at) FROM {table} WHERE {where} = :room",
                                     {"room": room})[0]
        parts.append(f"{count}:{newest}")
    hidden = backend.read(f"SELECT COUNT(*), MAX(created_at) FROM {schema.HIDDEN_TABLE} WHERE room = :room", {"room": room})[0]
    parts.append(f"{hidden[0]}:{hidden[1]}")
    return "|".join(parts)

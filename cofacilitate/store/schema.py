"""The workspace's tables, and the way from every earlier schema to this one.

Portable SQL only: it runs on SQLite and on PostgreSQL. Opening a workspace first looks, read-only,
at its version and tables; a workspace that is up to date is opened with no DDL and no write lock.
Creating or upgrading happens inside one write transaction, so a workspace is never left
half-changed, and a newer schema is refused, never changed.
"""

from __future__ import annotations

import json
from typing import Any

from cofacilitate.store.backend import Backend, Writer, refusal
from cofacilitate.store.records import new_id, now_iso

SCHEMA_VERSION = 2
META_TABLE = "cofacilitate_meta"
CURRENT_PERSON = "current_person"
RETURN_CODES_TABLE = "cofacilitate_return_codes"
ROOMS_TABLE = "cofacilitate_rooms"
ROOM_VIEWS_TABLE = "cofacilitate_room_views"
HIDDEN_TABLE = "cofacilitate_hidden_answers"
SHARED_TABLE = "cofacilitate_shared"
ROOM_SESSIONS_TABLE = "cofacilitate_room_sessions"

_META = f"""CREATE TABLE IF NOT EXISTS {META_TABLE} (
    key VARCHAR(64) PRIMARY KEY,
    value TEXT NOT NULL)"""
_PEOPLE = """CREATE TABLE cofacilitate_people (
    id VARCHAR(64) PRIMARY KEY,
    room VARCHAR(120) NOT NULL,
    pseudonym VARCHAR(200) NOT NULL,
    roles TEXT NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL)"""
_RECORDS = """CREATE TABLE cofacilitate_records (
    id VARCHAR(64) PRIMARY KEY,
    tool VARCHAR(40) NOT NULL,
    schema_version INTEGER NOT NULL,
    room VARCHAR(120) NOT NULL,
    person VARCHAR(64) NOT NULL,
    participant VARCHAR(200) NOT NULL,
    roles TEXT NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL,
    body TEXT NOT NULL)"""
# Hashes of the codes that bring a person back to their answers (store/return_codes.py). Created by
# every version that knows it, in any schema version, and ignored by those that do not: it only adds.
_RETURN_CODES = f"""CREATE TABLE IF NOT EXISTS {RETURN_CODES_TABLE} (
    code_hash VARCHAR(64) PRIMARY KEY,
    person VARCHAR(64) NOT NULL,
    room VARCHAR(120) NOT NULL,
    created_at VARCHAR(40) NOT NULL)"""
# A workshop room (cofacilitate/workshop/): its codes are kept only as hashes. Like the return codes, these
# tables only add, so they are made by every version that knows them, in any schema version.
_ROOMS = f"""CREATE TABLE IF NOT EXISTS {ROOMS_TABLE} (
    id VARCHAR(120) PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    tools TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    revealed TEXT NOT NULL,
    groups TEXT NOT NULL,
    join_hash VARCHAR(64) NOT NULL,
    key_hash VARCHAR(64) NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL)"""
# What the dashboard worked out once for each exercise, as text, tables and pictures a light page shows.
_ROOM_VIEWS = f"""CREATE TABLE IF NOT EXISTS {ROOM_VIEWS_TABLE} (
    room VARCHAR(120) NOT NULL,
    tool VARCHAR(40) NOT NULL,
    body TEXT NOT NULL,
    updated_at VARCHAR(40) NOT NULL,
    PRIMARY KEY (room, tool))"""
# Free-text answers the facilitator hid from every view: kept in the records, left out of views and reports.
_HIDDEN = f"""CREATE TABLE IF NOT EXISTS {HIDDEN_TABLE} (
    room VARCHAR(120) NOT NULL,
    answer VARCHAR(200) NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    PRIMARY KEY (room, answer))"""
# The session plan a room follows (cofacilitate/sessions/), and which of its parts is open now. Only adds, too.
_ROOM_SESSIONS = f"""CREATE TABLE IF NOT EXISTS {ROOM_SESSIONS_TABLE} (
    room VARCHAR(120) PRIMARY KEY,
    plan TEXT NOT NULL,
    step INTEGER NOT NULL,
    step_started_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL)"""
# The part of a record its owner shared with the group, so a group's view never reads anyone's private words.
_SHARED = f"""CREATE TABLE IF NOT EXISTS {SHARED_TABLE} (
    id VARCHAR(64) PRIMARY KEY,
    tool VARCHAR(40) NOT NULL,
    room VARCHAR(120) NOT NULL,
    person VARCHAR(64) NOT NULL,
    participant VARCHAR(200) NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    updated_at VARCHAR(40) NOT NULL,
    body TEXT NOT NULL)"""
_RECORDS_INDEX = "CREATE INDEX cofacilitate_records_owner ON cofacilitate_records (tool, room, person, created_at)"
MOST_IN_A_DRAFT_KEY = 200  # the drafts table's `field` column; PostgreSQL refuses a longer value, SQLite would keep it
_DRAFTS = """CREATE TABLE cofacilitate_drafts (
    tool VARCHAR(40) NOT NULL,
    person VARCHAR(64) NOT NULL,
    room VARCHAR(120) NOT NULL,
    field VARCHAR(200) NOT NULL,
    value TEXT NOT NULL,
    updated_at VARCHAR(40) NOT NULL,
    PRIMARY KEY (tool, person, room, field))"""


# Every table this version needs; a workspace missing one is brought up to date (the only-add tables
# are made by any version, so a file last opened by an older app may lack them).
TABLES = frozenset({META_TABLE, "cofacilitate_people", "cofacilitate_records", "cofacilitate_drafts", RETURN_CODES_TABLE,
                    ROOMS_TABLE, ROOM_VIEWS_TABLE, HIDDEN_TABLE, SHARED_TABLE, ROOM_SESSIONS_TABLE})


def not_ours_message(where: str) -> str:
    return f"{where[:1].upper()}{where[1:]} belongs to another program, not cofacilitate. Nothing in it was changed."


def older_schema_message(where: str) -> str:
    return (f"{where[:1].upper()}{where[1:]} was made by an older version of cofacilitate. The person who runs it "
            "needs to update it first, with the command cofacilitate migrate. Nothing in it was changed.")


def found_version(backend: Backend) -> int | None:
    found = backend.read(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'")
    return int(found[0][0]) if found else None


def prepare(backend: Backend, *, upgrade: bool) -> None:
    """Open a workspace as it is when it is up to date; else create it, or upgrade it when `upgrade`.

    A database of someone else's, or of a newer schema, is refused before anything is written.
    """
    tables = backend.tables()
    if tables and META_TABLE not in tables:
        raise refusal(not_ours_message(backend.where))
    version = found_version(backend) if META_TABLE in tables else None
    if version == SCHEMA_VERSION and tables >= TABLES:
        return
    if version is not None and version > SCHEMA_VERSION:
        raise refusal(newer_schema_message(backend.where))
    if version is not None and version < SCHEMA_VERSION and not upgrade:
        raise refusal(older_schema_message(backend.where))
    with backend.transaction() as db:
        ensure(db, backend.where)


def newer_schema_message(where: str) -> str:
    return (
        f"The workspace {where} was saved by a newer version of cofacilitate. "
        "Please update the app (pip install --upgrade cofacilitate). Your saved work has not been changed."
    )


def ensure(db: Writer, where: str) -> None:
    """Create a new workspace, or bring an older one up to this schema; refuse a newer one."""
    db.run(_META)
    for statement in (_RETURN_CODES, _ROOMS, _ROOM_VIEWS, _HIDDEN, _SHARED, _ROOM_SESSIONS):
        db.run(statement)
    found = db.read(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'")
    version = int(found[0][0]) if found else None
    if version is None:
        for statement in (_PEOPLE, _RECORDS, _RECORDS_INDEX, _DRAFTS):
            db.run(statement)
        db.run(f"INSERT INTO {META_TABLE} (key, value) VALUES ('schema_version', :v)", {"v": str(SCHEMA_VERSION)})
        return
    if version > SCHEMA_VERSION:
        raise refusal(newer_schema_message(where))
    for step in _MIGRATIONS[version - 1:]:
        step(db)
    db.run(f"UPDATE {META_TABLE} SET value = :v WHERE key = 'schema_version'", {"v": str(SCHEMA_VERSION)})


def _from_1_to_2(db: Writer) -> None:
    """Version 1 knew no people: everything in it belonged to the one person at this computer,
    so it all becomes that person's, and the name they typed on the ladder becomes theirs."""
    person = new_id()
    drafts = {field: json.loads(value) for field, value in db.read(
        "SELECT field, value FROM cofacilitate_drafts WHERE tool = 'ladder' AND (field = 'pseudonym' OR field LIKE 'role/%')"
    )}
    latest = db.read("SELECT participant, roles FROM cofacilitate_records WHERE tool = 'ladder' ORDER BY created_at DESC")
    pseudonym = drafts.get("pseudonym") or (latest[0][0] if latest else "")
    role_drafts = {key.split("/", 1)[1]: ticked for key, ticked in drafts.items() if key.startswith("role/")}
    roles: list[Any] = [role for role, ticked in role_drafts.items() if ticked]
    if not role_drafts and latest:
        roles = json.loads(latest[0][1])
    stamp = now_iso()
    db.run(_PEOPLE)
    db.run(
        "INSERT INTO cofacilitate_people (id, room, pseudonym, roles, created_at, updated_at) "
        "VALUES (:id, '', :pseudonym, :roles, :stamp, :stamp)",
        {"id": person, "pseudonym": str(pseudonym)[:200], "roles": json.dumps(roles), "stamp": stamp},
    )
    db.run(f"INSERT INTO {META_TABLE} (key, value) VALUES (:key, :person)", {"key": CURRENT_PERSON, "person": person})
    db.run("ALTER TABLE cofacilitate_records ADD COLUMN person VARCHAR(64) NOT NULL DEFAULT ''")
    db.run("UPDATE cofacilitate_records SET person = :person", {"person": person})
    db.run("DROP INDEX IF EXISTS cofacilitate_records_tool")
    db.run(_RECORDS_INDEX)
    db.run("ALTER TABLE cofacilitate_drafts RENAME TO cofacilitate_drafts_v1")
    db.run(_DRAFTS)
    db.run(
        "INSERT INTO cofacilitate_drafts (tool, person, room, field, value, updated_at) "
        "SELECT tool, :person, '', field, value, updated_at FROM cofacilitate_drafts_v1 "
        "WHERE NOT (tool = 'ladder' AND (field = 'pseudonym' OR field LIKE 'role/%'))",
        {"person": person},
    )
    db.run("DROP TABLE cofacilitate_drafts_v1")


# _MIGRATIONS[n - 1] takes a workspace from version n to n + 1.
_MIGRATIONS = [_from_1_to_2]

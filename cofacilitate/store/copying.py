"""Copying a whole workspace into another (a laptop's SQLite file into a programme's PostgreSQL), checked row by row.

The copy is one write transaction in the new place: all of it lands, or none of it. Then every row
is read back from both places and compared, so the report says what is true, not what was meant.
The new place must hold no saved work yet: a copy never mixes two workspaces or overwrites a row.
"""

from __future__ import annotations

from dataclasses import dataclass

from cofacilitate.store import schema
from cofacilitate.store.backend import Backend, Row, WorkspaceError, refusal

# Each table with its columns named, so a table whose columns were added in another order still copies.
COPIED: dict[str, tuple[str, ...]] = {
    "cofacilitate_people": ("id", "room", "pseudonym", "roles", "created_at", "updated_at"),
    "cofacilitate_records": ("id", "tool", "schema_version", "room", "person", "participant", "roles", "created_at",
                             "updated_at", "body"),
    "cofacilitate_drafts": ("tool", "person", "room", "field", "value", "updated_at"),
    schema.RETURN_CODES_TABLE: ("code_hash", "person", "room", "created_at"),
    schema.ROOMS_TABLE: ("id", "name", "tools", "threshold", "revealed", "groups", "join_hash", "key_hash", "created_at",
                         "updated_at"),
    schema.ROOM_VIEWS_TABLE: ("room", "tool", "body", "updated_at"),
    schema.HIDDEN_TABLE: ("room", "answer", "created_at"),
    schema.SHARED_TABLE: ("id", "tool", "room", "person", "participant", "created_at", "updated_at", "body"),
    schema.ROOM_SESSIONS_TABLE: ("room", "plan", "step", "step_started_at", "updated_at"),
}
KEPT_META = (schema.CURRENT_PERSON,)  # the schema version is the new place's own


@dataclass(frozen=True)
class CopyReport:
    copied: dict[str, int]  # table -> rows copied and found again, identical
    damaged: int  # rows that could not be read in the old place, so were left there (and are still there)

    def sentence(self) -> str:
        records = self.copied.get("cofacilitate_records", 0)
        people = self.copied.get("cofacilitate_people", 0)
        rooms = self.copied.get(schema.ROOMS_TABLE, 0)
        said = (f"Copied {records} answer set{'s' * (records != 1)}, {people} {'person' if people == 1 else 'people'} "
                f"and {rooms} room{'s' * (rooms != 1)}, with their drafts. Every row was read back and checked.")
        if self.damaged:
            said += (f" {self.damaged} damaged row{'s were' if self.damaged != 1 else ' was'} not copied: "
                     "they are still in the old place, as they were.")
        return said


def _readable(row: Row) -> bool:
    """A row whose text SQLite could not read as text (a file edited by hand) cannot go into another database."""
    return not any(isinstance(value, bytes) for value in row)


def copy_workspace(source: Backend, target: Backend) -> CopyReport:
    """Copy every row of `source` into the empty workspace `target`, then check each one arrived unchanged."""
    for table in ("cofacilitate_people", "cofacilitate_records", "cofacilitate_drafts"):
        if target.read(f"SELECT 1 FROM {table} LIMIT 1"):
            raise refusal(f"{target.where[:1].upper()}{target.where[1:]} already holds saved work, so nothing was copied "
                          "into it. Please copy into a new, empty database.")
    rows = {table: source.read(_select(table, columns)) for table, columns in COPIED.items()}
    damaged = sum(not _readable(row) for table_rows in rows.values() for row in table_rows)
    rows = {table: [row for row in table_rows if _readable(row)] for table, table_rows in rows.items()}
    meta = [row for row in source.read(f"SELECT key, value FROM {schema.META_TABLE}") if row[0] in KEPT_META]
    with target.transaction() as db:
        for table, columns in COPIED.items():
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
            for row in rows[table]:
                db.run(insert, dict(zip(columns, row, strict=True)))
        for key, value in meta:
            db.run(f"DELETE FROM {schema.META_TABLE} WHERE key = :key", {"key": key})
            db.run(f"INSERT INTO {schema.META_TABLE} (key, value) VALUES (:key, :value)", {"key": key, "value": value})
    copied = {}
    for table, columns in COPIED.items():
        arrived = sorted(target.read(_select(table, columns)), key=repr)
        if arrived != sorted(rows[table], key=repr):
            raise WorkspaceError(f"The copy in {target.where} does not match the old place ({table}). "
                                 "Please do not use it; the old place has not been changed.")
        copied[table] = len(arrived)
    return CopyReport(copied, damaged)


def _select(table: str, columns: tuple[str, ...]) -> str:
    return f"SELECT {', '.join(columns)} FROM {table}"

"""The workspace: one folder, one SQLite file, every tool's records and drafts.

What a person writes must never be lost, so: writes are transactions; the file is only
ever opened for writing after a read-only look has shown it is ours and of a schema we
understand (a foreign, corrupt or newer file is refused and left byte-for-byte alone);
WAL mode lets a workshop's many kernels write at once; files are readable by the owner
only. The SQL is kept plain (no SQLite-only types or upserts) so the same tables can
later live in PostgreSQL.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cofacilitate import __version__
from cofacilitate.cards import plain_problem

SCHEMA_VERSION = 1
DB_NAME = "workspace.sqlite"
CARD_FORMAT = "cofacilitate-response-card"
MAX_CARD_BYTES = 2_000_000
MAX_CARD_SIZE_WORDS = "2 MB"
MAX_RECORDS_PER_CARD = 2000
MAX_TEXT = 20_000
SQLITE_HEADER = b"SQLite format 3\x00"

log = logging.getLogger("cofacilitate")

_TABLES = (
    """CREATE TABLE IF NOT EXISTS cofacilitate_meta (
        key VARCHAR(64) PRIMARY KEY,
        value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS cofacilitate_records (
        id VARCHAR(64) PRIMARY KEY,
        tool VARCHAR(40) NOT NULL,
        schema_version INTEGER NOT NULL,
        room VARCHAR(120) NOT NULL,
        participant VARCHAR(200) NOT NULL,
        roles TEXT NOT NULL,
        created_at VARCHAR(40) NOT NULL,
        updated_at VARCHAR(40) NOT NULL,
        body TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS cofacilitate_records_tool ON cofacilitate_records (tool, room, created_at)",
    """CREATE TABLE IF NOT EXISTS cofacilitate_drafts (
        tool VARCHAR(40) NOT NULL,
        owner VARCHAR(200) NOT NULL,
        field VARCHAR(200) NOT NULL,
        value TEXT NOT NULL,
        updated_at VARCHAR(40) NOT NULL,
        PRIMARY KEY (tool, owner, field))""",
)


class WorkspaceError(RuntimeError):
    """The workspace cannot be used as it is; the message says why in plain words."""


class ImportRefused(ValueError):
    """An uploaded response card was refused; nothing was stored."""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def default_home() -> Path:
    """COFACILITATE_HOME, else the platform's per-user data folder."""
    override = os.environ.get("COFACILITATE_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("cofacilitate", appauthor=False)


def on_temporary_server() -> bool:
    """Binder (and anything that says so) deletes files when the session ends."""
    if os.environ.get("COFACILITATE_TEMPORARY", "").lower() in {"1", "true", "yes"}:
        return True
    return any(name.startswith("BINDER_") for name in os.environ)


@dataclass(frozen=True)
class Record:
    """One saved piece of work, such as one ladder assessment."""

    id: str
    tool: str
    schema_version: int
    room: str
    participant: str
    roles: tuple[str, ...]
    created_at: str
    updated_at: str
    body: dict[str, Any] = field(hash=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "tool": self.tool, "schema_version": self.schema_version,
            "room": self.room, "participant": self.participant, "roles": list(self.roles),
            "created_at": self.created_at, "updated_at": self.updated_at, "body": self.body,
        }


class _CardRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: str = Field(pattern=r"^[A-Za-z0-9-]{8,64}$")
    tool: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    schema_version: int = Field(ge=1, le=SCHEMA_VERSION)
    room: str = Field(max_length=120)
    participant: str = Field(max_length=200)
    roles: list[str] = Field(max_length=20)
    created_at: str = Field(max_length=40)
    updated_at: str = Field(max_length=40)
    body: dict[str, Any]


class _ResponseCard(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    format: str
    schema_version: int
    app_version: str = Field(max_length=40)
    tool: str = Field(max_length=40)
    exported_at: str = Field(max_length=40)
    records: list[_CardRecord] = Field(max_length=MAX_RECORDS_PER_CARD)


@dataclass(frozen=True)
class ImportReport:
    added: int
    already_here: int

    def sentence(self) -> str:
        words = f"{self.added} answer set(s) restored"
        return words + (f"; {self.already_here} were already here and left as they were." if self.already_here else ".")


class Workspace:
    """A person's (or a room's) saved work. Open it with `Workspace.open()`."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.db_path = self.home / DB_NAME
        self.log_path = self.home / "logs" / "cofacilitate.log"
        _check_before_writing(self.db_path)
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.db_path, timeout=15, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA busy_timeout = 15000")
            self._db.execute("PRAGMA journal_mode = WAL")
            with self._write() as db:
                for statement in _TABLES:
                    db.execute(statement)
                db.execute(
                    "INSERT INTO cofacilitate_meta (key, value) SELECT 'schema_version', ? "
                    "WHERE NOT EXISTS (SELECT 1 FROM cofacilitate_meta WHERE key = 'schema_version')",
                    (str(SCHEMA_VERSION),),
                )
        except sqlite3.Error as err:
            raise WorkspaceError(
                f"The saved-work file {self.db_path} could not be opened for writing ({err}). "
                "Nothing in it was changed."
            ) from err
        _owner_only(self.db_path)

    @classmethod
    def open(cls, home: Path | str | None = None) -> "Workspace":
        return cls(Path(home) if home else default_home())

    def close(self) -> None:
        self._db.close()

    # -- records ---------------------------------------------------------------
    def save_record(
        self,
        tool: str,
        body: dict[str, Any],
        *,
        participant: str = "",
        roles: Iterable[str] = (),
        room: str = "",
        record_id: str | None = None,
    ) -> Record:
        """Store a new record, or replace the body of an existing one with the same id."""
        stamp = now_iso()
        record = Record(
            id=record_id or uuid.uuid4().hex, tool=tool, schema_version=SCHEMA_VERSION, room=room,
            participant=participant, roles=tuple(roles), created_at=stamp, updated_at=stamp, body=body,
        )
        with self._write() as db:
            updated = db.execute(
                "UPDATE cofacilitate_records SET body = ?, participant = ?, roles = ?, updated_at = ? WHERE id = ?",
                (json.dumps(body), participant, json.dumps(list(roles)), stamp, record.id),
            ).rowcount
            if not updated:
                self._insert(db, record)
        return self.get(record.id) or record

    def get(self, record_id: str) -> Record | None:
        row = self._db.execute("SELECT * FROM cofacilitate_records WHERE id = ?", (record_id,)).fetchone()
        return _to_record(row) if row else None

    def records(self, tool: str, *, room: str | None = None) -> list[Record]:
        """Records of one tool, oldest first."""
        sql = "SELECT * FROM cofacilitate_records WHERE tool = ?"
        args: list[Any] = [tool]
        if room is not None:
            sql += " AND room = ?"
            args.append(room)
        rows = self._db.execute(sql + " ORDER BY created_at, id", args).fetchall()
        return [_to_record(row) for row in rows]

    # -- drafts ----------------------------------------------------------------
    def save_draft(self, tool: str, owner: str, field_key: str, value: Any) -> None:
        with self._write() as db:
            args = (json.dumps(value), now_iso(), tool, owner, field_key)
            changed = db.execute(
                "UPDATE cofacilitate_drafts SET value = ?, updated_at = ? WHERE tool = ? AND owner = ? AND field = ?", args
            ).rowcount
            if not changed:
                db.execute(
                    "INSERT INTO cofacilitate_drafts (value, updated_at, tool, owner, field) VALUES (?, ?, ?, ?, ?)", args
                )

    def drafts(self, tool: str, owner: str) -> dict[str, Any]:
        rows = self._db.execute(
            "SELECT field, value FROM cofacilitate_drafts WHERE tool = ? AND owner = ?", (tool, owner)
        ).fetchall()
        return {key: json.loads(value) for key, value in rows}

    def clear_drafts(self, tool: str, owner: str, field_keys: Iterable[str]) -> None:
        with self._write() as db:
            db.executemany(
                "DELETE FROM cofacilitate_drafts WHERE tool = ? AND owner = ? AND field = ?",
                [(tool, owner, key) for key in field_keys],
            )

    # -- response cards --------------------------------------------------------
    def export_card(self, tool: str, records: Iterable[Record]) -> bytes:
        """A response card: one person's records as a JSON file they can keep or share."""
        card = {
            "format": CARD_FORMAT, "schema_version": SCHEMA_VERSION, "app_version": __version__,
            "tool": tool, "exported_at": now_iso(), "records": [r.as_json() for r in records],
        }
        return json.dumps(card, indent=2, ensure_ascii=False).encode("utf-8")

    def import_card(self, data: bytes, tool: str, check_body: Callable[[dict[str, Any]], Any]) -> ImportReport:
        """Restore records from a response card: all of it, or (on any problem) none of it."""
        card = read_response_card(data, tool, check_body)
        added = already = 0
        with self._write() as db:
            for item in card.records:
                if db.execute("SELECT 1 FROM cofacilitate_records WHERE id = ?", (item.id,)).fetchone():
                    already += 1
                    continue
                self._insert(db, Record(**{**item.model_dump(), "roles": tuple(item.roles)}))
                added += 1
        return ImportReport(added=added, already_here=already)

    # -- internals -------------------------------------------------------------
    def _write(self) -> "_Transaction":
        return _Transaction(self._db)

    @staticmethod
    def _insert(db: sqlite3.Connection, record: Record) -> None:
        db.execute(
            "INSERT INTO cofacilitate_records (id, tool, schema_version, room, participant, roles, "
            "created_at, updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record.id, record.tool, record.schema_version, record.room, record.participant,
             json.dumps(list(record.roles)), record.created_at, record.updated_at, json.dumps(record.body)),
        )


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: a write lands whole or not at all."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, error, trace) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def read_response_card(data: bytes, tool: str, check_body: Callable[[dict[str, Any]], Any]) -> _ResponseCard:
    """Check an uploaded card completely before anything is stored; say what is wrong."""
    if len(data) > MAX_CARD_BYTES:
        raise ImportRefused(
            f"This file is too big to be a response card ({len(data) / 1_000_000:.1f} MB). "
            f"Response cards are at most {MAX_CARD_SIZE_WORDS}. Nothing was changed."
        )
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportRefused(
            "This file is not a response card: it is not the kind of text file (JSON) this app saves. "
            "Nothing was changed."
        ) from None
    if not isinstance(raw, dict) or raw.get("format") != CARD_FORMAT:
        raise ImportRefused("This file is not a cofacilitate response card. Nothing was changed.")
    if raw.get("tool") != tool:
        raise ImportRefused(
            f"This response card belongs to another exercise ('{str(raw.get('tool'))[:40]}'), not this one. "
            "Open that exercise to restore it. Nothing was changed."
        )
    if isinstance(raw.get("schema_version"), int) and raw["schema_version"] > SCHEMA_VERSION:
        raise ImportRefused(
            "This response card was made by a newer version of cofacilitate. "
            "Please update the app, then try again. Nothing was changed."
        )
    try:
        card = _ResponseCard.model_validate(raw)
        for position, item in enumerate(card.records, start=1):
            if item.tool != tool:
                raise ValueError(f"answer set {position} belongs to another exercise")
            _check_text_sizes(item.body)
            check_body(item.body)
    except (ValidationError, ValueError) as err:
        detail = plain_problem(err)
        raise ImportRefused(f"This response card could not be used: {detail}. Nothing was changed.") from None
    return card


def _check_text_sizes(value: Any, depth: int = 0) -> None:
    """Bodies are checked by their tool; this guards against absurd nesting and text."""
    if depth > 8:
        raise ValueError("it is nested more deeply than any answer set can be")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ValueError(f"one piece of text is longer than {MAX_TEXT} characters")
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        _check_text_sizes(child, depth + 1)


def _to_record(row: tuple) -> Record:
    rid, tool, version, room, participant, roles, created, updated, body = row
    return Record(rid, tool, version, room, participant, tuple(json.loads(roles)), created, updated, json.loads(body))


def _owner_only(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db_path}{suffix}")
        if path.exists():
            path.chmod(0o600)


def _check_before_writing(db_path: Path) -> None:
    """Look at an existing file read-only; refuse anything that is not our own, current schema."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    leave_alone = "It has not been changed. Choose another folder with COFACILITATE_HOME, or move the file away."
    with open(db_path, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise WorkspaceError(f"The file {db_path} is not a cofacilitate workspace (it is not a database). {leave_alone}")
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = None
            if "cofacilitate_meta" in tables:
                found = db.execute("SELECT value FROM cofacilitate_meta WHERE key = 'schema_version'").fetchone()
                version = int(found[0]) if found else None
        finally:
            db.close()
    except (sqlite3.Error, ValueError) as err:
        raise WorkspaceError(f"The workspace file {db_path} is damaged and cannot be read safely. {leave_alone}") from err
    if tables and "cofacilitate_meta" not in tables:
        raise WorkspaceError(f"The file {db_path} belongs to another program, not cofacilitate. {leave_alone}")
    if version is not None and version > SCHEMA_VERSION:
        raise WorkspaceError(
            f"The workspace {db_path} was saved by a newer version of cofacilitate. "
            "Please update the app (pip install --upgrade cofacilitate). Your saved work has not been changed."
        )


def configure_log(workspace: Workspace) -> Path:
    """Send the details of problems to a log file in the workspace, readable by its owner only."""
    path = workspace.log_path
    if not any(getattr(h, "baseFilename", None) == str(path) for h in log.handlers):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return path

"""The SQLite backend: one file in the workspace folder, and everything SQLite-only.

A file is only opened for writing after a read-only look has shown it is ours and of a
schema we understand: a foreign, corrupt or newer file is refused and left byte for byte
alone. The file is created owner-only (never world-readable, even for a moment), WAL mode
lets a workshop's many kernels write at once, and deleted text is overwritten.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cofacilitate.store.backend import Params, Row, WorkspaceError
from cofacilitate.store.schema import META_TABLE, SCHEMA_VERSION, newer_schema_message

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_SECONDS = 15


class _SqliteWriter:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def run(self, sql: str, params: Params | None = None) -> int:
        return self.db.execute(sql, params or {}).rowcount

    def read(self, sql: str, params: Params | None = None) -> list[Row]:
        return self.db.execute(sql, params or {}).fetchall()


class SqliteBackend:
    """A workspace file; `:name` placeholders are SQLite's own, so SQL passes through as it is."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.where = str(self.db_path)
        check_before_writing(self.db_path)
        self.db_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            _create_owner_only(self.db_path)
            self._db = sqlite3.connect(self.db_path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
            self._db.text_factory = _text_or_bytes
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
            self._db.execute("PRAGMA secure_delete = ON")
            _switch_to_wal(self._db)
        except sqlite3.Error as err:
            raise WorkspaceError(
                f"The saved-work file {self.db_path} could not be opened for writing ({err}). Nothing in it was changed."
            ) from err

    def read(self, sql: str, params: Params | None = None) -> list[Row]:
        return self._db.execute(sql, params or {}).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[_SqliteWriter]:
        """BEGIN IMMEDIATE takes the write lock at once, so two writers queue instead of failing halfway."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield _SqliteWriter(self._db)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()


def _text_or_bytes(data: bytes) -> str | bytes:
    """Stored text as text; bytes that are not UTF-8 (a file edited by hand) stay bytes, so the
    one row that holds them reads as damaged instead of failing every read."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _create_owner_only(db_path: Path) -> None:
    """Make the file readable by its owner alone from the moment it exists (SQLite's -wal and
    -shm files then take the same mode)."""
    try:
        handle = os.open(db_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(handle)


def _switch_to_wal(db: sqlite3.Connection) -> None:
    """WAL mode; on a brand-new file several pages may race to switch it, so wait rather than refuse."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def check_before_writing(db_path: Path) -> None:
    """Look at an existing file read-only; refuse anything that is not our own, understood schema."""
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
            if META_TABLE in tables:
                found = db.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchone()
                version = int(found[0]) if found else None
        finally:
            db.close()
    except (sqlite3.Error, ValueError) as err:
        raise WorkspaceError(f"The workspace file {db_path} is damaged and cannot be read safely. {leave_alone}") from err
    if tables and META_TABLE not in tables:
        raise WorkspaceError(f"The file {db_path} belongs to another program, not cofacilitate. {leave_alone}")
    if version is not None and version > SCHEMA_VERSION:
        raise WorkspaceError(newer_schema_message(str(db_path)))

"""The SQLite backend: one file in the workspace folder, and everything SQLite-only.

A file is only opened for writing after a read-only look has shown it is ours and of a
schema we understand, and after its place has shown it can be written: a foreign, corrupt,
newer or read-only file is refused in plain words and left byte for byte alone, with nothing
new beside it. The file is created owner-only (never world-readable, even for a moment),
WAL mode lets a workshop's many kernels write at once, and deleted text is overwritten.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cofacilitate.store.backend import Params, Row, log, refusal
from cofacilitate.store.home import create_owner_only, private_folder
from cofacilitate.store.place import UNCHANGED, check_can_read, check_can_write, unusable
from cofacilitate.store.schema import META_TABLE, SCHEMA_VERSION, newer_schema_message

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_SECONDS = 15
CHECKPOINT_SECONDS = 2
LEAVE_ALONE = "It has not been changed. Choose another folder with COFACILITATE_HOME, or move the file away."


class _SqliteWriter:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def run(self, sql: str, params: Params | None = None) -> int:
        return self.db.execute(sql, params or {}).rowcount

    def read(self, sql: str, params: Params | None = None) -> list[Row]:
        return self.db.execute(sql, params or {}).fetchall()


class SqliteBackend:
    """A workspace file; `:name` placeholders are SQLite's own, so SQL passes through as it is."""

    in_a_file = True
    upgrades_on_open = True  # one person's own file: the app they just updated brings it up to date

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.where = str(self.db_path)
        check_before_writing(self.db_path)
        check_can_write(self.db_path)
        try:
            private_folder(self.db_path.parent)
            create_owner_only(self.db_path)  # SQLite gives its -wal and -shm files this file's mode
        except OSError as err:
            raise unusable(self.db_path.parent, err) from None
        self._db = sqlite3.connect(self.db_path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            self._db.text_factory = _text_or_bytes
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
            self._db.execute("PRAGMA secure_delete = ON")
            _switch_to_wal(self._db)
        except sqlite3.Error as err:
            self._db.close()
            raise refusal(f"The saved-work file {self.db_path} could not be opened for writing. {UNCHANGED} "
                          "Please try again in a moment.", str(err)) from None

    def read(self, sql: str, params: Params | None = None) -> list[Row]:
        return self._db.execute(sql, params or {}).fetchall()

    def tables(self) -> set[str]:
        return {str(row[0]) for row in self.read("SELECT name FROM sqlite_master WHERE type = 'table'")}

    @contextmanager
    def transaction(self) -> Iterator[_SqliteWriter]:
        """BEGIN IMMEDIATE takes the write lock at once, so two writers queue instead of failing halfway."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:  # still locked after BUSY_SECONDS of waiting
            raise refusal(f"The saved-work file {self.db_path} was kept busy by another page for too long. "
                          f"{UNCHANGED} Please try again in a moment.", str(err)) from None
        try:
            yield _SqliteWriter(self._db)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def checkpoint(self) -> bool:
        """Copy the WAL into the file and empty it: secure_delete zeroes old words in the file's pages,
        but until then the WAL still holds the pages as they were.

        It waits for another page's read to end, but only CHECKPOINT_SECONDS (not BUSY_SECONDS): the
        words are already saved, so a page should not hang on this; the next checkpoint, or the last
        page to close, empties the WAL instead.
        """
        try:
            self._db.execute(f"PRAGMA busy_timeout = {CHECKPOINT_SECONDS * 1000}")
            try:
                busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                self._db.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        except sqlite3.Error as err:
            log.warning("The saved-work file %s could not be tidied yet [%s]", self.db_path, err)
            return False
        return busy == 0

    def close(self) -> None:
        self._db.close()


def _text_or_bytes(data: bytes) -> str | bytes:
    """Stored text as text; bytes that are not UTF-8 (a file edited by hand) stay bytes, so the
    one row that holds them reads as damaged instead of failing every read."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _switch_to_wal(db: sqlite3.Connection) -> None:
    """WAL mode; on a brand-new file several pages may race to switch it, and the busy timeout
    does not cover that, so wait here rather than refuse."""
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
    if not check_can_read(db_path):
        return
    try:
        with open(db_path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as err:
        raise unusable(db_path, err) from None
    if header != SQLITE_HEADER:
        raise refusal(f"The file {db_path} is not a cofacilitate workspace (it is not a database). {LEAVE_ALONE}")
    before = _state(db_path)
    problem = _look(db_path, immutable=True)
    if problem and (before != _state(db_path) or any(_beside(db_path, end).exists() for end in ("-wal", "-journal"))):
        problem = _look(db_path, immutable=False)  # it is in use, or changed while we looked: look again properly
    if problem:
        raise refusal(problem)


def _look(db_path: Path, *, immutable: bool) -> str | None:
    """What is wrong with the file, read-only; None when it is a workspace we understand.

    The immutable look makes no -wal or -shm file beside it, so a refused file is left with
    nothing new. It reads only the main file, so it is trusted alone only when no writer is at work.
    """
    address = f"{db_path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        db = sqlite3.connect(address, uri=True, timeout=BUSY_SECONDS)
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
    except (sqlite3.Error, ValueError):
        return f"The workspace file {db_path} is damaged and cannot be read safely. {LEAVE_ALONE}"
    if tables and META_TABLE not in tables:
        return f"The file {db_path} belongs to another program, not cofacilitate. {LEAVE_ALONE}"
    if version is not None and version > SCHEMA_VERSION:
        return newer_schema_message(str(db_path))
    return None


def _beside(db_path: Path, ending: str) -> Path:
    return db_path.with_name(db_path.name + ending)


def _state(db_path: Path) -> tuple[int, int]:
    """Size and time of last change, to tell whether someone wrote while we looked."""
    try:
        info = db_path.stat()
    except OSError:
        return -1, -1
    return info.st_size, info.st_mtime_ns

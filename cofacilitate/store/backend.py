"""The one small interface between the workspace and a database.

The workspace writes portable SQL: explicit column lists, `INSERT ... ON CONFLICT` for
upserts, and `:name` placeholders. A backend turns placeholders into its driver's style in
one place and keeps its own matters (file modes, PRAGMAs, locking) to itself, so a
PostgreSQL backend can stand in for SQLite without a tool noticing.

What every backend guarantees (tests/test_store.py runs the same tests on each):

- **A read** sees only committed work, and never waits for a writer.
- **A transaction** lands whole or not at all. Write transactions on one workspace run one at a time
  (SQLite: BEGIN IMMEDIATE takes the file's write lock; PostgreSQL: each takes one advisory lock first),
  so a read-then-write step inside one (choosing the usual person, importing a card, saving over one's
  own record) never meets another writer halfway. Two writers at once: the second waits up to
  BUSY_SECONDS, then is refused in words with nothing changed.
- **A lost database** (a file that cannot be written, a server that stopped) raises `WorkspaceError`
  with a plain sentence; the same call succeeds once the database is back. Driver errors never reach
  a page by name.
- **Opening** looks first and writes nothing when the workspace is up to date: no DDL, no write lock.
- **`checkpoint()`** after a delete or rewrite makes the old words leave the database's files.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

Params = Mapping[str, Any]
Row = tuple[Any, ...]

log = logging.getLogger("cofacilitate")
# Until a caller configures the log file, refusals go nowhere: without this, Python would print
# each one to stderr beside the message the caller shows, and a person would read it twice.
log.addHandler(logging.NullHandler())


class WorkspaceError(RuntimeError):
    """The workspace cannot be used as it is; the message says why in plain words."""


def refusal(message: str, detail: str = "") -> WorkspaceError:
    """A workspace refused, written to the log as the person reads it (it names places, never answers).

    `detail` is for the log only: what the computer said, such as an error number.
    """
    log.warning("%s%s", message, f" [{detail}]" if detail else "")
    return WorkspaceError(message)


class Writer(Protocol):
    """What a transaction offers: statements that land together or not at all."""

    def run(self, sql: str, params: Params | None = None) -> int:
        """Run one statement; return how many rows it changed."""
        ...

    def read(self, sql: str, params: Params | None = None) -> list[Row]: ...


class Backend(Protocol):
    """A database the workspace can live in."""

    where: str  # how to name this database in a message to a person
    in_a_file: bool  # SQLite's one file in the workspace folder, or a database server
    upgrades_on_open: bool  # whether opening an older schema upgrades it, or leaves that to `cofacilitate migrate`

    def read(self, sql: str, params: Params | None = None) -> list[Row]: ...

    def transaction(self) -> AbstractContextManager[Writer]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        ...

    def tables(self) -> set[str]:
        """The names of the tables in this database (ours or not), read without writing anything."""
        ...

    def checkpoint(self) -> bool:
        """Make overwritten or deleted words leave the database's files (SQLite: empty its write-ahead
        log; PostgreSQL: rewrite the tables); False when another page still reads and they leave later."""
        ...

    def close(self) -> None: ...

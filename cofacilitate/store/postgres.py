"""The PostgreSQL backend: one shared database for a programme, or for a hub's workshop rooms.

Only a page whose workspace lives in PostgreSQL imports this module (and psycopg with it).

- **A quiet page holds no connection.** Each page has psycopg's pool of one connection, which closes
  once unused for IDLE_SECONDS: a Save (a dozen statements) reuses one connection instead of opening
  a dozen (which, forty Saves at once, spent the machine on logins: a median Save of 2 s, not 0.3 s),
  and a hundred quiet participant kernels hold none of PostgreSQL's hundred. The pool checks its
  connection before each use, so a server that restarted is met again by the next Save; a login
  refused because the server is full or starting is tried again for up to BUSY_SECONDS.
- **Writes queue as they do on SQLite.** Every write transaction first takes one advisory lock for
  the whole workspace, so a read-then-write step (choosing the usual person, importing a card) sees
  no other writer between its read and its write, exactly as SQLite's whole-file write lock gives.
- **Deleted words leave the tables.** PostgreSQL keeps a deleted or overwritten row's bytes in the
  table file until VACUUM reclaims its space, and a plain VACUUM leaves them in the page's free space;
  VACUUM FULL writes the tables anew, so `checkpoint()` runs it on the tables that hold words.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool, PoolTimeout

from cofacilitate.store.backend import Params, Row, WorkspaceError, log, refusal

BUSY_SECONDS = 15
CHECKPOINT_SECONDS = 2
CONNECT_SECONDS = 5
IDLE_SECONDS = 5  # a page's connection closes once unused this long (psycopg_pool's max_idle)
WAIT_SECONDS = 8  # how long an operation waits for the pool's connection (a stopped or full server)
WRITE_LOCK = 0x636F_6661  # "cofa": the one advisory lock every write transaction of a workspace takes
WORD_TABLES = ("cofacilitate_records", "cofacilitate_drafts", "cofacilitate_shared", "cofacilitate_people",
               "cofacilitate_rooms", "cofacilitate_room_views", "cofacilitate_hidden_answers", "cofacilitate_room_sessions")
_TRY_AGAIN = {"53300", "57P03"}  # too many connections; the server is starting or stopping
# libpq gives no SQLSTATE for a refused login, only the server's sentence; these are its English words
# (a server set to another language falls through to the general message, which is still true).
_LOGIN_WORDS = {"password authentication failed": "28P01", "no pg_hba.conf entry": "28000", "does not exist": "3D000",
                "too many clients": "53300", "remaining connection slots": "53300", "is starting up": "57P03",
                "is shutting down": "57P03", "in recovery mode": "57P03"}
# The tables this login may VACUUM: its own (or its roles'), or every one for a superuser.
_OWN_TABLES = ("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
               "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND (pg_has_role(c.relowner, 'USAGE') "
               "OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))")
_PLACEHOLDER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
PLEASE_WAIT = "Nothing was changed. Please try again in a moment."


def describe(url: str) -> str:
    """The database as a person may read it: its name and server, never the password."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    return f"the database “{name}” on {parts.hostname or 'this computer'}" + (f":{parts.port}" if parts.port else "")


@functools.lru_cache(maxsize=256)
def driver_sql(sql: str) -> str:
    """Our `:name` placeholders in psycopg's `%(name)s` style (a literal % doubled first)."""
    return _PLACEHOLDER.sub(r"%(\1)s", sql.replace("%", "%%"))


def _state(err: psycopg.Error) -> str:
    """The error's SQLSTATE; for a refused login (which has none), the one its words stand for."""
    if err.sqlstate:
        return err.sqlstate
    said = str(err)
    return next((state for words, state in _LOGIN_WORDS.items() if words in said), "")


class _PostgresWriter:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def run(self, sql: str, params: Params | None = None) -> int:
        return self.conn.execute(driver_sql(sql), dict(params or {})).rowcount

    def read(self, sql: str, params: Params | None = None) -> list[Row]:
        return self.conn.execute(driver_sql(sql), dict(params or {})).fetchall()


class PostgresBackend:
    """A workspace in a PostgreSQL database named by a URL (postgresql://user:password@host:port/name)."""

    in_a_file = False
    upgrades_on_open = False  # shared by many pages at once: its operator upgrades it with `cofacilitate migrate`

    def __init__(self, url: str) -> None:
        if not url.startswith(("postgresql://", "postgres://")):
            raise refusal("A database address starts with postgresql://, then a name, a password and a server. "
                          "Nothing was changed.")
        self.url = url
        self.where = describe(url)
        with self._connect(autocommit=True):
            pass  # the address, the password and the database are checked now, not at the first Save
        self._pool = self._new_pool()

    def _new_pool(self) -> ConnectionPool[Any]:
        """psycopg's pool, kept to one connection that closes once unused for IDLE_SECONDS: a busy page
        (a Save is a dozen reads and writes) reuses it, and a quiet page holds none."""
        return ConnectionPool(
            self.url, min_size=0, max_size=1, max_idle=IDLE_SECONDS, timeout=WAIT_SECONDS, num_workers=1,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_SECONDS, "application_name": "cofacilitate"},
            check=ConnectionPool.check_connection, name="cofacilitate", open=True)

    def _connect(self, *, autocommit: bool) -> psycopg.Connection[Any]:
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                return psycopg.connect(self.url, autocommit=autocommit, connect_timeout=CONNECT_SECONDS,
                                       application_name="cofacilitate")
            except psycopg.OperationalError as err:
                if _state(err) in _TRY_AGAIN and time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                raise self._unusable(err) from None
            except psycopg.ProgrammingError:  # an address psycopg cannot read at all
                raise refusal(f"The database address for {self.where} could not be read. "
                              "Please check COFACILITATE_DATABASE_URL. Nothing was changed.") from None

    def _unusable(self, err: psycopg.Error) -> WorkspaceError:
        """What went wrong, in words; the SQLSTATE (never a value) goes to the log."""
        state = _state(err)
        where = self.where[:1].upper() + self.where[1:]
        if state in {"28P01", "28000"}:
            message = (f"{where} did not accept the name and password it was given. "
                       "Please check COFACILITATE_DATABASE_URL. Nothing was changed.")
        elif state == "3D000":
            message = f"There is no {self.where[4:]}. Please ask the person who runs it to make it. Nothing was changed."
        elif state in _TRY_AGAIN:
            message = f"{where} has as many visitors as it can take just now. {PLEASE_WAIT}"
        elif isinstance(err, errors.LockNotAvailable):
            message = f"{where} was kept busy by another page for too long. {PLEASE_WAIT}"
        else:
            message = f"{where} could not be reached just now, or did not let this app in. {PLEASE_WAIT}"
        return refusal(message, f"{type(err).__name__} {state}".strip())

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """The pool's connection (checked alive first); when none comes, why, in words."""
        pool = self._pool
        try:
            conn = pool.getconn()
        except PoolTimeout:
            with self._connect(autocommit=True):  # still stopped or full: the server's own answer, in words
                pass
            # The server is back, but the pool is still waiting out its retries: start it afresh.
            pool.close(timeout=0)
            pool = self._pool = self._new_pool()
            try:
                conn = pool.getconn()
            except PoolTimeout:
                raise refusal(f"{self.where[:1].upper()}{self.where[1:]} was too busy to answer. {PLEASE_WAIT}") from None
        try:
            yield conn
        finally:
            pool.putconn(conn)

    def read(self, sql: str, params: Params | None = None) -> list[Row]:
        try:
            with self._connection() as conn:
                return _PostgresWriter(conn).read(sql, params)
        except psycopg.OperationalError as err:
            raise self._unusable(err) from None

    @contextmanager
    def transaction(self) -> Iterator[_PostgresWriter]:
        """Committed when the block ends, rolled back on any error; a lost connection is said in words."""
        try:
            with self._connection() as conn, conn.transaction():
                conn.execute(f"SET LOCAL lock_timeout = '{BUSY_SECONDS}s'")
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
                yield _PostgresWriter(conn)
        except psycopg.OperationalError as err:
            raise self._unusable(err) from None

    def tables(self) -> set[str]:
        rows = self.read("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        return {str(row[0]) for row in rows}

    def checkpoint(self) -> bool:
        """VACUUM FULL the tables that hold words, so a deleted row's bytes leave them; False when a
        reader kept a table for longer than CHECKPOINT_SECONDS (the next checkpoint takes them)."""
        try:
            with self._connect(autocommit=True) as conn:  # its own: the lock timeout is set for this session
                conn.execute(f"SET lock_timeout = '{CHECKPOINT_SECONDS}s'")
                mine = {str(row[0]) for row in conn.execute(_OWN_TABLES).fetchall()}
                for table in WORD_TABLES:
                    if table in mine:
                        conn.execute(f"VACUUM FULL {table}")
        except (psycopg.OperationalError, WorkspaceError) as err:
            log.warning("%s could not be tidied yet [%s]", self.where, type(err).__name__)
            return False
        present = self.tables()
        if any(table in present and table not in mine for table in WORD_TABLES):
            # VACUUM of a table someone else owns only warns: say so rather than report the words gone
            log.warning("%s cannot be tidied: its tables belong to another database user (run cofacilitate migrate "
                        "as the user the pages use)", self.where)
            return False
        return True

    def close(self) -> None:
        self._pool.close()

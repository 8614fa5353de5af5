"""What the log may say about a failure: what went wrong and where, never what a person typed.

An exception's message can carry typed words (pydantic puts the input in it, and our own
validators name the person or group that was typed), so messages are only written for
kinds of error whose text we know holds no answers. The stack (files, lines, functions,
code) is always written: that is what a developer needs.
"""

from __future__ import annotations

import logging
import sqlite3
import traceback

from pydantic import ValidationError

from cofacilitate.store.backend import WorkspaceError

log = logging.getLogger("cofacilitate")

WITHHELD = "(message not written: it may hold what a person typed)"


def _message(err: BaseException) -> str:
    """The parts of an error's message that are known to hold no answers."""
    if isinstance(err, ValidationError):
        problems = err.errors(include_input=False, include_url=False, include_context=False)
        return "; ".join(f"{'.'.join(str(part) for part in p['loc']) or 'value'}: {p['type']}" for p in problems)
    if isinstance(err, OSError):
        return f"errno {err.errno}: {err.strerror}"
    if isinstance(err, sqlite3.Error):
        return str(err)
    if type(err).__module__.startswith("psycopg"):  # its message can quote a stored value: only the code is safe
        return f"SQLSTATE {getattr(err, 'sqlstate', None)}"
    if isinstance(err, WorkspaceError):  # our own plain sentences, which name places and never answers
        return str(err)
    return WITHHELD


def describe(err: BaseException) -> str:
    """A traceback in the usual shape, with every message made safe, causes included."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        kind = f"{type(current).__module__}.{type(current).__qualname__}"
        parts.append(f"Traceback (most recent call last):\n{frames}{kind}: {_message(current)}")
        current = current.__cause__ or current.__context__
    return "\n\nCaused by or while handling:\n".join(reversed(parts))


def log_failure(where: str, err: BaseException) -> None:
    log.error("%s failed\n%s", where, describe(err))

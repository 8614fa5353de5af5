"""Stored rows back into values, without trusting them.

Someone may have edited the saved-work file by hand, or a disk may have spoilt a row. One
bad row must never stop a page from opening. A record that cannot be read becomes a
`Record` with a `problem`: it stays in the file untouched, the page lists it as "could not
be shown here", and it is left out of downloads (its words cannot be read, so they cannot
be written into a response card). A person or draft that cannot be read is passed over.
"""

from __future__ import annotations

from typing import Any

from cofacilitate.store.backend import Row
from cofacilitate.store.records import Person, Record, utc_stamp
from cofacilitate.store.safe_json import loads

DAMAGED = ("it was damaged in the saved-work file, so it cannot be shown or downloaded here. "
           "It is still kept in the file, as it was")


def to_record(row: Row) -> Record:
    """A stored record, or (when any part of it cannot be read) a record that says it is damaged."""
    rid, tool, version, room, person, participant, roles, created, updated, body = row
    try:
        return Record(_text(rid), _text(tool), _whole(version), _text(room), _text(person), _text(participant),
                      text_list(roles), _stamp(created), _stamp(updated), _body(body))
    except (TypeError, ValueError):
        return Record(_kept(rid), _kept(tool), version if isinstance(version, int) else 0, _kept(room), _kept(person),
                      _kept(participant), (), _kept(created), _kept(updated), {}, DAMAGED)


def to_person(row: Row) -> Person:
    """A stored person; a name or roles that cannot be read count as not given."""
    person_id, pseudonym, roles = row
    try:
        readable_roles = text_list(roles)
    except (TypeError, ValueError):
        readable_roles = ()
    return Person(_kept(person_id), _kept(pseudonym), readable_roles)


def readable_drafts(rows: list[Row]) -> dict[str, Any]:
    """Drafts whose text can be read; a damaged one is passed over (the next keystroke replaces it)."""
    found: dict[str, Any] = {}
    for key, value in rows:
        try:
            found[_text(key)] = loads(_text(value))
        except (TypeError, ValueError):
            continue
    return found


def _text(value: object) -> str:
    if not isinstance(value, str):  # NULL, a number, or bytes that are not text
        raise TypeError("not text")
    return value


def _kept(value: object) -> str:
    return value if isinstance(value, str) else ""


def _whole(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not a whole number")
    return value


def _stamp(value: object) -> str:
    text = _text(value)
    utc_stamp(text)  # kept as stored; only checked that it can be read
    return text


def text_list(value: object) -> tuple[str, ...]:
    """A stored JSON list of names (roles, tools); TypeError or ValueError when it is not one."""
    names = loads(_text(value))
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise TypeError("not a list of names")
    return tuple(names)


def _body(value: object) -> dict[str, Any]:
    body = loads(_text(value))
    if not isinstance(body, dict):
        raise TypeError("not an answer set")
    return body

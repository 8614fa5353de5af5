"""The workspace: every tool's people, records and drafts, behind one small interface.

Everything here is portable SQL over a `Backend`; what is SQLite's own lives in
`sqlite.py`. Every read and write is scoped to an `Owner` (a person in a room), so a
person only ever sees, saves over, clears or downloads their own answers.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from cofacilitate.store import return_codes, rooms, schema
from cofacilitate.store.backend import Backend, WorkspaceError, Writer, refusal
from cofacilitate.store.home import DB_NAME, LOG_FILE, database_url_from_env, default_home
from cofacilitate.store.records import RECORD_VERSION, Owner, Person, Record, draft_json, new_id, now_iso
from cofacilitate.store.response_cards import BodyCheck, ImportReport, card_bytes, read_response_card
from cofacilitate.store.rows import readable_drafts, to_person, to_record

_RECORD_COLUMNS = "id, tool, schema_version, room, person, participant, roles, created_at, updated_at, body"
_OWNED = "tool = :tool AND person = :person AND room = :room"
_PERSON_SQL = "SELECT id, pseudonym, roles FROM cofacilitate_people"


class NotYours(PermissionError):
    """A save tried to change a record that belongs to someone else; nothing was changed."""


class Workspace:
    """A person's (or a room's) saved work. Open it with `Workspace.open()`."""

    def __init__(self, backend: Backend, home: Path, *, upgrade: bool | None = None) -> None:
        """`upgrade`: bring an older schema up to date (default: what the backend does on opening)."""
        self.backend = backend
        self.home = Path(home)
        self.log_path = self.home / LOG_FILE
        try:
            schema.prepare(backend, upgrade=backend.upgrades_on_open if upgrade is None else upgrade)
        except WorkspaceError:
            backend.close()
            raise
        except Exception as err:  # a migration that fails is rolled back whole
            backend.close()
            raise refusal(
                f"The workspace {backend.where} could not be brought up to date for this version of the app. "
                "Nothing in it was changed.", f"{type(err).__name__} in the update"
            ) from err

    @classmethod
    def open(cls, home: Path | str | None = None, database_url: str | None = None, *,
             upgrade: bool | None = None) -> Workspace:
        """The workspace at `database_url` (else COFACILITATE_DATABASE_URL), else the SQLite file in `home`
        (else COFACILITATE_HOME, else the user data folder). The folder keeps the log either way."""
        folder = Path(home) if home else default_home()
        url = database_url or database_url_from_env()
        if url:
            from cofacilitate.store.postgres import PostgresBackend  # psycopg only for pages that use it

            return cls(PostgresBackend(url), folder, upgrade=upgrade)
        from cofacilitate.store.sqlite import SqliteBackend

        return cls(SqliteBackend(folder / DB_NAME), folder, upgrade=upgrade)

    @property
    def database_name(self) -> str | None:
        """The database server that keeps the answers, as a person may read it; None for the file in `home`."""
        return None if self.backend.in_a_file else self.backend.where

    @property
    def db_path(self) -> Path:
        return self.home / DB_NAME

    def close(self) -> None:
        self.backend.close()

    # -- people ----------------------------------------------------------------
    def current_person(self) -> Person:
        """The usual person at this computer, made the first time anyone asks."""
        with self.backend.transaction() as db:
            found = db.read(f"SELECT value FROM {schema.META_TABLE} WHERE key = :key", {"key": schema.CURRENT_PERSON})
            rows = db.read(f"{_PERSON_SQL} WHERE id = :id", {"id": found[0][0]}) if found else []
            if rows:
                return to_person(rows[0])
            person = Person(id=new_id())
            self._insert_person(db, person.id, "")
            self._make_current(db, person.id)
        return person

    def new_person(self, room: str = "") -> Person:
        """Someone new: nothing of anyone else's is theirs. Alone at a computer, they become its usual person."""
        person = Person(id=new_id())
        with self.backend.transaction() as db:
            self._insert_person(db, person.id, room)
            if not room:
                self._make_current(db, person.id)
        return person

    def person_with_id(self, person_id: str, room: str = "") -> Person:
        """The person an address names; a new person with that id if there is none yet."""
        found = self.person(person_id)
        if found:
            return found
        with self.backend.transaction() as db:
            self._insert_person(db, person_id, room)
        return Person(id=person_id)

    def person(self, person_id: str) -> Person | None:
        rows = self.backend.read(f"{_PERSON_SQL} WHERE id = :id", {"id": person_id})
        return to_person(rows[0]) if rows else None

    def update_person(self, person_id: str, pseudonym: str, roles: Iterable[str]) -> Person:
        with self.backend.transaction() as db:
            db.run(
                "UPDATE cofacilitate_people SET pseudonym = :pseudonym, roles = :roles, updated_at = :stamp WHERE id = :id",
                {"pseudonym": pseudonym, "roles": json.dumps(list(roles)), "stamp": now_iso(), "id": person_id},
            )
        return Person(person_id, pseudonym, tuple(roles))

    # -- return codes (store/return_codes.py) ---------------------------------
    def give_return_code(self, owner: Owner) -> str:
        """A new code that brings this person back (to show once: only its hash is kept); it replaces their old one."""
        return return_codes.give(self.backend, owner)

    def has_return_code(self, owner: Owner) -> bool:
        return return_codes.has_code(self.backend, owner)

    def come_back(self, typed: str, room: str = "") -> Person | None:
        """The person in this room whose return code was typed, or None. Alone at a computer, they
        become its usual person again, so the next page opens for them."""
        person_id = return_codes.holder(self.backend, typed, room)
        found = self.person(person_id) if person_id else None
        if found and not room:
            with self.backend.transaction() as db:
                self._make_current(db, found.id)
        return found

    @staticmethod
    def _make_current(db: Writer, person_id: str) -> None:
        db.run(f"DELETE FROM {schema.META_TABLE} WHERE key = :key", {"key": schema.CURRENT_PERSON})
        db.run(f"INSERT INTO {schema.META_TABLE} (key, value) VALUES (:key, :value)",
               {"key": schema.CURRENT_PERSON, "value": person_id})

    @staticmethod
    def _insert_person(db: Writer, person_id: str, room: str) -> None:
        stamp = now_iso()
        db.run(
            "INSERT INTO cofacilitate_people (id, room, pseudonym, roles, created_at, updated_at) "
            "VALUES (:id, :room, '', '[]', :stamp, :stamp) ON CONFLICT (id) DO NOTHING",
            {"id": person_id, "room": room, "stamp": stamp},
        )

    # -- records ---------------------------------------------------------------
    def save_record(self, tool: str, body: dict[str, Any], *, owner: Owner, record_id: str,
                    participant: str = "", roles: Iterable[str] = (), shared: rooms.SharedPart | None = None) -> Record:
        """Store a new record, or update the owner's own record with this id (a resent Save).

        The update only happens when the record is the same owner's: saving over anyone
        else's record raises NotYours and changes nothing. `shared` is the part the group may
        read (a tool whose answers can be shared says it each time), kept in the same transaction.
        """
        stamp = now_iso()
        record = Record(record_id, tool, RECORD_VERSION, owner.room, owner.person, participant, tuple(roles), stamp, stamp, body)
        with self.backend.transaction() as db:
            changed = db.run(
                f"INSERT INTO cofacilitate_records ({_RECORD_COLUMNS}) VALUES (:id, :tool, :schema_version, :room, :person, "
                ":participant, :roles, :created_at, :updated_at, :body) ON CONFLICT (id) DO UPDATE SET "
                "body = excluded.body, participant = excluded.participant, roles = excluded.roles, "
                "updated_at = excluded.updated_at "
                "WHERE cofacilitate_records.person = excluded.person AND cofacilitate_records.room = excluded.room "
                "AND cofacilitate_records.tool = excluded.tool",
                _record_params(record),
            )
            if not changed:
                raise NotYours("This answer set belongs to someone else, so it was not changed.")
            if shared is not None:
                rooms.put_shared(db, record, shared)
        return self.get(record_id) or record

    def get(self, record_id: str) -> Record | None:
        rows = self.backend.read(f"SELECT {_RECORD_COLUMNS} FROM cofacilitate_records WHERE id = :id", {"id": record_id})
        return to_record(rows[0]) if rows else None

    def records(self, tool: str, owner: Owner | None) -> list[Record]:
        """One owner's records of one tool, oldest first (everyone's only when `owner` is None).

        A record damaged in the file comes back with its `problem` said, never as an error.
        """
        if owner is None:
            sql, params = "tool = :tool", {"tool": tool}
        else:
            sql, params = _OWNED, {"tool": tool, "person": owner.person, "room": owner.room}
        rows = self.backend.read(f"SELECT {_RECORD_COLUMNS} FROM cofacilitate_records WHERE {sql} ORDER BY created_at, id",
                                 params)
        return [to_record(row) for row in rows]

    def room_records(self, tool: str, room: str) -> list[Record]:
        """Everyone's records of one tool in one room, oldest first: for a group's own views.

        A tool shows from these only what their owners chose to share, or what belongs to
        the group (a version of a shared document); files are only ever a person's own.
        """
        rows = self.backend.read(f"SELECT {_RECORD_COLUMNS} FROM cofacilitate_records WHERE tool = :tool AND room = :room "
                                 "ORDER BY created_at, id", {"tool": tool, "room": room})
        return [to_record(row) for row in rows]

    def shared_records(self, tool: str, room: str) -> list[Record]:
        """The parts of everyone's records in a room that their owners shared: a group's view reads only these."""
        return rooms.shared_records(self.backend, tool, room)

    # -- workshop rooms (store/rooms.py) ---------------------------------------
    def room(self, room: str) -> rooms.RoomRow | None:
        return rooms.get_room(self.backend, room)

    def put_room(self, room: str, name: str, tools: tuple[str, ...], threshold: int, join_code: str,
                 facilitator_key: str) -> None:
        rooms.put_room(self.backend, room, name, tools, threshold, join_code, facilitator_key)

    def room_people(self, room: str) -> list[Person]:
        """Everyone who joined the room (a row is made only when they press Join)."""
        return [to_person(row) for row in self.backend.read(f"{_PERSON_SQL} WHERE room = :room ORDER BY created_at, id",
                                                            {"room": room})]

    def delete_room(self, room: str) -> int:
        """The room and every answer, draft, name and code in it, gone from the file and its log."""
        return rooms.delete_room(self.backend, room)

    # -- drafts ----------------------------------------------------------------
    def save_draft(self, tool: str, owner: Owner, field_key: str, value: Any) -> None:
        """Keep one field's words; its key must fit the column on every backend (ui.draft_key makes such keys)."""
        if len(field_key) > schema.MOST_IN_A_DRAFT_KEY:
            raise ValueError(f"a draft key of {len(field_key)} characters is longer than {schema.MOST_IN_A_DRAFT_KEY}")
        with self.backend.transaction() as db:
            db.run(
                "INSERT INTO cofacilitate_drafts (tool, person, room, field, value, updated_at) "
                "VALUES (:tool, :person, :room, :field, :value, :stamp) "
                "ON CONFLICT (tool, person, room, field) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                {**_owned(tool, owner), "field": field_key, "value": draft_json(value), "stamp": now_iso()},
            )

    def drafts(self, tool: str, owner: Owner) -> dict[str, Any]:
        return readable_drafts(self.backend.read(f"SELECT field, value FROM cofacilitate_drafts WHERE {_OWNED}",
                                                 _owned(tool, owner)))

    def clear_drafts(self, tool: str, owner: Owner, saved: Mapping[str, Any]) -> None:
        """Drop drafts that hold exactly what was saved; a newer draft (another page's) stays."""
        with self.backend.transaction() as db:
            for key, value in saved.items():
                db.run(f"DELETE FROM cofacilitate_drafts WHERE {_OWNED} AND field = :field AND value = :value",
                       {**_owned(tool, owner), "field": key, "value": draft_json(value)})

    # -- rewriting and deleting ------------------------------------------------
    def rewrite(self, tool: str, owner: Owner, bodies: Mapping[str, dict[str, Any]], drafts: Mapping[str, Any]) -> None:
        """New bodies for the owner's records with these ids, and all their drafts of `tool` replaced
        by `drafts`, in one transaction (locking or unlocking everything): all of it, or none of it.

        An id that is not one of the owner's records raises NotYours and changes nothing. The old
        words are overwritten in the file, and the checkpoint takes them out of the write-ahead log.
        """
        stamp = now_iso()
        with self.backend.transaction() as db:
            for record_id, body in bodies.items():
                if db.run(f"UPDATE cofacilitate_records SET body = :body, updated_at = :stamp WHERE id = :id AND {_OWNED}",
                          {**_owned(tool, owner), "id": record_id, "body": json.dumps(body), "stamp": stamp}) != 1:
                    raise NotYours("One of these answer sets is not yours (or is no longer here), so nothing was changed.")
            db.run(f"DELETE FROM cofacilitate_drafts WHERE {_OWNED}", _owned(tool, owner))
            for field_key, value in drafts.items():
                db.run("INSERT INTO cofacilitate_drafts (tool, person, room, field, value, updated_at) "
                       "VALUES (:tool, :person, :room, :field, :value, :stamp)",
                       {**_owned(tool, owner), "field": field_key, "value": draft_json(value), "stamp": stamp})
        self.backend.checkpoint()

    def delete_records(self, tool: str, owner: Owner, record_ids: Iterable[str]) -> int:
        """Delete the owner's records with these ids (and the parts they shared), in one transaction; anyone
        else's stay. How many went.

        Their words are overwritten in the file (secure_delete), and the checkpoint takes the
        copies still in the write-ahead log out too.
        """
        with self.backend.transaction() as db:
            gone = 0
            for record_id in record_ids:
                mine = {**_owned(tool, owner), "id": record_id}
                gone += db.run(f"DELETE FROM cofacilitate_records WHERE id = :id AND {_OWNED}", mine)
                db.run(f"DELETE FROM {schema.SHARED_TABLE} WHERE id = :id AND {_OWNED}", mine)  # what the group saw of it
        self.backend.checkpoint()
        return gone

    # -- response cards --------------------------------------------------------
    def export_card(self, tool: str, records: Iterable[Record]) -> bytes:
        """A response card: one person's records as a JSON file they can keep or share."""
        return card_bytes(tool, records)

    def import_card(self, data: bytes, tool: str, check_body: BodyCheck, owner: Owner,
                    share: Callable[[dict[str, Any], str], rooms.SharedPart] | None = None) -> ImportReport:
        """Restore a response card as the owner's own: all of it, or (on any problem) none of it.

        Who and where come from the page, never from the file. A record id someone else
        already uses gets an id of its own, made the same way each time, so restoring twice
        adds nothing twice.
        """
        card = read_response_card(data, tool, check_body)
        added = already = 0
        with self.backend.transaction() as db:
            for item in card.records:
                record_id = item.id
                holder = db.read("SELECT person, room FROM cofacilitate_records WHERE id = :id", {"id": record_id})
                if holder and tuple(holder[0]) != (owner.person, owner.room):
                    record_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{owner.person}/{owner.room}/{item.id}").hex
                    holder = db.read("SELECT person FROM cofacilitate_records WHERE id = :id", {"id": record_id})
                if holder:
                    already += 1
                    continue
                record = Record(record_id, item.tool, item.schema_version, owner.room, owner.person, item.participant,
                                tuple(item.roles), item.created_at, item.updated_at, item.body)
                db.run(f"INSERT INTO cofacilitate_records ({_RECORD_COLUMNS}) VALUES (:id, :tool, :schema_version, :room, "
                       ":person, :participant, :roles, :created_at, :updated_at, :body)", _record_params(record))
                if share is not None:
                    rooms.put_shared(db, record, share(record.body, record.participant))
                added += 1
        about = (str(item.body.get("project", "")) for item in card.records if isinstance(item.body, dict))
        return ImportReport(added=added, already_here=already, projects=tuple(dict.fromkeys(about)))


def _owned(tool: str, owner: Owner) -> dict[str, str]:
    return {"tool": tool, "person": owner.person, "room": owner.room}


def _record_params(record: Record) -> dict[str, Any]:
    return {
        "id": record.id, "tool": record.tool, "schema_version": record.schema_version, "room": record.room,
        "person": record.person, "participant": record.participant, "roles": json.dumps(list(record.roles)),
        "created_at": record.created_at, "updated_at": record.updated_at, "body": json.dumps(record.body),
    }


"""The workspace: one folder, one database, every tool's people, records and drafts.

What a person writes must never be lost, so writes are transactions, a file we do not
recognise is refused and left alone, and every read and write belongs to one person in
one room. Tools use `Workspace` only; the database behind it is a `Backend`.
"""

from cofacilitate.store.backend import Backend, WorkspaceError
from cofacilitate.store.home import DB_NAME, LOG_FILE, configure_log, default_home, on_temporary_server
from cofacilitate.store.records import PERSON_ID, ROOM_ID, Owner, Person, Record, new_id, now_iso
from cofacilitate.store.response_cards import (
    MAX_CARD_BYTES,
    MAX_CARD_SIZE_WORDS,
    ImportRefused,
    ImportReport,
    read_response_card,
)
from cofacilitate.store.schema import SCHEMA_VERSION
from cofacilitate.store.workspace import NotYours, Workspace

__all__ = [
    "DB_NAME", "LOG_FILE", "MAX_CARD_BYTES", "MAX_CARD_SIZE_WORDS", "PERSON_ID", "ROOM_ID", "SCHEMA_VERSION",
    "Backend", "ImportRefused", "ImportReport", "NotYours", "Owner", "Person", "Record", "Workspace",
    "WorkspaceError", "configure_log", "default_home", "new_id", "now_iso", "on_temporary_server",
    "read_response_card",
]

"""Faults in a real workspace: rows damaged by hand.

Every test edits a real SQLite file with sqlite3, as a person with a database tool would,
then opens it through the real store and page.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cofacilitate.snapshots import shelve
from cofacilitate.store import DB_NAME, Owner, Workspace, new_id
from tests.pages import Pages, pages
from tests.test_store import check, ladder_body

DAMAGED_WORDS = "damaged in the saved-work file"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored_row(db_path: Path, record_id: str) -> tuple:
    """A record's row exactly as the file holds it (hex, so bytes that are not text compare too)."""
    with sqlite3.connect(db_path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(cofacilitate_records)")]
        found = db.execute(f"SELECT {', '.join(f'typeof({c}), hex({c})' for c in columns)} "
                           "FROM cofacilitate_records WHERE id = ?", (record_id,)).fetchone()
    db.close()
    return found


def allow_null(db_path: Path, column: str) -> None:
    """Take NOT NULL off one column, as an old or hand-made copy of the table might lack it."""
    with sqlite3.connect(db_path) as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute("UPDATE sqlite_master SET sql = replace(sql, :before, :after) WHERE name = 'cofacilitate_records'",
                   {"before": f"{column} TEXT NOT NULL", "after": f"{column} TEXT"})
    db.close()


# -- a record damaged in the file (issue 8, point 1) ----------------------------------------

DAMAGE = {
    "body-not-json": "UPDATE cofacilitate_records SET body = '{\"kind\": \"ladder-ass' WHERE id = :id",
    "body-not-an-object": "UPDATE cofacilitate_records SET body = '[1, 2, 3]' WHERE id = :id",
    "body-not-utf8": "UPDATE cofacilitate_records SET body = CAST(x'7b2280ff223a317d' AS TEXT) WHERE id = :id",
    "body-with-nan": "UPDATE cofacilitate_records SET body = '{\"version\": NaN}' WHERE id = :id",
    "body-null": "UPDATE cofacilitate_records SET body = NULL WHERE id = :id",
    "roles-not-json": "UPDATE cofacilitate_records SET roles = 'carer, researcher' WHERE id = :id",
    "roles-null": "UPDATE cofacilitate_records SET roles = NULL WHERE id = :id",
    "created-not-a-date": "UPDATE cofacilitate_records SET created_at = 'last Tuesday' WHERE id = :id",
    "created-a-number": "UPDATE cofacilitate_records SET created_at = 20240501 WHERE id = :id",
    "participant-blob": "UPDATE cofacilitate_records SET participant = x'00ff' WHERE id = :id",
}


@pytest.fixture
def open_page(tmp_path: Path) -> Iterator[Pages]:
    yield from pages(tmp_path / "ws", "ladder")


def two_saved_then_one_damaged(home: Path, damage: str) -> tuple[Owner, str, str]:
    """Two ladder assessments saved through the store; then one is damaged with sqlite3."""
    workspace = Workspace.open(home)
    owner = Owner(workspace.current_person().id)
    good = workspace.save_record("ladder", ladder_body(idea="consultation"), owner=owner, record_id=new_id(),
                                 participant="Sam", roles=["carer"]).id
    bad = workspace.save_record("ladder", ladder_body(idea="informing"), owner=owner, record_id=new_id()).id
    workspace.close()
    db_path = home / DB_NAME
    for column in ("body", "roles"):
        if damage == f"{column}-null":
            allow_null(db_path, column)
    with sqlite3.connect(db_path) as db:
        db.execute(DAMAGE[damage], {"id": bad})
    db.close()
    return owner, good, bad


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_one_damaged_record_never_stops_the_store_the_shelf_or_a_download(tmp_path: Path, damage: str) -> None:
    home = tmp_path / "ws"
    owner, good, bad = two_saved_then_one_damaged(home, damage)
    before = stored_row(home / DB_NAME, bad)

    workspace = Workspace.open(home)
    records = workspace.records("ladder", owner)
    shelf = shelve(records, check)
    card = json.loads(workspace.export_card("ladder", records))
    everyone = workspace.records("ladder", None)
    workspace.close()

    assert [saved.record_id for saved in shelf.items] == [good]
    [reason] = shelf.unreadable
    assert DAMAGED_WORDS in reason and "It is still kept in the file" in reason
    assert "Error" not in reason and "json" not in reason.lower()
    assert [record["id"] for record in card["records"]] == [good], "a damaged record is left out of the download"
    assert {record.id for record in everyone} == {good, bad}
    assert stored_row(home / DB_NAME, bad) == before, "the damaged row is kept exactly as it was"


def test_a_page_opens_with_a_damaged_record_and_names_it_in_the_saved_list(tmp_path: Path, open_page: Pages) -> None:
    home = tmp_path / "ws"
    _, good, bad = two_saved_then_one_damaged(home, "body-not-json")
    before = stored_row(home / DB_NAME, bad)

    page = open_page()
    files = page.files.files()

    assert "could not be shown here" in page.saved_list.value and DAMAGED_WORDS in page.saved_list.value
    card = next(f for f in files if f.filename == "ladder-response-card.json")
    assert [record["id"] for record in json.loads(card.data)["records"]] == [good]
    page.ctx.store.close()
    assert stored_row(home / DB_NAME, bad) == before


def test_a_damaged_person_or_draft_does_not_stop_a_page(tmp_path: Path, open_page: Pages) -> None:
    home = tmp_path / "ws"
    workspace = Workspace.open(home)
    me = Owner(workspace.current_person().id)
    workspace.update_person(me.person, "Sam", ["carer"])
    workspace.save_draft("ladder", me, "project", "Ward study")
    workspace.save_draft("ladder", me, "why", "Kept words")
    workspace.close()
    with sqlite3.connect(home / DB_NAME) as db:
        db.execute("UPDATE cofacilitate_people SET roles = '[carer' WHERE id = ?", (me.person,))
        db.execute("UPDATE cofacilitate_drafts SET value = '\"Ward st' WHERE field = 'project'")
    db.close()

    page = open_page()

    assert page.person_bar.person().id == me.person
    assert page.ctx.store.drafts("ladder", me) == {"why": "Kept words"}

"""Faults in a real workspace: rows damaged by hand, and places where a workspace cannot live.

Every test edits or builds a real SQLite file (with sqlite3, as a person with a database tool
would) and opens it through the real store and page. Places a person may not read or write
are tried in a real process that obeys file permissions: root ignores them, so as root that
process runs without the two powers that let it (setpriv drops CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH), and the files stay root's own, so the owner's permissions decide.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
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


# -- places where a workspace cannot live (issue 8, point 8) ----------------------------------

OPENER = """
import json, sys
from pathlib import Path
from types import SimpleNamespace
from cofacilitate.store import Workspace, WorkspaceError, configure_log
configure_log(SimpleNamespace(log_path=Path(sys.argv[2])))
try:
    Workspace.open(sys.argv[1]).close()
    print(json.dumps(None))
except WorkspaceError as refused:
    print(json.dumps(str(refused)))
"""
NO_OVERRIDE = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


def open_elsewhere(home: Path, log_path: Path) -> str | None:
    """Open a workspace in a real process that obeys file permissions; its refusal, or None if it opened."""
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("running as root, and setpriv (util-linux) is missing, so file permissions cannot be obeyed")
    prefix = NO_OVERRIDE if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, sys.executable, "-c", OPENER, str(home), str(log_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"not a plain refusal: {done.stderr}"
    return json.loads(done.stdout)


def healthy(home: Path) -> None:
    workspace = Workspace.open(home)
    owner = Owner(workspace.current_person().id)
    workspace.save_record("ladder", ladder_body(idea="consultation"), owner=owner, record_id=new_id())
    workspace.close()


def folder_in_place_of_the_file(place: Path) -> tuple[Path, list[tuple[Path, int]]]:
    (place / "ws" / DB_NAME).mkdir(parents=True)
    return place / "ws", []


def file_it_may_not_read(place: Path) -> tuple[Path, list[tuple[Path, int]]]:
    healthy(place / "ws")
    return place / "ws", [(place / "ws" / DB_NAME, 0o000)]


def folder_it_may_not_open(place: Path) -> tuple[Path, list[tuple[Path, int]]]:
    healthy(place / "ws")
    return place / "ws", [(place / "ws", 0o000)]


def home_under_a_file(place: Path) -> tuple[Path, list[tuple[Path, int]]]:
    (place / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    return place / "notes.txt" / "ws", []


def home_in_a_read_only_folder(place: Path) -> tuple[Path, list[tuple[Path, int]]]:
    (place / "locked").mkdir()
    return place / "locked" / "new" / "ws", [(place / "locked", 0o555)]


def empty_read_only_home(place: Path) -> tuple[Path, list[tuple[Path, int]]]:
    (place / "ws").mkdir()
    return place / "ws", [(place / "ws", 0o555)]


def healthy_workspace_in_a_read_only_folder(place: Path) -> tuple[Path, list[tuple[Path, int]]]:
    healthy(place / "ws")
    return place / "ws", [(place / "ws", 0o555)]


def healthy_read_only_file(place: Path) -> tuple[Path, list[tuple[Path, int]]]:
    healthy(place / "ws")
    return place / "ws", [(place / "ws" / DB_NAME, 0o444)]


PLACES = {
    "a-folder-where-the-file-should-be": (folder_in_place_of_the_file, "There is a folder where the saved-work file should be"),
    "a-file-it-may-not-read": (file_it_may_not_read, "not allowed to read the saved-work file"),
    "a-folder-it-may-not-open": (folder_it_may_not_open, "not allowed to look inside the folder"),
    "home-under-a-file": (home_under_a_file, "notes.txt is a file, not a folder"),
    "home-in-a-read-only-folder": (home_in_a_read_only_folder, "not allowed to add anything to"),
    "an-empty-read-only-home": (empty_read_only_home, "can only be read, not written to, so this app cannot keep"),
    "healthy-workspace-in-a-read-only-folder": (healthy_workspace_in_a_read_only_folder, "is not damaged"),
    "healthy-read-only-file": (healthy_read_only_file, "can only be read, not written to, so new answers"),
}


def everything_in(place: Path) -> dict[str, str]:
    """Every folder and file under `place`, files with their sha256."""
    return {str(p.relative_to(place)): sha256(p) if p.is_file() else "folder" for p in sorted(place.rglob("*"))}


@pytest.mark.parametrize(("make", "expected"), list(PLACES.values()), ids=list(PLACES))
def test_a_bad_place_is_refused_in_plain_true_words_logged_and_left_as_it_was(tmp_path: Path, make, expected: str) -> None:
    place, log_path = tmp_path / "place", tmp_path / "log" / "cofacilitate.log"
    place.mkdir()
    home, locks = make(place)
    before = everything_in(place)
    modes = [(path, path.stat().st_mode) for path, _ in locks]
    for path, locked in locks:
        path.chmod(locked)
    try:
        message = open_elsewhere(home, log_path)
    finally:
        for path, unlocked in reversed(modes):
            path.chmod(unlocked)

    assert message is not None, "the workspace opened, but it should have been refused"
    assert expected in message
    assert "Nothing was changed." in message
    assert "damaged and cannot be read" not in message
    assert not any(word in message for word in ("Error", "errno", "Errno", "Traceback", "sqlite3"))
    assert message in log_path.read_text(encoding="utf-8"), "every refusal is written to the log"
    assert everything_in(place) == before, "nothing new beside it (no -wal, -shm or empty file), and nothing changed"

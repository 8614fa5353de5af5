"""The SQLite backend: a real file, owner-only, WAL, refusals that leave files alone, and the
migration of a real version 1 workspace made by the code of November 2026."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cofacilitate.ladder.model import check_body
from cofacilitate.store import DB_NAME, SCHEMA_VERSION, Owner, Workspace, WorkspaceError, configure_log
from tests.test_store import VOCABULARIES

FIXTURE_V1 = Path(__file__).with_name("fixtures") / "workspace-v1.sqlite"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def beside(path: Path) -> dict[str, str]:
    """Every file in a file's folder, with its sha256: what a refusal must leave exactly as it was."""
    return {p.name: sha256(p) if p.is_file() else "folder" for p in path.parent.iterdir()}


# -- the file itself ------------------------------------------------------------


def test_open_creates_a_private_wal_database(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    Workspace.open(home).close()

    db_path = home / DB_NAME
    assert db_path.is_file()
    assert mode(db_path) == 0o600
    assert mode(home) == 0o700
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT value FROM cofacilitate_meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)


def test_everything_the_store_makes_is_owner_only_even_with_an_open_umask(tmp_path: Path) -> None:
    """Issue 8, point 6: no folder or file is readable by others, not even for a moment, whatever the umask."""
    made = tmp_path / "new"
    home = made / "deeper" / "ws"
    log_path = home / "logs" / "cofacilitate.log"
    old_umask = os.umask(0o000)
    try:
        workspace = Workspace.open(home)
        workspace.current_person()  # a first write, so SQLite's -wal and -shm files exist
        assert configure_log(workspace) == log_path
        modes = {str(path.relative_to(tmp_path)): mode(path) for path in [made, *made.rglob("*")]}
        workspace.close()
    finally:
        os.umask(old_umask)
        logger = logging.getLogger("cofacilitate")
        for handler in [h for h in logger.handlers if getattr(h, "baseFilename", None) == str(log_path)]:
            logger.removeHandler(handler)
            handler.close()

    assert modes == {
        "new": 0o700, "new/deeper": 0o700, "new/deeper/ws": 0o700, "new/deeper/ws/logs": 0o700,
        "new/deeper/ws/logs/cofacilitate.log": 0o600, f"new/deeper/ws/{DB_NAME}": 0o600,
        f"new/deeper/ws/{DB_NAME}-wal": 0o600, f"new/deeper/ws/{DB_NAME}-shm": 0o600,
    }


# -- files that are not ours are refused and left byte-for-byte alone -------------


def write_text_file(path: Path) -> None:
    path.write_text("my shopping list: eggs, milk\n", encoding="utf-8")


def write_corrupt_sqlite(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 32)


def write_foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE patients (name TEXT)")
        db.execute("INSERT INTO patients VALUES ('someone')")
    db.close()


def write_newer_workspace(path: Path) -> None:
    Workspace.open(path.parent).close()
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE cofacilitate_meta SET value = '99' WHERE key = 'schema_version'")
    db.close()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (write_text_file, "not a database"),
        (write_corrupt_sqlite, "damaged"),
        (write_foreign_sqlite, "belongs to another program"),
        (write_newer_workspace, "newer version of cofacilitate"),
    ],
    ids=["text-file", "corrupt", "foreign", "newer-schema"],
)
def test_a_file_that_is_not_ours_is_refused_and_left_alone(tmp_path: Path, make, expected: str,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "ws"
    home.mkdir()
    db_path = home / DB_NAME
    make(db_path)
    before, folder = sha256(db_path), beside(db_path)

    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(home)

    message = str(caught.value)
    assert expected in message
    assert str(db_path) in message
    assert "not been changed" in message
    assert "Traceback" not in message and "sqlite3." not in message
    assert sha256(db_path) == before
    assert beside(db_path) == folder, "no -wal, -shm or other new file beside a refused file"
    assert message in caplog.text, "every refusal is written to the log"


# -- many writers at once --------------------------------------------------------

WRITER = """
import sys
from cofacilitate.store import Owner, Workspace, new_id
workspace = Workspace.open(sys.argv[1])
owner = Owner(workspace.current_person().id)
sys.stdin.readline()  # wait until both writers are ready, then write at the same time
for number in range(200):
    workspace.save_record("ladder", {"n": number}, owner=owner, record_id=new_id(), participant=sys.argv[2])
workspace.close()
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    Workspace.open(home).close()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(home), name],
                         stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("first", "second")
    ]
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors

    workspace = Workspace.open(home)
    records = workspace.records("ladder", None)
    workspace.close()
    assert len(records) == 400
    for name in ("first", "second"):
        assert sorted(r.body["n"] for r in records if r.participant == name) == list(range(200))


OPENER = """
import sys
from cofacilitate.store import Workspace
while True:
    home = sys.stdin.readline().strip()  # every opener gets the same new folder at the same moment
    if not home:
        break
    try:
        workspace = Workspace.open(home)
        workspace.current_person()
        workspace.close()
        print("opened", flush=True)
    except Exception as err:
        print(f"refused: {type(err).__name__}: {err}".replace(chr(10), " "), flush=True)
"""


def test_many_pages_opening_a_new_workspace_at_once_all_open(tmp_path: Path) -> None:
    """Issue 8, point 7: twelve pages open one brand-new workspace together, five times over; none is refused."""
    openers = [subprocess.Popen([sys.executable, "-c", OPENER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(12)]
    try:
        for attempt in range(5):
            home = tmp_path / f"new-{attempt}"
            for opener in openers:
                opener.stdin.write(f"{home}\n")
                opener.stdin.flush()
            results = [opener.stdout.readline().strip() for opener in openers]
            assert results == ["opened"] * len(openers), f"round {attempt + 1}: {results}"
    finally:
        for opener in openers:
            opener.communicate(timeout=60)
    assert all(opener.returncode == 0 for opener in openers)


# -- a version 1 workspace, as people have them today -----------------------------------


def v1_copy(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    home.mkdir(mode=0o700)
    shutil.copy(FIXTURE_V1, home / DB_NAME)
    return home


def test_a_version_1_workspace_is_brought_up_to_date_with_nothing_lost(tmp_path: Path) -> None:
    home = v1_copy(tmp_path)
    with sqlite3.connect(home / DB_NAME) as db:
        before = db.execute(
            "SELECT id, tool, participant, roles, created_at, body FROM cofacilitate_records ORDER BY id"
        ).fetchall()
    db.close()
    assert len(before) == 3

    workspace = Workspace.open(home)
    person = workspace.current_person()
    me = Owner(person.id)

    assert person.pseudonym == "Sam", "the name typed on the ladder becomes the person's"
    after = workspace.records("ladder", me) + workspace.records("powermap", me)
    assert sorted((r.id, r.tool, r.participant, json.dumps(list(r.roles)), r.created_at, json.dumps(r.body)) for r in after) == [
        (rid, tool, who, roles, created, json.dumps(json.loads(body))) for rid, tool, who, roles, created, body in before
    ]
    assert all(check_body(r.body, VOCABULARIES) for r in workspace.records("ladder", me))
    assert workspace.drafts("ladder", me) == {"ladder/idea/climb": "Half-typed thought about meetings"}
    assert workspace.drafts("powermap", me) == {"project": "Ward study"}
    workspace.close()
    with sqlite3.connect(home / DB_NAME) as db:
        assert db.execute("SELECT value FROM cofacilitate_meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    db.close()


def test_a_migration_that_fails_halfway_leaves_the_old_workspace_whole(tmp_path: Path) -> None:
    home = v1_copy(tmp_path)
    with sqlite3.connect(home / DB_NAME) as db:  # a table in the way makes the migration fail partway through
        db.execute("CREATE TABLE cofacilitate_drafts_v1 (x TEXT)")
    db.close()
    before = sha256(home / DB_NAME)

    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(home)

    assert "could not be brought up to date" in str(caught.value) and "Nothing in it was changed" in str(caught.value)
    with sqlite3.connect(home / DB_NAME) as db:
        assert db.execute("SELECT value FROM cofacilitate_meta WHERE key = 'schema_version'").fetchone()[0] == "1"
        assert db.execute("SELECT count(*) FROM cofacilitate_records").fetchone()[0] == 3
        assert "cofacilitate_people" not in {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert sha256(home / DB_NAME) == before

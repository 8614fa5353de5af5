"""The workspace: a real SQLite file, refusals that leave files alone, response cards."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cofacilitate.cards import load_cards
from cofacilitate.ladder.model import LadderVocabulary, check_body
from cofacilitate.store import (
    DB_NAME,
    MAX_CARD_BYTES,
    SCHEMA_VERSION,
    ImportRefused,
    Workspace,
    WorkspaceError,
)

VOCABULARIES = {card_id: card.vocabulary for card_id, card in load_cards("ladder", LadderVocabulary)[0].items()}


def ladder_body(project: str = "Memory clinic study", **answers: str) -> dict:
    """A valid ladder assessment body; keyword arguments give 'now' per stage."""
    return {
        "kind": "ladder-assessment", "version": 1, "card": "ladder", "project": project,
        "answers": [{"stage": stage, "now": now, "aim": "co-production", "climb": ""} for stage, now in answers.items()],
        "why_moved": "",
    }


def check(body: dict) -> object:
    return check_body(body, VOCABULARIES)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def workspace(tmp_path: Path):
    opened = Workspace.open(tmp_path / "ws")
    yield opened
    opened.close()


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


def test_records_round_trip_through_the_file(tmp_path: Path) -> None:
    first = Workspace.open(tmp_path / "ws")
    saved = first.save_record("ladder", ladder_body(idea="consultation"), participant="Sam", roles=["carer", "researcher"], room="r1")
    other = first.save_record("powermap", {"anything": [1, 2]}, participant="Jo")
    first.close()

    again = Workspace.open(tmp_path / "ws")
    got = again.get(saved.id)
    assert got == saved
    assert got.body == ladder_body(idea="consultation")
    assert got.participant == "Sam" and got.roles == ("carer", "researcher") and got.room == "r1"
    assert [r.id for r in again.records("ladder")] == [saved.id]
    assert [r.id for r in again.records("powermap")] == [other.id]
    assert again.records("ladder", room="elsewhere") == []
    assert again.get("no-such-id") is None
    again.close()


def test_saving_with_the_same_id_replaces_the_body(workspace: Workspace) -> None:
    first = workspace.save_record("ladder", ladder_body(idea="informing"))
    workspace.save_record("ladder", ladder_body(idea="co-design"), record_id=first.id, participant="Sam")

    [only] = workspace.records("ladder")
    assert only.id == first.id
    assert only.body["answers"][0]["now"] == "co-design"
    assert only.participant == "Sam"


def test_drafts_save_overwrite_and_clear(workspace: Workspace) -> None:
    workspace.save_draft("ladder", "", "project", "First words")
    workspace.save_draft("ladder", "", "role/carer", True)
    workspace.save_draft("ladder", "someone-else", "project", "Not mine")
    workspace.save_draft("ladder", "", "project", "Second words")

    assert workspace.drafts("ladder", "") == {"project": "Second words", "role/carer": True}

    workspace.clear_drafts("ladder", "", ["project"])
    assert workspace.drafts("ladder", "") == {"role/carer": True}
    assert workspace.drafts("ladder", "someone-else") == {"project": "Not mine"}


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
def test_a_file_that_is_not_ours_is_refused_and_left_alone(tmp_path: Path, make, expected: str) -> None:
    home = tmp_path / "ws"
    home.mkdir()
    db_path = home / DB_NAME
    make(db_path)
    before = sha256(db_path)

    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(home)

    message = str(caught.value)
    assert expected in message
    assert str(db_path) in message
    assert "not been changed" in message
    assert "Traceback" not in message and "sqlite3." not in message
    assert sha256(db_path) == before


# -- many writers at once --------------------------------------------------------

WRITER = """
import sys
from cofacilitate.store import Workspace
workspace = Workspace.open(sys.argv[1])
sys.stdin.readline()  # wait until both writers are ready, then write at the same time
for number in range(200):
    workspace.save_record("ladder", {"n": number}, participant=sys.argv[2])
workspace.close()
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    Workspace.open(home).close()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(home), name], stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("first", "second")
    ]
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors

    workspace = Workspace.open(home)
    records = workspace.records("ladder")
    workspace.close()
    assert len(records) == 400
    for name in ("first", "second"):
        assert sorted(r.body["n"] for r in records if r.participant == name) == list(range(200))


# -- response cards ----------------------------------------------------------------


def count(workspace: Workspace) -> int:
    return len(workspace.records("ladder"))


def card_bytes(records: list[dict], **top: object) -> bytes:
    """A response card built by hand, for cards that the app would never write."""
    card = {
        "format": "cofacilitate-response-card", "schema_version": SCHEMA_VERSION, "app_version": "0.1.0",
        "tool": "ladder", "exported_at": "2024-05-01T10:00:00+00:00", "records": records,
    }
    return json.dumps({**card, **top}).encode("utf-8")


def card_record(body: dict | None = None, **fields: object) -> dict:
    record = {
        "id": "a" * 32, "tool": "ladder", "schema_version": SCHEMA_VERSION, "room": "", "participant": "Sam",
        "roles": ["carer"], "created_at": "2024-05-01T10:00:00+00:00", "updated_at": "2024-05-01T10:00:00+00:00",
        "body": body if body is not None else ladder_body(idea="informing"),
    }
    return {**record, **fields}


def test_export_then_import_restores_the_same_records(tmp_path: Path) -> None:
    source = Workspace.open(tmp_path / "mine")
    saved = [
        source.save_record("ladder", ladder_body(idea="consultation"), participant="Sam", roles=["carer"]),
        source.save_record("ladder", ladder_body("Another project", design="pass"), participant="Sam"),
    ]
    data = source.export_card("ladder", source.records("ladder"))
    source.close()

    target = Workspace.open(tmp_path / "facilitator")
    report = target.import_card(data, "ladder", check)

    assert (report.added, report.already_here) == (2, 0)
    assert report.sentence() == "2 answer set(s) restored."
    assert [r.as_json() for r in target.records("ladder")] == [r.as_json() for r in saved]
    target.close()


def test_importing_the_same_card_twice_adds_nothing(workspace: Workspace) -> None:
    data = card_bytes([card_record()])
    workspace.import_card(data, "ladder", check)

    report = workspace.import_card(data, "ladder", check)

    assert (report.added, report.already_here) == (0, 1)
    assert "1 were already here" in report.sentence()
    assert count(workspace) == 1


def test_script_in_a_project_name_is_kept_as_plain_text(workspace: Workspace) -> None:
    hostile = "<script>alert(1)</script>"
    workspace.import_card(card_bytes([card_record(ladder_body(hostile, idea="informing"), participant=hostile)]), "ladder", check)

    [stored] = workspace.records("ladder")
    assert stored.body["project"] == hostile
    assert stored.participant == hostile


GOOD = card_record()
REFUSED_CARDS = {
    "not-json": (b"this is not json \xff", "not the kind of text file (JSON)"),
    "wrong-format": (json.dumps({"format": "a-spreadsheet", "rows": []}).encode(), "not a cofacilitate response card"),
    "json-list": (b"[1, 2, 3]", "not a cofacilitate response card"),
    "other-tool": (card_bytes([card_record(tool="powermap")], tool="powermap"), "belongs to another exercise ('powermap')"),
    "other-tool-inside": (card_bytes([GOOD, card_record(id="b" * 32, tool="powermap")]), "belongs to another exercise"),
    "oversized": (card_bytes([GOOD]) + b" " * MAX_CARD_BYTES, "2 MB"),
    "newer-schema": (card_bytes([GOOD], schema_version=SCHEMA_VERSION + 1), "newer version of cofacilitate"),
    "newer-record": (card_bytes([card_record(schema_version=SCHEMA_VERSION + 1)]), "schema_version"),
    "participant-not-text": (card_bytes([card_record(participant=42)]), "participant"),
    "roles-not-a-list": (card_bytes([card_record(roles="carer")]), "roles"),
    "body-not-a-dict": (card_bytes([card_record(body=["x"])]), "body"),
    "unknown-field": (card_bytes([card_record(secret="x")]), "secret"),
    "bad-id": (card_bytes([card_record(id="../../etc")]), "id"),
    "unknown-ladder": (card_bytes([card_record(ladder_body() | {"card": "no-such-ladder"})]), "does not have"),
    "unknown-rung": (card_bytes([card_record(ladder_body(idea="the-top"))]), "'the-top' is not a rung"),
    "duplicate-stage": (card_bytes([card_record(ladder_body(idea="informing") | {
        "answers": [{"stage": "idea", "now": "informing"}, {"stage": "idea", "now": "coercion"}]})]), "only once"),
    "very-long-text": (card_bytes([card_record(ladder_body() | {"why_moved": "x" * 30_000})]), "longer than"),
    "too-deep": (card_bytes([card_record(ladder_body() | {"extra": [[[[[[[[[["deep"]]]]]]]]]]})]), "nested"),
}


@pytest.mark.parametrize(("data", "expected"), list(REFUSED_CARDS.values()), ids=list(REFUSED_CARDS))
def test_a_refused_card_stores_nothing_and_says_why(workspace: Workspace, data: bytes, expected: str) -> None:
    workspace.save_record("ladder", ladder_body(idea="coercion"))
    before = [r.as_json() for r in workspace.records("ladder")]

    with pytest.raises(ImportRefused) as caught:
        workspace.import_card(data, "ladder", check)

    message = str(caught.value)
    assert expected in message
    assert "Nothing was changed." in message
    assert "Traceback" not in message and "Value error" not in message
    assert [r.as_json() for r in workspace.records("ladder")] == before


def test_one_bad_record_keeps_the_good_ones_out_too(workspace: Workspace) -> None:
    good = card_record(id="g" * 32)
    bad = card_record(id="b" * 32, body=ladder_body() | {"card": "no-such-ladder"})

    with pytest.raises(ImportRefused):
        workspace.import_card(card_bytes([good, bad]), "ladder", check)

    assert count(workspace) == 0


def test_a_card_of_just_under_the_limit_is_still_read(workspace: Workspace) -> None:
    data = card_bytes([card_record()])
    padded = data[:-1] + b" " * (MAX_CARD_BYTES - len(data)) + data[-1:]
    assert len(padded) == MAX_CARD_BYTES

    assert workspace.import_card(padded, "ladder", check).added == 1


def test_the_size_message_gives_the_size_in_plain_words(workspace: Workspace) -> None:
    with pytest.raises(ImportRefused) as caught:
        workspace.import_card(b" " * 5_000_000, "ladder", check)

    assert "(5.0 MB)" in str(caught.value)
    assert "at most 2 MB" in str(caught.value)
    assert os.path.exists(workspace.db_path) and count(workspace) == 0

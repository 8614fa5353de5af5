"""The workspace in a real PostgreSQL server: what only a database server can do wrong, said in plain words.

The contract every backend keeps is in test_store.py (run on both); here are the server's own matters:
addresses and passwords, databases that are not ours, schemas older or newer, no DDL on an ordinary open,
a server that stops mid-session or is full, and `migrate` and `copy-workspace` on real workspaces.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import psycopg
import pytest

from cofacilitate import cli
from cofacilitate.store import DB_NAME, Owner, Workspace, WorkspaceError, new_id
from cofacilitate.store import postgres as postgres_backend
from tests.conftest import html_values
from tests.postgres_cluster import PostgresCluster
from tests.test_store_sqlite import FIXTURE_V1

BODY = {"kind": "ladder-assessment", "version": 1, "card": "ladder", "project": "Clinic", "answers": [], "why_moved": ""}


def refused(url: str, tmp_path: Path) -> str:
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(tmp_path / "ws", url)
    return str(caught.value)


def test_a_bad_address_password_or_database_is_refused_in_words_that_never_show_the_password(
        postgres: PostgresCluster, tmp_path: Path) -> None:
    url = postgres.new_database()
    assert "starts with postgresql://" in refused("mysql://someone@host/db", tmp_path)
    wrong = refused(postgres.url(url.rsplit("/", 1)[1], password="not-the-password"), tmp_path)
    assert "did not accept the name and password" in wrong and "not-the-password" not in wrong
    assert "There is no database “nobody_made_this” on 127.0.0.1" in refused(postgres.url("nobody_made_this"), tmp_path)
    with socket_that_nobody_answers() as port:
        said = refused(f"postgresql://cofa_admin:secret-pass@127.0.0.1:{port}/x", tmp_path)
    assert "could not be reached" in said and "secret-pass" not in said
    log = (tmp_path / "ws" / "logs" / "cofacilitate.log")
    assert not log.exists() or "secret-pass" not in log.read_text()


class socket_that_nobody_answers:
    """A free loopback port with no server behind it."""

    def __enter__(self) -> int:
        import socket

        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        return int(self.port)

    def __exit__(self, *_: object) -> None:
        return None


def test_a_database_of_another_program_or_a_newer_schema_is_refused_and_left_as_it_was(
        postgres: PostgresCluster, tmp_path: Path) -> None:
    foreign = postgres.new_database()
    with psycopg.connect(foreign, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total TEXT)")
    assert "belongs to another program" in refused(foreign, tmp_path)
    with psycopg.connect(foreign) as conn:
        assert [r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = 'public'")] == ["invoices"]
    newer = postgres.new_database()
    Workspace.open(tmp_path / "ws", newer).close()
    with psycopg.connect(newer, autocommit=True) as conn:
        conn.execute("UPDATE cofacilitate_meta SET value = '99' WHERE key = 'schema_version'")
    assert "newer version of cofacilitate" in refused(newer, tmp_path)


def test_an_older_schema_is_left_for_migrate_and_an_ordinary_open_runs_no_ddl(postgres: PostgresCluster,
                                                                               tmp_path: Path) -> None:
    url = postgres.new_database()
    Workspace.open(tmp_path / "ws", url).close()
    name = url.rsplit("/", 1)[1]
    postgres.sql(f'ALTER DATABASE "{name}" SET log_statement = \'ddl\'')
    server_log = postgres.folder / "server.log"
    before = server_log.read_text()
    for _ in range(3):
        workspace = Workspace.open(tmp_path / "ws", url)
        workspace.save_record("ladder", BODY, owner=Owner(workspace.current_person().id), record_id=new_id())
        workspace.close()
    written = server_log.read_text()[len(before):]
    assert "CREATE" not in written.upper() and "ALTER" not in written.upper()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE cofacilitate_meta SET value = '1' WHERE key = 'schema_version'")
    said = refused(url, tmp_path)
    assert "older version" in said and "cofacilitate migrate" in said
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT value FROM cofacilitate_meta WHERE key = 'schema_version'").fetchone() == ("1",)


def test_a_save_while_the_server_is_stopped_is_said_plainly_and_succeeds_once_it_is_back(tmp_path: Path) -> None:
    cluster = PostgresCluster()
    try:
        workspace = Workspace.open(tmp_path / "ws", cluster.new_database())
        owner = Owner(workspace.current_person().id)
        record_id = new_id()
        cluster.stop()
        with pytest.raises(WorkspaceError, match="could not be reached just now"):
            workspace.save_record("ladder", BODY, owner=owner, record_id=record_id)
        with pytest.raises(WorkspaceError, match="could not be reached just now"):
            workspace.save_draft("ladder", owner, "why", "words typed while it was stopped")
        cluster.start()
        workspace.save_record("ladder", BODY, owner=owner, record_id=record_id)
        workspace.save_record("ladder", BODY, owner=owner, record_id=record_id)  # the page's second press: same id
        assert [r.id for r in workspace.records("ladder", owner)] == [record_id]
    finally:
        cluster.remove()


def test_a_full_server_is_waited_for_and_then_said_plainly(postgres: PostgresCluster, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres_backend, "IDLE_SECONDS", 0.5)
    monkeypatch.setattr(postgres_backend, "WAIT_SECONDS", 1)
    workspace = Workspace.open(tmp_path / "ws", postgres.new_database())
    owner = Owner(workspace.current_person().id)
    time.sleep(2)  # the page's own connection closes once unused (it would otherwise carry on regardless)
    held: list[psycopg.Connection] = []
    while True:  # take every connection the server gives to an ordinary login (the administrator's reserve stays)
        try:
            held.append(psycopg.connect(postgres.url(), autocommit=True))
        except psycopg.OperationalError:
            break
    try:
        monkeypatch.setattr(postgres_backend, "BUSY_SECONDS", 1)
        with pytest.raises(WorkspaceError, match="as many visitors as it can take"):
            workspace.save_record("ladder", BODY, owner=owner, record_id=new_id())
        monkeypatch.setattr(postgres_backend, "BUSY_SECONDS", 30)
        threading.Timer(1.0, lambda: [held.pop().close() for _ in range(3)]).start()
        saved = workspace.save_record("ladder", BODY, owner=owner, record_id=new_id())  # waits, then lands
        assert workspace.get(saved.id) is not None
    finally:
        time.sleep(1.2)
        for conn in held:
            conn.close()
    assert len(workspace.records("ladder", owner)) == 1  # the refused Save stored nothing


def every_record(workspace: Workspace) -> dict[str, object]:
    return {r.id: r for tool in ("ladder", "powermap", "agendas", "diary") for r in workspace.records(tool, None)}


def test_copy_workspace_copies_a_real_workspace_and_checks_every_row(postgres: PostgresCluster, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "laptop"
    home.mkdir(mode=0o700)
    shutil.copy(FIXTURE_V1, home / DB_NAME)
    assert cli.main(["migrate", "--home", str(home)]) == 0
    assert "from version 1 to version 2" in capsys.readouterr().out
    laptop = Workspace.open(home)
    me = Owner(laptop.current_person().id)
    laptop.save_record("ladder", {**BODY, "project": "Ünïcode 🌱 project"}, owner=me, record_id=new_id())
    laptop.save_draft("ladder", me, "why", "a draft, half written")
    before = every_record(laptop)
    laptop.close()
    target = postgres.new_database()
    assert cli.main(["copy-workspace", str(home), target]) == 0
    said = capsys.readouterr().out
    assert f"Copied {len(before)} answer sets" in said and "Every row was read back and checked" in said
    server = Workspace.open(tmp_path / "server", target)
    assert every_record(server) == before
    assert server.current_person().id == me.person  # the laptop's usual person is still theirs
    assert server.drafts("ladder", me)["why"] == "a draft, half written"
    assert cli.main(["copy-workspace", str(home), target]) == 1  # never into a place that holds work
    assert "already holds saved work" in capsys.readouterr().out
    assert every_record(server) == before
    assert cli.main(["migrate", "--database-url", target]) == 0
    assert "is up to date" in capsys.readouterr().out


def test_a_page_on_a_shared_database_says_where_answers_are_kept(postgres: PostgresCluster, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from cofacilitate import landing

    url = postgres.new_database()
    monkeypatch.setenv("COFACILITATE_DATABASE_URL", url)
    page = landing.show(str(tmp_path / "ws"))
    said = " ".join(html_values(page))
    name = url.rsplit("/", 1)[1]
    assert f"kept on the server that runs this workbook, in the database “{name}” on 127.0.0.1" in said
    assert "this computer only" not in said and postgres.url(name).split("@")[0] not in said


def test_a_login_that_does_not_own_the_tables_is_never_told_its_deletes_were_tidied(postgres: PostgresCluster,
                                                                                   tmp_path: Path) -> None:
    url = postgres.new_database()
    Workspace.open(tmp_path / "ws", url).close()  # the tables belong to the administrator who made them
    name = url.rsplit("/", 1)[1]
    postgres.sql("DO $$ BEGIN CREATE ROLE cofa_pages LOGIN PASSWORD 'pages-pass'; EXCEPTION WHEN duplicate_object "
                 "THEN NULL; END $$")
    postgres.sql("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cofa_pages", name)
    pages = Workspace.open(tmp_path / "ws", postgres.url(name, "cofa_pages", "pages-pass"))
    owner = Owner(new_id())
    record = pages.save_record("ladder", BODY, owner=owner, record_id=new_id())  # no DDL needed to open and save
    assert pages.backend.checkpoint() is False
    assert pages.delete_records("ladder", owner, [record.id]) == 1
    assert Workspace.open(tmp_path / "ws", url).backend.checkpoint() is True

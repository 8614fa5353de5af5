"""A private PostgreSQL server for tests: Debian's own binaries, a cluster in a temporary folder.

initdb and the server refuse to run as root, so as root they run as the `postgres` account that
Debian's package makes; the folder is theirs alone. The server listens on a free loopback port with
password (scram-sha-256) logins only, so a wrong password is refused as it would be on a real server.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

ADMIN = "cofa_admin"
ADMIN_PASSWORD = "admin-secret-for-tests"


def postgres_bin() -> Path | None:
    """Debian's newest PostgreSQL binaries, or None when the package is not installed."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """One running server; `new_database()` gives each test a database of its own."""

    def __init__(self, max_connections: int = 100) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="cofa-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.max_connections = max_connections
        self._as_root = os.geteuid() == 0
        self._count = 0
        password_file = self.folder / "pw"
        password_file.write_text(ADMIN_PASSWORD)
        if self._as_root:
            account = pwd.getpwnam("postgres")
            for path in (self.folder, password_file):
                os.chown(path, account.pw_uid, account.pw_gid)
        self.folder.chmod(0o700)
        self._run("initdb", "-D", str(self.data), "-U", ADMIN, "--auth=scram-sha-256", f"--pwfile={password_file}",
                  "-E", "UTF8", "--locale=C.UTF-8")
        password_file.unlink()
        self.start()

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / program), *args]
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.folder)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   f"-c max_connections={self.max_connections} -c fsync=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(self, database: str = "postgres", user: str = ADMIN, password: str = ADMIN_PASSWORD) -> str:
        return f"postgresql://{quote(user)}:{quote(password)}@127.0.0.1:{self.port}/{quote(database)}"

    def sql(self, statement: str, database: str = "postgres") -> list[tuple]:
        """Run one statement as the cluster's administrator (autocommit, so CREATE DATABASE works)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(statement)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def new_database(self, prefix: str = "ws") -> str:
        """A fresh, empty database owned by the administrator; its URL."""
        self._count += 1
        name = f"{prefix}_{self._count}"
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def files_hold(self, needle: str) -> list[Path]:
        """The cluster's data files (tables, indexes, TOAST) that still hold these bytes; the write-ahead log is not read."""
        found = []
        for path in (self.data / "base").rglob("*"):
            if path.is_file() and needle.encode() in path.read_bytes():
                found.append(path)
        return found

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def running_cluster(max_connections: int = 100) -> Iterator[PostgresCluster]:
    cluster = PostgresCluster(max_connections)
    try:
        yield cluster
    finally:
        cluster.remove()


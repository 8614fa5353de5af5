"""Where a workspace lives, whether the server keeps it, and where problems are written down."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Protocol

DB_NAME = "workspace.sqlite"

log = logging.getLogger("cofacilitate")


def default_home() -> Path:
    """COFACILITATE_HOME, else the platform's per-user data folder."""
    override = os.environ.get("COFACILITATE_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("cofacilitate", appauthor=False)


DATABASE_URL_VARIABLE = "COFACILITATE_DATABASE_URL"


def database_url_from_env() -> str | None:
    """A PostgreSQL workspace's address, when the person who runs the server set one."""
    return os.environ.get(DATABASE_URL_VARIABLE, "").strip() or None


def on_temporary_server() -> bool:
    """Binder (and anything that says so) deletes files when the session ends."""
    if os.environ.get("COFACILITATE_TEMPORARY", "").lower() in {"1", "true", "yes"}:
        return True
    return any(name.startswith("BINDER_") for name in os.environ)


LOG_FILE = Path("logs") / "cofacilitate.log"  # inside the workspace folder


class HasLog(Protocol):
    @property
    def log_path(self) -> Path: ...


def private_folder(folder: Path) -> None:
    """Make a folder, and any missing folder above it, that only its owner can open.

    `Path.mkdir(parents=True)` gives the folders above the default mode, which a permissive
    umask leaves open to everyone; here each one is made 0700 from the moment it exists.
    """
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:  # another page made it first
            continue


def create_owner_only(path: Path) -> None:
    """Make an empty file only its owner can read, from the moment it exists (a file already there is left)."""
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(handle)


def configure_log(workspace: HasLog) -> Path:
    """Send the details of problems to a log file in the workspace, readable by its owner only."""
    log_path = workspace.log_path
    if not any(getattr(h, "baseFilename", None) == str(log_path) for h in log.handlers):
        private_folder(log_path.parent)
        create_owner_only(log_path)
        handler = logging.FileHandler(log_path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return log_path

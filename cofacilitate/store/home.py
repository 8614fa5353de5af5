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


def on_temporary_server() -> bool:
    """Binder (and anything that says so) deletes files when the session ends."""
    if os.environ.get("COFACILITATE_TEMPORARY", "").lower() in {"1", "true", "yes"}:
        return True
    return any(name.startswith("BINDER_") for name in os.environ)


class HasLog(Protocol):
    log_path: Path


def configure_log(workspace: HasLog) -> Path:
    """Send the details of problems to a log file in the workspace, readable by its owner only."""
    log_path = workspace.log_path
    if not any(getattr(h, "baseFilename", None) == str(log_path) for h in log.handlers):
        log_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        log_path.touch(mode=0o600, exist_ok=True)
        handler = logging.FileHandler(log_path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return log_path

"""`cofacilitate migrate` and `cofacilitate copy-workspace`: the two things a server's operator does to a workspace.

A place is a workspace folder (its SQLite file) or a postgresql:// address. Both commands say in one or
two plain sentences what they did, and change nothing when they refuse.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cofacilitate.cli import DATABASE_URL_HELP
from cofacilitate.store import SCHEMA_VERSION, Workspace, WorkspaceError, default_home
from cofacilitate.store.backend import Backend


def add_commands(commands: argparse._SubParsersAction) -> None:
    migrate = commands.add_parser("migrate", help="bring a workspace up to this version of the app")
    migrate.add_argument("--home", help="the folder of your saved work (if you leave it out: your own data folder)")
    migrate.add_argument("--database-url", help=DATABASE_URL_HELP)
    migrate.set_defaults(run=run_migrate)
    copy = commands.add_parser("copy-workspace", help="copy every answer in one workspace into a new, empty one, and check it")
    copy.add_argument("source", help="where the work is now: a workspace folder, or a postgresql:// address")
    copy.add_argument("target", help="where it should go: a postgresql:// address (or a new workspace folder)")
    copy.set_defaults(run=run_copy)


def is_address(place: str) -> bool:
    return place.startswith(("postgresql://", "postgres://"))


def backend_for(place: str) -> Backend:
    """The database a place names, opened but not yet looked at by the schema."""
    if is_address(place):
        from cofacilitate.store.postgres import PostgresBackend

        return PostgresBackend(place)
    from cofacilitate.store.home import DB_NAME
    from cofacilitate.store.sqlite import SqliteBackend

    return SqliteBackend(Path(place).expanduser() / DB_NAME)


def run_migrate(args: argparse.Namespace) -> int:
    from cofacilitate.store.home import database_url_from_env

    place = args.database_url or database_url_from_env() or str(
        Path(args.home).expanduser() if args.home else default_home())
    try:
        backend = backend_for(place)
        from cofacilitate.store.schema import META_TABLE, found_version

        before = found_version(backend) if META_TABLE in backend.tables() else None
        Workspace(backend, default_home() if is_address(place) else Path(place), upgrade=True).close()
    except WorkspaceError as err:
        print(err)
        return 1
    where = backend.where
    if before is None:
        print(f"Made a new workspace in {where} (version {SCHEMA_VERSION}).")
    elif before < SCHEMA_VERSION:
        print(f"Updated {where} from version {before} to version {SCHEMA_VERSION}. Every answer in it was kept.")
    else:
        print(f"{where[:1].upper()}{where[1:]} is up to date (version {SCHEMA_VERSION}). Nothing was changed.")
    return 0


def run_copy(args: argparse.Namespace) -> int:
    from cofacilitate.store.copying import copy_workspace

    opened: list[Workspace] = []
    try:
        for place in (args.source, args.target):
            folder = default_home() if is_address(place) else Path(place).expanduser()
            opened.append(Workspace(backend_for(place), folder, upgrade=False))
        report = copy_workspace(opened[0].backend, opened[1].backend)
    except WorkspaceError as err:
        print(err)
        return 1
    finally:
        for workspace in opened:
            workspace.close()
    print(report.sentence())
    return 0

"""`cofacilitate session ...`: list and check session plans, and make their worksheets, guide and workbook.

Each maker (worksheets.py, guide.py, workbook.py) adds its own options and does its own work; this module
finds the session a facilitator names (a file, or a shipped session's id) and says in plain words what is
wrong with it, so every command refuses a bad plan the same way.
"""

from __future__ import annotations

import argparse
from importlib import import_module
from pathlib import Path

from cofacilitate.cli import say
from cofacilitate.sessions.plan import Session, SessionError, load_session, session_paths, sessions_dir

MAKERS = (
    ("worksheets", "cofacilitate.sessions.worksheets", "make worksheets to print, one for each exercise"),
    ("guide", "cofacilitate.sessions.guide", "make the facilitator's guide (a web page that prints, and Markdown)"),
    ("workbook", "cofacilitate.sessions.workbook", "make a workbook for one person, with the session's exercises in order"),
)
SESSION_HELP = "a session file, or the id of a shipped session (see: cofacilitate session list)"


def find_session(name: str) -> Session:
    """The session a facilitator named: a file, else a shipped session's id; SessionError says what is wrong."""
    path = Path(name).expanduser()
    if not path.exists():
        shipped = {candidate.stem: candidate for candidate in session_paths()}
        if name not in shipped:
            known = ", ".join(shipped) or "none"
            raise SessionError(f"There is no session file {name}, and no shipped session with that id. "
                               f"The shipped sessions are: {known}.")
        path = shipped[name]
    return load_session(path)


def list_sessions(_: argparse.Namespace) -> int:
    """Every shipped session: its id, title, length and exercises (a file that cannot be used says why)."""
    paths = session_paths()
    if not paths:
        say(f"There are no session files in {sessions_dir()}.")
        return 0
    problems = 0
    for path in paths:
        try:
            session = load_session(path)
        except SessionError as err:
            problems += 1
            say(str(err), "", error=True)
            continue
        parts = ", ".join(part.title for part in session.exercises)
        say(f"{session.id}: {session.title} ({session.duration_minutes} minutes): {parts}", f"    {path}")
    return 1 if problems else 0


def check_session(args: argparse.Namespace) -> int:
    try:
        session = find_session(args.session)
    except SessionError as err:
        say(str(err), error=True)
        return 1
    in_room = [part.title for part in session.exercises if part.in_room]
    taken_home = [part.title for part in session.exercises if part.taken_home]
    say(f"The session “{session.title}” can be used. It takes {session.duration_minutes} minutes in "
        f"{len(session.parts)} parts.",
        *([f"Switched on in the room: {', '.join(in_room)}."] if in_room else []),
        *([f"Taken home, on paper or in the person's own workbook: {', '.join(taken_home)}."] if taken_home else []))
    return 0


def make(args: argparse.Namespace) -> int:
    try:
        session = find_session(args.session)
    except SessionError as err:
        say(str(err), error=True)
        return 1
    maker: int = import_module(args.maker).run(session, args)
    return maker


def add_commands(commands: argparse._SubParsersAction) -> None:
    session = commands.add_parser("session", help="plan a training session, and make what it needs")
    inner = session.add_subparsers(dest="session_command", required=True)
    inner.add_parser("list", help="list the shipped sessions").set_defaults(run=list_sessions)
    checker = inner.add_parser("check", help="check a session file and say what is wrong with it, line by line")
    checker.add_argument("session", help=SESSION_HELP)
    checker.set_defaults(run=check_session)
    for name, module, words in MAKERS:
        maker = inner.add_parser(name, help=words)
        maker.add_argument("session", help=SESSION_HELP)
        import_module(module).add_arguments(maker)
        maker.set_defaults(run=make, maker=module)

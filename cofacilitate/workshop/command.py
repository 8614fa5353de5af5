"""`cofacilitate workshop`: a room that people join on their phones, and the facilitator's dashboard.

It makes (or opens again, with new codes) the room in a workspace of its own, starts the two
servers (cofacilitate/workshop/server.py), waits until both answer, and then says, calmly: the
participant link with a QR code of it, which address phones will use, who can join, what plain
HTTP means on a shared wifi, and the facilitator's link, which works only on this computer.
Stopped like `open` (Ctrl+C, SIGTERM, SIGHUP), it stops both servers and, through them, every kernel.
"""

from __future__ import annotations

import argparse
import io
import os
import ssl
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from cofacilitate.cli import (
    DATABASE_URL_HELP,
    StopAsked,
    catch_stop_signals,
    free_port,
    new_token,
    open_browser,
    open_server_log,
    prepare_workspace,
    say,
    server_log_path,
    shared_folder_note,
    stop_servers,
    wait_until_serving,
)

if TYPE_CHECKING:
    from cofacilitate.sessions.plan import Session

DEFAULT_TOOLS = "ladder,agendas,powermap"
DEFAULT_THRESHOLD = 3  # as cofacilitate.workshop.rooms.DEFAULT_THRESHOLD, without importing the store to parse options
START_SECONDS = 120


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from cofacilitate.workshop.server import DEFAULT_MAX_PARTICIPANTS, DEFAULT_POOL

    parser.add_argument("--room", help="the room's name, for example your team's name (default: the session's title)")
    parser.add_argument("--session", help="a session plan for the room to follow: a file, or the id of one that comes "
                                          "with the app (see: cofacilitate session list). It says which exercises are on.")
    parser.add_argument("--tools", help=f"the exercises to switch on, without a session (default: {DEFAULT_TOOLS})")
    parser.add_argument("--host", help="the network address phones use (default: this computer's address on its network)")
    parser.add_argument("--port", type=int, default=0, help="port for the participants' pages (default: any free port)")
    parser.add_argument("--home", help="folder for saved answers (default: your user data folder); the room has a folder in it")
    parser.add_argument("--database-url", help="keep the room's answers in PostgreSQL: " + DATABASE_URL_HELP)
    parser.add_argument("--pool", type=int, default=DEFAULT_POOL,
                        help=f"pages kept ready for people joining (default {DEFAULT_POOL})")
    parser.add_argument("--smallest-group", type=int, default=DEFAULT_THRESHOLD,
                        help=f"the fewest people a role group needs to be shown on its own (default and least: "
                             f"{DEFAULT_THRESHOLD})")
    parser.add_argument("--max-participants", type=int, default=DEFAULT_MAX_PARTICIPANTS,
                        help=f"most pages open at once; past it, people see “The room is full” "
                             f"(default {DEFAULT_MAX_PARTICIPANTS})")
    parser.add_argument("--certfile", help="certificate file, to serve the room over HTTPS")
    parser.add_argument("--keyfile", help="private key file for the certificate")
    parser.add_argument("--no-browser", action="store_true", help="print the links but do not open a browser")
    parser.add_argument("--verbose", action="store_true",
                        help="show the servers' own messages here (otherwise they go to logs/ in the room's folder)")


def check_numbers(args: argparse.Namespace) -> str | None:
    if args.pool < 0:
        return "--pool must be 0 or more."
    if args.smallest_group < DEFAULT_THRESHOLD:
        return f"--smallest-group must be {DEFAULT_THRESHOLD} or more: smaller groups could single people out."
    if args.max_participants < 1:
        return "--max-participants must be 1 or more."
    if args.port and not 0 < args.port < 65536:
        return "--port must be a number from 1 to 65535."
    return None


def check_tls(args: argparse.Namespace, host: str) -> str | None:
    """A plain message when the certificate cannot be used; None when it can (or there is none)."""
    from cofacilitate.workshop.server import ANY_ADDRESS, is_loopback

    if args.keyfile and not args.certfile:
        return "--keyfile needs --certfile as well."
    if not args.certfile:
        return None
    if is_loopback(host) or host in ANY_ADDRESS:  # the pool's kernels reach the server on loopback, in plain HTTP
        return "HTTPS is for a room on a network: give --host this computer's network address, or leave out --certfile."
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(args.certfile, args.keyfile or None)
    except (OSError, ssl.SSLError) as err:
        return f"The certificate could not be used ({getattr(err, 'strerror', None) or err}). Check --certfile and --keyfile."
    return None


def choose_host(asked: str | None) -> tuple[str, str, str | None]:
    """(address to listen on, address in the link, a plain note or None); a ValueError says why an address cannot be used."""
    from cofacilitate.workshop.server import ANY_ADDRESS, LOOPBACK, lan_address, port_is_free

    found = lan_address()
    if asked is None:
        if found:
            return found, found, None
        return LOOPBACK, LOOPBACK, ("No network was found, so only this computer can open the room. To let phones join, "
                                    "connect this computer to wifi and start again. Or give its address with --host.")
    if asked in ANY_ADDRESS:
        if not found:
            raise ValueError("No network address was found for the link. Please give this computer's address with --host.")
        return asked, found, None
    if not port_is_free(asked, 0):
        raise ValueError(f"This computer has no network address {asked}. Please check --host.")
    return asked, asked, None


def qr_lines(link: str) -> str:
    """The link as a QR code made of text (two rows of the code per line); empty if this terminal cannot show it."""
    import segno

    drawn = io.StringIO()
    segno.make_qr(link).terminal(out=drawn, compact=True, border=2)
    try:
        drawn.getvalue().encode(sys.stdout.encoding or "ascii")
    except UnicodeEncodeError:
        return ""
    return drawn.getvalue().rstrip("\n")


def links_said(name: str, link: str, address: str, dashboard: str, tls: bool, home: Path) -> list[str]:
    """What the terminal says once both servers answer, in plain words."""
    lines = ["", f"The room “{name}” is open.", "",
             "For participants: they open this link, or scan the code with a phone's camera.", link]
    qr = qr_lines(link)
    if qr:
        lines += [qr]
    lines += [f"Phones and laptops reach this computer at {address}. They must be on the same network (wifi) as this computer.",
              "Anyone who has this link can join the room, so share it only with the people in your session."]
    if not tls:
        lines += ["The link starts with http, not https: other people on the same wifi could read what is sent. "
                  "To keep it private, use a wifi hotspot of your own. Or start the room with --certfile and --keyfile."]
    lines += ["", "For you, the facilitator: this link opens the room's dashboard. It works only on this computer.", dashboard,
              "", f"The answers are kept in {home}.", "Press Ctrl+C here to close the room.", ""]
    return lines


def chosen_session(args: argparse.Namespace) -> Session | None:
    """The plan the room follows, if one was named; a ValueError says in plain words why it cannot be used."""
    if args.session is None:
        if not args.room:
            raise ValueError("Please give the room a name with --room, or a session to follow with --session.")
        return None
    if args.tools:
        raise ValueError("A session chooses the room's exercises itself, so please leave out --tools.")
    from cofacilitate.sessions.commands import find_session

    return find_session(args.session)


def run(args: argparse.Namespace) -> int:
    from cofacilitate.store import Workspace, default_home
    from cofacilitate.workshop import server
    from cofacilitate.workshop.rooms import RoomRefused, check_tools, open_room, room_home, room_id_for, session_tools

    if args.database_url:
        os.environ["COFACILITATE_DATABASE_URL"] = args.database_url  # read by the store here and in both servers' pages
    try:
        session = chosen_session(args)
        name = args.room or (session.title if session else "")
        tools = session_tools(session) if session else check_tools((args.tools or DEFAULT_TOOLS).split(","))
        home = room_home(Path(args.home).expanduser() if args.home else default_home(), room_id_for(name))
        listen_on, address, note = choose_host(args.host)
        problem = check_numbers(args) or check_tls(args, listen_on)
    except (RoomRefused, ValueError) as err:
        problem = str(err)
    if not problem and args.port and not server.port_is_free(listen_on, args.port):
        problem = f"Port {args.port} is in use already. Please choose another with --port, or leave it out."
    if problem:
        say(problem, error=True)
        return 1
    previous = catch_stop_signals()
    processes: list[subprocess.Popen] = []
    logs: list[IO[bytes]] = []
    try:
        problem = prepare_workspace(home)
        if problem:
            say(problem, error=True)
            return 1
        for line in (note, shared_folder_note(home)):
            if line:
                say(line)
        say("Getting charts ready to work without the internet (only slow the first time)...")
        from cofacilitate.offline import prepare_bundle

        prepare_bundle()
        store = Workspace.open(home)
        try:
            keys = open_room(store, name, tools, args.smallest_group, session=session)
        finally:
            store.close()
        if not args.verbose:
            logs = [open_server_log(home, server.ROOM_SERVER_LOG, "cofacilitate workshop, participants' pages"),
                    open_server_log(home, server.DASHBOARD_SERVER_LOG, "cofacilitate workshop, dashboard")]
        loopback_too = listen_on not in server.ANY_ADDRESS and not server.is_loopback(listen_on)
        port = args.port or server.free_port_on(listen_on, *([server.LOOPBACK] if loopback_too else []))
        dashboard_port, token = free_port(), new_token()
        processes.append(server.start_participant_server(
            home, listen_on, port, output=logs[0] if logs else None, pool=args.pool, max_participants=args.max_participants,
            certfile=args.certfile, keyfile=args.keyfile))
        link = server.participant_link(address, port, keys.room, keys.join_code, tls=bool(args.certfile))
        processes.append(server.start_dashboard_server(home, dashboard_port, token, link,
                                                       output=logs[1] if logs else None))
        # Both answer on loopback in plain HTTP (the participant server listens there for its own kernels).
        bases = [f"http://{server.LOOPBACK}:{port}", f"http://{server.LOOPBACK}:{dashboard_port}"]
        where = ("above" if not logs else
                 f"in {server_log_path(home, server.ROOM_SERVER_LOG)} and {server_log_path(home, server.DASHBOARD_SERVER_LOG)}")
        deadline = time.monotonic() + START_SECONDS
        if not all(wait_until_serving(base, process, max(1.0, deadline - time.monotonic()))
                   for base, process in zip(bases, processes, strict=True)):
            say(f"The room's servers did not start. The reason is written {where}.", error=True)
            return 1
        dashboard = server.facilitator_link(dashboard_port, token, keys.room, keys.facilitator_key)
        say(*links_said(keys.name, link, address, dashboard, bool(args.certfile), home))
        if not args.no_browser and not open_browser(dashboard):
            say("No web browser would open. Copy your link above into one.")
        while all(process.poll() is None for process in processes):
            time.sleep(1)
        say(f"A server of the room stopped by itself. The reason is written {where}.", error=True)
        return 1
    except (KeyboardInterrupt, StopAsked):
        return 0
    finally:
        stop_servers(previous, processes, "Closing the room...", "Closed. The answers are still saved.")
        for log in logs:
            log.close()

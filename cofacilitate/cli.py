"""`cofacilitate open`: the workbook as a web page on this computer, and nothing more.

Voilà runs on 127.0.0.1 only, behind a secret token and a check that the page was asked for
by a local name (so another account, or a web page using DNS rebinding, cannot read anyone's
answers), with our page template (no requests to other hosts), no tracebacks shown, and
kernels of closed tabs culled (Voilà cannot stop them itself). Its own messages go to a log
file in the workspace, so the terminal shows only ours. However `open` is stopped (Ctrl+C,
SIGTERM, SIGHUP), it stops Voilà and, through Voilà, every kernel.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path
from types import FrameType
from typing import IO, Any

from cofacilitate import __version__
from cofacilitate.cards import PACKAGE_DIR

TEMPLATES_ROOT = PACKAGE_DIR / "jupyter"
WEBSOCKET_LIMIT = 64 * 1024 * 1024  # uploads past our 2 MB limit still arrive, so we can say so
KERNEL_IDLE_CULL_SECONDS = 120
STOP_SECONDS = 20.0  # Voilà shuts its kernels down on SIGTERM; after this long we kill it
SERVER_LOG = "voila.log"
SERVER_LOG_LIMIT = 5 * 1024 * 1024  # a longer log is started afresh
# SIGHUP (a closed terminal) does not exist on Windows.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def workbooks_dir() -> Path:
    installed = PACKAGE_DIR / "workbooks"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "workbooks"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


DATABASE_URL_HELP = ("a postgresql:// address (default: COFACILITATE_DATABASE_URL, else a file in the workspace folder); "
                     "other accounts on this computer can see a command line, so the environment variable is safer")


def new_token() -> str:
    """The secret a browser must show (once, then it holds a cookie) before the server answers."""
    return secrets.token_urlsafe(32)


def voila_command(port: int, folder: Path, cull_idle_seconds: int = KERNEL_IDLE_CULL_SECONDS) -> list[str]:
    """The Voilà server as we run it; shared by `open`, the tests and the benchmarks.

    The token is not on this command line (any account can read a command line): `auto_token`
    makes Jupyter Server read it from JUPYTER_TOKEN in the environment (see `voila_env`).
    An address without the key gets our own page, not Jupyter Server's (cofacilitate/server_login.py).
    Voilà hard-codes `allow_remote_access=True`, but applies `tornado_settings` after its own
    settings, so ours turn Jupyter Server's Host check back on: only 127.0.0.1, ::1 and localhost.
    """
    settings = {"websocket_max_message_size": WEBSOCKET_LIMIT, "allow_remote_access": False, "local_hostnames": ["localhost"]}
    return [
        sys.executable, "-m", "voila", str(folder), "--no-browser", "--template=cofacilitate",
        f"--port={port}", "--Voila.ip=127.0.0.1", "--show_tracebacks=False", "--Voila.auto_token=True",
        "--Voila.identity_provider_class=cofacilitate.server_login.WorkbookKey",
        f"--Voila.tornado_settings={settings!r}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={max(1, cull_idle_seconds // 4)}",
        "--MappingKernelManager.cull_connected=False",
    ]


def template_env() -> dict[str, str]:
    """This environment with our template first on Jupyter's data path (a source checkout uses its own copy)."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATES_ROOT), env.get("JUPYTER_PATH")]))
    return env


def voila_env(token: str) -> dict[str, str]:
    """Our template first on Jupyter's data path, and the token."""
    if not token:
        raise ValueError("the server needs a token")
    env = template_env()
    env["JUPYTER_TOKEN"] = token
    env.pop("JUPYTER_TOKEN_FILE", None)
    return env


def start_voila(port: int, folder: Path, token: str, output: IO | None = None,
                cull_idle_seconds: int = KERNEL_IDLE_CULL_SECONDS, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start Voilà in a session of its own, so the terminal's Ctrl+C or hang-up reaches only us and we stop it whole.

    `output` receives everything Voilà prints (None: this terminal).
    """
    env = {**voila_env(token), **(extra_env or {})}
    return subprocess.Popen(voila_command(port, folder, cull_idle_seconds), env=env, stdin=subprocess.DEVNULL,
                            stdout=output, stderr=subprocess.STDOUT if output is not None else None, start_new_session=True)


def stop_voila(process: subprocess.Popen, seconds: float = STOP_SECONDS) -> None:
    """Stop Voilà's process group: SIGTERM (Voilà then shuts every kernel down), wait, then SIGKILL.

    Kernels run in sessions of their own (jupyter_client), so a group signal never reaches them;
    Voilà stops them on SIGTERM, and a kernel whose Voilà was killed exits by itself within a
    few seconds (ipykernel watches its parent).
    """
    for ask, wait in ((True, seconds), (False, 10.0)):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGTERM if ask else signal.SIGKILL)
            elif ask:  # Windows has no process groups to signal
                process.terminate()
            else:
                process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)


def stop_all(processes: list[subprocess.Popen], seconds: float = STOP_SECONDS) -> None:
    """Stop several servers at the same time (each waits for its own kernels)."""
    stoppers = [threading.Thread(target=stop_voila, args=(process, seconds)) for process in processes]
    for stopper in stoppers:
        stopper.start()
    for stopper in stoppers:
        stopper.join()


def wait_until_serving(base: str, process: subprocess.Popen, seconds: float) -> bool:
    """True once Voilà at `base` answers; False if it exits or `seconds` pass first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(base + "/voila/static/voila.js", timeout=2):
                return True
        except OSError:
            time.sleep(0.3)
    return False


class StopAsked(BaseException):
    """Ctrl+C, SIGTERM or SIGHUP arrived: stop the server (a BaseException, like KeyboardInterrupt,
    so no `except Exception` on the way swallows it)."""


def _stop_asked(signum: int, _frame: FrameType | None) -> None:
    raise StopAsked(signal.Signals(signum).name)


def catch_stop_signals() -> dict[signal.Signals, Any]:
    """Turn every way of being stopped into StopAsked; returns the handlers to put back.

    A signal already ignored when we start (SIGHUP under `nohup`, Ctrl+C in a background job)
    stays ignored: the person chose that. SIGTERM is always handled.
    """
    previous: dict[signal.Signals, Any] = {}
    for sig in STOP_SIGNALS:
        if sig != signal.SIGTERM and signal.getsignal(sig) == signal.SIG_IGN:
            continue
        previous[sig] = signal.signal(sig, _stop_asked)
    return previous


def stop_servers(previous: dict[signal.Signals, Any], processes: list[subprocess.Popen], stopping: str, stopped: str) -> None:
    """However a command ends: stop every server still running (saying so), then put the signal handlers back.

    Meanwhile the stop signals are ignored, so a second Ctrl+C does not cut the clean-up short."""
    for sig in previous:
        signal.signal(sig, signal.SIG_IGN)
    running = [process for process in processes if process.poll() is None]
    if running:
        say(stopping)
        stop_all(running)
        say(stopped)
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def say(*lines: str, error: bool = False) -> None:
    """Print our own lines; a terminal that has gone away (SIGHUP) must not stop the clean-up."""
    stream = sys.stderr if error else sys.stdout
    try:
        print(*lines, sep="\n", file=stream, flush=True)
    except OSError:
        try:
            null = open(os.devnull, "w")  # noqa: SIM115 (replaces the lost stream until exit)
            sys.stdout = sys.stderr = null
        except OSError:
            pass


def shared_folder_note(home: Path) -> str | None:
    """One plain line when other accounts can look inside the workspace folder; None when only its owner can."""
    if os.name == "nt":  # Windows folders have access lists, not these bits
        return None
    try:
        mode = home.stat().st_mode
    except OSError:
        return None
    if not mode & 0o077:
        return None
    if mode & 0o007:
        who = "everyone with an account on this computer"
    else:
        try:
            import grp

            who = f"people in the group “{grp.getgrgid(home.stat().st_gid).gr_name}”"
        except (ImportError, KeyError):
            who = "people in this folder's group"
    return (f"Note: {who} can look inside {home}, where your answers are kept. "
            f"To keep it to yourself, run: chmod 700 {shlex.quote(str(home))}")


def prepare_workspace(home: Path) -> str | None:
    """Create (or check) the workspace before any page opens, so pages never race to create it.

    Returns a plain message when it cannot be used.
    """
    from cofacilitate.store import Workspace, WorkspaceError

    try:
        Workspace.open(home).close()
    except WorkspaceError as err:
        return str(err)
    except OSError as err:
        return f"The folder {home} cannot be used for your answers ({err.strerror or err})."
    return None


def server_log_path(home: Path, name: str = SERVER_LOG) -> Path:
    return home / "logs" / name


def open_server_log(home: Path, name: str = SERVER_LOG, heading: str = "cofacilitate open") -> IO[bytes]:
    """Voilà's own messages go to logs/voila.log (or `name`) in the workspace: owner-only from the moment it exists."""
    path = server_log_path(home, name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    if path.exists() and path.stat().st_size > SERVER_LOG_LIMIT:
        flags |= os.O_TRUNC
    descriptor = os.open(path, flags, 0o600)
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, 0o600)  # a log left from before may have been readable by others
    log = os.fdopen(descriptor, "ab")
    log.write(f"\n---- {heading}, {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
    log.flush()
    return log


def open_browser(url: str) -> bool:
    """Open the page; the browser's own chatter goes nowhere, not into the terminal."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            os.dup2(null.fileno(), 2)
            return webbrowser.open(url)
    except webbrowser.Error:
        return False
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


def use_places(args: argparse.Namespace) -> None:
    """--home and --database-url become the environment the server and every page it starts read."""
    if args.home:
        os.environ["COFACILITATE_HOME"] = str(Path(args.home).expanduser())
    if args.database_url:
        os.environ["COFACILITATE_DATABASE_URL"] = args.database_url


def open_app(args: argparse.Namespace) -> int:
    use_places(args)
    from cofacilitate.store import default_home

    home = default_home()
    previous = catch_stop_signals()
    process: subprocess.Popen | None = None
    log: IO[bytes] | None = None
    try:
        problem = prepare_workspace(home)
        if problem:
            say(problem, error=True)
            return 1
        note = shared_folder_note(home)
        if note:
            say(note)
        say("Getting charts ready to work without the internet (only slow the first time)...")
        from cofacilitate.offline import prepare_bundle

        prepare_bundle()
        log = None if args.verbose else open_server_log(home)
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        token = new_token()
        url = f"{base}/voila/render/index.ipynb?token={token}"
        process = start_voila(port, workbooks_dir(), token, output=log)
        where = "above" if log is None else f"in {server_log_path(home)}"
        if not wait_until_serving(base, process, 120):
            say(f"The workbook server did not start. The reason is written {where}.", error=True)
            return 1
        say("", "The workbook is open at this address. Only this computer can reach it, and only with the key at its end:",
            url, "Press Ctrl+C here to stop it.", "")
        if not args.no_browser and not open_browser(url):
            say("No web browser could be opened: copy the address above into one.")
        process.wait()
        say(f"The workbook server stopped by itself. The reason is written {where}.", error=True)
        return 1
    except (KeyboardInterrupt, StopAsked):
        return 0
    finally:
        stop_servers(previous, [process] if process else [], "Stopping the workbook...", "Stopped.")
        if log is not None:
            log.close()


def prepare(_: argparse.Namespace) -> int:
    from cofacilitate.offline import prepare_bundle

    print(prepare_bundle())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="cofacilitate", description="A calm, private workbook for co-production in health research."
    )
    parser.add_argument("--version", action="version", version=f"cofacilitate {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    opener = commands.add_parser("open", help="open the workbook in your web browser")
    opener.add_argument("--port", type=int, default=0, help="port to use (default: any free port)")
    opener.add_argument("--home", help="folder for saved answers (default: your user data folder)")
    opener.add_argument("--database-url", help="keep answers in PostgreSQL: " + DATABASE_URL_HELP)
    opener.add_argument("--no-browser", action="store_true", help="print the address but do not open a browser")
    opener.add_argument("--verbose", action="store_true",
                        help="show the server's own messages here (otherwise they go to logs/voila.log in the workspace)")
    opener.set_defaults(run=open_app)
    from cofacilitate.workshop import command as workshop  # here, not at the top: it imports this module

    room = commands.add_parser("workshop", help="run a workshop room that people join on their phones")
    workshop.add_arguments(room)
    room.set_defaults(run=workshop.run)
    commands.add_parser("prepare", help="build the offline chart bundle now (for Binder and servers)").set_defaults(run=prepare)
    from cofacilitate import workspace_commands

    workspace_commands.add_commands(commands)
    from cofacilitate.sessions import commands as session_commands

    session_commands.add_commands(commands)
    from cofacilitate import card_commands

    card_commands.add_commands(commands)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())

"""The command line, run as a person runs it: `cofacilitate open` as a real process with a real Voilà.

It prints a calm, short greeting with the tokenised address (Voilà's own messages go to the log),
names a workspace folder others can look into, refuses a workspace it cannot open before any
server starts, and however it is stopped (Ctrl+C, SIGTERM, SIGHUP) leaves no server, no kernel
and no port behind.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from cofacilitate.cli import free_port

START_SECONDS = 120
GONE_SECONDS = 20
URL = re.compile(r"^http://127\.0\.0\.1:(\d+)/voila/render/index\.ipynb\?token=([A-Za-z0-9_-]{40,})$")


def _default_signals() -> None:
    """In the child: Ctrl+C and hang-up as a terminal delivers them (a background test run may ignore them)."""
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


class OpenCommand:
    """`cofacilitate open --no-browser` in a session of its own, as a terminal runs it; its output read line by line."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cofacilitate.cli", "open", "--no-browser", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
            start_new_session=True, preexec_fn=_default_signals,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.port = self.token = None
        self.started: list[psutil.Process] = []

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for_address(self, seconds: float = START_SECONDS) -> str:
        """Read lines until the tokenised address; fail with what was printed if it never comes."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            match = URL.match(line.strip())
            if match:
                self.url, self.port, self.token = line.strip(), int(match.group(1)), match.group(2)
                return self.url
        pytest.fail(f"no tokenised address within {seconds:.0f} s; printed: {self.lines}")

    def rest_of_output(self, seconds: float = 30) -> list[str]:
        """Every line printed until the command exits."""
        self.process.wait(timeout=seconds)
        while (line := self._queue.get(timeout=seconds)) is not None:
            self.lines.append(line)
        return self.lines

    def everything_it_started(self) -> list[psutil.Process]:
        """The Voilà server and its kernels (and anything else below the command)."""
        self.started = psutil.Process(self.process.pid).children(recursive=True)
        return self.started

    def close(self) -> None:
        """However the test went, leave nothing running: the command, its server and kernels."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
        for leftover in self.started:
            with contextlib.suppress(psutil.Error):
                leftover.kill()


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not a server
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def get(url: str, timeout: float = 90) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read().decode()


def test_help_lists_the_open_command():
    shown = subprocess.run([sys.executable, "-m", "cofacilitate.cli", "--help"], capture_output=True, text=True, check=True)
    assert "open" in shown.stdout and "open the workbook in your web browser" in shown.stdout


def test_open_prints_only_its_own_calm_lines_and_the_tokenised_address(tmp_path):
    home = tmp_path / "ws"
    home.mkdir(mode=0o700)
    port = free_port()
    opened = OpenCommand("--port", str(port), "--home", str(home))
    try:
        url = opened.wait_for_address()
        assert url.startswith(f"http://127.0.0.1:{port}/voila/render/index.ipynb?token=")
        html = get(url)
        assert "Working together, honestly" in html and '<main id="cofa-main">' in html
        os.killpg(opened.process.pid, signal.SIGINT)
        printed = opened.rest_of_output()
        assert opened.process.returncode == 0
    finally:
        opened.close()
    assert url in printed  # on a line of its own
    assert len(printed) <= 10, printed
    for line in printed:
        assert not re.search(r"Voil|WARNING|\[IPKernelApp\]|DeprecationWarning|Traceback|running at", line), line
        assert not line.startswith("Note:"), "an owner-only folder needs no note"
    log = home / "logs" / "voila.log"
    assert "Voilà is running at" in log.read_text(encoding="utf-8")
    assert log.stat().st_mode & 0o777 == 0o600 and log.parent.stat().st_mode & 0o777 == 0o700


def test_a_workspace_folder_others_can_look_into_is_named_plainly_and_the_app_still_runs(tmp_path):
    home = tmp_path / "shared"
    home.mkdir()
    home.chmod(0o755)
    opened = OpenCommand("--home", str(home))
    try:
        opened.wait_for_address()
    finally:
        opened.close()
    notes = [line for line in opened.lines if line.startswith("Note:")]
    assert len(notes) == 1, opened.lines
    assert "everyone with an account on this computer" in notes[0] and f"chmod 700 {home}" in notes[0]
    assert home.stat().st_mode & 0o777 == 0o755, "the folder is the person's: we say, we do not change it"


def test_a_workspace_that_cannot_be_opened_is_refused_in_words_before_any_server_starts(tmp_path):
    home = tmp_path / "ws"
    (home / "workspace.sqlite").mkdir(parents=True)  # a folder where the database file should be
    done = subprocess.run([sys.executable, "-m", "cofacilitate.cli", "open", "--no-browser", "--home", str(home)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    said = (done.stdout + done.stderr).strip()
    assert said and "Traceback" not in said and "Error:" not in said, said
    assert len(said.splitlines()) == 1, said
    assert "http://" not in said and not (home / "logs" / "voila.log").exists(), "Voilà must not start"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_stopping_the_app_in_any_way_stops_its_server_and_every_kernel(tmp_path, sig):
    opened = OpenCommand("--home", str(tmp_path / "ws"))
    try:
        url = opened.wait_for_address()
        assert "Working together, honestly" in get(url)  # the page ran on the server: a kernel is running
        started = opened.everything_it_started()
        commands = [" ".join(p.cmdline()) for p in started]
        assert any("-m voila" in c for c in commands) and any("ipykernel" in c for c in commands), commands
        # A terminal sends Ctrl+C and hang-up to its whole foreground group; a service manager sends SIGTERM.
        os.killpg(opened.process.pid, sig)
        opened.process.wait(timeout=GONE_SECONDS + 10)
        _, alive = psutil.wait_procs(started, timeout=GONE_SECONDS)
        assert not alive, f"still running after {sig.name}: {[' '.join(p.cmdline()) for p in alive]}"
        assert opened.process.returncode == 0
        assert port_is_free(opened.port)
    finally:
        opened.close()


def test_the_voila_log_is_owner_only_even_when_it_was_not(tmp_path):
    from cofacilitate.cli import open_server_log

    logs = tmp_path / "ws" / "logs"
    logs.mkdir(parents=True, mode=0o755)
    logs.chmod(0o755)
    (logs / "voila.log").write_text("old\n")
    (logs / "voila.log").chmod(0o644)
    with open_server_log(tmp_path / "ws") as log:
        log.write(b"new\n")
    assert logs.stat().st_mode & 0o777 == 0o700 and (logs / "voila.log").stat().st_mode & 0o777 == 0o600
    assert Path(logs / "voila.log").read_text().startswith("old\n")

"""The room's servers refuse what participants must not reach, and `cofacilitate workshop` starts and stops them.

Real servers (tests/room_harness.py, started as the command starts them), asked over plain HTTP
(http.client, so every header and path is ours to choose) and over a page's own websocket
(tests/protocol.py). The cap, the listeners and HTTPS are checked with throwaway notebooks, so
they test the server and not the participant page; the rest runs the real room notebooks.
"""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import json
import os
import queue
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from cofacilitate.workshop import server
from tests.protocol import PageSession
from tests.room_harness import RoomServers

PARTICIPANT_TITLE = "<title>Workshop room | cofacilitate</title>"
DASHBOARD_TITLE = "Room dashboard"
FULL_TITLE = "<title>cofacilitate: the room is full</title>"


def notebook(folder: Path, source: str) -> Path:
    """A one-cell participant notebook of our own, in a folder of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / server.PARTICIPANT_NOTEBOOK
    path.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "only", "metadata": {}, "outputs": [],
                   "source": source}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }), encoding="utf-8")
    return path


def ask(base: str, path: str, headers: dict[str, str] | None = None, context: ssl.SSLContext | None = None,
        ) -> tuple[int, dict[str, str], str]:
    """(status, headers, body) of one request, redirects not followed."""
    scheme, rest = base.split("://")
    host, port = rest.rsplit(":", 1)
    connection = (http.client.HTTPSConnection(host, int(port), timeout=90, context=context) if scheme == "https"
                  else http.client.HTTPConnection(host, int(port), timeout=90))
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read().decode(errors="replace")
    finally:
        connection.close()


def follow(base: str, path: str) -> tuple[int, str, list[str]]:
    """(status, body, every path passed through), following the server's own redirects as a browser does."""
    passed = [path]
    for _ in range(5):
        status, headers, body = ask(base, path)
        if status not in (301, 302, 303, 307, 308):
            return status, body, passed
        path = headers["Location"]
        assert not path.startswith(("http:", "https:", "//")), "a redirect stays on this server"
        passed.append(path)
    raise AssertionError(f"too many redirects: {passed}")


def listening(process: psutil.Process) -> set[str]:
    """The addresses a server process listens on."""
    return {c.laddr.ip for c in process.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomServers]:
    """The real room notebooks, with a small pool."""
    running = RoomServers(tmp_path_factory.mktemp("room"), name="Server room", pool=2)
    yield running
    running.stop()


# --- the participant server --------------------------------------------------------------------

EDITED = ["/", "/dashboard.ipynb", "/room/dashboard.ipynb", "/voila/render/dashboard.ipynb", "/voila/render/room/dashboard.ipynb",
          "/voila/render/participant.ipynb", "/..%2Fdashboard.ipynb", "/%2e%2e/dashboard.ipynb", "/voila/files/dashboard.ipynb",
          "/voila/files/participant.ipynb", "/voila/files/room/dashboard.ipynb", "/voila/tree", "/voila/tree/room",
          "/voila/api/contents", "/voila/api/contents/room", "/api/kernels", "/api/contents", "/api/contents/dashboard.ipynb",
          "/api/sessions", "/tree", "/login", "/voila/templates/../../dashboard.ipynb"]


@pytest.mark.parametrize("path", EDITED)
def test_no_address_on_the_participant_server_shows_the_dashboard_a_listing_or_a_file(room, path):
    status, body, passed = follow(room.base, path)
    assert DASHBOARD_TITLE not in body and "show_dashboard" not in body and "show_participant" not in body, passed
    for listing in ('"type": "notebook"', '"content":', "dashboard.ipynb", "voila-notebooks", '"kernels"'):
        assert listing not in body, (passed, listing)
    if path == "/":
        assert status == 200 and PARTICIPANT_TITLE in body and "kernelId" in body
    else:
        assert "kernelId" not in body and "Traceback" not in body
        if "/templates/" in path:  # Voilà's own static handler: a bare Tornado page (a 500: an assert in it fails)
            assert status in (403, 404, 500), (passed, status)
        else:  # every other path lands on /voila/files/, which serves nothing: our own page
            assert status == 404 and '<html lang="en">' in body, (passed, status)


def test_a_participant_link_edited_with_the_facilitator_key_and_token_still_opens_only_the_participant_page(room):
    assert room.dashboard is not None
    for query in (f"room={room.keys.room}&key={room.keys.facilitator_key}",
                  f"room={room.keys.room}&key={room.keys.facilitator_key}&token={room.dashboard.token}",
                  f"room={room.keys.room}&join={room.keys.join_code}&template=lab&theme=dark"):
        status, _, body = ask(room.base, f"/?{query}")
        assert status == 200 and PARTICIPANT_TITLE in body and DASHBOARD_TITLE not in body, query
        assert "cofacilitate.css" not in body and "#cofa-main" in body, "our own template, whatever the address asks"


def test_code_sent_over_a_participant_page_websocket_never_runs(room):
    target = Path("/tmp") / f"cofa-room-{uuid.uuid4().hex}"
    with PageSession(room.link()) as page:
        page.send("execute_request", {"code": f"open({str(target)!r}, 'w').write('x')", "silent": False,
                                      "store_history": False, "user_expressions": {}, "allow_stdin": False,
                                      "stop_on_error": True})
        page.round_trip()  # the kernel has handled all this page sent before: had it run, the reply came first
        assert page.counts["execute_reply"] == 0 and page.counts["execute_input"] == 0, page.counts
    assert not target.exists()
    assert 'Received message of type "execute_request", which is not allowed' in room.log_text()


def test_the_participant_server_has_no_token_and_listens_only_where_it_was_told(room):
    assert listening(room.ps) == {server.LOOPBACK}
    status, _, body = ask(room.base, f"/?room={room.keys.room}&join={room.keys.join_code}")
    assert status == 200 and "kernelId" in body, "no Jupyter token: the join code, checked in the kernel, is the gate"


# --- the cap ---------------------------------------------------------------------------------

BUTTON_NOTEBOOK = "from voila.utils import wait_for_request\nwait_for_request()\nimport ipywidgets\nipywidgets.Button()"


@pytest.mark.parametrize("pool", [0, 1], ids=["cold", "pooled"])
def test_past_the_cap_a_plain_room_is_full_page_and_no_kernel(tmp_path, pool):
    room = RoomServers(tmp_path, dashboard=False, notebook=notebook(tmp_path / "nb", BUTTON_NOTEBOOK), pool=pool,
                       max_participants=2)
    try:
        if pool:
            room.wait_for_pool(pool)
        for _ in range(2):
            status, _, body = ask(room.base, "/?room=x&join=y")
            assert status == 200 and "kernelId" in body
        before = {p.pid for p in room.kernels()}
        assert len(before) <= 2 + pool
        for _ in range(2):
            status, headers, body = ask(room.base, "/?room=x&join=y")
            assert status == 503 and headers.get("Retry-After") == "60"
            assert FULL_TITLE in body and '<html lang="en">' in body and "<h1>The room is full</h1>" in body
            assert "<script" not in body and "kernelId" not in body and "://" not in body, "calm, no script, no other host"
            assert "Wait a minute or two, then open the link again." in body
        assert {p.pid for p in room.kernels()} == before, "no kernel started past the cap"
    finally:
        room.stop()


def test_a_page_left_open_gives_its_place_back_once_its_kernel_is_culled(tmp_path):
    """A phone that leaves without Voilà's goodbye holds its place only until culling (a connected page is never culled)."""
    room = RoomServers(tmp_path, dashboard=False, notebook=notebook(tmp_path / "nb", BUTTON_NOTEBOOK), pool=0,
                       max_participants=1, cull_idle_seconds=2)
    try:
        with PageSession(room.link()):
            assert ask(room.base, "/?room=x&join=y")[0] == 503
        end = time.monotonic() + 60
        while room.kernels() and time.monotonic() < end:
            time.sleep(0.5)
        assert not room.kernels(), "the page left open was culled"
        assert ask(room.base, "/?room=x&join=y")[0] == 200, "its place is free again"
    finally:
        room.stop()


# --- listeners and HTTPS ---------------------------------------------------------------------

QUERY_NOTEBOOK = "from voila.utils import get_query_string\nprint('query was', get_query_string())"


def self_signed(folder: Path, address: str) -> tuple[Path, Path]:
    """A certificate for this address and its key, made here (cryptography is a dependency already)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, address)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(address))]), critical=False)
                   .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    cert, private = folder / "room.crt", folder / "room.key"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, private


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_on_the_network_address_a_pooled_page_learns_its_visitors_address(tmp_path, tls):
    """A pooled kernel asks Voilà for its visitor's address on 127.0.0.1, so the server listens there too (plain)."""
    address = server.lan_address()
    if address is None:
        pytest.skip("this machine has no network address besides loopback")
    options = dict(zip(("certfile", "keyfile"), map(str, self_signed(tmp_path / "tls", address)), strict=True)) if tls else {}
    room = RoomServers(tmp_path, host=address, dashboard=False, notebook=notebook(tmp_path / "nb", QUERY_NOTEBOOK), pool=1,
                       **options)
    try:
        room.wait_for_pool(1)
        context = ssl.create_default_context(cafile=options["certfile"]) if tls else None
        status, _, body = ask(room.base, "/?room=here&join=abc", context=context)
        assert status == 200 and "query was room=here&amp;join=abc" in body, body[-2000:]
        assert "Using pre-heated kernel" in room.log_text()
        assert listening(room.ps) == {address, server.LOOPBACK}
        if tls:
            with pytest.raises(ssl.SSLError):
                ask(room.base, "/", context=ssl.create_default_context())  # a certificate nobody vouched for is not trusted
    finally:
        room.stop()


# --- the dashboard server ----------------------------------------------------------------------

def test_the_dashboard_server_wants_its_token_and_listens_on_loopback_only(room):
    dashboard = room.dashboard
    assert dashboard is not None
    before = {p.pid for p in dashboard.kernels()}
    for path in ("/", f"/?room={room.keys.room}&key={room.keys.facilitator_key}", "/voila/render/dashboard.ipynb",
                 f"/?token=not-the-token&room={room.keys.room}&key={room.keys.facilitator_key}"):
        status, body, passed = follow(dashboard.base, path)
        assert "kernelId" not in body and DASHBOARD_TITLE not in body and "this address needs its key" in body, passed
    assert {p.pid for p in dashboard.kernels()} == before, "no kernel starts without the token"
    assert listening(dashboard.ps) == {server.LOOPBACK}
    status, _, body = ask(dashboard.base, room.facilitator_link().split(str(dashboard.port), 1)[1])
    assert status == 200 and f"<title>{DASHBOARD_TITLE}" in body and "kernelId" in body
    foreign = ask(dashboard.base, room.facilitator_link().split(str(dashboard.port), 1)[1],
                  {"Host": f"evil.example:{dashboard.port}"})
    assert foreign[0] == 403, "the Host check of `open` holds here too"


# --- the command -----------------------------------------------------------------------------

QR_LINE = re.compile(r"^[█▀▄ ]{20,}$")
LINK = re.compile(r"^https?://\S+/\?room=[a-z0-9-]+&join=[A-Za-z0-9_-]+$")
FACILITATOR = re.compile(r"^http://127\.0\.0\.1:(\d+)/\?token=[A-Za-z0-9_-]+&room=[a-z0-9-]+&key=[A-Za-z0-9_-]+$")


class WorkshopCommand:
    """`cofacilitate workshop --no-browser` in a session of its own, its output read line by line."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        self.process = subprocess.Popen([sys.executable, "-m", "cofacilitate.cli", "workshop", "--no-browser", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                                        encoding="utf-8", start_new_session=True, env=env)
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def read_until(self, text: str, seconds: float = 150) -> list[str]:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if text in line:
                return self.lines
        pytest.fail(f"{text!r} was not printed within {seconds:.0f} s; printed: {self.lines}")

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=90) as answer:
        return answer.read().decode()


def test_the_workshop_command_prints_both_links_and_a_qr_code_and_stops_cleanly_on_sigterm(tmp_path):
    command = WorkshopCommand("--room", "Command room", "--home", str(tmp_path / "base"), "--pool", "1", "--tools", "ladder")
    started: list[psutil.Process] = []
    try:
        printed = command.read_until("Press Ctrl+C here to close the room.")
        link = next(line for line in printed if LINK.match(line))
        facilitator = next(line for line in printed if FACILITATOR.match(line))
        assert sum(bool(QR_LINE.match(line)) for line in printed) >= 10, "a QR code drawn in the terminal"
        address = server.lan_address() or server.LOOPBACK
        assert link.startswith(f"http://{address}:")
        assert any(f"reach this computer at {address}" in line for line in printed)
        assert any("Anyone who has this link can join" in line for line in printed)
        assert any("other people on the same wifi could read what is sent" in line and "--certfile" in line for line in printed)
        assert any("works only on this computer" in line for line in printed)
        assert not [line for line in printed if re.search(r"Voil|WARNING|Traceback|\[RoomVoila\]|Kernel", line)]
        assert PARTICIPANT_TITLE in get(link) and f"<title>{DASHBOARD_TITLE}" in get(facilitator)
        started = psutil.Process(command.process.pid).children(recursive=True)
        assert sum("ipykernel" in " ".join(p.cmdline()) for p in started) >= 2
        os.killpg(command.process.pid, signal.SIGTERM)
        command.read_until("Closed.", seconds=60)
        assert command.process.wait(timeout=30) == 0
        _, alive = psutil.wait_procs(started, timeout=20)
        assert not alive, [" ".join(p.cmdline()) for p in alive]
        with pytest.raises(urllib.error.URLError):
            get(link)
    finally:
        command.close()
        for leftover in started:
            if leftover.is_running():
                leftover.kill()
    logs = tmp_path / "base" / "rooms" / "command-room" / "logs"
    assert "Voilà is running at" in (logs / server.ROOM_SERVER_LOG).read_text(encoding="utf-8")


@pytest.mark.parametrize(("tools", "said"), [
    ("diary", "The reflective diary is private, so it cannot be used in a room."),
    ("ladder,diary", "The reflective diary is private, so it cannot be used in a room."),
    ("ladder,quiz", "(not quiz)"),
])
def test_the_workshop_command_refuses_tools_a_room_cannot_have_before_any_server_starts(tmp_path, tools, said):
    done = subprocess.run([sys.executable, "-m", "cofacilitate.cli", "workshop", "--no-browser", "--room", "R", "--tools", tools,
                           "--home", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    shown = (done.stdout + done.stderr).strip()
    assert said in shown and len(shown.splitlines()) == 1 and "Traceback" not in shown, shown
    assert not (tmp_path / "rooms").exists(), "nothing made, no server started"

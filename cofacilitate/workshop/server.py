"""The workshop room's two servers: participants' pages on the network, the dashboard on this computer only.

Each is a standalone Voilà server in single-notebook mode: the root address and every other path
render that one notebook (any path is sent to /voila/files/, which serves no file at all), so no
list, no source and no other notebook can be reached, however the address is edited.

- The participant server listens on the room's network address without a Jupyter token: the join
  code in the link, checked in the kernel, is the gate. It keeps Voilà's standalone message filter
  (a page's websocket can drive widgets, never run code), serves no files, lets no address pick
  another template, and keeps a preheated pool for the participant notebook alone, refilled only
  after `fill_delay` so refills never compete with a crowd that is joining. Kernels talk over IPC
  sockets where the platform has them (over TCP, forty kernels starting at once killed one with
  "Address already in use"). A cap (`CappedKernelManager`) turns the visitor past it away with a
  plain "The room is full" page (HTTP 503) instead of starting kernels until the machine gives up.
- The dashboard server is started as `cofacilitate open` starts its server (127.0.0.1 only, a
  token, the Host check, our login page), on the dashboard notebook, with no pool.

This module also runs inside the participant server (`python -m cofacilitate.workshop.server`):
`RoomVoila` adds the cap, HTTPS and a loopback listener to Voilà, which a pooled kernel needs to
learn its visitor's address (voila.utils.wait_for_request asks 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
import socket
import ssl
import subprocess
import sys
import uuid
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

import tornado.web
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer, Unicode
from voila.app import Voila
from voila.handler import BaseVoilaHandler
from voila.static_file_handler import AllowListFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from cofacilitate.cli import (
    WEBSOCKET_LIMIT,
    start_voila,
    template_env,
    workbooks_dir,
)

PARTICIPANT_NOTEBOOK = "participant.ipynb"
DASHBOARD_NOTEBOOK = "dashboard.ipynb"
DEFAULT_POOL = 20
DEFAULT_MAX_PARTICIPANTS = 60
# Refills wait this long after a pooled kernel is used, so a crowd joining at once is not slowed by kernels
# starting for people not there yet (with Voilà's default of 1 s, clicks took a median 1.3 s while 40 joined).
FILL_DELAY_SECONDS = 120.0
# A page nobody has had open for this long gives its kernel (and its place in the room) back. Phones often
# close a page without Voilà's goodbye, and a reload leaves the old kernel behind; 5 minutes lets a phone
# that slept through a short talk come back to its page, and frees a reloaded page's place soon after.
# Drafts are kept in the store, so a page whose kernel went comes back with its words when reloaded.
ROOM_CULL_SECONDS = 300
ROOM_SERVER_LOG = "room-participants.log"
DASHBOARD_SERVER_LOG = "room-dashboard.log"
LOOPBACK = "127.0.0.1"
ANY_ADDRESS = ("0.0.0.0", "::", "")
# An address reserved for documentation (RFC 5737): "connecting" a UDP socket to it sends nothing, but
# makes the system pick the address it would use for the network, which is the one phones can reach.
PROBE_ADDRESS = ("192.0.2.1", 9)


def room_notebooks() -> Path:
    return workbooks_dir() / "room"


def lan_address() -> str | None:
    """This computer's address on its network, found without sending anything; None when there is none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(PROBE_ADDRESS)
            address = probe.getsockname()[0]
    except OSError:
        return None
    found = ipaddress.ip_address(address)
    return None if found.is_loopback or found.is_link_local or found.is_unspecified else address


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def free_port_on(*hosts: str) -> int:
    """A port free on every address given (the participant server listens on its address and on loopback)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind((hosts[0], 0))
            port = probe.getsockname()[1]
        if all(port_is_free(host, port) for host in hosts[1:]):
            return port
    raise OSError("no port is free on " + ", ".join(hosts))


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def participant_link(host: str, port: int, room: str, join_code: str, tls: bool = False) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}/?{urlencode({'room': room, 'join': join_code})}"


def facilitator_link(port: int, token: str, room: str, key: str) -> str:
    return f"http://{LOOPBACK}:{port}/?{urlencode({'token': token, 'room': room, 'key': key})}"


def participant_command(host: str, port: int, *, pool: int = DEFAULT_POOL, max_participants: int = DEFAULT_MAX_PARTICIPANTS,
                        fill_delay: float = FILL_DELAY_SECONDS, cull_idle_seconds: int = ROOM_CULL_SECONDS,
                        certfile: str | None = None, keyfile: str | None = None, notebook: Path | None = None) -> list[str]:
    """The participant server as we run it; shared by `workshop`, the tests and the benchmarks."""
    notebook = notebook or room_notebooks() / PARTICIPANT_NOTEBOOK
    settings = {"websocket_max_message_size": WEBSOCKET_LIMIT}
    command = [
        sys.executable, "-m", "cofacilitate.workshop.server", str(notebook), "--no-browser", "--template=cofacilitate",
        f"--port={port}", f"--Voila.ip={host}", "--Voila.port_retries=0", "--show_tracebacks=False",
        "--VoilaConfiguration.file_allowlist=[]", "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO", f"--Voila.tornado_settings={settings!r}",
        "--VoilaConfiguration.multi_kernel_manager_class=cofacilitate.workshop.server.CappedKernelManager",
        f"--CappedKernelManager.max_visitors={max_participants}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={max(1, cull_idle_seconds // 4)}",
        "--MappingKernelManager.cull_connected=False",
    ]
    if pool > 0:
        # A single-notebook server names its pool by the notebook's file name; every other name gets none.
        pools = {notebook.name: {"pool_size": pool}, "default": {"pool_size": 0}}
        others = [f"^(?!{re.escape(notebook.name)}$)"]
        command += ["--preheat_kernel=True", "--pool_size=0", f"--VoilaKernelManager.kernel_pools_config={pools!r}",
                    f"--VoilaKernelManager.preheat_denylist={others!r}", f"--VoilaKernelManager.fill_delay={fill_delay}"]
    if os.name != "nt":  # Windows has no IPC sockets for ZeroMQ
        command.append("--KernelManager.transport=ipc")
    if certfile:
        command += [f"--RoomVoila.certfile={certfile}", f"--RoomVoila.keyfile={keyfile or ''}"]
    return command


def participant_env(home: Path) -> dict[str, str]:
    """Our template on Jupyter's path, the room's workspace, and no token anywhere a participant's kernel could read."""
    env = template_env()
    for name in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE", "VOILA_APP_IP", "VOILA_WS_PROTOCOL"):
        env.pop(name, None)
    env["COFACILITATE_HOME"] = str(home)
    return env


def start_participant_server(home: Path, host: str, port: int, output: IO | None = None, **options: Any) -> subprocess.Popen:
    """In a session of its own, like `open`'s server: the terminal's Ctrl+C reaches only the command."""
    return subprocess.Popen(participant_command(host, port, **options), env=participant_env(home), stdin=subprocess.DEVNULL,
                            stdout=output, stderr=subprocess.STDOUT if output is not None else None, start_new_session=True)


def start_dashboard_server(home: Path, port: int, token: str, participant_link: str = "",
                           output: IO | None = None) -> subprocess.Popen:
    """`open`'s server (loopback, token, Host check, our login page) on the dashboard notebook alone; the
    participant link goes with it (in its environment, owner-only) for the dashboard's QR code."""
    return start_voila(port, room_notebooks() / DASHBOARD_NOTEBOOK, token, output=output,
                       extra_env=dashboard_env(home, participant_link))


def dashboard_env(home: Path, participant_link: str) -> dict[str, str]:
    from cofacilitate.workshop.rooms import LINK_VARIABLE

    return {"COFACILITATE_HOME": str(home), LINK_VARIABLE: participant_link}


# --- inside the participant server ---------------------------------------------------------------

class RoomFull(tornado.web.HTTPError):
    def __init__(self) -> None:
        super().__init__(503, "every place in the room is taken")


class CappedKernelManager(AsyncMappingKernelManager):
    """Voilà's kernel manager with a cap: at most `max_visitors` pages at once, plus the pool's idle kernels.

    Voilà wraps this class in its pool (voila_kernel_manager_factory), so `_pools` and `fill_if_needed`
    are there at run time when preheating is on. A start is for the pool when Voilà marks its env
    VOILA_PREHEAT=True; every other start is for a visitor, and is refused past the cap.
    """

    max_visitors = Integer(DEFAULT_MAX_PARTICIPANTS, config=True, help="Most pages open at once (0: no cap).")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting_for_visitors: set[str] = set()
        self._starting_for_pool: set[str] = set()

    def _pool_tasks(self, notebook: str | None = None) -> list[asyncio.Task]:
        pools: dict[str, list[asyncio.Task]] = getattr(self, "_pools", {})
        return [task for name, tasks in pools.items() if notebook in (None, name) for task in tasks]

    def _ready_kernel(self, task: asyncio.Task) -> str | None:
        """The id of a pooled kernel that is started and still running; None while it starts, or if it failed."""
        if not task.done() or task.cancelled() or task.exception() is not None:
            return None
        kernel_id = task.result()["kernel_id"]
        return kernel_id if kernel_id in self else None

    def in_use(self) -> int:
        """Kernels a visitor has (or is being given): every kernel but the pool's, started or starting."""
        idle = {kernel for kernel in map(self._ready_kernel, self._pool_tasks()) if kernel}
        return len((set(self.list_kernel_ids()) | self._starting_for_visitors) - idle - self._starting_for_pool)

    def room_is_full(self) -> bool:
        return self.max_visitors > 0 and self.in_use() >= self.max_visitors

    def take_ready_from_pool(self, notebook: str) -> bool:
        """Put the pool's ready kernels first (Voilà hands out the first one, and would wait on one still
        starting, or on a refill sleeping through its delay); drop failed ones and refill later; say if one is ready.

        The kernel about to be handed out counts as just used, so the culler leaves it to its visitor."""
        pool: list[asyncio.Task] = getattr(self, "_pools", {}).get(notebook, [])
        ready = [task for task in pool if self._ready_kernel(task)]
        failed = [task for task in pool if task.done() and task not in ready]
        pool[:] = ready + [task for task in pool if not task.done()]
        if failed:
            self.fill_if_needed(delay=None, notebook_name=notebook)  # type: ignore[attr-defined]
        if not ready:
            return False
        kernel: Any = self.get_kernel(ready[0].result()["kernel_id"])
        kernel.last_activity = utcnow()  # jupyter_server adds this to each kernel it runs
        return True

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs: Any) -> str:  # type: ignore[override]
        for_pool = kwargs.get("env", {}).get("VOILA_PREHEAT") == "True"
        pool_size = sum(config.get("pool_size", 0) for config in getattr(self, "kernel_pools_config", {}).values())
        every_kernel = set(self.list_kernel_ids()) | self._starting_for_visitors | self._starting_for_pool
        if self.max_visitors > 0 and (len(every_kernel) >= self.max_visitors + pool_size
                                      or (not for_pool and self.in_use() >= self.max_visitors)):
            self.log.warning("The room is full: no kernel started (%d in use)", self.in_use())
            raise RoomFull()
        kernel_id = kernel_id or str(uuid.uuid4())
        starting = self._starting_for_pool if for_pool else self._starting_for_visitors
        starting.add(kernel_id)
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            starting.discard(kernel_id)


class RoomPageHandler(TornadoVoilaHandler):
    """The participant page: "the room is full" past the cap, and a pooled kernel only when one is ready."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        if not path and self.kernel_manager.room_is_full():
            raise RoomFull()
        await super().get(path)

    def should_use_rendered_notebook(self, *args: Any, **kwargs: Any) -> bool:
        return bool(super().should_use_rendered_notebook(*args, **kwargs)
                    and self.kernel_manager.take_ready_from_pool(self.notebook_path))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        if status_code == 503:
            self.set_header("Retry-After", "60")
        super().write_error(status_code, **kwargs)


class NoFiles(BaseVoilaHandler):
    """/voila/files/ (where single-notebook Voilà sends every other path) serves nothing: our own "not found" page."""

    def get(self, path: str = "") -> None:
        raise tornado.web.HTTPError(404)


class RoomVoila(Voila):
    """Voilà with our page handler, optional HTTPS, and a plain listener on loopback for the pool's own kernels."""

    certfile = Unicode("", config=True, help="Certificate file for HTTPS (PEM).")
    keyfile = Unicode("", config=True, help="Private key file for the certificate (PEM), if not inside it.")

    def init_handlers(self) -> list:
        """Voilà's own, with our page handler for the notebook, and nothing at all at /voila/files/."""
        rules = []
        for rule in super().init_handlers():
            if rule[1] is TornadoVoilaHandler:
                rule = (rule[0], RoomPageHandler, *rule[2:])
            elif rule[1] is AllowListFileHandler:
                rule = (rule[0], NoFiles, {"voila_configuration": self.voila_configuration})
            rules.append(rule)
        return rules

    def listen(self) -> None:
        tls = None
        if self.certfile:
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.load_cert_chain(self.certfile, self.keyfile or None)
        listen = self.app.listen

        def listen_here_and_on_loopback(port: int, address: str = "", **kwargs: Any) -> Any:
            server = listen(port, address, ssl_options=tls, **kwargs)
            if address not in ANY_ADDRESS and not is_loopback(address):
                try:
                    listen(port, LOOPBACK, **kwargs)
                except OSError:
                    server.stop()
                    raise
            return server

        self.app.listen = listen_here_and_on_loopback
        super().listen()


if __name__ == "__main__":
    from cofacilitate.workshop import server  # one copy of these classes: the configuration names them by module

    server.RoomVoila.launch_instance()

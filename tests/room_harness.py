"""A workshop room's two real servers for the tests and the benchmarks: started as `cofacilitate workshop` starts them.

`RoomServers` makes the room in a workspace under the folder it is given (`rooms.open_room`, so
the codes are real), starts the participant server (cofacilitate.workshop.server) on a free port
and, unless asked not to, the dashboard server (tests.harness.VoilaServer on the dashboard
notebook, which is exactly `open`'s server), waits until both answer, and stops both. Nothing
here is a pytest fixture, so the benchmarks use it as plain Python. psutil is imported only where
kernels are looked at.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cofacilitate.cli import stop_voila, wait_until_serving
from cofacilitate.store import Workspace
from cofacilitate.workshop import server
from cofacilitate.workshop.rooms import ROOM_TOOLS, RoomKeys, open_room, room_home, room_id_for
from tests.harness import VoilaServer

POOL_FILLED = re.compile(r"Kernel pool of \S+ is filled with (\d+) kernel")


def kernels_below(process: Any) -> list:
    """The ipykernel processes under a psutil.Process (ended ones are left out)."""
    import psutil

    running = []
    for child in process.children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                running.append(child)
        except psutil.Error:
            continue
    return running


class RoomServers:
    """The room `name` under `root`: its participant server (`base`, `link()`) and its dashboard (`dashboard`).

    `notebook` replaces the participant notebook (a throwaway one, for the cap and the listeners);
    `options` go to server.participant_command (pool, max_participants, fill_delay, certfile, ...).
    """

    def __init__(self, root: Path, *, name: str = "Test room", tools: Sequence[str] = ROOM_TOOLS, host: str = server.LOOPBACK,
                 dashboard: bool = True, notebook: Path | None = None, start_seconds: float = 120, **options: Any) -> None:
        self.root = root
        self.host = host
        self.home = room_home(root / "base", room_id_for(name))
        store = Workspace.open(self.home)
        try:
            self.keys: RoomKeys = open_room(store, name, tools)
        finally:
            store.close()
        loopback_too = not server.is_loopback(host)
        self.port = server.free_port_on(host, *([server.LOOPBACK] if loopback_too else []))
        self.tls = bool(options.get("certfile"))
        self.base = f"{'https' if self.tls else 'http'}://{host}:{self.port}"
        self.local_base = f"http://{server.LOOPBACK}:{self.port}"  # loopback: plain HTTP for the pool's kernels
        self.log_path = root / f"participants-{self.port}.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (held open for the life of the server, closed in stop())
        self.process = server.start_participant_server(self.home, host, self.port, output=self.log, notebook=notebook,
                                                       **options)
        self.dashboard: VoilaServer | None = None
        try:
            if not wait_until_serving(self.local_base, self.process, start_seconds):
                raise RuntimeError(f"the participant server did not start (status {self.process.poll()}); see {self.log_path}")
            if dashboard:
                self.dashboard = VoilaServer(self.home, folder=server.room_notebooks() / server.DASHBOARD_NOTEBOOK,
                                             log_path=root / "dashboard.log", start_seconds=start_seconds)
        except BaseException:
            self.stop()
            raise

    def link(self, join: str | None = None, room: str | None = None, *, base: str | None = None) -> str:
        """The participant link as the command prints it (or with another code or room, to be refused)."""
        address = (base or self.base).split("://", 1)[1].rsplit(":", 1)[0]
        return server.participant_link(address, self.port, room or self.keys.room, self.keys.join_code if join is None else join,
                                       tls=(base or self.base).startswith("https"))

    def facilitator_link(self) -> str:
        assert self.dashboard is not None
        return server.facilitator_link(self.dashboard.port, self.dashboard.token, self.keys.room, self.keys.facilitator_key)

    @property
    def ps(self):
        import psutil

        return psutil.Process(self.process.pid)

    def kernels(self) -> list:
        """The participant server's kernel processes (its pool's among them)."""
        return kernels_below(self.ps)

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_pool(self, size: int, seconds: float = 120) -> None:
        """Until Voilà says the pool holds `size` kernels (it says so once, when the pool is first full)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if any(int(found) >= size for found in POOL_FILLED.findall(self.log_text())):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"the pool did not fill with {size} kernels in {seconds:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        """Both servers, as `workshop` stops them: each stops its kernels."""
        if self.dashboard is not None:
            self.dashboard.stop()
        stop_voila(self.process)
        self.log.close()

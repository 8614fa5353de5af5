"""What the browser tests and the benchmarks share: folders kept apart, our Voilà server, Chromium.

Used by `tests/conftest.py` and by `benchmarks/` (which puts the repository root on sys.path and
imports `tests.harness`). Nothing here is a pytest fixture, so both can use it as plain Python.
psutil (a test extra) is imported only where kernels are looked at.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from cofacilitate.cli import (
    KERNEL_IDLE_CULL_SECONDS,
    free_port,
    new_token,
    start_voila,
    stop_voila,
    wait_until_serving,
    workbooks_dir,
)

# Debian's chromium, never a downloaded browser (`playwright install` cannot download one here).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MB = 1024 * 1024

# Every folder the server, kernels and browser could write to: variable -> folder under the root.
FOLDERS = {
    "JUPYTER_CONFIG_DIR": "jupyter-config", "JUPYTER_DATA_DIR": "jupyter-data", "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
    "IPYTHONDIR": "ipython", "COFACILITATE_HOME": "workspace", "COFACILITATE_CACHE": "cache",
    "XDG_DATA_HOME": "xdg-data", "XDG_CACHE_HOME": "xdg-cache", "XDG_CONFIG_HOME": "xdg-config",
}
# Settings that would make a run behave like somewhere else (Binder, a temporary server, other cards).
FORGOTTEN = ("COFACILITATE_TEMPORARY", "COFACILITATE_CARDS", "COFACILITATE_DATABASE_URL")


def isolate(root: Path, home: Path | None = None, tmpdir: bool = False) -> dict[str, Path]:
    """Point HOME (default `root/home`) and every folder in FOLDERS (and TMPDIR if asked) under `root`.

    Changes os.environ in place, so servers and kernels started afterwards inherit it; the caller
    restores the environment if it needs to. Returns {variable: folder}.
    """
    names = {"HOME": home or root / "home", **{name: root / folder for name, folder in FOLDERS.items()}}
    if tmpdir:
        names["TMPDIR"] = root / "tmp"
    for name, path in names.items():
        path.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(path)
    for name in [n for n in os.environ if n.startswith("BINDER_")] + list(FORGOTTEN):
        os.environ.pop(name, None)
    return names


def launch_chromium(playwright):
    """Headless Debian Chromium with our launch arguments."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def rss_mb(process) -> float:
    """Resident memory of a psutil.Process, in MB."""
    return process.memory_info().rss / MB


def cpu_s(process) -> float:
    """CPU seconds the process has used: steadier than wall time when the machine is shared."""
    used = process.cpu_times()
    return used.user + used.system


def kernel_id_of(process) -> str | None:
    """The kernel id, read from the connection file named on the kernel's command line."""
    import psutil

    try:
        for part in process.cmdline():
            match = re.search(r"kernel-([0-9a-f-]{36})\.json$", part)
            if match:
                return match.group(1)
    except psutil.Error:
        pass
    return None


class OutOfTime(RuntimeError):
    pass


class Deadline:
    """One overall deadline; every wait takes its timeout from what is left (Voilà can keep a page open forever)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise OutOfTime(f"the overall deadline of {self.seconds:.0f} s passed")
        return remaining

    def ms(self, cap: float) -> float:
        """A Playwright timeout (milliseconds): at most `cap` seconds and never past the deadline."""
        return max(1.0, min(cap, self.left())) * 1000


class VoilaServer:
    """A real Voilà server on loopback, started exactly as `cofacilitate open` starts it, with our template.

    It serves `folder` (default: the real workbooks) with COFACILITATE_HOME set to `workspace`, and
    logs to `log_path` (default: `voila-<port>.log` next to the workspace). Like `open`, it has a
    secret `token`: `url()` carries it (a browser then holds the login cookie) and our REST calls send it.
    """

    def __init__(
        self, workspace: Path, extra_env: dict[str, str] | None = None, cull_idle_seconds: int = KERNEL_IDLE_CULL_SECONDS,
        *, folder: Path | None = None, log_path: Path | None = None, start_seconds: float = 90,
    ) -> None:
        self.workspace = workspace
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = new_token()
        self.log_path = log_path or workspace.parent / f"voila-{self.port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (held open for the life of the server, closed in stop())
        # Any matching _xsrf cookie and X-XSRFToken header pass Tornado's check for our own REST calls.
        self._xsrf = secrets.token_hex(16)
        self.process = start_voila(self.port, folder or workbooks_dir(), self.token, output=self.log,
                                   cull_idle_seconds=cull_idle_seconds,
                                   extra_env={"COFACILITATE_HOME": str(workspace), **(extra_env or {})})
        if not wait_until_serving(self.base, self.process, start_seconds):
            status = self.process.poll()
            self.stop()
            raise RuntimeError(f"Voilà did not start within {start_seconds:.0f} s, or exited (status {status}); "
                               f"see {self.log_path}")

    def url(self, notebook: str) -> str:
        """The page's address with the token, as `cofacilitate open` prints it."""
        return f"{self.base}/voila/render/{notebook}?token={self.token}"

    @property
    def ps(self):
        """The server's own psutil.Process."""
        import psutil

        return psutil.Process(self.process.pid)

    def kernels(self) -> list:
        """The kernel processes this server has running (Voilà has no kernel listing API)."""
        import psutil

        running = []
        for child in self.ps.children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                    running.append(child)
            except psutil.Error:  # ended while we looked: not running
                continue
        return running

    def _request(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(self.base + path, method=method, headers={
            "Authorization": f"token {self.token}", "Cookie": f"_xsrf={self._xsrf}", "X-XSRFToken": self._xsrf,
        })
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def shutdown_kernel(self, kernel_id: str) -> None:
        """DELETE /api/kernels/<id>: standalone Voilà has no kernel list, but does have this.

        A closed tab's own shutdown request is refused for want of _xsrf (Voilà issue 1458); ours carries it.
        """
        try:
            self._request(f"/api/kernels/{kernel_id}", method="DELETE")
        except urllib.error.HTTPError as err:
            if err.code != 404:  # 404: already gone
                raise

    def shutdown_all_kernels(self, seconds: float = 20.0) -> None:
        """Shut down every kernel through the REST API and wait until their processes are gone."""
        import psutil

        processes = self.kernels()
        for process in processes:
            kernel_id = kernel_id_of(process)
            if kernel_id:
                self.shutdown_kernel(kernel_id)
        _, alive = psutil.wait_procs(processes, timeout=seconds)
        if alive:
            raise RuntimeError(f"kernels still running {seconds:.0f} s after shutdown: {[p.pid for p in alive]}")

    def stop(self) -> None:
        """Stop the server as `cofacilitate open` does: its process group, and through Voilà its kernels."""
        stop_voila(self.process)
        self.log.close()

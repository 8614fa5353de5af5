"""A real JupyterHub on loopback for the tests and the benchmarks, started from deploy/jupyterhub_config.py.

`HubServer` starts `jupyterhub` with configurable-http-proxy on free ports, the hub's own files in a
folder of its own, DummyAuthenticator with one password, the local process spawner with real
system accounts (made here with `useradd -m` if missing: we run as root), and the rooms given. An
admin service token (`admin_token`) lets the harness make a user's own API token and start servers.
Nothing here is a pytest fixture, so the benchmarks use it as plain Python.

The Python the hub runs must be one every account can run. A Python under /root (pyenv) cannot be
reached by other accounts, so `shared_python` mounts its folder read-only (a bind mount) at a path
they can reach, for the life of the hub.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import websocket

from cofacilitate.cli import free_port, stop_voila

DEPLOY_CONFIG = Path(__file__).resolve().parents[1] / "deploy" / "jupyterhub_config.py"
PASSWORD = "a password only tests use " + secrets.token_hex(4)
PROXY = shutil.which("configurable-http-proxy") or "/usr/bin/configurable-http-proxy"
START_SECONDS = 120


def ensure_account(name: str) -> Path:
    """A system account with its own home folder that only it can open."""
    if subprocess.run(["id", name], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "-m", "-s", "/bin/sh", name], check=True, capture_output=True)
    home = Path(os.path.expanduser(f"~{name}"))
    os.chmod(home, 0o700)
    return home


def reachable_by(account: str, path: str) -> bool:
    return subprocess.run(["su", account, "-s", "/bin/sh", "-c", f"test -x {path}"], capture_output=True).returncode == 0


class SharedPython:
    """This Python where every account can run it: itself, or its folder mounted read-only at /tmp/cofahub-python-*."""

    def __init__(self, account: str) -> None:
        self.mount: Path | None = None
        self.prefix = Path(sys.prefix)
        if not reachable_by(account, sys.executable):
            self.mount = Path(f"/tmp/cofahub-python-{uuid.uuid4().hex[:8]}")
            self.mount.mkdir(mode=0o755)
            subprocess.run(["mount", "--bind", sys.prefix, str(self.mount)], check=True)
            subprocess.run(["mount", "-o", "remount,bind,ro", str(self.mount)], check=True)
            self.prefix = self.mount
        self.executable = str(self.prefix / "bin" / Path(sys.executable).name)

    def environment(self) -> dict[str, str]:
        """What a process needs to run it (a pyenv Python finds its library by an absolute path under /root)."""
        return {"LD_LIBRARY_PATH": str(self.prefix / "lib"), "PATH": f"{self.prefix / 'bin'}:/usr/bin:/bin"}

    def close(self) -> None:
        if self.mount is not None:
            subprocess.run(["umount", str(self.mount)], check=False)
            self.mount.rmdir()
            self.mount = None


class HubServer:
    """JupyterHub with our deploy config at `base` (the proxy's public address), for `users` and `rooms`.

    `groups` maps a group to its users (the rooms' "participants"/"facilitators" name groups or users).
    `users` get system accounts (their own servers can start).
    """

    def __init__(self, root: Path, users: Sequence[str], rooms: list[dict[str, Any]], groups: dict[str, list[str]],
                 *, extra_config: str = "", hub_only_users: Sequence[str] = ()) -> None:
        """`hub_only_users` may log in (to rooms, say) but get no system account: their own server is never started."""
        self.root = root
        self.data = root / "hub"
        self.data.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.users = list(users)
        self.homes = {user: ensure_account(user) for user in self.users}
        self.python = SharedPython(self.users[0])
        self.port, hub_port, api_port = free_port(), free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(32)
        rooms_file = root / "rooms.json"
        rooms_file.write_text(json.dumps(rooms), encoding="utf-8")
        config = root / "jupyterhub_test_config.py"
        config.write_text(f"""
c = get_config()
load_subconfig({str(DEPLOY_CONFIG)!r})
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allowed_users = set({[*self.users, *hub_only_users]!r})
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{PROXY!r}]
c.Spawner.environment.update({self.python.environment()!r})
c.Spawner.start_timeout = {START_SECONDS}
c.Spawner.http_timeout = {START_SECONDS}
c.JupyterHub.load_groups = {{name: {{"users": users}} for name, users in {groups!r}.items()}}
c.JupyterHub.services.append({{"name": "test-admin", "api_token": {self.admin_token!r}}})
c.JupyterHub.load_roles.append({{"name": "test-admin", "services": ["test-admin"],
                                 "scopes": ["admin:users", "admin:servers", "admin:groups", "tokens", "read:users"]}})
{extra_config}
""", encoding="utf-8")
        env = {**os.environ, "COFACILITATE_HUB_URL": self.base, "COFACILITATE_HUB_DATA": str(self.data),
               "COFACILITATE_HUB_ROOMS": str(rooms_file), "COFACILITATE_HUB_PYTHON": self.python.executable,
               **self.python.environment()}
        self.log_path = root / "jupyterhub.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (held open for the life of the hub, closed in stop())
        self.process = subprocess.Popen([self.python.executable, "-m", "jupyterhub", "-f", str(config)], cwd=self.data,
                                        env=env, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        try:
            self.wait_for(lambda: self.answers("/hub/health"), "the hub to answer")
        except BaseException:
            self.stop()
            raise

    # --- waiting and asking --------------------------------------------------------------------
    def wait_for(self, ready: Any, what: str, seconds: float = START_SECONDS) -> Any:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub stopped (status {self.process.poll()}); see {self.log_path}")
            found = ready()
            if found:
                return found
            time.sleep(0.3)
        raise RuntimeError(f"waited {seconds:.0f} s for {what}; see {self.log_path}")

    def answers(self, path: str) -> bool:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as answer:
                return answer.status == 200
        except OSError:
            return False

    def api(self, path: str, method: str = "GET", body: Any = None, token: str | None = None) -> Any:
        """The hub's REST API (as the admin service unless another token is given)."""
        request = urllib.request.Request(self.base + "/hub/api" + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"token {token or self.admin_token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def user_token(self, user: str) -> str:
        """An API token of the user's own, as they could make on the hub's token page."""
        return str(self.api(f"/users/{user}/tokens", "POST", {"note": "test"})["token"])

    def start_server(self, user: str) -> None:
        """The user's own server, started (if it is not) and answering."""
        model = self.api(f"/users/{user}")
        if not model.get("servers", {}).get("", {}).get("ready"):
            try:
                self.api(f"/users/{user}/server", "POST", {})
            except urllib.error.HTTPError as err:
                if err.code != 400:  # 400: already starting
                    raise
        self.wait_for(lambda: self.api(f"/users/{user}").get("servers", {}).get("", {}).get("ready"), f"{user}'s server")

    def service_pids(self) -> dict[str, int]:
        """The rooms' service processes, by service name (from their command lines)."""
        import psutil

        found = {}
        for process in psutil.Process(self.process.pid).children(recursive=True):
            try:
                line = process.cmdline()
            except psutil.Error:
                continue
            if "cofacilitate.workshop.hub" in line:
                found[line[-1]] = process.pid
        return found

    def stop(self) -> None:
        """The hub (which stops its services; a user's server is stopped by the hub's own shutdown), then the mount.

        A hub that gave up while starting leaves its proxy and services running: whatever it started is ended too."""
        import psutil

        started = []
        with contextlib.suppress(psutil.Error):
            started = psutil.Process(self.process.pid).children(recursive=True)
        for user in self.users:
            with contextlib.suppress(OSError):  # HTTPError is an OSError: a server not running is fine
                self.api(f"/users/{user}/server", "DELETE")
        stop_voila(self.process, 30)
        for process in started:
            with contextlib.suppress(psutil.Error):
                process.terminate()
        psutil.wait_procs(started, timeout=20)
        self.log.close()
        self.python.close()


def run_in_server(hub: HubServer, user: str, token: str, code: str, seconds: float = 60) -> str:
    """Run code in the user's own server with their own token, as JupyterLab would; returns what it printed."""
    base = f"{hub.base}/user/{user}"
    request = urllib.request.Request(f"{base}/api/kernels", method="POST", data=b"{}",
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=seconds) as answer:
        kernel = json.loads(answer.read())["id"]
    ws = websocket.create_connection(f"ws://127.0.0.1:{hub.port}/user/{user}/api/kernels/{kernel}/channels",
                                     header=[f"Authorization: token {token}"], timeout=seconds)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({"channel": "shell", "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": "t",
                                                           "username": user, "version": "5.3"},
                            "parent_header": {}, "metadata": {}, "content": {"code": code, "silent": False}}))
        printed = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            message = json.loads(ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            if kind == "stream":
                printed.append(message["content"]["text"])
            elif kind == "error":
                printed.append("\n".join(message["content"]["traceback"]))
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                return "".join(printed)
        raise RuntimeError("the code did not finish")
    finally:
        ws.close()
        request = urllib.request.Request(f"{base}/api/kernels/{kernel}", method="DELETE",
                                         headers={"Authorization": f"token {token}"})
        urllib.request.urlopen(request, timeout=seconds).close()

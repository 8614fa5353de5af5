"""The workbook and a room on a real JupyterHub, against a floor page served through the same hub, in one run.

    python benchmarks/hub_bench.py [--runs 3] [--keep]

Starts the hub of tests/hub_harness.py (deploy/jupyterhub_config.py, configurable-http-proxy, real
system accounts, run as root) with one room twice over (a pool of `--runs` kernels, and no pool)
and two floor services (benchmarks/floor.ipynb, one button, in the room's own standalone Voilà:
pooled and cold). Floor services have no hub login of their own, so the room's figure includes the
hub's OAuth check on every page. In headless Chromium, logged in once, it times from asking for a
page to its first widget: a person's own landing page (the server extension: every page a cold
start), the room's page pooled and cold, the floor pooled and cold. Memory: PSS and RSS (psutil, as
root) of one person's own server at rest and of its landing page's kernel, and of one pooled
participant kernel; CPU seconds each used to get there. Prints a table; JSON in
benchmarks/results/hub-latest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root: `benchmarks` and `tests`

import psutil

from benchmarks.hub_crowd import (
    CROWD_ROOM,
    CROWD_SERVICE,
    FACILITATOR,
    crowd_table,
    crowd_through_the_hub,
    crowd_users,
    open_in_store,
)
from benchmarks.report import versions
from cofacilitate.workshop import server
from tests.harness import CHROMIUM, CHROMIUM_ARGS, MB, cpu_s, isolate
from tests.hub_harness import PASSWORD, HubServer

HERE = Path(__file__).resolve().parent
USER = "cofahub-a"
ROOMS = {"pool": "room-bench-pool", "cold": "room-bench-cold"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def floor_services(root: Path, pool: int) -> str:
    """Config lines adding the floor, pooled and cold, as services run by the room's own Voilà (no hub login)."""
    floor = root / "floor" / "floor.ipynb"
    floor.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "floor.ipynb", floor)
    lines = []
    for name, size in (("floor-pool", pool), ("floor-cold", 0)):
        port = server.free_port_on(server.LOOPBACK)
        command = [*server.participant_command(server.LOOPBACK, port, pool=size, notebook=floor),
                   f"--Voila.base_url=/services/{name}/"]
        command[0] = "PYTHON"
        lines.append(f"c.JupyterHub.services.append({{'name': {name!r}, 'url': 'http://127.0.0.1:{port}', 'timeout': 120, "
                     f"'command': [python if part == 'PYTHON' else part for part in {command!r}], "
                     f"'environment': {{'JUPYTER_PATH': {str(server.template_env()['JUPYTER_PATH'])!r}, "
                     f"'HOME': {str(floor.parent)!r}}}}})")
    return "python = c.Spawner.cmd[0]\n" + "\n".join(lines)


def pss_mb(process: psutil.Process) -> float:
    return round(process.memory_full_info().pss / MB, 1)


def rss(process: psutil.Process) -> float:
    return round(process.memory_info().rss / MB, 1)


def processes(pattern: str, user: str | None = None) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline", "username"]):
        line = " ".join(process.info["cmdline"] or [])
        if pattern in line and (user is None or process.info["username"] == user):
            found.append(process)
    return found


def first_widget(page: Any, url: str, selector: str) -> float:
    """Seconds from asking for the page to its first widget shown."""
    began = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(selector, state="visible", timeout=180_000)
    return round(time.perf_counter() - began, 2)


def measure(root: Path, runs: int, crowd: int) -> dict[str, Any]:
    rooms = [{"name": f"Bench {kind}", "service": service, "tools": ["ladder"], "pool": runs + 1 if kind == "pool" else 0,
              "participants": {"users": [USER]}} for kind, service in ROOMS.items()]
    people = crowd_users(crowd)
    if crowd:
        rooms.append({"name": CROWD_ROOM, "service": CROWD_SERVICE, "tools": ["ladder"], "pool": crowd + 2,
                      "max_participants": crowd + 10, "participants": {"users": people},
                      "facilitators": {"users": [FACILITATOR]}})
    hub = HubServer(root, [USER], rooms, {}, extra_config=floor_services(root, runs + 1 + crowd),
                    hub_only_users=[*people, FACILITATOR] if crowd else [])
    found: dict[str, Any] = {}
    try:
        for kind in ROOMS:  # these two rooms are opened as their facilitator would, before anyone comes
            open_in_store(hub, f"Bench {kind}")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            page = context.new_page()
            hosts: set[str] = set()
            page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
            page.goto(f"{hub.base}/hub/login", wait_until="domcontentloaded")
            page.fill("#username_input", USER)
            page.fill("#password_input", PASSWORD)
            began = time.perf_counter()
            page.click("#login_submit")
            page.wait_for_selector(".cofa-app", state="visible", timeout=180_000)
            found["login to own landing page s"] = round(time.perf_counter() - began, 2)
            landing = f"{hub.base}/user/{USER}/voila/render/index.ipynb"
            found["own landing page s"] = [first_widget(page, landing, ".cofa-app") for _ in range(runs)]
            own = processes("jupyterhub.singleuser", USER)
            if own:  # measured while its landing page is open
                kernels = [k for k in own[0].children(recursive=True) if "ipykernel" in " ".join(k.cmdline())]
                found["own server PSS/RSS MB"] = (pss_mb(own[0]), rss(own[0]))
                found["own server CPU s"] = round(cpu_s(own[0]), 2)
                if kernels:
                    found["own landing kernel PSS/RSS MB"] = (pss_mb(kernels[-1]), rss(kernels[-1]))
                    found["own landing kernel CPU s"] = round(cpu_s(kernels[-1]), 2)
            pages = {f"room page {kind} s": (f"/services/{service}/", ".cofa-room-title") for kind, service in ROOMS.items()}
            pages |= {f"floor page {kind} s": (f"/services/floor-{kind}/", ".widget-button") for kind in ("pool", "cold")}
            for path, selector in pages.values():  # not timed: the first visit also logs in to a room's service (OAuth)
                first_widget(page, hub.base + path, selector)
            time.sleep(5)
            for name in pages:
                found[name] = []
            for _ in range(runs - 1):  # taken in turn, so a busy moment on a shared machine falls on every kind alike
                for name, (path, selector) in pages.items():
                    found[name].append(first_widget(page, hub.base + path, selector))
            found["hosts asked"] = sorted(hosts)
            room_servers = processes("cofacilitate.workshop.hub participant")
            pooled = max(([k for k in process.children(recursive=True) if "ipykernel" in " ".join(k.cmdline())]
                          for process in room_servers), key=len, default=[])
            if pooled:  # a pooled participant kernel, waiting for its visitor
                found["participant kernel PSS/RSS MB"] = (pss_mb(pooled[0]), rss(pooled[0]))
                found["participant kernel CPU s"] = round(cpu_s(pooled[0]), 2)
                parent = pooled[0].parent()
                found["room service PSS/RSS MB"] = (pss_mb(parent), rss(parent))
            browser.close()
        if crowd:
            with contextlib.suppress(OSError):  # the person's own server is not part of the room's figures
                hub.api(f"/users/{USER}/server", "DELETE")
            found |= crowd_through_the_hub(hub, people)
    finally:
        hub.stop()
    return found


def table(found: dict[str, Any]) -> str:
    lines = ["| figure | value |", "| --- | --- |"]
    for name, value in found.items():
        if name.startswith("crowd "):
            continue
        if isinstance(value, list) and value and all(isinstance(v, float) for v in value):
            value = f"median {statistics.median(value):.2f} ({', '.join(f'{v:.2f}' for v in value)})"
        lines.append(f"| {name} | {value} |")
    floor = statistics.median(found.get("floor page cold s") or [0]) or None
    if floor:
        for kind in ("pool", "cold"):
            room = found.get(f"room page {kind} s")
            if room:
                lines.append(f"| room page {kind} / floor cold | {statistics.median(room) / floor:.2f}x |")
        lines.append(f"| own landing page / floor cold | {statistics.median(found['own landing page s']) / floor:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="page loads of each kind (the first room visit is not timed)")
    parser.add_argument("--crowd", type=int, default=40, help="participants who join and Save at once through the hub "
                        "(and as many floor pages); 0: none")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="cofa-hub-bench-"))
    isolate(root / "isolated", tmpdir=False)
    try:
        found = measure(root, max(2, args.runs), args.crowd)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    found["versions"] = versions()
    print(table({k: v for k, v in found.items() if k != "versions"}))
    if args.crowd:
        print(crowd_table(found))
    out = HERE / "results" / "hub-latest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(found, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

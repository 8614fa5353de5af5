"""A room of N through the hub, against N floor pages through the same hub: hub_bench.py's crowd (`--crowd 40`).

Protocol-level people (tests/hub_login.py, then tests/room_harness.RoomParticipant with the login's
cookies): each logs in to the hub as a named hub user (no system account) and through the hub's OAuth
to the room's service, untimed. Then, at one moment (a barrier), all N open the room's page (pooled
room service) and are timed to the first widget they need (the join form); they join and answer the
ladder, and at a second moment all press Save at once, each timed until the kernel has acted on it.
The floor is the same through the same hub: N floor pages (benchmarks/floor.ipynb, pooled, no login)
opened at one moment, then their button pressed at once. The room is opened first by its facilitator,
at the protocol level too, with the dashboard's start form; the dashboard stays open (looking every
few seconds) while the crowd comes, and must then say that N people have joined. Records are counted
at the end: none lost, none twice. Memory is the sum of PSS (psutil, as root) of the hub and
everything it started (proxy, services, kernels), sampled every second; CPU seconds per kernel.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from cofacilitate.store import Workspace
from cofacilitate.workshop.rooms import open_room, room_id_for
from tests.harness import MB, cpu_s
from tests.hub_harness import PASSWORD, HubServer
from tests.hub_login import hub_login
from tests.room_harness import RoomPage, RoomParticipant, kernels_below

CROWD_ROOM = "Bench crowd"
CROWD_SERVICE = "room-bench-crowd"
FACILITATOR = "bench-facilitator"
FLOOR_SERVICE = "floor-pool"
SECONDS = 300  # each page's own deadline


def crowd_users(size: int) -> list[str]:
    return [f"bench-p{number:03d}" for number in range(size)]


def log(message: str) -> None:
    import sys

    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def workspace_of(hub: HubServer, name: str) -> Path:
    return hub.data / "rooms" / room_id_for(name) / "workspace"


def open_in_store(hub: HubServer, name: str) -> None:
    """Open a room straight in its service's workspace (for the page timings, where the start form is not measured)."""
    hub.wait_for(lambda: (workspace_of(hub, name) / "workspace.sqlite").exists(), f"{name}'s workspace")
    store = Workspace.open(workspace_of(hub, name))
    try:
        open_room(store, name, ["ladder"], room_id=room_id_for(name))
    finally:
        store.close()


def everything_of(hub: HubServer) -> list[psutil.Process]:
    try:
        root = psutil.Process(hub.process.pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def pss(process: psutil.Process) -> float:
    try:
        return process.memory_full_info().pss / MB
    except psutil.Error:
        return 0.0


class PeakPss:
    """The largest sum of PSS of the hub and everything under it, sampled in a thread until `stop()`."""

    def __init__(self, hub: HubServer, every: float = 1.0) -> None:
        self.hub, self.every, self.peak, self.running = hub, every, 0.0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, sum(pss(process) for process in everything_of(self.hub)))
            time.sleep(self.every)

    def stop(self) -> int:
        self.running = False
        self.thread.join()
        return round(self.peak)


def service_process(hub: HubServer, name: str) -> psutil.Process:
    for process in everything_of(hub):
        try:
            line = process.cmdline()
        except psutil.Error:
            continue
        if name == FLOOR_SERVICE and f"--Voila.base_url=/services/{name}/" in line:
            return process
        if name != FLOOR_SERVICE and "cofacilitate.workshop.hub" in line and process.environ().get(
                "JUPYTERHUB_SERVICE_NAME") == name:
            return process
    raise LookupError(f"no process for the service {name}")


def wait_until_quiet(hub: HubServer, seconds: float = 600, calm: float = 3.0) -> None:
    """Until the hub's pools have filled: everything under the hub nearly idle for `calm` seconds."""
    def used() -> float:
        total = 0.0
        for process in everything_of(hub):
            try:
                total += cpu_s(process)
            except psutil.Error:
                continue
        return total
    end, before = time.monotonic() + seconds, used()
    while time.monotonic() < end:
        time.sleep(calm)
        now = used()
        if now - before < 0.1 * calm:
            return
        before = now


def at_once(size: int, steps: list[Callable[[int], None]]) -> dict[int, str]:
    """Each step for every person in a thread of their own, all starting each step together (a barrier between steps).

    A person whose step failed still meets the next barriers (so the others go on) and does nothing more."""
    failed: dict[int, str] = {}
    barriers = [threading.Barrier(size, timeout=SECONDS * 2) for _ in steps]

    def run(number: int) -> None:
        for barrier, step in zip(barriers, steps, strict=True):
            barrier.wait()
            if number in failed:
                continue
            try:
                step(number)
            except Exception as err:  # counted and reported: a load test goes on past one failure
                failed[number] = f"{type(err).__name__}: {err}"[:300]

    threads = [threading.Thread(target=run, args=(number,), daemon=True) for number in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS * 3)
    return failed


def floor_crowd(hub: HubServer, size: int) -> dict[str, Any]:
    pages: dict[int, RoomPage] = {}
    first: dict[int, float] = {}
    click: dict[int, float] = {}

    def opening(number: int) -> None:
        began = time.perf_counter()
        page = pages[number] = RoomPage(f"{hub.base}/services/{FLOOR_SERVICE}/", seconds=SECONDS)
        page.find(description="Floor")
        first[number] = time.perf_counter() - began

    def pressing(number: int) -> None:
        page = pages[number]
        began = time.perf_counter()
        page.press(page.find(description="Floor"))
        page.all_said()
        click[number] = time.perf_counter() - began

    peak = PeakPss(hub)
    failed = at_once(size, [opening, pressing])
    found = {"crowd floor first widget s": sorted(first.values()), "crowd floor click s": sorted(click.values()),
             "crowd floor failed": failed, "crowd floor peak PSS MB (hub, proxy, services, kernels)": peak.stop()}
    floor_kernels = kernels_below(service_process(hub, FLOOR_SERVICE))
    found["crowd floor kernel PSS MB (median)"] = round(statistics.median([pss(k) for k in floor_kernels]), 1)
    for page in pages.values():
        page.close()
    return found


def open_the_room(hub: HubServer) -> RoomPage:
    """The facilitator logs in, opens the dashboard's start form and presses “Open the room”; their page stays open."""
    path = f"/services/{CROWD_SERVICE}-dashboard/"
    desk = RoomPage(hub.base + path, seconds=SECONDS, cookies=hub_login(hub.base, FACILITATOR, PASSWORD, path))
    [start] = desk.wait_for(lambda: desk.find_all(css="cofa-open-room"), what="the start form")
    desk.press(start)
    desk.wait_for(lambda: desk.find_all(css="cofa-room-dashboard"), what="the dashboard")
    return desk


def keep_reading(page: RoomPage, running: threading.Event) -> threading.Thread:
    """Read what the dashboard's kernel sends while the crowd comes (as its browser tab would)."""
    def read() -> None:
        while running.is_set():
            page.receive(0.5)
    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def crowd_through_the_hub(hub: HubServer, people: list[str]) -> dict[str, Any]:
    size = len(people)
    log(f"waiting for the pools ({size + 2} room kernels, the floor's) to fill")
    wait_until_quiet(hub)
    found = floor_crowd(hub, size)
    log(f"floor: {len(found['crowd floor first widget s'])} pages, failed {len(found['crowd floor failed'])}")
    logins = {}
    path = f"/services/{CROWD_SERVICE}/"
    for number, user in enumerate(people):  # untimed: every person's hub login and the service's OAuth, one by one
        logins[number] = hub_login(hub.base, user, PASSWORD, path)
    desk = open_the_room(hub)
    reading = threading.Event()
    reading.set()
    reader = keep_reading(desk, reading)
    service = service_process(hub, CROWD_SERVICE)
    cpu_before = {kernel.pid: cpu_s(kernel) for kernel in kernels_below(service)}
    persons: dict[int, RoomParticipant] = {}
    first: dict[int, float] = {}
    save: dict[int, float] = {}

    def joining(number: int) -> None:
        began = time.perf_counter()
        person = persons[number] = RoomParticipant(hub.base + path, number, seconds=SECONDS, cookies=logins[number])
        person.wait_live("cofa-join")
        first[number] = time.perf_counter() - began
        person.join([number % 6] if number % 5 else [])
        person.answer_ladder()

    def saving(number: int) -> None:
        save[number] = persons[number].save()

    log(f"room: {size} people join and Save at once")
    peak = PeakPss(hub)
    failed = at_once(size, [joining, saving])
    found |= {"crowd room first widget s": sorted(first.values()), "crowd room Save s": sorted(save.values()),
              "crowd room failed": failed, "crowd room peak PSS MB (hub, proxy, services, kernels)": peak.stop()}
    reading.clear()
    reader.join()
    desk.wait_for_text(f"{size} people have joined the room", css="cofa-room-counts", seconds=60)
    found["crowd dashboard says"] = f"{size} people have joined the room"
    kernels = kernels_below(service)
    used = {k.pid: cpu_s(k) for k in kernels}
    visited = [k for k in kernels if used[k.pid] - cpu_before.get(k.pid, 0.0) > 0.2]
    found["crowd participant kernel PSS MB (median, max)"] = (round(statistics.median([pss(k) for k in visited]), 1),
                                                              round(max(pss(k) for k in visited), 1))
    found["crowd participant kernel CPU s (median total, median while joining and saving)"] = (
        round(statistics.median([used[k.pid] for k in visited]), 2),
        round(statistics.median([used[k.pid] - cpu_before.get(k.pid, 0.0) for k in visited]), 2))
    found["crowd room service PSS MB"] = round(pss(service), 1)
    dashboard = service_process(hub, f"{CROWD_SERVICE}-dashboard")
    found["crowd dashboard service / its kernel PSS MB"] = (round(pss(dashboard), 1),
                                                             round(sum(pss(k) for k in kernels_below(dashboard)), 1))
    found["crowd hub / proxy PSS MB"] = (round(pss(psutil.Process(hub.process.pid)), 1),
                                        round(sum(pss(p) for p in everything_of(hub) if "configurable-http-proxy" in
                                                  " ".join(p.cmdline())), 1))
    found |= count_records(hub, persons)
    for person in persons.values():
        person.close()
    desk.close()
    return found


def count_records(hub: HubServer, persons: dict[int, RoomParticipant]) -> dict[str, Any]:
    """What the room's store holds at the end: one person and one ladder record each, holding what they chose."""
    store = Workspace.open(workspace_of(hub, CROWD_ROOM))
    try:
        room = room_id_for(CROWD_ROOM)
        joined = store.room_people(room)
        records = store.room_records("ladder", room)
    finally:
        store.close()
    expected = {person.name: person.expected for person in persons.values() if person.expected}
    kept = {}
    for record in records:
        kept.setdefault(record.participant, []).append(
            {a["stage"]: (a["now"], a["aim"], a["climb"]) for a in record.body["answers"]})
    matched = sum(1 for name, answers in expected.items() if kept.get(name) == [answers])
    return {"crowd people stored": len(joined), "crowd ladder records": len(records),
            "crowd lost": len(expected) - matched, "crowd duplicated": len(records) - len({r.person for r in records})}


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)] if values else float("nan")


def crowd_table(found: dict[str, Any]) -> str:
    lines = ["| crowd figure | value |", "| --- | --- |"]
    pairs = (("first widget", "crowd room first widget s", "crowd floor first widget s"),
             ("Save / floor click", "crowd room Save s", "crowd floor click s"))
    for label, room_key, floor_key in pairs:
        room, floor = found.get(room_key) or [], found.get(floor_key) or []
        if room and floor:
            for kind, values in (("room", room), ("floor", floor)):
                lines.append(f"| {label}: {kind} median / p95 (n={len(values)}) | "
                             f"{statistics.median(values):.2f} / {p95(values):.2f} s |")
            lines.append(f"| {label}: room / floor (medians; p95s) | {statistics.median(room) / statistics.median(floor):.2f}x; "
                         f"{p95(room) / p95(floor):.2f}x |")
    for name, value in found.items():
        if name.startswith("crowd ") and not name.endswith(" s"):
            lines.append(f"| {name.removeprefix('crowd ')} | {value} |")
    return "\n".join(lines)

"""The workshop room under a crowd, against a floor in the same run: joining at once, clicks while others join, memory.

    python benchmarks/room_bench.py [--sizes 10,20,40,100] [--clickers 5] [--deadline 3600] [--keep]

Everything at the protocol level (tests/protocol.py, tests/room_harness.py), against the real room
server started as `cofacilitate workshop` starts it (cofacilitate/workshop/server.py), in a
temporary folder (HOME, Jupyter's folders, TMPDIR and the workspace all inside it):

1. For each size N, four crowds of N opened at the same moment (a barrier), each on a server of its own:
   floor pages (benchmarks/floor.ipynb, one button) cold, room pages cold, then both with a pool of N
   kernels made ready first. A floor page is usable when its widgets' states have arrived; a room page
   when, after that, the device has sent its secret and the join form has come (what a person first
   needs). Reported: when the last page was usable, the median page, failures, and the peak RSS of
   the server and all its kernels (psutil, sampled every 0.5 s). One floor page alone, cold and pooled,
   is the yardstick for pooled pages.
2. Click to answer while 40 join: on the server as `workshop` runs it by default (pool, refill delay,
   cap), `--clickers` people who have joined press the ladder's Save over and over (the click, the
   kernel's question, the page's answer, until the kernel is idle after it) while 40 more join at once.

Prints a table; JSON in benchmarks/results/room-latest.json. Exit status 1 if the run failed or ran
out of time (failed pages are counted and reported, not an error).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root: `benchmarks` and `tests`

import psutil

from benchmarks.report import versions
from cofacilitate.workshop import server
from tests.harness import MB, Deadline, OutOfTime, isolate
from tests.protocol import PageSession
from tests.room_harness import RoomParticipant, RoomServers

HERE = Path(__file__).resolve().parent
FLOOR = HERE / "floor.ipynb"
JOINERS = 40  # the crowd that joins while others click
LADDER = "The ladder of co-production"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class PeakMemory:
    """The largest total RSS of a server and its kernels, sampled in a thread while a crowd comes."""

    def __init__(self, room: RoomServers) -> None:
        self.room, self.peak_mb, self.running = room, 0.0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while self.running:
            total = 0
            for process in [self.room.ps, *self.room.kernels()]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue
            self.peak_mb = max(self.peak_mb, total / MB)
            time.sleep(0.5)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return round(self.peak_mb)


def wait_until_quiet(room: RoomServers, deadline: Deadline, calm_seconds: float = 3.0) -> None:
    """Until the pool's kernels stop using the CPU: a floor page's pooled kernel has no visitor to wait for."""
    def used() -> float:
        total = 0.0
        for kernel in room.kernels():
            try:
                total += sum(kernel.cpu_times()[:2])
            except psutil.Error:
                continue
        return total
    before = used()
    while deadline.left():
        time.sleep(calm_seconds)
        now = used()
        if now - before < 0.05 * calm_seconds:
            return
        before = now


def floor_page(link: str, _: int, seconds: float) -> PageSession:
    page = PageSession(link, seconds=seconds)
    if not page.find_all(description="Floor"):
        raise RuntimeError("the floor page has no button")
    return page


def room_page(link: str, number: int, seconds: float) -> RoomParticipant:
    person = RoomParticipant(link, number, seconds=seconds)
    person.arrive()
    return person


def crowd(room: RoomServers, size: int, open_page: Callable[[str, int, float], Any], deadline: Deadline,
          first_number: int = 0) -> dict[str, Any]:
    """`size` pages opened at the same moment; seconds from the moment to each page being usable."""
    usable: list[float] = []
    failed: list[str] = []
    opened: list[Any] = []
    start = threading.Barrier(size + 1)

    def one(number: int) -> None:
        start.wait()
        began = time.perf_counter()
        try:
            opened.append(open_page(room.link(), number, max(1.0, deadline.left())))
            usable.append(time.perf_counter() - began)
        except Exception as err:  # counted and reported: a crowd's failures are a result
            failed.append(f"{type(err).__name__}: {err}"[:200])

    memory = PeakMemory(room)
    threads = [threading.Thread(target=one, args=(first_number + n,), daemon=True) for n in range(size)]
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join(timeout=max(0.1, deadline.left()))
    peak = memory.stop()
    for page in opened:
        page.close()
    return {"all_usable_s": round(max(usable), 2) if usable else None,
            "median_s": round(statistics.median(usable), 2) if usable else None,
            "usable": len(usable), "failed": len(failed) + sum(thread.is_alive() for thread in threads),
            "failures": failed[:5], "peak_rss_mb": peak}


def servers(root: Path, name: str, pool: int, size: int, notebook: Path | None) -> RoomServers:
    return RoomServers(root / name, name=name, dashboard=False, notebook=notebook, pool=pool, max_participants=size + 10)


def one_scenario(root: Path, kind: str, size: int, pooled: bool, deadline: Deadline) -> dict[str, Any]:
    notebook = floor_copy(root) if kind == "floor" else None
    room = servers(root, f"{kind}-{size}-{'pool' if pooled else 'cold'}", size if pooled else 0, size, notebook)
    try:
        if pooled:
            room.wait_for_pool(size, seconds=deadline.left()) if kind == "room" else wait_until_quiet(room, deadline)
        found = crowd(room, size, floor_page if kind == "floor" else room_page, deadline)
        found["kernels"] = len(room.kernels())
        return found
    finally:
        room.stop()


def floor_copy(root: Path) -> Path:
    """floor.ipynb under the name the server serves."""
    folder = root / "floor-notebook"
    folder.mkdir(exist_ok=True)
    shutil.copy2(FLOOR, folder / server.PARTICIPANT_NOTEBOOK)
    return folder / server.PARTICIPANT_NOTEBOOK


def clicks_while_joining(root: Path, clickers: int, deadline: Deadline) -> dict[str, Any]:
    """`clickers` joined people press Save again and again while JOINERS more join at once (the command's defaults)."""
    room = RoomServers(root / "clicks", name="Click room", dashboard=False, max_participants=server.DEFAULT_MAX_PARTICIPANTS)
    latencies: list[float] = []
    stop = threading.Event()
    people: list[RoomParticipant] = []
    try:
        room.wait_for_pool(min(server.DEFAULT_POOL, server.DEFAULT_MAX_PARTICIPANTS), seconds=deadline.left())
        for number in range(clickers):
            person = room_page(room.link(), 1000 + number, deadline.left())
            person.join([number % 7])
            person.choose(LADDER)
            person.answer_ladder()
            person.save()
            people.append(person)

        def click(person: RoomParticipant) -> None:
            while not stop.is_set():
                latencies.append(person.save())

        clicking = [threading.Thread(target=click, args=(person,), daemon=True) for person in people]
        for thread in clicking:
            thread.start()
        joined = crowd(room, JOINERS, room_page, deadline)
        stop.set()
        for thread in clicking:
            thread.join(timeout=max(0.1, deadline.left()))
        ordered = sorted(latencies)
        return {"clicks": len(ordered), "median_s": round(statistics.median(ordered), 3),
                "p95_s": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 3), "worst_s": round(ordered[-1], 3),
                "joiners": joined, "pool": server.DEFAULT_POOL, "fill_delay_s": server.FILL_DELAY_SECONDS}
    finally:
        stop.set()
        for person in people:
            person.close()
        room.stop()


def table(alone: dict[str, Any], sizes: dict[str, dict[str, Any]], clicks: dict[str, Any] | None) -> str:
    lines = [f"One floor page alone: cold {alone['cold']['all_usable_s']} s, pooled {alone['pool']['all_usable_s']} s.", "",
             "| N | floor cold | room cold | ratio | floor pool | room pool | room pool / one floor | failed | "
             "peak MB cold | peak MB pool |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for size, row in sizes.items():
        def s(key: str, row: dict[str, Any] = row) -> str:
            return f"{row[key]['all_usable_s']} s"
        ratio = (row["room-cold"]["all_usable_s"] or 0) / (row["floor-cold"]["all_usable_s"] or 1)
        per_page = (row["room-pool"]["all_usable_s"] or 0) / (alone["cold"]["all_usable_s"] or 1)
        failed = sum(row[key]["failed"] for key in row)
        lines.append(f"| {size} | {s('floor-cold')} | {s('room-cold')} | {ratio:.2f}x | {s('floor-pool')} | {s('room-pool')} | "
                     f"{per_page:.2f}x | {failed} | {row['room-cold']['peak_rss_mb']} | {row['room-pool']['peak_rss_mb']} |")
    lines.append("(times: until the last of the N pages was usable; peak MB: the room server and all its kernels)")
    if clicks:
        lines += ["", f"Save clicked while {JOINERS} joined (pool {clicks['pool']}, refills after "
                      f"{clicks['fill_delay_s']:.0f} s): {clicks['clicks']} clicks, median {clicks['median_s']} s, "
                      f"p95 {clicks['p95_s']} s, "
                      f"worst {clicks['worst_s']} s; the {JOINERS} were usable after {clicks['joiners']['all_usable_s']} s, "
                      f"peak {clicks['joiners']['peak_rss_mb']} MB."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,20,40,100", help="crowd sizes, comma-separated (default 10,20,40,100)")
    parser.add_argument("--clickers", type=int, default=5, help="people clicking Save while 40 join (0: skip; default 5)")
    parser.add_argument("--deadline", type=float, default=3600, help="overall deadline in seconds (default 3600)")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "room-latest.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs, workspaces)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    deadline = Deadline(args.deadline)
    root = Path(tempfile.mkdtemp(prefix="cofacilitate-room-bench-"))
    isolate(root, tmpdir=True)
    machine = {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1)}
    results: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "load_average_at_start": os.getloadavg(),
                               "machine": machine, "versions": versions(), "sizes": {}}
    try:
        log("one floor page alone, cold and pooled")
        results["alone"] = {"cold": one_scenario(root, "floor", 1, False, deadline),
                            "pool": one_scenario(root, "floor", 1, True, deadline)}
        for size in sizes:
            row: dict[str, Any] = {}
            for kind, pooled in (("floor", False), ("room", False), ("floor", True), ("room", True)):
                key = f"{kind}-{'pool' if pooled else 'cold'}"
                log(f"{size} {kind} pages at once, {'with a pool of ' + str(size) if pooled else 'cold'}")
                row[key] = one_scenario(root, kind, size, pooled, deadline)
                log(f"  last usable after {row[key]['all_usable_s']} s, median {row[key]['median_s']} s, "
                    f"{row[key]['failed']} failed, peak {row[key]['peak_rss_mb']} MB")
            results["sizes"][str(size)] = row
        if args.clickers:
            log(f"{args.clickers} people clicking Save while {JOINERS} join")
            results["clicks"] = clicks_while_joining(root, args.clickers, deadline)
    except OutOfTime as err:
        log(f"stopped: {err}")
        return 1
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    results["load_average_at_end"] = os.getloadavg()
    print(table(results["alone"], results["sizes"], results.get("clicks")))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

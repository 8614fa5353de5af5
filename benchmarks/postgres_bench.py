"""The workspace in PostgreSQL against SQLite, in one run: the ladder page's first widget and memory, and 40 Saves at once.

    python benchmarks/postgres_bench.py [--runs 5] [--rounds 3] [--participants 40] [--deadline 1500] [--keep]

Needs Debian's postgresql and chromium and the test extras. A private PostgreSQL server
(tests/postgres_cluster.py: Debian's binaries, a cluster in a temporary folder, a free loopback port,
fsync off) is started first; then, with every folder isolated in a temporary directory:

1. Pages (real Voilà, real headless Chromium; benchmarks/measure.py `one_load`, the machinery of
   bench.py): the floor (benchmarks/floor.ipynb, one button) and the ladder page on a server whose
   workspace is the SQLite file, and the ladder page on a second server, the same in every way but
   COFACILITATE_DATABASE_URL (as `cofacilitate open --database-url` runs it). Every load is a first
   visit: the SQLite workspace is emptied, and the PostgreSQL database dropped and made again, before
   it. One warm-up each, then `--runs` rounds (floor, ladder on SQLite, ladder on PostgreSQL).
   Figures: first widget (page.goto -> first visible widget), kernel RSS 1 s after it, Save -> chart,
   kernel RSS after the chart; medians, and ratios against the floor.
2. Saves (protocol level, tests/room_harness.py, as room_bench.py does): a room on each store, both up
   at once, started as `cofacilitate workshop` starts it (pool 20); `--participants` people join each,
   answer the ladder and save; then `--rounds` times, the stores taking turns, all of a room change
   their answers and press Save in the same moment (a barrier). Each Save is timed from the click to
   the kernel's idle after the page's answer (the save done and said). Figures: median and 95th
   percentile per store, the ratio PostgreSQL/SQLite; on PostgreSQL, the most connections the room's
   kernels held at once during the Saves (pg_stat_activity, sampled every 10 ms) and the connections
   opened per Save (pg_stat_database.sessions over the round, less what the pages' own looks at the
   room opened at the rate counted over QUIET_SECONDS just before). The temporary folder's name is
   short: a kernel's IPC socket path must fit in 107 characters.

Prints a table; JSON in benchmarks/results/postgres-latest.json. Exit status 1 if the run failed.
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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root: `benchmarks` and `tests`

import psutil

from benchmarks import measure
from benchmarks.measure import APP_READY, FLOOR_READY, Page
from benchmarks.report import versions
from cofacilitate.people import ROLES
from cofacilitate.store.home import DATABASE_URL_VARIABLE
from tests.flows import FLOWS
from tests.harness import Deadline, OutOfTime, VoilaServer, isolate, launch_chromium
from tests.postgres_cluster import PostgresCluster
from tests.room_harness import ConnectionPeak, RoomParticipant, RoomServers, in_threads

HERE = Path(__file__).resolve().parent
LADDER = "The ladder of co-production"
PAGES_DATABASE = "bench_pages"
POOL = 20
QUIET_SECONDS = 6.0  # how long the connections the pages open on their own (their looks at the room) are counted


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fresh_database(cluster: PostgresCluster, name: str) -> None:
    """An empty database under the same name: the next page's first visit makes its tables, as a new SQLite file does."""
    cluster.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    cluster.sql(f'CREATE DATABASE "{name}"')


def time_pages(root: Path, cluster: PostgresCluster, runs: int, deadline: Deadline) -> dict[str, list[dict[str, Any]]]:
    """Floor and ladder on SQLite (one server), ladder on PostgreSQL (a second server), round by round."""
    from playwright.sync_api import sync_playwright

    from cofacilitate.offline import prepare_bundle

    prepare_bundle()
    ladder = Page("ladder.ipynb", APP_READY, FLOWS["ladder"])
    folder = measure.page_folder(root, {"floor": Page("floor.ipynb", FLOOR_READY), "ladder": ladder})
    fresh_database(cluster, PAGES_DATABASE)
    on_file = VoilaServer(root / "sqlite-workspace", folder=folder, log_path=root / "voila-sqlite.log")
    on_server = VoilaServer(root / "postgres-workspace", {DATABASE_URL_VARIABLE: cluster.url(PAGES_DATABASE)}, folder=folder,
                            log_path=root / "voila-postgres.log")
    plan = {"floor": (on_file, Page("floor.ipynb", FLOOR_READY)), "ladder-sqlite": (on_file, ladder),
            "ladder-postgres": (on_server, ladder)}
    loads: dict[str, list[dict[str, Any]]] = {name: [] for name in plan}
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for round_number in range(runs + 1):  # round 0 is the warm-up, not counted
                    for name, (server, page) in plan.items():
                        if server is on_server:
                            fresh_database(cluster, PAGES_DATABASE)
                        load = measure.one_load(browser, server, page, server.workspace, deadline)
                        if round_number:
                            loads[name].append(load)
                        log(f"{'warm-up' if not round_number else f'run {round_number}/{runs}'} {name}: "
                            f"first widget {load['first_widget_s']:.2f} s, kernel {load['rss_mb']:.0f} MB"
                            + (f", save->chart {load['save_to_chart_s']:.2f} s" if "save_to_chart_s" in load else ""))
            finally:
                browser.close()
    finally:
        on_file.stop()
        on_server.stop()
    return loads


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


class SaveRoom:
    """A room on one store with `participants` people who have joined, answered the ladder and saved once."""

    def __init__(self, root: Path, store: str, cluster: PostgresCluster, participants: int, deadline: Deadline) -> None:
        self.store, self.cluster, self.deadline = store, cluster, deadline
        self.url = cluster.new_database("room") if store == "postgres" else None
        self.database = self.url.rsplit("/", 1)[1] if self.url else ""
        self.room = RoomServers(root / f"room-{store}", name=f"Save room {store}", tools=("agendas", "ladder"), pool=POOL,
                                max_participants=participants + 10, dashboard=False, database_url=self.url)
        self.people: list[RoomParticipant | None] = [None] * participants
        self.took: list[float] = []
        self.peaks: list[int] = []
        self.sessions_per_save: list[float] = []
        try:
            self.room.wait_for_pool(POOL, seconds=min(180.0, deadline.left()))
            in_threads(self.people, self.join, deadline)
        except BaseException:
            self.close()
            raise

    def join(self, number: int) -> None:
        person = RoomParticipant(self.room.link(), number, seconds=self.deadline.left())
        self.people[number] = person
        person.arrive()
        person.join([number % len(ROLES)])
        person.choose(LADDER)
        person.answer_ladder(turn=0)
        person.save()

    def sessions(self) -> int:
        """Connections ever opened to the room's database (PostgreSQL counts them in pg_stat_database)."""
        time.sleep(1.5)  # a backend's counts reach the statistics within a second of its end
        return int(self.cluster.sql(f"SELECT sessions FROM pg_stat_database WHERE datname = '{self.database}'")[0][0])

    def save_round(self, turn: int) -> None:
        """Everyone changes their answers, then all press Save in the same moment; each Save timed."""
        release = threading.Barrier(len(self.people))
        took: list[float] = []

        def save_at_once(number: int) -> None:
            person = self.people[number]
            assert person is not None
            try:
                person.answer_ladder(turn=turn)
                person.page.all_said()
                release.wait(timeout=self.deadline.left())
            except BaseException:
                release.abort()
                raise
            took.append(person.save())

        quiet_rate = 0.0
        if self.url:  # the pages' own looks at the room (every few seconds) open connections too: their rate, first
            before, quiet_started = self.sessions(), time.monotonic()
            time.sleep(QUIET_SECONDS)
            quiet_rate = (self.sessions() - before) / (time.monotonic() - quiet_started)
        sampler = ConnectionPeak(self.cluster.url(), self.database) if self.url else None
        before, started = (self.sessions(), time.monotonic()) if self.url else (0, 0.0)
        try:
            in_threads(self.people, save_at_once, self.deadline)
        finally:
            if sampler:
                self.peaks.append(sampler.stop())
        if self.url:
            opened = self.sessions() - before - quiet_rate * (time.monotonic() - started)
            self.sessions_per_save.append(opened / len(took))
        self.took += took
        log(f"{self.store}, round {turn}: median {statistics.median(took):.3f} s"
            + (f", at most {self.peaks[-1]} connections, about {self.sessions_per_save[-1]:.1f} opened per Save"
               if self.url else ""))

    def figures(self) -> dict[str, Any]:
        found: dict[str, Any] = {"saves": len(self.took), "median_s": round(statistics.median(self.took), 3),
                                 "p95_s": round(p95(self.took), 3), "worst_s": round(max(self.took), 3),
                                 "all_s": [round(t, 4) for t in self.took]}
        if self.url:
            found["most_connections"] = max(self.peaks)
            found["connections_opened_per_save"] = round(statistics.median(self.sessions_per_save), 1)
        return found

    def close(self) -> None:
        for person in self.people:
            if person is not None:
                person.close()
        self.room.stop()


def time_saves(root: Path, cluster: PostgresCluster, participants: int, rounds: int,
               deadline: Deadline) -> dict[str, dict[str, Any]]:
    """A room on each store in turn: everyone joins, then rounds of Saves at once, then the room closes.

    The rounds follow the joins at once: a protocol-level page reads nothing while another room joins, and
    the server's websocket pings then time its socket out (every Save failed with a broken pipe)."""
    found: dict[str, dict[str, Any]] = {}
    for store in ("sqlite", "postgres"):
        log(f"{participants} people join a room on {store}")
        room = SaveRoom(root, store, cluster, participants, deadline)
        try:
            for turn in range(1, rounds + 1):
                room.save_round(turn)
            found[store] = room.figures()
        finally:
            room.close()
    return found


def page_rows(loads: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    def middle(name: str, key: str) -> float:
        return statistics.median(load[key] for load in loads[name])

    floor_time, floor_rss = middle("floor", "first_widget_s"), middle("floor", "rss_mb")
    rows = {}
    for name, found in loads.items():
        row = {"first_widget_s": middle(name, "first_widget_s"), "rss_mb": middle(name, "rss_mb")}
        row["vs_floor"] = row["first_widget_s"] / floor_time
        row["rss_minus_floor_mb"] = row["rss_mb"] - floor_rss
        if all("rss_chart_mb" in load for load in found):
            row["save_to_chart_s"] = middle(name, "save_to_chart_s")
            row["rss_chart_mb"] = middle(name, "rss_chart_mb")
        rows[name] = row
    return rows


def table(pages: dict[str, dict[str, float]], saves: dict[str, dict[str, Any]], runs: int, participants: int) -> str:
    lines = [f"Pages (median of {runs} first visits)", "",
             "| page | first widget s | vs floor | kernel MB | - floor MB | save->chart s | after chart MB |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, row in pages.items():
        chart = (f"{row['save_to_chart_s']:.2f} | {row['rss_chart_mb']:.0f}" if "rss_chart_mb" in row else "- | -")
        lines.append(f"| {name} | {row['first_widget_s']:.2f} | {row['vs_floor']:.2f}x | {row['rss_mb']:.0f} | "
                     f"{row['rss_minus_floor_mb']:+.0f} | {chart} |")
    if saves:
        lines += ["", f"{participants} Saves at once (click -> the kernel idle after the page's answer)", "",
                  "| store | Saves timed | median s | p95 s | worst s | most connections at once | opened per Save |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for store, row in saves.items():
            lines.append(f"| {store} | {row['saves']} | {row['median_s']} | {row['p95_s']} | {row['worst_s']} | "
                         f"{row.get('most_connections', '-')} | {row.get('connections_opened_per_save', '-')} |")
        if {"sqlite", "postgres"} <= saves.keys():
            lines.append(f"PostgreSQL / SQLite: median {saves['postgres']['median_s'] / saves['sqlite']['median_s']:.2f}x, "
                         f"p95 {saves['postgres']['p95_s'] / saves['sqlite']['p95_s']:.2f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measured first visits per page, after one warm-up (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of Saves at once per store (0: skip; default 3)")
    parser.add_argument("--participants", type=int, default=40, help="people saving at once (default 40)")
    parser.add_argument("--deadline", type=float, default=1500, help="overall deadline in seconds (default 1500)")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "postgres-latest.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs, workspaces)")
    args = parser.parse_args(argv)
    deadline = Deadline(args.deadline)
    cluster = PostgresCluster()  # before the folders are isolated: its folder must be one the postgres account can reach
    root = Path(tempfile.mkdtemp(prefix="cofa-pgbench-"))
    isolate(root, tmpdir=True)
    machine = {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1)}
    results: dict[str, Any] = {"command": " ".join([Path(sys.executable).name, *sys.argv]),
                               "started": time.strftime("%Y-%m-%d %H:%M:%S"), "load_average_at_start": os.getloadavg(),
                               "machine": machine,
                               "versions": versions(), "postgres": cluster.sql("SHOW server_version")[0][0]}
    saves: dict[str, dict[str, Any]] = {}
    try:
        log(f"pages: floor and ladder on SQLite, ladder on PostgreSQL, {args.runs} rounds after a warm-up")
        results["pages"] = {"loads": time_pages(root, cluster, args.runs, deadline)}
        results["pages"]["medians"] = page_rows(results["pages"]["loads"])
        if args.rounds:
            saves = time_saves(root, cluster, args.participants, args.rounds, deadline)
        results["saves"] = saves
    except OutOfTime as err:
        log(f"stopped: {err}")
        return 1
    finally:
        cluster.remove()
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    results["load_average_at_end"] = os.getloadavg()
    print(table(results["pages"]["medians"], saves, args.runs, args.participants))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

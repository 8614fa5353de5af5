"""Our pages against a floor, in one run: time to the first widget and kernel memory.

    python benchmarks/bench.py [--runs 5] [--deadline 900] [--keep]

One real Voilà server (tests/harness.py, started exactly as `cofacilitate open` starts it) serves
a temporary folder holding `floor.ipynb` (one ipywidgets.Button) and copies of the real
workbooks. Every folder the server, the kernels and the browser could write to lives under a
temporary directory. The pages are the floor, the index, one page per tool in
cofacilitate.tools.TOOLS (named after its workbook) and the returning visits in tests/flows.py
RETURNING (power-map-500, agendas-5/50/500, diary-100/1000/10000). Headless Debian Chromium
loads each page once to warm up, then `--runs` times, round by round, so that drift on a shared
machine hits every page alike.
For each load we time page.goto -> first visible widget and read the page's kernel RSS; then the
tool's flow (tests/flows.py FLOWS) does what a participant does and times the chart it draws.
Every kernel is shut down through the server's REST API after each load and the workspace is
emptied, so each load is a first visit (returning visits get their draft kept beforehand).
Before the browser starts, the power map's redraw, the agendas wall and document, and the diary's
list, filter and patterns chart are also timed in this process.

Modules: bench.py (command line, the page list, the run), measure.py (one load, in-process
timing), report.py (medians, targets, the table, versions). Results: a table on stdout and JSON
in benchmarks/results/latest.json. Exit status 0 when every page was measured (targets missed
are reported, not an error), 1 when the run failed or ran out of time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root: `benchmarks` and `tests`

import psutil

from benchmarks import measure, report
from benchmarks.measure import (
    APP_READY,
    DIARY_REPEATS,
    FLOOR_READY,
    REDRAW_REPEATS,
    REDRAW_SIZES,
    WALL_REPEATS,
    WALL_SIZES,
    Page,
)
from cofacilitate.tools import TOOLS
from tests.flows import (
    AGENDA_WORDS,
    FEW_PEOPLE,
    FLOWS,
    MAP_POINTS,
    MAP_SEED,
    RETURNING,
    SETTLE_SECONDS,
    agendas_card,
    powermap_card,
)
from tests.flows_diary import DIARY_SEED, DIARY_SIZES, DIARY_WORDS, FILTER_EVERY, FILTER_WORD, diary_card
from tests.harness import CHROMIUM, Deadline, OutOfTime, VoilaServer, isolate, launch_chromium

HERE = Path(__file__).resolve().parent


class NoFlow(RuntimeError):
    pass


def pages() -> dict[str, Page]:
    """floor, index, one page per registered tool (named after its workbook), then the returning visits."""
    missing = [info for info in TOOLS if info.id not in FLOWS]
    if missing:
        raise NoFlow("; ".join(f"tool '{info.id}' ({info.workbook}) is in cofacilitate.tools.TOOLS but has no browser flow"
                               for info in missing) + ". Add one to FLOWS in tests/flows.py.")
    found = {"floor": Page("floor.ipynb", FLOOR_READY), "index": Page("index.ipynb", APP_READY)}
    workbooks = {info.id: info.workbook for info in TOOLS}
    for info in TOOLS:
        found[Path(info.workbook).stem] = Page(info.workbook, APP_READY, FLOWS[info.id])
    for name, returning in RETURNING.items():
        if returning.tool not in workbooks:
            raise NoFlow(f"{name} in tests/flows.py RETURNING names tool '{returning.tool}', which is not registered")
        found[name] = Page(workbooks[returning.tool], APP_READY, returning=returning)
    return found


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def describe(load: dict[str, Any]) -> str:
    extra = (f", save->chart {load['save_to_chart_s']:.2f} s, after chart {load['rss_chart_mb']:.0f} MB"
             if "save_to_chart_s" in load else "")
    if "draw_to_map_s" in load:
        extra += (f", draw->map {load['draw_to_map_s']:.2f} s"
                  f"{' (second click)' if load['first_click_drew_nothing'] else ''}, "
                  f"after map {load['rss_chart_mb']:.0f} MB")
    if "add_to_map_s" in load:
        extra += f", add one->map {load['add_to_map_s']:.2f} s"
    if "wall_s" in load:
        extra += (f", show wall->chart {load['wall_s']:.2f} s, after wall {load['rss_chart_mb']:.0f} MB, "
                  f"document {load['document_s']:.2f} s")
    if "filter_s" in load:
        extra += f", filter by words {load['filter_s']:.2f} s"
    if "patterns_s" in load:
        extra += f", show patterns->chart {load['patterns_s']:.2f} s, after patterns {load['rss_chart_mb']:.0f} MB"
    return f"first widget {load['first_widget_s']:.2f} s, kernel {load['rss_mb']:.0f} MB{extra}"


def watchdog(deadline: Deadline, grace: float, server_box: list) -> None:
    """If the run is stuck past its deadline (a wait that cannot time out), stop the server and quit."""
    time.sleep(deadline.seconds + grace)
    log(f"still running {grace:.0f} s after the deadline: stopping the server and exiting")
    for server in server_box:
        server.stop()
    os._exit(1)


def run_pages(server: VoilaServer, page_list: dict[str, Page], workspace: Path, runs: int, deadline: Deadline,
              loads: dict[str, list[dict[str, Any]]], warmups: dict[str, dict[str, Any]]) -> str:
    """One warm-up per page, then `runs` rounds over every page. Returns Chromium's version."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for name, page in page_list.items():
                warmups[name] = measure.one_load(browser, server, page, workspace, deadline)
                log(f"warm-up {name}: {warmups[name]['first_widget_s']:.2f} s")
            for round_number in range(1, runs + 1):
                for name, page in page_list.items():
                    load = measure.one_load(browser, server, page, workspace, deadline)
                    loads[name].append(load)
                    log(f"run {round_number}/{runs} {name}: {describe(load)}")
            return browser.version
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measured loads per page, after one warm-up (default 5)")
    parser.add_argument("--deadline", type=float, default=900, help="overall deadline in seconds (default 900)")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "latest.json", help="where to write the JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server log, workspace)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        page_list = pages()
    except NoFlow as err:
        print(f"cannot benchmark: {err}", file=sys.stderr)
        return 1
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).", file=sys.stderr)
        return 1

    deadline = Deadline(args.deadline)
    source_at_start = report.source_state()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    if load_at_start[0] > 0.5 * (os.cpu_count() or 1):
        log(f"the machine is already busy (load average {load_at_start[0]}): absolute times will be high; "
            "compare the ratios, which are taken in this one run")
    server_box: list[VoilaServer] = []
    threading.Thread(target=watchdog, args=(deadline, 60.0, server_box), daemon=True).start()
    root = Path(tempfile.mkdtemp(prefix="cofacilitate-bench-"))
    folders = isolate(root, tmpdir=True)
    server: VoilaServer | None = None
    loads: dict[str, list[dict[str, Any]]] = {name: [] for name in page_list}
    warmups: dict[str, dict[str, Any]] = {}
    started_at = datetime.now(timezone.utc)
    try:
        from cofacilitate.offline import prepare_bundle

        log("building the offline chart bundle (not timed)")
        bundle = prepare_bundle()
        log(f"timing map redraws in this process ({', '.join(map(str, REDRAW_SIZES))} people, median of {REDRAW_REPEATS})")
        in_process = measure.time_redraws(powermap_card())
        log("in process: " + ", ".join(f"{people} people {row['total_s']['median']:.3f} s" for people, row in in_process.items()))
        log(f"timing the agendas wall and document in this process ({', '.join(map(str, WALL_SIZES))} agendas, "
            f"median of {WALL_REPEATS})")
        walls = measure.time_walls(agendas_card())
        log("in process: " + ", ".join(f"{size} agendas wall {row['wall_s']['median']:.3f} s, document "
                                       f"{row['document_s']['median']:.4f} s" for size, row in walls.items()))
        log(f"timing the diary's list, filter and chart in this process ({', '.join(map(str, DIARY_SIZES))} entries, "
            f"median of {DIARY_REPEATS})")
        diaries = measure.time_diary(diary_card())
        log("in process: " + ", ".join(f"{size} entries list {row['list_s']['median']:.3f} s, filter "
                                       f"{row['filter_s']['median']:.3f} s, chart {row['chart_s']['median']:.3f} s"
                                       for size, row in diaries.items()))
        folder = measure.page_folder(root, page_list)
        log("starting Voilà")
        server = VoilaServer(folders["COFACILITATE_HOME"], folder=folder, log_path=root / "voila.log",
                             start_seconds=min(120.0, deadline.left()))
        server_box.append(server)
        chromium_version = run_pages(server, page_list, folders["COFACILITATE_HOME"], args.runs, deadline, loads, warmups)
        left_over = len(server.kernels())
    except OutOfTime as err:
        log(f"stopped: {err}")
        return 1
    except Exception:
        if time.monotonic() >= deadline.end:  # a browser wait cut short by the deadline
            log(f"stopped: the overall deadline of {deadline.seconds:.0f} s passed")
            return 1
        raise
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    source_at_end = report.source_state()
    changed = source_at_end["fingerprint"] != source_at_start["fingerprint"]
    summary = report.summarise(loads, page_list)
    text = report.table(summary, args.runs, page_list, in_process, walls, diaries)
    if changed:
        text += ("\n\nWARNING: cofacilitate/, workbooks/ or exercises/ changed during this run, so loads may have run "
                 "different code; run again on a quiet tree to compare.")
        log("the source changed during the run")
    print(text)
    results = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "started_at": started_at.isoformat(timespec="seconds"),
        "seconds_taken": round(args.deadline - (deadline.end - time.monotonic()), 1),
        "runs_per_page": args.runs,
        "settle_seconds": SETTLE_SECONDS,
        "targets": {"first_widget_ratio_max": report.TARGET_TIME_RATIO, "chart_rss_over_floor_mb_max": report.TARGET_EXTRA_MB,
                    "map_redraw_s_max": report.TARGET_REDRAW_S, "map_redraw_people": max(REDRAW_SIZES),
                    "diary_step_s_max": report.TARGET_DIARY_S, "diary_entries": max(DIARY_SIZES)},
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
                    "platform": platform.platform()},
        "versions": {**report.versions(), "chromium": chromium_version},
        "source": {"at_start": source_at_start, "at_end": source_at_end, "changed_during_run": changed},
        "chart_bundle": bundle.name,
        "kernel_processes_left_after_run": left_over,
        "summary": summary,
        "map_redraw_in_process": in_process,
        "map_redraw_verdicts": report.redraw_verdicts(summary, in_process),
        "map_redraw_setup": {"seed": MAP_SEED, "seeded_pages": report.SEEDED, "few_people": [p[0] for p in FEW_PEOPLE],
                             "points_selector": MAP_POINTS},
        "wall_in_process": walls,
        "wall_setup": {"seed": MAP_SEED, "words": AGENDA_WORDS, "agendas_pages": report.agenda_pages()},
        "diary_in_process": diaries,
        "diary_verdicts": report.diary_verdicts(diaries),
        "diary_setup": {"seed": DIARY_SEED, "words": DIARY_WORDS, "filter_word": FILTER_WORD, "filter_every": FILTER_EVERY,
                        "diary_pages": report.diary_pages()},
        "warmups": warmups,
        "runs": loads,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

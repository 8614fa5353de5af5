"""Reporting: medians against the floor, the targets, the printed table, and what the run ran on."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from benchmarks.measure import DIARY_REPEATS, REDRAW_REPEATS, REDRAW_SIZES, REPO, WALL_REPEATS, Page, spread
from cofacilitate.tools import tool
from tests.flows import FEW_PEOPLE, RETURNING, SETTLE_SECONDS
from tests.flows_diary import DIARY_SIZES, FILTER_EVERY, FILTER_WORD

TARGET_TIME_RATIO = 1.2  # first widget <= 1.2 x floor
TARGET_EXTRA_MB = 100.0  # kernel memory <= floor + 100 MB once the chart (ladder) / map (power map) / wall is shown
TARGET_REDRAW_S = 0.5  # redrawing the map with 500 people: under half a second
TARGET_DIARY_S = 0.3  # the diary's list, filter and patterns chart, each, in process with 10,000 entries
PACKAGES = ["voila", "ipywidgets", "jupyterlab_widgets", "ipykernel", "jupyter_server", "altair",
            "anywidget", "vl-convert-python", "pandas", "playwright", "psutil"]
KEYS = ["first_widget_s", "kernel_cpu_s", "rss_visible_mb", "rss_mb", "save_to_chart_s", "save_to_chart_kernel_cpu_s",
        "draw_to_map_s", "draw_kernel_cpu_s", "add_to_map_s", "add_to_sentence_s", "add_to_both_wall_s",
        "add_kernel_cpu_s", "wall_s", "wall_kernel_cpu_s", "document_s", "filter_s", "patterns_s", "rss_chart_visible_mb",
        "rss_chart_mb", "server_rss_mb"]
SEEDED = {name: returning.size for name, returning in RETURNING.items()}  # page name -> size of the work kept as a draft


def returning_pages(tool_id: str) -> dict[str, str]:
    """Size of the kept work -> the returning page of this tool opened with it (to set browser times beside in-process ones)."""
    return {str(returning.size): name for name, returning in RETURNING.items() if returning.tool == tool_id}


def big_map_pages() -> dict[str, str]:
    """People on a kept map -> the power-map page opened with it."""
    return returning_pages("powermap")


def agenda_pages() -> dict[str, str]:
    """People who saved an agenda -> the agendas page opened on their project."""
    return returning_pages("agendas")


def diary_pages() -> dict[str, str]:
    """Entries kept -> the diary page opened with them."""
    return returning_pages("diary")


def shown_word(row: dict[str, Any]) -> str:
    """What a page's flow ends by showing, in the table's words."""
    for key, word in (("draw_to_map_s", "map"), ("wall_s", "wall"), ("patterns_s", "patterns chart")):
        if key in row:
            return word
    return "chart"


def summarise(runs: dict[str, list[dict[str, Any]]], pages: dict[str, Page]) -> dict[str, dict[str, Any]]:
    summary: dict[str, dict[str, Any]] = {}
    for name, loads in runs.items():
        summary[name] = {}
        for key in KEYS:
            values = [load[key] for load in loads if key in load]
            if values:
                summary[name][key] = spread(values)
        if any("first_click_drew_nothing" in load for load in loads):
            summary[name]["first_click_drew_nothing_loads"] = sum(bool(load.get("first_click_drew_nothing")) for load in loads)
    floor_time = summary["floor"]["first_widget_s"]["median"]
    floor_rss = summary["floor"]["rss_mb"]["median"]
    for name, row in summary.items():
        row["time_ratio_vs_floor"] = row["first_widget_s"]["median"] / floor_time
        row["rss_minus_floor_mb"] = row["rss_mb"]["median"] - floor_rss
        row["time_target_met"] = row["time_ratio_vs_floor"] <= TARGET_TIME_RATIO
        if "rss_chart_mb" in row:
            row["chart_rss_minus_floor_mb"] = row["rss_chart_mb"]["median"] - floor_rss
            if pages[name].has_target:  # the memory target is about every tool's own page on a first visit
                row["memory_target_met"] = row["chart_rss_minus_floor_mb"] <= TARGET_EXTRA_MB
    return summary


def redraw_verdicts(summary: dict[str, dict[str, Any]], in_process: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Redrawing the map with the most people against TARGET_REDRAW_S, three ways."""
    most = str(max(REDRAW_SIZES))
    found = {"in_process": {"seconds": in_process[most]["total_s"]["median"], "what": f"in process, {most} people"}}
    row = summary.get(big_map_pages().get(most, ""), {})
    if "draw_to_map_s" in row:
        found["browser_show_map"] = {"seconds": row["draw_to_map_s"]["median"],
                                     "what": f"browser, {most} people, Show the map click -> map visible"}
    if "add_to_map_s" in row:
        found["browser_add_one"] = {"seconds": row["add_to_map_s"]["median"],
                                    "what": f"browser, add one to {most}, click -> map redrawn (with the button's "
                                            "question and answer to the page)"}
    for verdict in found.values():
        verdict["met"] = verdict["seconds"] < TARGET_REDRAW_S
    return found


def _columns(head: list[str], lines: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [head, *lines]) for i in range(len(head))]

    def fmt(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return [fmt(head), fmt(["-" * w for w in widths]), *map(fmt, lines)]


def _main_table(summary: dict[str, dict[str, Any]]) -> list[str]:
    head = ["page", "first widget s", "vs floor", "kernel RSS MB", "- floor MB",
            "after chart RSS MB", "- floor MB", "save->chart s", "draw->map s"]
    lines = []
    for name, row in summary.items():
        chart = "rss_chart_mb" in row
        lines.append([
            name,
            f"{row['first_widget_s']['median']:.2f}",
            f"{row['time_ratio_vs_floor']:.2f}x",
            f"{row['rss_mb']['median']:.0f}",
            f"{row['rss_minus_floor_mb']:+.0f}",
            f"{row['rss_chart_mb']['median']:.0f}" if chart else "-",
            f"{row['chart_rss_minus_floor_mb']:+.0f}" if chart else "-",
            f"{row['save_to_chart_s']['median']:.2f}" if "save_to_chart_s" in row else "-",
            f"{row['draw_to_map_s']['median']:.2f}" if "draw_to_map_s" in row else "-",
        ])
    return _columns(head, lines)


def _redraw_table(summary: dict[str, dict[str, Any]], in_process: dict[str, dict[str, Any]], runs: int) -> list[str]:
    out = ["", f"Redrawing the map (target: under {TARGET_REDRAW_S} s with {max(REDRAW_SIZES)} people)", ""]
    head = ["people", "in process s", "map_frame s", "map_sentence s", "map_chart+to_dict s", "names", "browser s"]
    lines, browser_pages = [], big_map_pages()
    for people, row in in_process.items():
        browser = summary.get(browser_pages.get(people, ""), {})
        lines.append([people, f"{row['total_s']['median']:.3f}", f"{row['frame_s']['median']:.3f}",
                      f"{row['sentence_s']['median']:.3f}", f"{row['chart_s']['median']:.3f}",
                      "shown" if row["show_names"] else "hidden",
                      f"{browser['draw_to_map_s']['median']:.2f}" if "draw_to_map_s" in browser else "-"])
    out += _columns(head, lines)
    out.append(f"in process: median of {REDRAW_REPEATS} after one warm-up, in the benchmark's own Python; "
               "browser: median over the loads, Show the map click -> map SVG visible, the page's first map (the first "
               "click also loads pandas and altair in the kernel)")
    for name, row in summary.items():
        if "add_to_map_s" in row:
            out.append(f"{name}: add one more person with the form, click -> map redrawn {row['add_to_map_s']['median']:.2f} s, "
                       f"-> sentence gives the new count {row['add_to_sentence_s']['median']:.2f} s "
                       "(both include the button's round to the page and back); "
                       f"kernel CPU {row['add_kernel_cpu_s']['median']:.2f} s")
        if row.get("first_click_drew_nothing_loads"):
            out.append(f"{name}: in {row['first_click_drew_nothing_loads']} of {runs} loads the first click on Show the map "
                       "drew nothing (it only unticked Show names); draw->map is timed from a second click, by when "
                       "pandas and altair were already loaded")
    return out


def _wall_table(summary: dict[str, dict[str, Any]], walls: dict[str, dict[str, Any]]) -> list[str]:
    """In-process wall and document beside the browser's, by how many people saved an agenda."""
    out = ["", "Wall and document (naming agendas)", ""]
    head = ["agendas", "in process wall s", "document s", "browser Show the wall s", "browser document s"]
    first = Path(tool("agendas").workbook).stem  # the first visit: one person, who just saved
    rows: list[tuple[str, dict[str, Any], dict[str, Any]]] = [(f"1 ({first}, first visit)", {}, summary.get(first, {}))]
    rows += [(size, row, summary.get(agenda_pages().get(size, ""), {})) for size, row in walls.items()]
    lines = []
    for size, row, browser in rows:
        lines.append([size, f"{row['wall_s']['median']:.3f}" if row else "-",
                      f"{row['document_s']['median']:.4f}" if row else "-",
                      f"{browser['wall_s']['median']:.2f}" if "wall_s" in browser else "-",
                      f"{browser['document_s']['median']:.2f}" if "document_s" in browser else "-"])
    out += _columns(head, lines)
    repeats = next(iter(walls.values()))["repeats"] if walls else WALL_REPEATS
    out.append(f"in process: median of {repeats} after one warm-up; wall = analysis.wall + wall_sentence, document = "
               "ways_of_working + to_html + to_markdown. browser: median over the loads, Show the wall click -> threads "
               "chart SVG visible (wall HTML and chart; the first chart loads pandas and altair in the kernel), Make our "
               "ways of working document click -> download link visible (the page builds the wall again); both include "
               "the button's round to the page and back")
    return out


DIARY_STEPS = ("list_s", "filter_s", "chart_s")  # held to TARGET_DIARY_S; check_s is shown beside them


def diary_verdicts(diaries: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each of the diary's list, filter and chart, in process with the most entries, against TARGET_DIARY_S."""
    most = str(max(DIARY_SIZES))
    row = diaries.get(most)
    if not row:
        return {}
    return {step: {"seconds": row[step]["median"], "entries": int(most), "met": row[step]["median"] < TARGET_DIARY_S}
            for step in DIARY_STEPS}


def _diary_table(summary: dict[str, dict[str, Any]], diaries: dict[str, dict[str, Any]]) -> list[str]:
    """In-process list, filter and chart beside the browser's filter and patterns, by how many entries are kept."""
    out = ["", f"Diary: list, filter and chart (aim: each under {TARGET_DIARY_S} s at {max(DIARY_SIZES):,} entries)", ""]
    head = ["entries", "check s", "list s", "filter s", "chart s", "browser filter s", "browser patterns s"]
    first = Path(tool("diary").workbook).stem  # the first visit: one entry, just saved
    rows: list[tuple[str, dict[str, Any], dict[str, Any]]] = [(f"1 ({first}, first visit)", {}, summary.get(first, {}))]
    rows += [(size, row, summary.get(diary_pages().get(size, ""), {})) for size, row in diaries.items()]
    lines = []
    for size, row, browser in rows:
        lines.append([size, *(f"{row[step]['median']:.4f}" if row else "-" for step in ("check_s", *DIARY_STEPS)),
                      *(f"{browser[key]['median']:.2f}" if key in browser else "-" for key in ("filter_s", "patterns_s"))])
    out += _columns(head, lines)
    repeats = next(iter(diaries.values()))["repeats"] if diaries else DIARY_REPEATS
    out.append(f"in process: median of {repeats} after one warm-up; check = every stored body checked against the card "
               "(the page does it before each list, filter and patterns, after reading the records from the file), "
               f"list = analysis.standing, filter = analysis.filtered by “{FILTER_WORD}” (in every {FILTER_EVERY}th "
               "entry), chart = coverage + coverage_sentence + load_rows + coverage_chart(...).to_dict() (the page also "
               "draws the check-ins chart). browser: median over the loads; filter = the words typed -> the count "
               "sentence says the new count; patterns = Show my patterns click -> coverage chart SVG visible (the first "
               "chart loads pandas and altair in the kernel), which includes the button's round to the page and back. "
               "diary: one entry written and saved, then the patterns; diary-N: the page opens with N entries.")
    return out


def table(summary: dict[str, dict[str, Any]], runs: int, pages: dict[str, Page],
          in_process: dict[str, dict[str, Any]] | None = None,
          walls: dict[str, dict[str, Any]] | None = None, diaries: dict[str, dict[str, Any]] | None = None) -> str:
    out = [f"Medians of {runs} loads after one warm-up (kernel RSS read {SETTLE_SECONDS:.0f} s after the widget / chart showed)",
           "", *_main_table(summary), ""]
    if any("draw_to_map_s" in row for row in summary.values()):
        seeded = ", ".join(f"{name}: the page opened with {people} people kept as a draft"
                           for people, name in big_map_pages().items())
        out.append(f"power-map: {len(FEW_PEOPLE)} people added with the form, then Show the map; "
                   f"'after chart' = once the map is shown. {seeded}.")
    if any("wall_s" in row for row in summary.values()):
        out.append("agendas: one person shares a worry (named) and a thanks (no name), saves, then Show the wall and "
                   "makes the document; 'after chart' = once the wall and its chart are shown. agendas-N: N people saved "
                   "an agenda for the project, and the page opens as the last of them.")
    cpu = ", ".join(f"{name} {row['kernel_cpu_s']['median']:.2f}" for name, row in summary.items())
    out.append(f"Kernel CPU seconds until the first widget showed (steadier than wall time on a shared machine): {cpu}")
    for name, row in summary.items():
        if "save_to_chart_kernel_cpu_s" in row:
            out.append(f"Kernel CPU seconds from Save to chart on {name}: {row['save_to_chart_kernel_cpu_s']['median']:.2f}")
        if "draw_kernel_cpu_s" in row:
            out.append(f"Kernel CPU seconds from Show the map to map on {name}: {row['draw_kernel_cpu_s']['median']:.2f}")
        if "wall_kernel_cpu_s" in row:
            out.append(f"Kernel CPU seconds from Show the wall to chart on {name}: {row['wall_kernel_cpu_s']['median']:.2f}")
    redraw = None
    if in_process:
        out += _redraw_table(summary, in_process, runs)
        redraw = redraw_verdicts(summary, in_process)
    if walls:
        out += _wall_table(summary, walls)
    if diaries:
        out += _diary_table(summary, diaries)
    out += ["", "Targets:"]
    for name, row in summary.items():
        if not pages[name].has_target:
            continue
        verdict = "met" if row["time_target_met"] else "MISSED"
        out.append(f"  {name}: first widget <= {TARGET_TIME_RATIO}x floor: {row['time_ratio_vs_floor']:.2f}x  {verdict}")
        if "memory_target_met" in row:
            verdict = "met" if row["memory_target_met"] else "MISSED"
            out.append(f"  {name}: kernel memory <= floor + {TARGET_EXTRA_MB:.0f} MB once the {shown_word(row)} is shown: "
                       f"{row['chart_rss_minus_floor_mb']:+.0f} MB  {verdict}")
    for verdict in (redraw or {}).values():
        out.append(f"  map redraw < {TARGET_REDRAW_S} s ({verdict['what']}): {verdict['seconds']:.3f} s  "
                   f"{'met' if verdict['met'] else 'MISSED'}")
    for step, verdict in diary_verdicts(diaries or {}).items():
        out.append(f"  diary {step.removesuffix('_s')} < {TARGET_DIARY_S} s (in process, {verdict['entries']:,} entries): "
                   f"{verdict['seconds']:.3f} s  {'met' if verdict['met'] else 'MISSED'}")
    for name in SEEDED:
        row = summary.get(name)
        if row:
            out.append(f"  ({name}, no target: first widget {row['time_ratio_vs_floor']:.2f}x floor, kernel memory once the "
                       f"{shown_word(row)} is shown {row.get('chart_rss_minus_floor_mb', float('nan')):+.0f} MB over floor)")
    return "\n".join(out)


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def source_state() -> dict[str, Any]:
    """The commit, and a fingerprint of what the kernels run: to tell if the code changed during the run."""
    digest = hashlib.sha256()
    files = [path for folder in ("cofacilitate", "workbooks", "exercises") for path in sorted((REPO / folder).rglob("*"))
             if path.is_file() and "__pycache__" not in path.parts]
    for path in files:
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10,
                                check=False).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "cofacilitate", "workbooks", "exercises"],
                                    cwd=REPO, capture_output=True, text=True, timeout=10, check=False).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", None
    return {"commit": commit, "uncommitted_changes": dirty, "fingerprint": digest.hexdigest()[:16]}



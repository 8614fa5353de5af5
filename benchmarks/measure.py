"""Measuring: the pages, one browser load of a page, and the map's redraw, the agendas wall and the diary's
list, filter and patterns timed in this process."""

from __future__ import annotations

import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.flows import SETTLE_SECONDS, Flow, Returning, agendas_with, power_map_with
from tests.flows_diary import DIARY_SIZES, FILTER_WORD, diary_entries, filtered_count
from tests.harness import Deadline, VoilaServer, cpu_s, rss_mb

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FLOOR_READY = ".jupyter-widgets button, button.jupyter-button"
APP_READY = ".cofa-app"
REDRAW_SIZES = (10, 100, 500)
REDRAW_REPEATS = 5
WALL_SIZES = (5, 50, 500)  # people with an agenda, as on the agendas-N pages
WALL_REPEATS = 5
DIARY_REPEATS = 5


@dataclass(frozen=True)
class Page:
    """One page the benchmark loads: its notebook, what counts as "usable", and what a person then does."""

    notebook: str
    ready: str  # selector of the first widget that counts as "the page is usable"
    flow: Flow | None = None  # tests.flows: what a participant does once the page is usable
    returning: Returning | None = None  # opened with work already kept as a draft

    @property
    def has_target(self) -> bool:
        """Our own first visits are held to the targets; the floor and returning visits are not."""
        return self.notebook != "floor.ipynb" and self.returning is None


def page_folder(root: Path, pages: dict[str, Page]) -> Path:
    """floor.ipynb next to copies of the real workbooks, as one folder for Voilà to serve."""
    folder = root / "pages"
    folder.mkdir()
    shutil.copy2(HERE / "floor.ipynb", folder / "floor.ipynb")
    for notebook in sorted((REPO / "workbooks").glob("*.ipynb")):
        shutil.copy2(notebook, folder / notebook.name)
    missing = sorted({page.notebook for page in pages.values() if not (folder / page.notebook).exists()})
    if missing:
        raise RuntimeError(f"missing notebooks: {missing}")
    return folder


def find_new_kernel(server: VoilaServer, before: set[int], deadline: Deadline):
    """The kernel started for this page: the newest kernel process that was not there before the load."""
    stop_waiting = time.monotonic() + min(10.0, deadline.left())
    while time.monotonic() < stop_waiting:
        fresh = [p for p in server.kernels() if p.pid not in before]
        if fresh:
            return max(fresh, key=lambda process: process.create_time())
        time.sleep(0.1)
    raise RuntimeError("no new kernel process appeared for this page")


def one_load(browser, server: VoilaServer, page_info: Page, workspace: Path, deadline: Deadline) -> dict[str, Any]:
    """A first visit (empty workspace, cold browser context), or a returning one; every kernel shut down after."""
    shutil.rmtree(workspace, ignore_errors=True)  # every load is a first visit (no kernel is running now)
    returning = page_info.returning
    if returning:
        returning.prepare(workspace, returning.size)  # ... except that this page's draft is kept beforehand
    before = {process.pid for process in server.kernels()}
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    result: dict[str, Any] = {}
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(server.url(page_info.notebook), wait_until="commit", timeout=deadline.ms(120))
        page.wait_for_selector(page_info.ready, state="visible", timeout=deadline.ms(120))
        result["first_widget_s"] = time.perf_counter() - started
        kernel = find_new_kernel(server, before, deadline)
        result["rss_visible_mb"] = rss_mb(kernel)
        result["kernel_cpu_s"] = cpu_s(kernel)
        time.sleep(SETTLE_SECONDS)
        result["rss_mb"] = rss_mb(kernel)
        if returning:
            returning.flow(page, kernel, deadline, result, returning.size)
        elif page_info.flow:
            page_info.flow(page, kernel, deadline, result)
        result["server_rss_mb"] = rss_mb(server.ps)
        page.close(run_before_unload=True)
    finally:
        context.close()
        server.shutdown_all_kernels(min(20.0, deadline.left()))  # the tab's own shutdown is refused (Voilà issue 1458)
    return result


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def spread(values: list[float]) -> dict[str, Any]:
    return {"median": median(values), "min": min(values), "max": max(values)}


def time_redraws(card, sizes: tuple[int, ...] = REDRAW_SIZES, repeats: int = REDRAW_REPEATS) -> dict[str, dict[str, Any]]:
    """In this process: map_frame + map_sentence + map_chart(...).to_dict(), as the page's redraw does."""
    from cofacilitate.powermap import analysis, charts
    from cofacilitate.powermap.app import BUSY_MAP

    vocabulary = card.vocabulary
    found: dict[str, dict[str, Any]] = {}
    for people in sizes:
        power_map = power_map_with(card, people)
        show_names = people <= BUSY_MAP  # the page hides names past BUSY_MAP people
        steps: dict[str, list[float]] = {"frame_s": [], "sentence_s": [], "chart_s": [], "total_s": []}
        for attempt in range(repeats + 1):  # the first is a warm-up (imports, schema loading) and is not counted
            started = time.perf_counter()
            frame = analysis.map_frame(vocabulary, power_map)
            framed = time.perf_counter()
            sentence = analysis.map_sentence(frame, vocabulary)
            said = time.perf_counter()
            spec = charts.map_chart(frame, vocabulary, sentence, show_names).to_dict()
            ended = time.perf_counter()
            if attempt == 0:
                if len(frame) != people or not spec.get("layer"):
                    raise RuntimeError(f"the map of {people} people came out wrong ({len(frame)} rows)")
                continue
            steps["frame_s"].append(framed - started)
            steps["sentence_s"].append(said - framed)
            steps["chart_s"].append(ended - said)
            steps["total_s"].append(ended - started)
        found[str(people)] = {"show_names": show_names, "repeats": repeats,
                              **{key: {**spread(values), "all": values} for key, values in steps.items()}}
    return found


def time_walls(card, sizes: tuple[int, ...] = WALL_SIZES, repeats: int = WALL_REPEATS) -> dict[str, dict[str, Any]]:
    """In this process: the wall (analysis.wall + wall_sentence) and the document (ways_of_working + to_html + to_markdown).

    The agendas are the ones tests/flows.py keeps for the agendas-N pages, each saved by its own person.
    """
    from datetime import datetime

    from cofacilitate.agendas import analysis
    from cofacilitate.documents import to_html, to_markdown
    from cofacilitate.snapshots import Saved

    found: dict[str, dict[str, Any]] = {}
    for size in sizes:
        saved = [Saved(f"record-{n}", f"2024-11-23T10:00:00.{n:06d}+00:00", f"Person {n}", (), agenda, f"person-{n}")
                 for n, agenda in enumerate(agendas_with(card, size), start=1)]
        steps: dict[str, list[float]] = {"wall_s": [], "document_s": []}
        for attempt in range(repeats + 1):  # the first is a warm-up and is not counted
            started = time.perf_counter()
            wall = analysis.wall(card.vocabulary, saved)
            sentence = analysis.wall_sentence(wall)
            walled = time.perf_counter()
            doc = analysis.ways_of_working("Benchmark project", None, None, None, wall, datetime.now())
            pages = to_html(doc), to_markdown(doc)
            ended = time.perf_counter()
            if attempt == 0:
                if wall.sharing != size or not wall.threads or sentence not in pages[0]:
                    raise RuntimeError(f"the wall of {size} agendas came out wrong ({wall.sharing} sharing)")
                continue
            steps["wall_s"].append(walled - started)
            steps["document_s"].append(ended - walled)
        found[str(size)] = {"repeats": repeats, "threads": len(wall.threads),
                            **{key: {**spread(values), "all": values} for key, values in steps.items()}}
    return found


def time_diary(card, sizes: tuple[int, ...] = DIARY_SIZES, repeats: int = DIARY_REPEATS) -> dict[str, dict[str, Any]]:
    """In this process, with the entries tests/flows.py keeps for the diary-N pages (one version each):

    list = analysis.standing; filter = analysis.filtered by FILTER_WORD; chart = coverage + coverage_sentence
    + load_rows + charts.coverage_chart(...).to_dict(). check = the cards' check of every stored body, which the
    page does before each of them (reading the records back from the file is not timed).
    """
    from cofacilitate.diary import analysis, charts
    from cofacilitate.diary.model import check_body
    from cofacilitate.snapshots import Saved

    vocabulary, vocabularies = card.vocabulary, {card.id: card.vocabulary}
    found: dict[str, dict[str, Any]] = {}
    for size in sizes:
        entries = diary_entries(card, size)
        bodies = [entry.model_dump() for entry in entries]
        saved = [Saved(f"record-{n}", f"2024-11-23T10:00:00.{n:06d}+00:00", "", (), entry)
                 for n, entry in enumerate(entries)]
        steps: dict[str, list[float]] = {"check_s": [], "list_s": [], "filter_s": [], "chart_s": []}
        for attempt in range(repeats + 1):  # the first is a warm-up (imports, altair's schema) and is not counted
            started = time.perf_counter()
            for body in bodies:
                check_body(body, vocabularies)
            checked = time.perf_counter()
            standing = analysis.standing(saved)
            listed = time.perf_counter()
            kept = analysis.filtered(standing, text=FILTER_WORD)
            filtered = time.perf_counter()
            rows = analysis.coverage(standing, vocabulary)
            sentence = analysis.coverage_sentence(rows, len(standing))
            analysis.load_rows(standing, vocabulary)
            spec = charts.coverage_chart(rows, sentence).to_dict()
            ended = time.perf_counter()
            if attempt == 0:
                if len(standing) != size or len(kept) != filtered_count(size) or not spec.get("datasets"):
                    raise RuntimeError(f"the diary of {size} entries came out wrong ({len(standing)} listed, "
                                       f"{len(kept)} with {FILTER_WORD!r})")
                continue
            steps["check_s"].append(checked - started)
            steps["list_s"].append(listed - checked)
            steps["filter_s"].append(filtered - listed)
            steps["chart_s"].append(ended - filtered)
        found[str(size)] = {"repeats": repeats, "filtered": len(kept),
                            **{key: {**spread(values), "all": values} for key, values in steps.items()}}
    return found

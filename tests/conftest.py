"""Shared test fixtures: an isolated home for every run, a real Voilà server, real Chromium.

Nothing a test does may touch the user's real folders, so HOME, Jupyter's folders and the
workspace all live under pytest's temporary directory. The pieces the benchmarks use too
(VoilaServer, Chromium's path and arguments, the folder isolation) live in tests/harness.py.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The server, Chromium and folder isolation are shared with the benchmarks; tests import them from here, as always.
from cofacilitate.store import Workspace
from tests.harness import CHROMIUM, CHROMIUM_ARGS, VoilaServer, isolate, launch_chromium  # noqa: F401
from tests.postgres_cluster import PostgresCluster, postgres_bin

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point every folder a test could write to inside a temporary tree (HOME is its root)."""
    root = tmp_path_factory.mktemp("home")
    saved = dict(os.environ)
    isolate(root, home=root)
    yield root
    os.environ.clear()
    os.environ.update(saved)


def need_browser() -> None:
    """Browser tests skip on a machine without Debian's chromium, but never in CI."""
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("CI must run the browser tests, but /usr/bin/chromium is missing (.ci/run installs it).")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def need_postgres() -> None:
    """PostgreSQL tests skip on a machine without Debian's postgresql, but never in CI."""
    if postgres_bin() is None:
        if IN_CI:
            pytest.fail("CI must run the PostgreSQL tests, but postgresql is missing (.ci/run installs it).")
        pytest.skip("Debian's postgresql is not installed (apt-get install postgresql)")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """One private PostgreSQL server for the whole run; each test takes a database of its own."""
    need_postgres()
    cluster = PostgresCluster()
    yield cluster
    cluster.remove()


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[PostgresCluster]:
    """A PostgreSQL server for one test module alone, for tests that stop or restart it on purpose."""
    need_postgres()
    running = PostgresCluster()
    try:
        yield running
    finally:
        running.remove()


BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(params=BACKENDS)
def make_workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Workspace]]:
    """Workspace.open on each backend (every store test runs on both); the same name opens the same workspace again."""
    opened: list[Workspace] = []
    urls: dict[str, str] = {}
    cluster = request.getfixturevalue("postgres") if request.param == "postgres" else None

    def make(name: str = "ws") -> Workspace:
        if cluster is not None and name not in urls:
            urls[name] = cluster.new_database()
        workspace = Workspace.open(tmp_path / name, urls.get(name))
        opened.append(workspace)
        return workspace

    make.cluster = cluster  # type: ignore[attr-defined]
    yield make
    for workspace in opened:
        workspace.close()


def files_holding(workspace: Workspace, cluster: PostgresCluster | None, needle: bytes) -> list[Path]:
    """Every file that still holds these bytes: the workspace folder, and the database server's tables."""
    found = [path for path in workspace.home.rglob("*") if path.is_file() and needle in path.read_bytes()]
    if cluster is not None:
        cluster.sql("CHECKPOINT")  # PostgreSQL writes table pages from memory to its files at a checkpoint
        found += cluster.files_hold(needle.decode())
    return found


@pytest.fixture(scope="module")
def voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    need_browser()
    from cofacilitate.offline import prepare_bundle

    prepare_bundle()  # once per run, so the first chart in a test is not also a build
    server = VoilaServer(tmp_path_factory.mktemp("voila") / "workspace")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


class Visit:
    """One browser tab, with every request it made remembered (for the no-network check)."""

    def __init__(self, browser, downloads: Path) -> None:
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.downloads = downloads

    def open(self, url: str, ready: str = ".cofa-app") -> None:
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.wait_for_selector(ready, state="visible", timeout=90_000)

    def hosts(self) -> set[str]:
        return {url.split("/")[2] for url in self.requests if url.startswith(("http://", "https://", "ws://", "wss://"))}

    def close(self) -> None:
        self.page.close(run_before_unload=True)
        self.context.close()


@pytest.fixture
def visit(browser, tmp_path: Path) -> Iterator[Visit]:
    tab = Visit(browser, tmp_path)
    yield tab
    tab.close()


def axe_problems(page) -> list[str]:
    """Run axe-core in the page; return serious and critical violations as readable lines."""
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
    page.evaluate(script)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in {"serious", "critical"}
    ]


@pytest.fixture
def fresh_workspace(tmp_path: Path) -> Path:
    """An empty workspace folder for tests that build apps in plain Python."""
    folder = tmp_path / "workspace"
    return folder


def copy_cards(tmp_path: Path) -> Path:
    """A writable copy of the shipped cards, for tests that break one on purpose."""
    from cofacilitate.cards import default_cards_dir

    target = tmp_path / "cards"
    shutil.copytree(default_cards_dir(), target)
    return target


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The workspace folder an app test opens (and reopens, as a page reload does)."""
    return tmp_path / "ws"


def opened_apps(home: Path, app_class: type) -> Iterator:
    """Yield a builder of apps on a workspace folder; close every workspace it opened afterwards."""
    from cofacilitate.store import Workspace

    opened: list[Workspace] = []

    def build(folder: Path = home):
        workspace = Workspace.open(folder)
        opened.append(workspace)
        return app_class(workspace)

    yield build
    for workspace in opened:
        workspace.close()


@pytest.fixture
def logged(home: Path) -> Iterator[Path]:
    """Problems go to the workspace's log file for this test only."""
    from cofacilitate.store import Workspace, configure_log

    workspace = Workspace.open(home)
    path = configure_log(workspace)
    workspace.close()
    yield path
    logger = logging.getLogger("cofacilitate")
    for handler in [h for h in logger.handlers if getattr(h, "baseFilename", None) == str(path)]:
        logger.removeHandler(handler)
        handler.close()


def walk(node: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair anywhere in a chart spec."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def assert_chart_text_at_least(spec: dict, smallest: float) -> None:
    """Every font size in a chart spec, and its config's defaults, at or above `smallest` pixels."""
    sizes = {key: value for key, value in walk(spec) if key.lower().endswith("fontsize")}
    assert sizes and all(value >= smallest for value in sizes.values()), sizes
    config = spec["config"]
    for part in ("axis", "legend"):
        assert config[part]["labelFontSize"] >= smallest and config[part]["titleFontSize"] >= smallest
    assert config["title"]["fontSize"] >= smallest and config["text"]["fontSize"] >= smallest


def dataset_values(spec: dict) -> list[Any]:
    """Every value in a chart spec's inline data."""
    return [value for rows in spec["datasets"].values() for row in rows for value in row.values()]


def shown(block) -> str:
    """The text a person reads in an HTML widget (tags dropped, entities read)."""
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", block.value))


def html_values(widget) -> list[str]:
    """Every HTML widget's markup on the page, however deep."""
    import ipywidgets as widgets

    found = [widget.value] if isinstance(widget, widgets.HTML) else []
    for child in getattr(widget, "children", ()):
        found += html_values(child)
    return found


def data_links(markup: str) -> dict[str, bytes]:
    """{mime type: decoded bytes} for every data: link in the markup."""
    import base64

    return {mime: base64.b64decode(data) for mime, data in re.findall(r'href="data:([^;"]+);base64,([^"]*)"', markup)}


@pytest.fixture
def ladder(home: Path) -> Iterator:
    """Ladder pages on the test's workspace folder, built as a page (re)load builds them."""
    from tests.pages import pages

    yield from pages(home, "ladder")


@pytest.fixture
def powermap(home: Path) -> Iterator:
    """Power map pages on the test's workspace folder, built as a page (re)load builds them."""
    from tests.pages import pages

    yield from pages(home, "powermap")


@pytest.fixture
def agendas(home: Path) -> Iterator:
    """Naming agendas pages on the test's workspace folder, built as a page (re)load builds them."""
    from tests.pages import pages

    yield from pages(home, "agendas")

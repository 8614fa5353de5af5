"""The ladder page on PostgreSQL in a real browser, while its database server stops and starts again.

A real Voilà server (tests/harness.py VoilaServer) runs with COFACILITATE_DATABASE_URL naming a
database on a PostgreSQL server of this module's own (tests/postgres_cluster.py), which is stopped
and started on purpose. A person types ladder answers; the server stops; they press Save: the page
says plainly that the answers were not saved and are still on screen, and they are; the server
starts again; Save stores them, once. A page opened while the server is down opens with a plain
message, never a traceback.

The "not saved" moment is also kept as screenshots at 1280x800 and 390x844 (a phone), in the test's
temporary folder, for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cofacilitate.store import Workspace
from cofacilitate.store.home import DATABASE_URL_VARIABLE
from tests.conftest import need_browser
from tests.harness import VoilaServer
from tests.postgres_cluster import PostgresCluster

pytestmark = pytest.mark.browser

PROJECT = "Ward study"
NOW_IDEA = "Now, at “Having the idea”:"
AIM_IDEA = "What we aim for, at “Having the idea”:"
CLIMB_IDEA = "What would it take to climb one rung at “Having the idea”? (optional)"
CLIMB_WORDS = "Meet in the evening and pay people for their time"
SIZES = {"laptop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="module")
def served(own_postgres: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[VoilaServer, str]]:
    """Our Voilà server with its workspace in PostgreSQL, as `cofacilitate open --database-url` runs it."""
    need_browser()
    from cofacilitate.offline import prepare_bundle

    prepare_bundle()
    url = own_postgres.new_database("browser")
    server = VoilaServer(tmp_path_factory.mktemp("voila-pg") / "workspace", {DATABASE_URL_VARIABLE: url})
    try:
        yield server, url
    finally:
        server.stop()


def said(page) -> str:
    return " ".join(page.locator(".cofa-feedback").all_inner_texts())


def wait_until_said(page, words: str) -> str:
    page.wait_for_function("(words) => Array.from(document.querySelectorAll('.cofa-feedback'), e => e.innerText)"
                           ".join(' ').includes(words)", arg=words, timeout=60_000)
    return said(page)


def answers_on_screen(page) -> tuple[str, str, str]:
    return (page.get_by_label(NOW_IDEA, exact=True).input_value(), page.get_by_label(AIM_IDEA, exact=True).input_value(),
            page.get_by_label(CLIMB_IDEA).input_value())


def screenshots(page, folder: Path, moment: str, where: str) -> list[Path]:
    """The page as a person sees it at this moment, at a laptop's size and a phone's, scrolled to `where`."""
    taken = []
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.locator(where).first.scroll_into_view_if_needed()
        path = folder / f"{moment}-{name}-{width}x{height}.png"
        page.screenshot(path=str(path))
        taken.append(path)
    return taken


def test_save_while_the_database_is_stopped_says_so_keeps_the_words_and_saves_once_it_is_back(served, own_postgres, visit,
                                                                                            tmp_path):
    server, url = served
    page = visit.page
    visit.open(server.url("ladder.ipynb"))
    page.get_by_label("Which project are you thinking about?").fill(PROJECT)
    page.get_by_label("Which project are you thinking about?").press("Tab")  # the name is sent as the box is left
    page.get_by_label(NOW_IDEA, exact=True).select_option(label="3. Informing (doing for)")
    page.get_by_label(AIM_IDEA, exact=True).select_option(label="6. Co-design (doing with)")
    page.get_by_label(CLIMB_IDEA).fill(CLIMB_WORDS)
    page.get_by_label(CLIMB_IDEA).press("Tab")
    typed = answers_on_screen(page)

    own_postgres.stop()
    try:
        page.locator(".cofa-save").click()
        words = wait_until_said(page, "could not be saved")
        assert "still on screen" in words, words
        assert "Traceback" not in page.inner_text("body") and "psycopg" not in page.inner_text("body")
        assert answers_on_screen(page) == typed, "the answers stay in the form"
        shots = screenshots(page, tmp_path, "not-saved", ".cofa-save")
        print("\nscreenshots: " + ", ".join(map(str, shots)))
        page.set_viewport_size({"width": 1100, "height": 900})
    finally:
        own_postgres.start()

    page.locator(".cofa-save").click()
    words = wait_until_said(page, "are saved")
    assert "could not be saved" not in words, words
    assert answers_on_screen(page) == typed
    page.wait_for_selector(".cofa-gap-chart svg")

    store = Workspace.open(server.workspace, url)
    try:
        records = store.records("ladder", None)
    finally:
        store.close()
    assert len(records) == 1, f"{len(records)} records: one Save that was refused, one that landed"
    [record] = records
    assert record.body["project"] == PROJECT
    idea = next(answer for answer in record.body["answers"] if answer["stage"] == "idea")
    assert (idea["now"], idea["aim"], idea["climb"]) == ("informing", "co-design", CLIMB_WORDS)


def test_a_page_opened_while_the_database_cannot_be_reached_says_so_plainly(served, own_postgres, visit, tmp_path):
    server, _ = served
    page = visit.page
    own_postgres.stop()
    try:
        visit.open(server.url("ladder.ipynb"))
        shown = page.inner_text(".cofa-app")
        assert "could not be reached" in shown and "try again" in shown, shown
        for engine_words in ("Traceback", "psycopg", "OperationalError", "Error:", "postgresql://"):
            assert engine_words not in page.inner_text("body"), engine_words
        assert page.locator(".cofa-save").count() == 0, "no form that could not be saved"
        shots = screenshots(page, tmp_path, "unreachable", ".cofa-app")
        print("\nscreenshots: " + ", ".join(map(str, shots)))
    finally:
        own_postgres.start()

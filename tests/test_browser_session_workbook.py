"""One person's session workbook as a person meets it: real Voilà and real Chromium, then real JupyterLab.

In Voilà, from the start page's link: the parts in order with no code on screen, each exercise the tool's own
page on the session's card with no choice of another, words typed into the first exercise saved, and back after
a reload. In JupyterLab (as Binder or a person's own computer opens it): the same file opens as a notebook, runs,
and shows both pages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cofacilitate.cli import free_port, new_token, workbooks_dir
from cofacilitate.sessions.commands import find_session
from cofacilitate.store import Workspace
from tests.conftest import Visit, axe_problems, need_browser
from tests.test_binder import stop

pytestmark = pytest.mark.browser

NOTEBOOK = "sessions/starting-together.ipynb"
WHY = "Why am I here?"
WORDS = "I want the next family on the ward to be heard sooner"


def test_the_session_workbook_shows_each_exercise_in_turn_and_keeps_what_was_typed(voila, visit) -> None:
    session = find_session("starting-together")
    page = visit.page
    visit.open(voila.url("index.ipynb"))  # the start page links each session's workbook
    assert page.locator("a.cofa-session-link").all_inner_texts() == ["How are we doing?", "Starting to work together"]
    page.locator("a.cofa-session-link", has_text="Starting to work together").click()
    page.wait_for_url(f"**/voila/render/{NOTEBOOK}", timeout=60_000)
    apps = page.locator(".cofa-app")
    apps.nth(1).wait_for(state="visible", timeout=90_000)
    assert apps.count() == 2 == len(session.exercises)

    text = page.inner_text("main")
    order = ["Part 1 of 5: Welcome, and how today will go", "On your own, take a few minutes",
             "Part 2 of 5: Naming our agendas, about 35 minutes", WHY, "Part 3 of 5: Tea break", "A good time for a break",
             "Part 4 of 5: The ladder of co-production, about 25 minutes", "Now, at “Having the idea”:",
             "Part 5 of 5: A closing round"]
    places = [text.find(words) for words in order]
    assert -1 not in places and places == sorted(places), dict(zip(order, places, strict=True))
    assert page.locator("h1").first.inner_text() == "Starting to work together"
    assert page.title() == "Starting to work together | cofacilitate"
    assert "show(" not in text and "import" not in text and "In [" not in text, "no code on screen"
    assert page.locator(".jp-InputArea-editor, .cm-editor").count() == 0

    first, second = apps.nth(0), apps.nth(1)
    assert first.locator(".cofa-card h2").inner_text() == "Naming our agendas"
    assert second.locator(".cofa-card h2").inner_text() == "The ladder of co-production"
    assert page.locator(".cofa-card-choice").count() == 0, "the session chose the cards: no choice of another"
    assert first.get_by_label("The ladder", exact=False).count() == 0, "each page holds only its own exercise"
    assert not axe_problems(page)

    first.get_by_label(WHY, exact=True).fill(WORDS)
    first.locator("button.cofa-save").click()
    first.locator(".cofa-feedback", has_text="is saved").wait_for()

    page.reload(wait_until="domcontentloaded")
    apps.nth(1).wait_for(state="visible", timeout=90_000)
    assert apps.nth(0).get_by_label(WHY, exact=True).input_value() == WORDS
    assert "Your answers start from the agenda you saved" in apps.nth(0).inner_text()
    assert page.locator(".cofa-card-choice").count() == 0
    store = Workspace.open(voila.workspace)
    try:
        saved = store.room_records("agendas", "")
    finally:
        store.close()
    assert len(saved) == 1 and WORDS in str(saved[0].body), "saved once, with the words typed"
    assert visit.hosts() == {f"127.0.0.1:{voila.port}"}, "no page asks any other host"


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Real JupyterLab serving a copy of the workbooks (as Binder serves the repository), as `jupyter lab` starts.

    A copy, because JupyterLab saves a notebook it has run, outputs and all, and the shipped ones stay output-free."""
    need_browser()
    root = tmp_path / "repo"
    shutil.copytree(workbooks_dir(), root / "workbooks")
    port, token = free_port(), new_token()
    log = tmp_path / "lab.log"
    env = {**os.environ, "JUPYTER_TOKEN": token, "COFACILITATE_HOME": str(tmp_path / "workspace")}
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--port={port}",
             "--ServerApp.root_dir=" + str(root), *(["--allow-root"] if os.geteuid() == 0 else [])],
            env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-4000:]
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).close()
                break
            except OSError:
                time.sleep(0.3)
        yield base, token
    finally:
        stop(server)


def test_the_session_workbook_opens_and_runs_in_jupyterlab(lab, browser, tmp_path: Path) -> None:
    base, token = lab
    with urllib.request.urlopen(f"{base}/api/contents/workbooks/{NOTEBOOK}?token={token}", timeout=30) as answer:
        found = json.load(answer)
    assert found["type"] == "notebook" and found["content"]["metadata"]["kernelspec"]["name"] == "python3"

    visit = Visit(browser, tmp_path)
    try:
        page = visit.page
        page.goto(f"{base}/lab/tree/workbooks/{NOTEBOOK}?token={token}", wait_until="domcontentloaded")
        page.locator(".jp-Notebook h2", has_text="Part 2 of 5: Naming our agendas").wait_for(timeout=90_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=90_000)  # its kernel is up
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        apps = page.locator(".jp-Notebook .cofa-app")
        apps.nth(1).wait_for(state="visible", timeout=90_000)
        for number, title in enumerate(("Naming our agendas", "The ladder of co-production")):
            heading = apps.nth(number).locator(".cofa-card h2")
            heading.scroll_into_view_if_needed()
            expect(heading).to_have_text(title, use_inner_text=True)  # JupyterLab draws a cell once it is in view
            page.screenshot(path=str(tmp_path / f"jupyterlab-{title.split()[-1]}.png"))
        assert page.locator(".jp-Notebook .cofa-card-choice").count() == 0
        assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
    finally:
        visit.close()

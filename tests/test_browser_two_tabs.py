"""Two tabs of one person, and a kernel made slow on purpose (issue 15, points 1, 5 and 14): real Voilà, real Chromium.

Tab A works on "Study A" and tab B on "Study B", each typing into the same stage's box. A saves;
B reloads: nothing of A's is in B's project, and each project keeps its own words. Then, with the
page's kernel frozen (SIGSTOP) while the person changes project and types, nothing typed is lost.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from uuid import uuid4

import psutil
import pytest
from playwright.sync_api import expect

from tests.test_browser_ladder import CLIMB_IDEA, wait_for_draft

pytestmark = pytest.mark.browser

PROJECT = "Which project are you thinking about?"


def newest_kernel(voila) -> psutil.Process:
    kernels = [child for child in psutil.Process(voila.process.pid).children(recursive=True)
               if "ipykernel_launcher" in " ".join(child.cmdline())]
    return max(kernels, key=lambda kernel: kernel.create_time())


def name_project(page, name: str) -> None:
    box = page.get_by_label(PROJECT)
    box.fill(name)
    box.press("Tab")


def test_two_tabs_on_two_projects_never_mix_their_words(voila, browser, tmp_path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(60_000)
    url = voila.url("ladder.ipynb") + f"&person={uuid4().hex}"
    tab_a, tab_b = context.new_page(), context.new_page()
    try:
        for tab in (tab_a, tab_b):
            tab.goto(url, wait_until="domcontentloaded")
            tab.wait_for_selector(".cofa-climb textarea", state="visible", timeout=90_000)
        name_project(tab_a, "Study A")
        name_project(tab_b, "Study B")
        tab_a.get_by_label(CLIMB_IDEA).fill("Tab A pays people for their time")
        tab_b.get_by_label(CLIMB_IDEA).fill("Tab B asks before the grant is written")
        wait_for_draft(voila.workspace, "Tab B asks")
        tab_a.locator(".cofa-save").click()
        expect(tab_a.locator(".cofa-feedback", has_text="are saved")).to_be_visible()

        tab_b.reload(wait_until="domcontentloaded")
        tab_b.wait_for_selector(".cofa-climb textarea", state="visible", timeout=90_000)
        name_project(tab_b, "Study B")
        expect(tab_b.get_by_label(CLIMB_IDEA)).to_have_value("Tab B asks before the grant is written")
        name_project(tab_b, "Study A")
        expect(tab_b.get_by_label(CLIMB_IDEA)).to_have_value("Tab A pays people for their time")
        assert "Tab B" not in tab_b.locator(".cofa-history").inner_text()
    finally:
        for tab in (tab_a, tab_b):
            tab.close(run_before_unload=True)
        context.close()


def test_typing_while_the_kernel_is_frozen_loses_nothing(voila, visit) -> None:
    page = visit.page
    visit.open(voila.url("ladder.ipynb") + f"&person={uuid4().hex}", ".cofa-climb textarea")
    kernel = newest_kernel(voila)
    os.kill(kernel.pid, signal.SIGSTOP)  # a busy laptop: the kernel answers nothing for a while
    try:
        name_project(page, "Frozen study")
        page.get_by_label(CLIMB_IDEA).fill("Typed while the kernel could not answer")
        page.locator(".cofa-save").click()
    finally:
        os.kill(kernel.pid, signal.SIGCONT)
    expect(page.locator(".cofa-feedback", has_text="are saved")).to_be_visible()
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".cofa-climb textarea", state="visible", timeout=90_000)
    name_project(page, "Frozen study")
    expect(page.get_by_label(CLIMB_IDEA)).to_have_value("Typed while the kernel could not answer")
    # The list of sections at the top jumps to each: the link moves the page to its heading.
    page.locator(".cofa-contents a", has_text="Keep or restore your answers").click()
    expect(page.locator("#cofa-keep-or-restore-your-answers")).to_be_in_viewport()


def test_a_rung_chosen_just_after_naming_the_project_is_kept_on_a_frozen_kernel(voila, visit) -> None:
    """A project named letter by letter, then a rung chosen at once: the page fills its form again for the
    project named, and that must never undo the rung chosen after it (the name is sent as the box is left)."""
    from tests.test_browser_ladder import NOW_IDEA, choose_by_keyboard

    page = visit.page
    visit.open(voila.url("ladder.ipynb") + f"&person={uuid4().hex}", ".cofa-climb textarea")
    kernel = newest_kernel(voila)
    os.kill(kernel.pid, signal.SIGSTOP)
    try:
        page.get_by_label(PROJECT).focus()
        page.keyboard.type("Letter by letter")
        choose_by_keyboard(page, NOW_IDEA, "3")
        page.locator(".cofa-save").click()
    finally:
        os.kill(kernel.pid, signal.SIGCONT)
    expect(page.locator(".cofa-feedback", has_text="are saved")).to_be_visible()
    with sqlite3.connect(voila.workspace / "workspace.sqlite") as db:
        bodies = [json.loads(body) for (body,) in db.execute("SELECT body FROM cofacilitate_records WHERE tool = 'ladder'")]
    mine = [body for body in bodies if body["project"] == "Letter by letter"]
    assert [body["answers"][0]["now"] for body in mine] == ["informing"], mine

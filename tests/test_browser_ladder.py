"""The ladder and landing pages as a person uses them: real Voilà, real headless Chromium.

Keyboard only (focus, Tab, typing, Space, Enter), reload to see what was kept, files
downloaded and uploaded for real, axe-core for accessibility, and every request checked
to go to the Voilà server and nowhere else.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

import pytest

from cofacilitate.store import Workspace
from cofacilitate.tools import TOOLS
from tests.conftest import VoilaServer, axe_problems, copy_cards

pytestmark = pytest.mark.browser

NOW_IDEA = "Now, at “Having the idea”:"
AIM_IDEA = "What we aim for, at “Having the idea”:"
NOW_DESIGN = "Now, at “Design and planning”:"
AIM_DESIGN = "What we aim for, at “Design and planning”:"
CLIMB_IDEA = "What would it take to climb one rung at “Having the idea”? (optional)"


def only_local(visit, server: VoilaServer) -> None:
    assert visit.hosts() == {f"127.0.0.1:{server.port}"}, visit.hosts()


def choose_by_keyboard(page, label: str, first_key: str) -> None:
    """Focus a drop-down list and type the first character of an option, as a keyboard user does."""
    page.get_by_label(label, exact=True).focus()
    page.keyboard.type(first_key)


def wait_for_draft(workspace: Path, needle: str, deadline: float = 20) -> None:
    """Wait until the typed words are in the workspace file itself (the autosave has run)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        with sqlite3.connect(workspace / "workspace.sqlite") as db:
            if any(needle in value for (value,) in db.execute("SELECT value FROM cofacilitate_drafts")):
                return
        time.sleep(0.2)
    raise AssertionError(f"draft containing {needle!r} never reached the workspace")


def test_landing_page_explains_and_links_only_built_tools(voila, visit):
    visit.open(voila.url("index.ipynb"))
    page = visit.page
    assert page.locator("h1").first.inner_text() == "Working together, honestly"
    assert "not a health or crisis service" in page.inner_text("main")
    hrefs = [link.get_attribute("href") for link in page.locator(".cofa-tools a").all()]
    assert hrefs == [info.workbook for info in TOOLS]
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title() == "cofacilitate: working together, honestly"
    assert page.locator("main").count() == 1
    assert "In [" not in page.inner_text("body"), "code prompts must never show"
    assert axe_problems(page) == []
    only_local(visit, voila)


def test_keyboard_only_assessment_is_saved_charted_and_kept_after_reload(voila, visit):
    page = visit.page
    visit.open(voila.url("ladder.ipynb"))
    assert "Coercion" in page.inner_text(".cofa-card") and "doing with" in page.inner_text(".cofa-card")

    page.get_by_label("A name for yourself", exact=False).focus()
    page.keyboard.type("River")
    page.keyboard.press("Tab")  # the next stop is the first role tick box
    assert page.evaluate("document.activeElement.type") == "checkbox"
    page.keyboard.press("Space")
    page.get_by_label("Which project are you thinking about?").focus()
    page.keyboard.type("Keyboard study")
    choose_by_keyboard(page, NOW_IDEA, "3")
    choose_by_keyboard(page, AIM_IDEA, "7")
    choose_by_keyboard(page, NOW_DESIGN, "I")  # "I don't know" / "I'd rather not say": both are answers
    page.get_by_label(AIM_DESIGN, exact=True).focus()
    page.keyboard.press("ArrowDown")  # 7. Co-production
    page.keyboard.press("ArrowDown")  # 6. Co-design
    page.get_by_label(CLIMB_IDEA).focus()
    page.keyboard.type("Pay people for their time")
    page.locator(".cofa-save").focus()
    page.keyboard.press("Enter")

    page.wait_for_selector(".cofa-gap-chart svg")
    sentence = page.inner_text(".cofa-chart-sentence")
    assert "lowest at Having the idea" in sentence and "4 rungs to climb" in sentence
    table = page.inner_text(".cofa-gap-chart table")
    assert "Informing (doing for)" in table and "Co-production (doing with)" in table
    assert "saved" in page.inner_text(".cofa-feedback")

    stored = Workspace.open(voila.workspace).records("ladder", None)
    mine = [r for r in stored if r.body["project"] == "Keyboard study"]
    assert len(mine) == 1 and mine[0].participant == "River" and mine[0].roles == ("public-partner",)
    idea = next(a for a in mine[0].body["answers"] if a["stage"] == "idea")
    assert (idea["now"], idea["aim"], idea["climb"]) == ("informing", "co-production", "Pay people for their time")
    design = next(a for a in mine[0].body["answers"] if a["stage"] == "design")
    assert design["now"] in {"dont-know", "pass"} and design["aim"] == "co-design"
    assert axe_problems(page) == []

    page.reload()
    page.wait_for_selector(".cofa-app", state="visible")
    assert "Keyboard study" in page.inner_text(".cofa-history")
    assert page.get_by_label(NOW_IDEA, exact=True).input_value() == "3. Informing (doing for)"
    assert "start from your last assessment" in page.inner_text(".cofa-person-feedback")
    only_local(visit, voila)


def test_second_assessment_shows_movement_over_time(voila, visit):
    page = visit.page
    for now_key in ("2", "5"):  # Educating, then Engagement
        visit.open(voila.url("ladder.ipynb"))
        page.get_by_label("Which project are you thinking about?").fill("Moving study")
        page.get_by_label("Which project are you thinking about?").press("Tab")  # the name is sent as the box is left
        page.get_by_label(NOW_IDEA, exact=True).select_option(index=0)
        choose_by_keyboard(page, NOW_IDEA, now_key)
        page.get_by_label("why did anything move", exact=False).fill("We paid advisers and met in the evening")
        page.locator(".cofa-save").click()
        page.wait_for_selector(".cofa-gap-chart svg")
    page.locator(".cofa-show-history").click()
    page.wait_for_selector(".cofa-history-chart svg")
    sentence = page.inner_text(".cofa-history-chart .cofa-chart-sentence")
    assert "Across 2 assessments" in sentence and "moved up at Having the idea" in sentence
    assert "We paid advisers" in sentence
    assert "Engagement" in page.inner_text(".cofa-history-chart table")
    only_local(visit, voila)


def test_draft_comes_back_after_reload(voila, visit):
    page = visit.page
    visit.open(voila.url("ladder.ipynb"))
    page.get_by_label(CLIMB_IDEA).fill("A draft about evening meetings")
    wait_for_draft(voila.workspace, "evening meetings")
    page.reload()
    page.wait_for_selector(".cofa-app", state="visible")
    assert page.get_by_label(CLIMB_IDEA).input_value() == "A draft about evening meetings"
    assert "brought back what you were writing" in page.inner_text(".cofa-person-feedback")
    page.get_by_label(CLIMB_IDEA).fill("")  # leave the shared page tidy for the next test
    wait_for_draft(voila.workspace, '""')


def test_download_then_restore_into_a_fresh_workspace(voila, visit, browser, tmp_path):
    page = visit.page
    visit.open(voila.url("ladder.ipynb"))
    page.get_by_label("Which project are you thinking about?").fill("Portable <b>study</b>")
    page.get_by_label("Which project are you thinking about?").press("Tab")  # the name is sent as the box is left
    choose_by_keyboard(page, NOW_IDEA, "4")
    page.locator(".cofa-save").click()
    page.wait_for_selector(".cofa-gap-chart svg")
    page.locator(".cofa-get-files").click()
    with page.expect_download() as card_download:
        page.locator("a.cofa-download-card").click()
    card_file = tmp_path / "card.json"
    card_download.value.save_as(card_file)
    with page.expect_download() as csv_download:
        page.locator("a.cofa-download-csv").click()
    csv_file = tmp_path / "answers.csv"
    csv_download.value.save_as(csv_file)
    card = json.loads(card_file.read_text())
    assert card["format"] == "cofacilitate-response-card" and card["tool"] == "ladder"
    assert any(r["body"]["project"] == "Portable <b>study</b>" for r in card["records"])
    assert "Portable <b>study</b>" in csv_file.read_text()

    fresh = VoilaServer(tmp_path / "fresh-workspace")
    try:
        other = visit.context.new_page()
        other.goto(fresh.url("ladder.ipynb"))
        other.wait_for_selector(".cofa-app", state="visible", timeout=90_000)
        with other.expect_file_chooser() as chooser:
            other.locator(".cofa-upload").click()
        chooser.value.set_files(str(card_file))
        other.wait_for_selector(".cofa-files-panel .cofa-feedback .cofa-done")
        assert "brought back" in other.inner_text(".cofa-files-panel .cofa-feedback")
        other.get_by_label("Which project are you thinking about?").fill("Portable <b>study</b>")
        other.get_by_label("Which project are you thinking about?").press("Tab")  # the name is sent as the box is left
        other.wait_for_selector(".cofa-history-items li")
        history = other.locator(".cofa-history")
        assert history.locator("b").count() == 0, "typed HTML must never become markup"
        assert "Portable <b>study</b>" in history.inner_text()
        restored = Workspace.open(fresh.workspace).records("ladder", None)
        assert [r.body["project"] for r in restored].count("Portable <b>study</b>") >= 1
        other.close(run_before_unload=True)
    finally:
        fresh.stop()
    only_local(visit, voila)


def test_hostile_upload_is_refused_plainly_and_changes_nothing(voila, visit, tmp_path):
    page = visit.page
    visit.open(voila.url("ladder.ipynb"))
    before = len(Workspace.open(voila.workspace).records("ladder", None))
    wrong_tool = tmp_path / "other.json"
    wrong_tool.write_text(json.dumps({"format": "cofacilitate-response-card", "tool": "diary", "schema_version": 1,
                                      "app_version": "0", "exported_at": "", "records": []}))
    huge = tmp_path / "huge.json"
    huge.write_bytes(b"[" + b"0," * 1_600_000 + b"0]")
    for path, words in ((wrong_tool, "another exercise"), (huge, "2 MB")):
        with page.expect_file_chooser() as chooser:
            page.locator(".cofa-upload").click()
        chooser.value.set_files(str(path))
        page.wait_for_selector(f".cofa-feedback .cofa-problem:has-text('{words}')")
        assert "Traceback" not in page.inner_text("body")
    assert len(Workspace.open(voila.workspace).records("ladder", None)) == before


def test_bad_card_and_foreign_database_get_plain_messages(tmp_path, browser):
    cards = copy_cards(tmp_path)
    broken = cards / "ladder.yaml"
    broken.write_text(broken.read_text().replace("band: doing-with\n", "band: doing-by\n", 1))
    workspace = tmp_path / "ws"
    server = VoilaServer(workspace, extra_env={"COFACILITATE_CARDS": str(cards)})
    from tests.conftest import Visit

    try:
        tab = Visit(browser, tmp_path)
        tab.open(server.url("ladder.ipynb"))
        text = tab.page.inner_text(".cofa-app")
        assert "ladder.yaml" in text and "doing-by" in text and "line" in text
        assert "Arnstein's ladder of citizen participation" in tab.page.inner_text(".cofa-card h2"), "the good card still opens"
        tab.close()
    finally:
        server.stop()

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    with sqlite3.connect(foreign / "workspace.sqlite") as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    before = hashlib.sha256((foreign / "workspace.sqlite").read_bytes()).hexdigest()
    server = VoilaServer(foreign)
    try:
        tab = Visit(browser, tmp_path)
        tab.open(server.url("ladder.ipynb"))
        assert "belongs to another program" in tab.page.inner_text(".cofa-app")
        assert "Traceback" not in tab.page.inner_text("body")
        tab.close()
    finally:
        server.stop()
    assert hashlib.sha256((foreign / "workspace.sqlite").read_bytes()).hexdigest() == before


def test_closed_tabs_do_not_leave_kernels_behind(tmp_path, browser):
    """Voilà cannot stop a closed tab's kernel (issue 1458); our idle culling does."""
    server = VoilaServer(tmp_path / "ws", cull_idle_seconds=4)
    from tests.conftest import Visit

    try:
        tab = Visit(browser, tmp_path)
        tab.open(server.url("index.ipynb"))
        assert len(server.kernels()) == 1
        tab.close()
        end = time.monotonic() + 40
        while server.kernels() and time.monotonic() < end:
            time.sleep(0.5)
        assert server.kernels() == []
    finally:
        server.stop()

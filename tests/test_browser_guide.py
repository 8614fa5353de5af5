"""The facilitator's guide as a person opens it: the web page the command writes, opened as a file in Chromium,
read on screen and as printed on A4, with screenshots at print size to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from cofacilitate.cli import main
from cofacilitate.sessions import guide_words as words
from tests.conftest import axe_problems

pytestmark = pytest.mark.browser

A4 = {"width": 794, "height": 1123}  # an A4 page at 96 dots to the inch, as Chromium prints it
HOSTILE = """id: hostile
title: Our <b>bold</b> session
duration_minutes: 30
welcome: Hello <img src=x onerror="document.title='ran'">, welcome.
steps:
  - talk: Start
    minutes: 5
    opening: "Say hello. <script>document.title='ran'</script>"
  - exercise: ladder
    minutes: 25
"""


def guide_page(tmp_path: Path, session: str) -> Path:
    out = tmp_path / "guides"
    assert main(["session", "guide", session, "--out", str(out)]) == 0
    return next(out.glob("*-guide.html"))


@pytest.mark.parametrize("session", ["starting-together", "how-are-we-doing"])
def test_the_guide_reads_and_prints_on_a4(browser, tmp_path: Path, session: str) -> None:
    path = guide_page(tmp_path, session)
    context = browser.new_context(viewport=A4)
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(path.as_uri())
        text = page.inner_text("body")
        assert "Facilitator’s guide:" in text and "Timetable" in text and "In all, to the end" in text
        for item in words.WATCH_ALWAYS:
            assert item in text
        assert "This session is not a health or crisis service." in text and "Samaritans (UK)" in text
        assert "Before you close the room, press “Get the session report”." in text
        assert axe_problems(page) == []
        page.emulate_media(media="print")
        assert page.evaluate("document.documentElement.scrollWidth") <= A4["width"], "nothing runs off the page"
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16, "type large enough to read"
        assert page.get_by_role("table").is_visible() and page.get_by_role("columnheader", name="Where").is_visible()
        height = page.evaluate("document.documentElement.scrollHeight")
        for number, top in enumerate(range(0, height, A4["height"]), start=1):  # A4-sized pieces, to look at
            clip = {"x": 0, "y": top, "width": A4["width"], "height": min(A4["height"], height - top)}
            page.screenshot(path=str(tmp_path / f"{session}-a4-{number}.png"), full_page=True, clip=clip)
        assert page.pdf(format="A4").startswith(b"%PDF"), "Chromium prints it"
        assert [url for url in asked if not url.startswith("file:")] == [], "the guide fetches nothing"
    finally:
        context.close()


def test_hostile_words_in_a_session_show_as_text_and_nothing_runs(browser, tmp_path: Path) -> None:
    plan = tmp_path / "hostile.yaml"
    plan.write_text(HOSTILE, encoding="utf-8")
    context = browser.new_context(viewport=A4)
    try:
        page = context.new_page()
        page.goto(guide_page(tmp_path, str(plan)).as_uri())
        text = page.inner_text("body")
        assert "To open it: Say hello. <script>document.title='ran'</script>" in text
        assert "Facilitator’s guide: Our <b>bold</b> session" in text
        assert page.title() == "Facilitator’s guide: Our <b>bold</b> session", "no script ran to change it"
        assert page.evaluate("document.scripts.length") == 0 and page.locator("img, b").count() == 0
    finally:
        context.close()

"""Paper worksheets as a person prints them: each sheet the command writes, opened as a file in Chromium as printed
on A4 and on US Letter, read, measured and photographed at print size; and the PDFs Chromium makes of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cofacilitate.cli import main
from cofacilitate.sessions.plan import load_session, session_paths
from cofacilitate.sessions.sheet_codes import read_sheet_code
from cofacilitate.sessions.worksheets import CODE_SENTENCE, KEEP_IT
from cofacilitate.ui import SUPPORT
from tests.conftest import axe_problems

pytestmark = pytest.mark.browser

COPIES = 2
# What fits inside 15 mm margins, at 96 dots to the inch: A4 is 180 x 267 mm, US Letter 186 x 249 mm.
PRINTED = {"a4": {"width": 680, "height": 1009}, "letter": {"width": 702, "height": 942}}
PAPER = {"a4": (595, 842), "letter": (612, 792)}  # the whole sheet in points, as a PDF gives it
SESSIONS = {path.stem: load_session(path) for path in session_paths()}
WIDEST = """() => Math.max(...[...document.querySelectorAll("body *")].map((el) => el.getBoundingClientRect().right))"""
KEPT_WHOLE = ".question, .together, .group"  # what the page asks a printer never to split
TALLEST = f"""() => Math.max(...[...document.querySelectorAll("{KEPT_WHOLE}")].map((el) => el.getBoundingClientRect().height))"""


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each shipped session's sheets and their PDFs, made by the command with the real Chromium."""
    folders = {}
    for name in SESSIONS:
        out = tmp_path_factory.mktemp(name)
        assert main(["session", "worksheets", name, "--out", str(out), "--copies", str(COPIES), "--pdf"]) == 0
        folders[name] = out
    return folders


@pytest.mark.parametrize("size", list(PRINTED))
@pytest.mark.parametrize("name", list(SESSIONS))
def test_each_sheet_reads_and_fits_the_paper(browser, sheets: dict[str, Path], tmp_path: Path, name: str, size: str) -> None:
    session, area = SESSIONS[name], PRINTED[size]
    pages = sorted(sheets[name].glob("*.html"))
    assert [path.stem for path in pages] == [f"{n:02d}-{part.tool}" for n, part in enumerate(session.exercises, start=1)]
    codes: list[list[str]] = []
    for path, part in zip(pages, session.exercises, strict=True):
        context = browser.new_context(viewport=area)
        try:
            page = context.new_page()
            asked: list[str] = []
            page.on("request", lambda request, asked=asked: asked.append(request.url))
            page.goto(path.as_uri())
            page.emulate_media(media="print")
            text = page.inner_text("body")
            assert text.count(session.title) >= COPIES and text.count("About you") == COPIES
            assert text.count(part.title) >= COPIES and text.count(SUPPORT) == COPIES
            shown = re.findall(r"Sheet code: (\S+)", text)
            if part.taken_home:
                assert shown == [] and text.count(KEEP_IT) == COPIES
            else:
                assert len(set(shown)) == COPIES and all(read_sheet_code(code) == code for code in shown)
                assert text.count(CODE_SENTENCE) == COPIES
                codes.append(shown)
            assert text.count("You can leave this empty.") == page.locator(".question").count() > 6
            box = page.locator(".copy").first.locator(".box").first
            assert box.is_visible() and page.locator(".box").count() > 20 * COPIES
            square = box.evaluate("(el) => { const s = getComputedStyle(el); return [el.offsetWidth, el.offsetHeight, "
                                  "s.borderTopStyle, s.borderTopColor]; }")
            assert square[0] == square[1] >= 18 and square[2:] == ["solid", "rgb(0, 0, 0)"], "an empty square to tick"
            assert page.evaluate("document.documentElement.scrollWidth") <= area["width"]
            assert page.evaluate(WIDEST) <= area["width"] + 0.5, "nothing is wider than the paper"
            assert page.evaluate(TALLEST) <= area["height"], "each question fits on one page, so it is never split"
            size_of = "(css) => parseFloat(getComputedStyle(document.querySelector(css)).fontSize)"
            assert page.evaluate(size_of, ".card p") >= 14 * 96 / 72, "the card's words in 14 point or more"
            assert page.evaluate(size_of, "body") >= 14 * 96 / 72
            assert page.evaluate("document.scripts.length") == 0
            height = page.evaluate("document.querySelector('.copy').getBoundingClientRect().height")
            for number, top in enumerate(range(0, int(height), area["height"]), start=1):  # page-sized pieces, to look at
                clip = {"x": 0, "y": top, "width": area["width"], "height": area["height"]}
                page.screenshot(path=str(tmp_path / f"{path.stem}-{size}-{number}.png"), full_page=True, clip=clip)
            page.emulate_media(media="screen")
            assert axe_problems(page) == []
            assert [url for url in asked if not url.startswith("file:")] == [], "a sheet fetches nothing"
        finally:
            context.close()
    assert all(found == codes[0] for found in codes), "copy i of every exercise has the same code"


def pages_in(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.parametrize("name", list(SESSIONS))
def test_the_pdfs_start_each_copy_on_a_new_page_of_their_paper(sheets: dict[str, Path], name: str) -> None:
    for html in sorted(sheets[name].glob("*.html")):
        for size, (width, height) in PAPER.items():
            made = (sheets[name] / f"{html.stem}-{size}.pdf").read_bytes()
            assert made.startswith(b"%PDF-")
            count = pages_in(made)
            assert count >= COPIES * 2 and count % COPIES == 0, f"{html.stem}-{size}: copies alike, each from a new page"
            found = re.findall(rb"/MediaBox\s*\[([^\]]*)\]", made)
            boxes = {tuple(round(float(n)) for n in box.split()[2:]) for box in found}
            assert boxes == {(width, height)}, f"{html.stem}-{size} is on {size} paper"

"""How the pages look where people write: every text box in the page's own font, on a laptop
(1280 x 800) and a phone (390 x 844). Browsers give <textarea> a monospace font of their own,
which made ground rules and diary entries look like code. Real Voilà, real headless Chromium;
each page is also photographed (in the test's folder) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_browser_pages import SIZES

pytestmark = pytest.mark.browser

# What a person reads and writes in: the page's words, and every kind of box, list and button.
FONTS = """() => {
  const font = (el) => getComputedStyle(el).fontFamily;
  const words = document.querySelector("#cofa-main .cofa-app .widget-html-content p");
  const boxes = [...document.querySelectorAll("#cofa-main .cofa-app textarea, #cofa-main .cofa-app input, "
                                             + "#cofa-main .cofa-app select, #cofa-main .cofa-app button")];
  return {words: font(words), boxes: boxes.map((el) => [el.tagName.toLowerCase() + (el.type ? ":" + el.type : ""), font(el)])};
}"""


@pytest.mark.parametrize("notebook", ["diary.ipynb", "agendas.ipynb"])
@pytest.mark.parametrize("size", list(SIZES))
def test_text_boxes_use_the_pages_own_font(voila, visit, tmp_path: Path, notebook: str, size: str) -> None:
    page = visit.page
    page.set_viewport_size(SIZES[size])
    visit.open(voila.url(notebook))
    page.wait_for_selector("#cofa-main .cofa-app textarea", state="visible")
    fonts = page.evaluate(FONTS)
    assert "monospace" not in fonts["words"], fonts["words"]
    kinds = {kind.split(":")[0] for kind, _ in fonts["boxes"]}
    assert {"textarea", "input", "button"} <= kinds, kinds
    different = [(kind, family) for kind, family in fonts["boxes"] if family != fonts["words"]]
    assert different == [], f"the page's words are in {fonts['words']}"
    page.screenshot(path=str(tmp_path / f"{notebook.split('.')[0]}-{size}.png"), full_page=False)
    page.locator("#cofa-main textarea").first.fill("We agreed to pay people for their time, and to meet in the evening.")
    page.locator("#cofa-main textarea").first.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / f"{notebook.split('.')[0]}-{size}-box.png"), full_page=False)

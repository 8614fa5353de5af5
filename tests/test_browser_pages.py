"""The pages as people meet them, on a laptop (1280 x 800) and on a phone (390 x 844): real Voilà,
real headless Chromium, what the template and the chart kit promise every tool.

- Nothing is cut off: no label, question or button text is clipped (ipywidgets gives each one
  fixed-height line with its overflow hidden); no chart is wider than its box, and no chart text is
  under 12 px on screen; a table fits, or says in words that it scrolls sideways; the page itself
  never scrolls sideways.
- A focus ring anyone can see on every kind of control reached with Tab: its colour against what is
  behind it, and against the blue of a primary button, at least 3:1, measured from computed styles.
- A calm loading line, never "Executing 1 of 2"; links in text underlined.
- axe-core finds nothing serious or critical in the whole document, at both sizes, after each main
  step: an answer saved with its chart, the history, a map of three people and its decision grid,
  two saved maps compared, and a refused file.

Set COFACILITATE_SHOTS to a folder to keep screenshots of every step for a person to look at.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from tests.conftest import axe_problems
from tests.flows import add_person_to_map

pytestmark = pytest.mark.browser

SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LOADING_WORDS = "Getting the page ready…"
SHOTS = os.environ.get("COFACILITATE_SHOTS", "")

# Everything measured in the page, in one pass: what is cut, too wide, too small or silent.
LOOK = """() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const words = (el) => (el.innerText || el.textContent || '').trim().slice(0, 60);
  const problems = [];
  const labels = ['.widget-label', '.widget-label-basic', 'label', 'button', '.widget-html-content'];
  for (const el of document.querySelectorAll(labels.map((css) => '#cofa-main ' + css).join(', '))) {
    if (!shown(el) || !words(el)) continue;
    if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      problems.push(`cut: "${words(el)}" (${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`);
  }
  const charts = [];
  for (const svg of document.querySelectorAll('#cofa-main svg.marks')) {
    if (!shown(svg)) continue;
    const box = svg.closest('.widget-vbox');
    const drawn = svg.getBoundingClientRect(), room = box.getBoundingClientRect();
    const name = [...box.classList].find((c) => c.startsWith('cofa-')) || 'a chart';
    charts.push({name, width: drawn.width, box: room.width});
    if (drawn.width < 50) problems.push(`${name}: drawn ${drawn.width}px wide`);
    if (drawn.width > room.width + 0.5 || drawn.right > room.right + 0.5)
      problems.push(`${name}: ${drawn.width}px wide in a ${room.width}px box`);
    const scale = drawn.width / svg.width.baseVal.value;
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (words(text) && size < 12 - 0.01) problems.push(`${name}: "${words(text)}" at ${size.toFixed(1)}px`);
    }
  }
  const app = document.querySelector('#cofa-main .cofa-app').getBoundingClientRect();
  for (const table of document.querySelectorAll('#cofa-main table')) {
    if (!shown(table)) continue;
    const box = table.closest('.cofa-table-scroll');
    const caption = words(table.querySelector('caption') || table);
    if (table.getBoundingClientRect().right <= app.right + 1) continue;
    const hint = box && box.previousElementSibling;
    if (!(box && box.getBoundingClientRect().right <= app.right + 1 && box.scrollWidth > box.clientWidth))
      problems.push(`table "${caption}" runs past the page's edge`);
    else if (!(hint && hint.classList.contains('cofa-scroll-hint') && shown(hint) && /scroll sideways/.test(hint.innerText)))
      problems.push(`table "${caption}" is cut with no word that it scrolls`);
    else if (box.getAttribute('tabindex') !== '0' || !box.getAttribute('aria-label'))
      problems.push(`table "${caption}" scrolls but a keyboard cannot reach it`);
  }
  for (const el of document.querySelectorAll('#cofa-main .cofa-app *')) {  // nothing else sticks out of the page
    if (el.closest('.cofa-table-scroll') || !shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > app.right + 1 || r.left < app.left - 1))
      problems.push(`${el.tagName.toLowerCase()}.${el.className} "${words(el)}" sticks out of the page (${r.left}-${r.right})`);
  }
  const scroller = document.getElementById('rendered_cells') || document.scrollingElement;
  if (scroller.scrollWidth > scroller.clientWidth + 1)
    problems.push(`the page scrolls sideways (${scroller.scrollWidth} in ${scroller.clientWidth})`);
  for (const link of document.querySelectorAll('#cofa-main a')) {
    if (shown(link) && words(link) && !getComputedStyle(link).textDecorationLine.includes('underline'))
      problems.push(`link "${words(link)}" is not underlined`);
  }
  return {problems, charts};
}"""

# The control that has focus: what kind it is, and its focus ring measured from computed styles.
FOCUSED = """() => {
  const parse = (c) => {
    const m = (c || '').match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const behind = (el) => {  // the first solid background behind the control: what its ring is seen against
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const tag = el.tagName.toLowerCase(), type = (el.getAttribute('type') || '').toLowerCase();
  let kind = tag;
  if (tag === 'a') kind = 'link';
  else if (tag === 'summary') kind = 'summary';
  else if (tag === 'textarea') kind = 'text area';
  else if (tag === 'select') kind = el.size > 1 || el.multiple ? 'list box' : 'drop-down';
  else if (tag === 'input' && type === 'checkbox') kind = 'tick box';
  else if (tag === 'input' && type === 'file') kind = 'file picker';
  else if (tag === 'input') kind = 'text box';
  else if (tag === 'button') kind = el.classList.contains('mod-primary') ? 'primary button' : 'button';
  else if (el.classList.contains('cofa-table-scroll')) kind = 'table that scrolls';
  const cs = getComputedStyle(el), ring = parse(cs.outlineColor), own = parse(cs.backgroundColor);
  const label = el.labels && el.labels[0] ? el.labels[0].innerText : '';
  if (!el.dataset.cofaTab) el.dataset.cofaTab = String((window.__cofaTabs = (window.__cofaTabs || 0) + 1));
  return {kind, words: (el.innerText || el.getAttribute('aria-label') || label).trim().slice(0, 50),
          style: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
          against_behind: ring ? ratio(ring, behind(el)) : 0,
          against_itself: ring && own && own.a > 0.5 ? ratio(ring, own) : null, stop: el.dataset.cofaTab};
}"""

# Every text Voilà's loading line shows while the page gets ready, in order.
WATCH_LOADING = """
window.__cofaLoading = [];
new MutationObserver(() => {
  const line = document.getElementById('loading_text');
  const seen = window.__cofaLoading;
  if (line && seen[seen.length - 1] !== line.textContent.trim()) seen.push(line.textContent.trim());
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


class Steps:
    """One tab at one size: each step is looked at, checked with axe and (if asked) photographed."""

    def __init__(self, visit, size: str) -> None:
        self.page, self.size, self.number = visit.page, size, 0
        self.page.set_viewport_size(SIZES[size])

    def check(self, step: str, focus_on: str | None = None) -> dict:
        """Measure the page now; return what was measured. `focus_on`: scroll there for the picture."""
        self.page.wait_for_timeout(150)  # let Vega settle after the chart's box took its width (one frame is enough)
        looked = self.page.evaluate(LOOK)
        assert looked["problems"] == [], f"{self.size}, {step}: {looked['problems']}"
        assert axe_problems(self.page) == [], f"{self.size}, {step}"
        self.shot(step, focus_on)
        return looked

    def shot(self, step: str, focus_on: str | None = None) -> None:
        if not SHOTS:
            return
        folder = Path(SHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        if focus_on:
            self.page.locator(focus_on).first.evaluate("el => el.scrollIntoView({block: 'start'})")
        self.number += 1
        notebook = self.page.url.split("/")[-1].split(".")[0]
        name = re.sub(r"[^a-z0-9]+", "-", f"{notebook} {self.size} {self.number} {step}".lower())
        self.page.screenshot(path=str(folder / f"{name}.png"))

    def tab_through(self, most: int = 400) -> dict[str, dict]:
        """Press Tab from the top of the page to its end; the ring of the first control of each kind."""
        page = self.page
        page.locator("#cofa-main").evaluate(
            "el => { el.setAttribute('tabindex', '-1'); el.focus(); el.removeAttribute('tabindex'); }")
        first_of_kind: dict[str, dict] = {}
        seen: set[str] = set()
        for _ in range(most):
            page.keyboard.press("Tab")
            ring = page.evaluate(FOCUSED)
            if ring is None or ring["stop"] in seen:
                break  # past the end, or round again
            seen.add(ring["stop"])
            first_of_kind.setdefault(ring["kind"], ring)
        return first_of_kind


def assert_rings(rings: dict[str, dict], kinds: set[str], size: str) -> None:
    assert kinds <= set(rings), f"{size}: Tab never reached {kinds - set(rings)}"
    for kind, ring in rings.items():
        where = f"{size}, {kind} “{ring['words']}”"
        assert ring["style"] not in ("none", "hidden") and ring["width"] >= 2, f"{where}: {ring}"
        assert ring["against_behind"] >= 3, f"{where}: ring {ring['against_behind']:.2f}:1 against what is behind it"
        if kind == "primary button":
            assert ring["against_itself"] >= 3, f"{where}: ring {ring['against_itself']:.2f}:1 against the button"


def refuse_a_bad_file(page, tmp_path: Path) -> None:
    bad = tmp_path / "not-a-response-card.json"
    bad.write_text("this is not a response card", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.locator(".cofa-upload").first.click()
    chooser.value.set_files(str(bad))
    page.wait_for_selector(".cofa-problem", state="visible")


# -- loading ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("notebook", ["ladder.ipynb", "power-map.ipynb"])
def test_a_page_says_it_is_getting_ready_in_plain_words(voila, visit, notebook):
    page = visit.page
    page.add_init_script(WATCH_LOADING)
    response = page.goto(voila.url(notebook), wait_until="domcontentloaded")
    page.wait_for_selector(".cofa-app", state="visible", timeout=90_000)

    served = response.text()
    assert LOADING_WORDS in served
    assert not re.search(r"<h2 id=\"loading_text\">Running", served), "Voilà's own loading line is still there"
    said = page.evaluate("window.__cofaLoading")
    assert said and set(said) == {LOADING_WORDS}, said
    assert page.locator("#loading").count() == 0, "the loading line goes once the page is ready"
    assert "Executing" not in page.inner_text("body")
    assert page.get_by_role("status").filter(has_text=LOADING_WORDS).count() == 0


# -- the ladder ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", list(SIZES))
def test_the_ladder_on_a_laptop_and_a_phone(voila, visit, tmp_path, size):
    steps = Steps(visit, size)
    page = steps.page
    visit.open(voila.url("ladder.ipynb"))
    steps.check("opened", ".cofa-app")

    page.locator(".cofa-project input").fill(f"Seeing it whole on a {size}")
    page.locator(".cofa-project input").press("Tab")  # the name is sent as the box is left
    now, aim = page.locator(".cofa-now select"), page.locator(".cofa-aim select")
    for stage, (now_key, aim_key) in enumerate([("3", "7"), ("3", "6"), ("4", "6"), ("2", "5")]):
        now.nth(stage).focus()
        page.keyboard.type(now_key)
        aim.nth(stage).focus()
        page.keyboard.type(aim_key)
    page.locator(".cofa-save").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".cofa-gap-chart svg.marks", state="visible")
    looked = steps.check("answered and saved, with the chart", ".cofa-gap-chart")
    assert [chart["name"] for chart in looked["charts"]] == ["cofa-gap-chart"]

    page.locator(".cofa-show-history").click()
    page.wait_for_selector(".cofa-history-chart svg.marks", state="visible")
    steps.check("the history", ".cofa-history-chart")

    page.locator(".cofa-get-files").click()
    page.wait_for_selector("a.cofa-download-card", state="visible")
    rings = steps.tab_through()
    assert_rings(rings, {"link", "text box", "text area", "drop-down", "tick box", "button", "primary button", "summary"}, size)

    refuse_a_bad_file(page, tmp_path)
    steps.check("a file refused", ".cofa-problem")


# -- the power map ---------------------------------------------------------------------------------------
PEOPLE = [
    # name, group, influence, involvement, in the room; two share a spot, so their names share a label
    ("Chief investigator", "Senior investigators and co-applicants", "Makes the big decisions", "Involved some of the time",
     True),
    ("Peer researchers", "Public partners with lived experience", "A little say", "Involved day to day", True),
    ("Lived experience advisory panel", "Public partners with lived experience", "A little say", "Involved day to day",
     False),
]


@pytest.mark.parametrize("size", list(SIZES))
def test_the_power_map_on_a_laptop_and_a_phone(voila, visit, tmp_path, size):
    steps = Steps(visit, size)
    page = steps.page
    visit.open(voila.url("power-map.ipynb"))
    steps.check("opened", ".cofa-app")

    page.locator(".cofa-project input").fill(f"Power on a {size} {time.time():.0f}")
    page.locator(".cofa-project input").press("Tab")  # the name is sent as the box is left
    page.wait_for_function("() => document.querySelectorAll('.cofa-people option').length === 0")  # a new project: empty
    for person in PEOPLE:
        add_person_to_map(page, *person)
    page.locator(".cofa-draw-map").click()
    page.wait_for_selector(".cofa-map-chart svg.marks", state="visible")
    names = page.locator(".cofa-map-chart svg.marks text").evaluate_all(  # a label of several lines: one tspan a line
        "texts => texts.map(text => [...text.querySelectorAll('tspan')].map(line => line.textContent).join(' ')"
        " || text.textContent)")
    together = [text for text in names if "Peer researchers" in text]
    assert len(together) == 1 and "Lived experience" in together[0], "people at one spot share one label"
    steps.check("a map of three people", ".cofa-map-chart")

    page.locator(".cofa-decision select").select_option(index=0)
    says = page.locator(".cofa-say select")
    says.first.wait_for(state="visible")
    says.first.select_option(index=2)
    page.locator(".cofa-draw-grid").click()  # the grid has its own button (issue 15, point 15)
    page.wait_for_selector(".cofa-decision-chart svg.marks", state="visible")
    steps.check("a decision grid", ".cofa-decision-chart")

    page.locator(".cofa-save").click()
    page.wait_for_function("() => document.querySelectorAll('.cofa-history-items li').length === 1")
    page.locator(".cofa-people select").select_option(index=1)
    page.locator(".cofa-sh-influence select").select_option(index=3)
    page.locator(".cofa-update-person").click()
    page.wait_for_selector(".cofa-map-chart table :text('A lot of say')")  # the map is redrawn with the change
    page.locator(".cofa-save").click()
    page.wait_for_function("() => document.querySelectorAll('.cofa-history-items li').length === 2")
    page.locator(".cofa-compare").click()
    page.wait_for_selector(".cofa-compare-chart svg.marks", state="visible")
    titles = page.locator(".cofa-compare-chart svg.marks .role-title-text")
    assert titles.count() == 2
    earlier, later = (titles.nth(index).bounding_box() for index in (0, 1))
    assert later["y"] > earlier["y"] + earlier["height"] + 100, "the two maps sit one above the other"
    steps.check("two saved maps compared", ".cofa-compare-chart")

    rings = steps.tab_through()
    assert_rings(rings, {"link", "text box", "text area", "drop-down", "list box", "tick box", "button", "primary button",
                         "summary"}, size)

    refuse_a_bad_file(page, tmp_path)
    steps.check("a file refused", ".cofa-problem")


def test_the_measures_see_what_they_look_for(voila, visit):
    """The checks above catch today's faults when they come back: a label held to one line, a chart wider than its
    box, a table cut at the page's edge, a focus ring taken away."""
    page = visit.page
    page.set_viewport_size(SIZES["phone"])
    visit.open(voila.url("ladder.ipynb"))
    page.locator(".cofa-project input").fill("The measures")
    page.locator(".cofa-project input").press("Tab")  # the name is sent as the box is left
    page.locator(".cofa-save").click()
    page.wait_for_selector(".cofa-gap-chart svg.marks", state="visible")
    assert page.evaluate(LOOK)["problems"] == []

    page.locator(".cofa-stack .widget-label").first.evaluate(
        "el => { for (const [name, value] of [['height', '28px'], ['overflow', 'hidden'], ['white-space', 'nowrap']])"
        " el.style.setProperty(name, value, 'important'); el.textContent = 'a question ' + 'far too long '.repeat(20); }")
    page.locator(".cofa-gap-chart svg.marks").evaluate("svg => svg.setAttribute('width', 700)")
    page.locator(".cofa-gap-chart .cofa-table-scroll").evaluate(
        "box => { box.style.overflow = 'visible'; box.querySelector('table').style.minWidth = '700px'; }")
    page.locator(".cofa-save").evaluate("button => button.style.setProperty('outline', 'none', 'important')")
    problems = page.evaluate(LOOK)["problems"]
    assert any(problem.startswith("cut: \"a question") for problem in problems), problems
    assert any(problem.startswith("cofa-gap-chart: 700px wide") for problem in problems), problems
    assert any("The same as a table" in problem for problem in problems), problems
    page.locator(".cofa-save").focus()
    with pytest.raises(AssertionError, match="primary button"):
        assert_rings({"primary button": page.evaluate(FOCUSED)}, {"primary button"}, "phone")

"""Naming agendas as a group uses it: real Voilà, real headless Chromium, several people on one workspace.

Each person has their own browser and their own address (`?person=<32 hex>`), types a name, answers,
and picks who sees each answer. The wall shows only what was shared; the purpose and ground rules one
person saves are what stands on everyone's page; the "ways of working" document holds no one's own
answers. Then: the page at laptop and phone size with the keyboard alone, and typed HTML shown as text.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from cofacilitate.store import Workspace
from cofacilitate.versions import long_date
from tests.conftest import axe_problems
from tests.test_browser_pages import FOCUSED, LOOK, SIZES, assert_rings

pytestmark = pytest.mark.browser

NAME = "A name for yourself (any name you like; it need not be your real name)"
WHY = "Why am I here?"
HOPES = "What do I hope to get out of it?"
WORRIES = "What worries me?"
BRINGS = "What do I bring?"
THANKS = "How would I like to be thanked for my part?"
NEEDS = "What do I need so I can take part?"
PURPOSE = "Our shared purpose, in one or two sentences"
SAVE = "button.cofa-save"


def share_of(question: str) -> str:
    return f"Who can see your answer to “{question}”?"


class Person:
    """One person in their own browser context, at their own address, with every request it made remembered."""

    def __init__(self, browser, url: str, size: str) -> None:
        self.context = browser.new_context(accept_downloads=True, viewport=SIZES[size])
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.url = url
        self.page.goto(url, wait_until="domcontentloaded")  # each kernel starts while the others load

    def ready(self) -> None:
        self.page.wait_for_selector(".cofa-app", state="visible", timeout=90_000)

    def reload(self) -> None:
        self.page.reload(wait_until="domcontentloaded")
        self.ready()

    def hosts(self) -> set[str]:
        return {url.split("/")[2] for url in self.requests if url.startswith(("http://", "https://", "ws://", "wss://"))}

    def close(self) -> None:
        self.context.close()


def address(voila, room: str = "") -> tuple[str, str]:
    """A new person's address (and their id): the page's token, their own id, and a room if asked."""
    person = uuid4().hex
    return voila.url("agendas.ipynb") + f"&person={person}" + (f"&room={room}" if room else ""), person


def chosen(page, label: str) -> str:
    """The option a drop-down shows (ipywidgets writes its spaces as non-breaking ones)."""
    return page.get_by_label(label).evaluate("el => el.options[el.selectedIndex].text").replace("\xa0", " ")


def answer(page, question: str, words: str, share: str) -> None:
    page.get_by_label(question, exact=True).fill(words)
    page.get_by_label(share_of(question)).select_option(label=share)


def save_agenda(page, says: str) -> None:
    """Press Save and wait for the message (what it says about sharing tells one save from the one before)."""
    page.locator(SAVE).click()
    page.locator(".cofa-feedback", has_text=f"is saved. {says}").wait_for()


def show_wall(page) -> str:
    page.locator(".cofa-show-wall").click()
    page.locator(".cofa-wall-section .cofa-feedback", has_text="The wall is up to date").wait_for()
    return page.locator(".cofa-wall").inner_text()


def wall_item(page, text: str) -> str:
    """The one line of the wall that holds `text`."""
    found = page.locator(".cofa-wall-answers li", has_text=text)
    assert found.count() == 1, f"{text!r} is on the wall {found.count()} times"
    return found.inner_text()


def download(page, css: str) -> str:
    with page.expect_download() as got:
        page.locator(f"a.{css}").click()
    return Path(got.value.path()).read_text(encoding="utf-8")


# -- three people, one workspace --------------------------------------------------------------------
SECRET_A = "heron-lantern-5521"  # each private phrase is its own, so a leak says whose it was
SECRET_B = "quartz-meadow-0934"
SECRET_C = "amber-kestrel-2207"
WHY_A = f"My sister's care went wrong, and my code word is {SECRET_A}."
WORRY_A = "I worry there will not be enough time between our meetings."
WORRY_B = "Finding the time to read everything worries me."
NEEDS_B = f"I need a quiet room, {SECRET_B}."
WHY_C = f"Only for me: {SECRET_C}."
HOPES_C = "I hope to learn about trials without anyone reading this."
RULE_3 = "Anyone can pass on a question, or step out for a while, without saying why."
OUR_RULE = "We start and end on time"
OUR_PURPOSE = "We will make leaving hospital safer, and decide together how to find out what helps."


def test_three_people_name_agendas_and_agree_ways_of_working(voila, browser):
    ids: dict[str, str] = {}
    people: dict[str, Person] = {}
    try:
        for who, size in (("Ana", "laptop"), ("Bo", "laptop"), ("Cy", "phone")):
            url, ids[who] = address(voila)
            people[who] = Person(browser, url, size)
        for person in people.values():
            person.ready()
        ana, bo, cy = (people[who].page for who in ("Ana", "Bo", "Cy"))
        for who, person in people.items():
            person.page.get_by_label(NAME).fill(who)
            person.page.locator(".cofa-whose", has_text=f"You are working as “{who}”").wait_for()

        # Ana names her worry and keeps why she is here to herself.
        answer(ana, WORRIES, WORRY_A, "The group, with my name")
        answer(ana, WHY, WHY_A, "Only me")
        save_agenda(ana, "You shared 1 answer with the group.")
        # Bo shares a worry with no name (time again), and keeps what he needs to himself.
        answer(bo, WORRIES, WORRY_B, "The group, with no name")
        answer(bo, NEEDS, NEEDS_B, "Only me")
        save_agenda(bo, "You shared 1 answer with the group.")
        # Cy, on a phone, keeps every word private and shares only a tick box.
        answer(cy, WHY, WHY_C, "Only me")
        answer(cy, HOPES, HOPES_C, "Only me")
        cy.get_by_label("To be thanked", exact=True).check()
        cy.get_by_label(share_of(THANKS)).select_option(label="The group, with no name")
        save_agenda(cy, "You shared 1 answer with the group.")

        store = Workspace.open(voila.workspace)
        try:
            saved = {record.person: record.participant for record in store.room_records("agendas", "")}
        finally:
            store.close()
        assert saved == {ids["Ana"]: "Ana", ids["Bo"]: "Bo", ids["Cy"]: "Cy"}, "one agenda each, under each one's name"

        # The wall, on Bo's page: names where people gave them, "Someone" where they did not, nothing private.
        wall = show_wall(bo)
        assert "3 people have saved an agenda for this project. 3 shared at least one answer." in wall
        assert wall_item(bo, WORRY_A) == f"Ana: {WORRY_A}"
        assert wall_item(bo, WORRY_B) == f"Someone: {WORRY_B}"
        assert wall_item(bo, "To be thanked") == "Someone: (To be thanked)"
        assert "Time and workload (2 people)" in bo.locator(".cofa-wall li", has_text="Time and workload").inner_text()
        bo.wait_for_selector(".cofa-threads-chart svg.marks", state="visible")
        everything = bo.content()
        assert WORRY_A in everything, "what was shared is in the page's text, so what was not would be found too"
        for private in (SECRET_A, SECRET_C, WHY_A, WHY_C, HOPES_C, "sister"):
            assert private not in everything, f"{private!r} was kept private, but is in Bo's page"
        assert SECRET_B not in bo.locator(".cofa-wall-section").inner_html()

        # Bo's page: the purpose and the ground rules the group agrees.
        bo.get_by_label(PURPOSE).fill(OUR_PURPOSE)
        bo.locator(".cofa-save-purpose").click()
        bo.locator(".cofa-purpose-section .cofa-feedback", has_text="Saved. This is now what stands").wait_for()
        bo.get_by_label("Keep or drop rule 3?").select_option(label="Drop this rule")
        bo.get_by_label("A rule of our own").fill(OUR_RULE)
        bo.get_by_role("button", name="Add this rule").click()
        bo.locator(".cofa-rules-section .cofa-feedback", has_text="The rule is added as rule 9").wait_for()
        bo.get_by_label("When should we look at this again?").select_option(label="In three months")
        bo.locator(".cofa-save-rules").click()
        bo.locator(".cofa-rules-section .cofa-feedback", has_text="Saved. This is now what stands").wait_for()

        # Ana's page, reloaded: what Bo saved stands for her too.
        people["Ana"].reload()
        assert ana.get_by_label(NAME).input_value() == "Ana"
        purpose_now = ana.locator(".cofa-purpose-section .cofa-standing").inner_text()
        assert "What stands now" in purpose_now and "by Bo" in purpose_now and OUR_PURPOSE in purpose_now
        assert ana.get_by_label(PURPOSE).input_value() == OUR_PURPOSE
        rules_now = ana.locator(".cofa-rules-section .cofa-standing")
        kept = rules_now.locator("ol li").all_inner_texts()
        assert len(kept) == 8 and kept[-1] == OUR_RULE and RULE_3 not in kept, kept
        assert f"Dropped in this version: {RULE_3}" in rules_now.inner_text()
        assert chosen(ana, "Keep or drop rule 3?") == "Drop this rule"

        # The document, made on Ana's page: what the group agreed and the threads, and no one's own answers.
        ana.locator(".cofa-make-document").click()
        ana.locator("a.cofa-download-html").wait_for()
        look_again = long_date((date.today() + timedelta(days=91)).isoformat())
        page_file, markdown = download(ana, "cofa-download-html"), download(ana, "cofa-download-md")
        for name, text in (("web page", page_file), ("Markdown", markdown)):
            assert OUR_PURPOSE in text and OUR_RULE in text, name
            assert "Time and workload (2 people)" in text, name
            assert f"We will look at them again on {look_again}" in text, name
            assert "Anyone can pass on a question" not in text, f"the dropped rule is in the {name}"
            for own in (SECRET_A, SECRET_B, SECRET_C, WHY_A, WORRY_A, WORRY_B, NEEDS_B, WHY_C, HOPES_C,
                        "sister", "meetings", "everything", "quiet room", "trials"):
                assert own not in text, f"{own!r} is in the {name}"

        # Cy's phone: the same wall, still nothing private; then axe at both sizes.
        cy_wall = show_wall(cy)
        assert f"Ana: {WORRY_A}" in cy_wall and f"Someone: {WORRY_B}" in cy_wall
        for private in (SECRET_A, SECRET_B, WHY_A, NEEDS_B):
            assert private not in cy.content()
        assert axe_problems(ana) == [], "laptop"
        assert axe_problems(cy) == [], "phone"
        for who, person in people.items():
            assert person.hosts() == {f"127.0.0.1:{voila.port}"}, (who, person.hosts())
    finally:
        for person in people.values():
            person.close()


# The threads chart's words as drawn: each label's whole text, labels whose boxes overlap, and words past the edge.
CHART_WORDS = """() => {
  const svg = document.querySelector('.cofa-threads-chart svg.marks');
  const edge = svg.getBoundingClientRect();
  const labels = [...svg.querySelectorAll('.role-axis-label text')].filter((t) => t.textContent.length > 2);
  const boxes = labels.map((t) => t.getBoundingClientRect());
  const words = (t) => [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' ') || t.textContent;
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      overlaps.push([words(labels[i]), words(labels[j])]);
  }
  const outside = [...svg.querySelectorAll('text')].filter((t) => {
    const r = t.getBoundingClientRect();
    return r.width && (r.left < edge.left - 1 || r.right > edge.right + 1 || r.top < edge.top - 1 || r.bottom > edge.bottom + 1);
  }).map((t) => t.textContent);
  return {labels: labels.map(words), overlaps, outside};
}"""


# -- laptop and phone, keyboard only --------------------------------------------------------------
def focused_is(page, label: str) -> bool:
    return page.get_by_label(label, exact=True).evaluate("el => el === document.activeElement")


@pytest.mark.parametrize("size", list(SIZES))
def test_agendas_page_on_a_laptop_and_a_phone(voila, visit, size):
    page = visit.page
    page.set_viewport_size(SIZES[size])
    url, _ = address(voila, room=f"sizes-{size}-{uuid4().hex[:8]}")
    visit.open(url)
    looked = page.evaluate(LOOK)
    assert looked["problems"] == [], f"{size}, opened: {looked['problems']}"

    # Keyboard only: Tab into the worries box, type, Tab to who can see it, choose with a key, Tab to Save, Enter.
    page.get_by_label(share_of(HOPES)).focus()
    page.keyboard.press("Tab")
    assert focused_is(page, WORRIES), "Tab from the list above goes to the next answer box"
    page.keyboard.type("Not enough time to read the papers.")
    page.keyboard.press("Tab")
    assert focused_is(page, share_of(WORRIES)), "Tab from an answer goes to who can see it"
    page.keyboard.press("ArrowDown")
    assert chosen(page, share_of(WORRIES)) == "The group, with my name"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.locator(SAVE).evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached Save my agenda")
    ring = page.evaluate(FOCUSED)
    assert ring["kind"] == "primary button" and ring["words"] == "Save my agenda", ring
    assert_rings({"primary button": ring}, {"primary button"}, size)
    page.keyboard.press("Enter")
    page.locator(".cofa-feedback", has_text="is saved. You shared 1 answer with the group.").wait_for()

    # Tick boxes shared too, so the wall has threads with long labels, and a chart to measure.
    for thanks in ("Payment for my time", "My name on papers and reports", "Training or new skills", "A reference I can use"):
        page.get_by_label(thanks, exact=True).check()
    page.get_by_label(share_of(THANKS)).select_option(label="The group, with no name")
    save_agenda(page, "You shared 2 answers with the group.")
    wall = show_wall(page)
    assert "Someone: Not enough time to read the papers." in wall
    page.wait_for_selector(".cofa-threads-chart svg.marks", state="visible")
    page.wait_for_timeout(150)  # let Vega settle after the chart's box took its width
    looked = page.evaluate(LOOK)
    assert looked["problems"] == [], f"{size}, the wall: {looked['problems']}"
    assert [chart["name"] for chart in looked["charts"]] == ["cofa-threads-chart"]
    drawn = page.evaluate(CHART_WORDS)
    assert len(drawn["labels"]) == 4 and drawn["overlaps"] == [], f"{size}: labels run into each other: {drawn['overlaps']}"
    assert drawn["outside"] == [], f"{size}: words cut at the chart's edge: {drawn['outside']}"
    assert all(label.startswith("How would I like to be thanked") for label in drawn["labels"]), drawn["labels"]
    assert axe_problems(page) == [], f"{size}, the wall"
    assert visit.hosts() == {f"127.0.0.1:{voila.port}"}


# -- typed HTML stays text ---------------------------------------------------------------------------
TYPED = "<img src=x onerror=alert(1)><b>bold</b>"


def test_html_typed_into_the_page_is_shown_as_text(voila, visit):
    page = visit.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    url, _ = address(voila, room=f"typed-{uuid4().hex[:8]}")
    visit.open(url)
    page.get_by_label(NAME).fill(TYPED)
    answer(page, BRINGS, TYPED, "The group, with my name")
    save_agenda(page, "You shared 1 answer with the group.")
    show_wall(page)
    page.get_by_label(PURPOSE).fill(TYPED)
    page.locator(".cofa-save-purpose").click()
    page.locator(".cofa-purpose-section .cofa-feedback", has_text="Saved. This is now what stands").wait_for()

    for css in (".cofa-wall img", ".cofa-wall b", ".cofa-standing img", ".cofa-standing b", ".cofa-whose img",
                ".cofa-whose b", ".cofa-history img", ".cofa-history b", ".cofa-app img[src='x']"):
        assert page.locator(css).count() == 0, f"typed HTML became an element: {css}"
    assert page.locator(".cofa-app b", has_text="bold").count() == 0
    assert wall_item(page, "onerror") == f"{TYPED}: {TYPED}", "the name and the answer, both as typed"
    assert page.locator(".cofa-purpose-text").inner_text() == TYPED
    assert page.locator(".cofa-wall-answers li", has_text=TYPED).is_visible()
    assert page.locator(".cofa-purpose-text").is_visible()

    page.locator(".cofa-make-document").click()
    page.locator("a.cofa-download-html").wait_for()
    made = download(page, "cofa-download-html")
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;bold&lt;/b&gt;" in made and "<img" not in made
    assert dialogs == [], "typed script ran"
    assert visit.hosts() == {f"127.0.0.1:{voila.port}"}

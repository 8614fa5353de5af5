"""What a participant does on each tool's page once its first widget shows, for the benchmarks.

`FLOWS` maps a tool id (cofacilitate.tools.TOOLS) to its flow, so a new tool adds one line here;
benchmarks/bench.py refuses to run while a registered tool has none. A flow is called as
`flow(page, kernel, deadline, result)`: a Playwright page showing the tool, the page's kernel
(psutil.Process), a tests.harness.Deadline, and a dict it fills with what it timed (seconds,
kernel CPU seconds, kernel RSS in MB). Each flow ends with the tool's chart drawn and reads
`rss_chart_mb` SETTLE_SECONDS after that.

`RETURNING` holds pages opened with work already kept (a returning visit): the benchmark
calls `prepare(workspace folder, size)` before the load and `flow(..., size)` after.
The diary's flows live in tests/flows_diary.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.flows_diary import DIARY_SIZES, diary_flow, keep_diary, returning_diary_flow
from tests.harness import Deadline, cpu_s, rss_mb

REPO = Path(__file__).resolve().parent.parent
SETTLE_SECONDS = 1.0  # after a chart shows, wait this long before reading the kernel's memory

# The ladder page (cofacilitate/ladder/app.py).
CHART_SELECTOR = ".cofa-gap-chart svg"
SAVE_SELECTOR = "button.cofa-save, .cofa-save button"

# The power map page (cofacilitate/powermap/app.py, sections.py).
POWERMAP_CARD = REPO / "exercises" / "powermap.yaml"
MAP_SELECTOR = ".cofa-map-chart svg"
MAP_POINTS = ".cofa-map-chart svg g.mark-symbol.role-mark path"  # one path per point (legend symbols excluded)
MAP_SENTENCE = ".cofa-map-chart .cofa-chart-sentence"
DRAW_SELECTOR = "button.cofa-draw-map, .cofa-draw-map button"
ADD_PERSON_SELECTOR = "button.cofa-add-person, .cofa-add-person button"
SHOW_NAMES_BOX = ".cofa-show-names input"
PEOPLE_OPTIONS = ".cofa-people select option"
PERSON_LABELS = {
    "name": "Name of the person or group",
    "group": "Which group are they in?",
    "influence": "How much influence do they have over decisions?",
    "involvement": "How involved are they day to day?",
}
# (name, group, influence, involvement): option indexes, each capped to what the drop-down offers;
# the group's last option ("a group of their own") needs a second field and is never chosen.
FEW_PEOPLE = [("Ward managers", 6, 3, 2), ("Peer researchers", 0, 1, 4), ("Funding panel", 5, 4, 0)]
ADDED_IN_BROWSER = ("Added in the browser", 2, 3, 3)
MAP_SEED = 20241123  # random groups and steps for big maps, the same every run
FIRST_CLICK_GRACE_S = 5.0  # after "Show the map" was handled, how long a drawing may take before we click again

# The naming agendas page (cofacilitate/agendas/app.py, sections.py).
AGENDAS_CARD = REPO / "exercises" / "agendas.yaml"
BENCH_PROJECT = "Benchmark project"
WORRY = "What worries me?"
THANKS = "How would I like to be thanked for my part?"
SHARE_OF = "Who can see your answer to “{}”?"
SHOW_WALL_SELECTOR = "button.cofa-show-wall, .cofa-show-wall button"
THREADS_CHART = ".cofa-threads-chart svg"
WALL_MESSAGE = ".cofa-wall-section .cofa-feedback"
DOCUMENT_SELECTOR = "button.cofa-make-document, .cofa-make-document button"
DOWNLOAD_HTML = ".cofa-download-html"
# Words drawn into kept agendas: some start the card's themes (time, pay, learn, heard, ...), some are
# plain words, so the wall finds threads of every kind.
AGENDA_WORDS = ["time", "pay", "learn", "heard", "change", "papers", "online", "stories", "jargon", "travel",
                "hospital", "family", "research", "ward"]

Flow = Callable[..., None]


def wait_for_words(page, words: str, deadline: Deadline, where: str = ".cofa-feedback") -> None:
    """Wait for a message line under `where` to say `words`; a line naming a problem ends the wait with an error."""
    page.wait_for_function(
        """([where, words]) => { const said = Array.from(document.querySelectorAll(where), e => e.innerText).join(' ');
                               return said.includes(words) || said.includes('Problem'); }""",
        arg=[where, words], timeout=deadline.ms(60))
    said = " ".join(page.locator(where).all_inner_texts())
    if words not in said:
        raise RuntimeError(f"expected the page to say {words!r}, it says: {said!r}")


# -- the ladder ------------------------------------------------------------------------------------
def ladder_flow(page, kernel, deadline: Deadline, result: dict[str, Any]) -> None:
    """Answer 'now' (and 'aim') for two stages, press Save, and time the click -> gap chart drawn."""
    now_boxes, aim_boxes = page.locator(".cofa-now select"), page.locator(".cofa-aim select")
    if now_boxes.count() < 2:
        raise RuntimeError(f"expected at least two '.cofa-now select' dropdowns, found {now_boxes.count()}")
    for stage, (now_pick, aim_pick) in enumerate([(5, 2), (4, 1)]):
        options = now_boxes.nth(stage).locator("option").count()
        now_boxes.nth(stage).select_option(index=min(now_pick, options - 1), timeout=deadline.ms(30))
        if aim_boxes.count() > stage:
            aim_boxes.nth(stage).select_option(index=min(aim_pick, options - 1), timeout=deadline.ms(30))
    save = page.locator(SAVE_SELECTOR).first
    save.wait_for(state="visible", timeout=deadline.ms(30))
    cpu_before, clicked = cpu_s(kernel), time.perf_counter()
    save.click(timeout=deadline.ms(30))
    page.wait_for_selector(CHART_SELECTOR, state="visible", timeout=deadline.ms(120))
    result["save_to_chart_s"] = time.perf_counter() - clicked
    result["rss_chart_visible_mb"] = rss_mb(kernel)
    result["save_to_chart_kernel_cpu_s"] = cpu_s(kernel) - cpu_before
    time.sleep(SETTLE_SECONDS)
    result["rss_chart_mb"] = rss_mb(kernel)


# -- the power map -----------------------------------------------------------------------------------
def point_count(page) -> int:
    return page.locator(MAP_POINTS).count()


def fill_person(page, person: tuple[str, int, int, int], deadline: Deadline) -> None:
    """Type a name and choose a group and both steps in the form, as a participant would."""
    name, *picks = person
    page.get_by_label(PERSON_LABELS["name"], exact=True).fill(name, timeout=deadline.ms(30))
    for key, pick in zip(("group", "influence", "involvement"), picks, strict=True):
        box = page.get_by_label(PERSON_LABELS[key], exact=True)
        options = box.locator("option").count()
        limit = options - 2 if key == "group" else options - 1  # never "a group of their own"
        box.select_option(index=max(0, min(pick, limit)), timeout=deadline.ms(30))


def wait_for_added(page, name: str, deadline: Deadline) -> None:
    """Wait for a message line (each section has its own) to say the person is on the map, or to name a problem."""
    wait_for_words(page, f"“{name}” is on the map", deadline)


def show_map(page, kernel, deadline: Deadline) -> tuple[float, float, bool]:
    """Click "Show the map" and time the click -> map SVG visible.

    Returns (seconds, kernel CPU seconds, whether the first click drew nothing). Past BUSY_MAP people the page
    first unticks "Show names"; if no map follows that within FIRST_CLICK_GRACE_S, the first
    click drew nothing, so we click once more and time that second click instead.
    """
    draw = page.locator(DRAW_SELECTOR).first
    draw.wait_for(state="visible", timeout=deadline.ms(30))
    cpu_before, clicked = cpu_s(kernel), time.perf_counter()
    draw.click(timeout=deadline.ms(30))
    map_or_names_unticked = (f"() => document.querySelector({json.dumps(MAP_SELECTOR)})"
                             f" || !document.querySelector({json.dumps(SHOW_NAMES_BOX)}).checked")
    page.wait_for_function(map_or_names_unticked, timeout=deadline.ms(120))
    if page.locator(MAP_SELECTOR).count() == 0:
        try:
            page.wait_for_selector(MAP_SELECTOR, state="visible", timeout=deadline.ms(FIRST_CLICK_GRACE_S))
        except PlaywrightTimeout:
            deadline.left()  # a deadline that passed is not a map that failed to come
            cpu_before, clicked = cpu_s(kernel), time.perf_counter()
            draw.click(timeout=deadline.ms(30))
            page.wait_for_selector(MAP_SELECTOR, state="visible", timeout=deadline.ms(120))
            return time.perf_counter() - clicked, cpu_s(kernel) - cpu_before, True
    page.wait_for_selector(MAP_SELECTOR, state="visible", timeout=deadline.ms(120))
    return time.perf_counter() - clicked, cpu_s(kernel) - cpu_before, False


# Installed just before the click: notes (in the page's own clock) when the browser received the
# click, when the chart's point count first changed and when the sentence first gave the new count.
REDRAW_WATCH = """([pointsSelector, sentenceSelector, buttonSelector, before, words]) => {
    const watch = window.__cofaRedraw = {start: null, points: null, sentence: null};
    document.querySelector(buttonSelector).addEventListener('click', () => { watch.start = performance.now(); },
                                                            {capture: true, once: true});
    const look = () => {
        const now = performance.now();
        const points = document.querySelectorAll(pointsSelector).length;
        if (watch.points === null && points > 0 && points !== before) watch.points = now;
        const sentence = document.querySelector(sentenceSelector);
        if (watch.sentence === null && sentence && sentence.innerText.includes(words)) watch.sentence = now;
        if (watch.points === null || watch.sentence === null) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
}"""


def time_add_one(page, kernel, deadline: Deadline) -> dict[str, float]:
    """With the map shown, add one person through the form and time the click -> map redrawn."""
    before = point_count(page)
    words = f"{before + 1} people and groups are on the map"
    fill_person(page, ADDED_IN_BROWSER, deadline)
    add = page.locator(ADD_PERSON_SELECTOR).first
    add.wait_for(state="visible", timeout=deadline.ms(30))
    page.evaluate(REDRAW_WATCH, [MAP_POINTS, MAP_SENTENCE, ".cofa-add-person", before, words])
    cpu_before = cpu_s(kernel)
    clicked = time.perf_counter()
    add.click(timeout=deadline.ms(30))
    page.wait_for_function("() => window.__cofaRedraw.points !== null && window.__cofaRedraw.sentence !== null",
                           timeout=deadline.ms(120))
    both = time.perf_counter() - clicked
    watch = page.evaluate("() => window.__cofaRedraw")
    if watch["start"] is None:
        raise RuntimeError("the click on 'Add to the map' never reached the page")
    wait_for_added(page, ADDED_IN_BROWSER[0], deadline)
    after = point_count(page)
    if after != before + 1:
        raise RuntimeError(f"expected {before + 1} points on the map after adding one, found {after}")
    return {
        "add_to_map_s": (watch["points"] - watch["start"]) / 1000,
        "add_to_sentence_s": (watch["sentence"] - watch["start"]) / 1000,
        "add_to_both_wall_s": both,
        "add_kernel_cpu_s": cpu_s(kernel) - cpu_before,
    }


def map_shown(page, kernel, deadline: Deadline, result: dict[str, Any], expected: int) -> None:
    """Show the map, check it holds `expected` people, and read the kernel's memory once it settled."""
    result["draw_to_map_s"], result["draw_kernel_cpu_s"], result["first_click_drew_nothing"] = show_map(page, kernel, deadline)
    result["rss_chart_visible_mb"] = rss_mb(kernel)
    page.wait_for_function(f"() => document.querySelectorAll({json.dumps(MAP_POINTS)}).length >= {expected}",
                           timeout=deadline.ms(60))
    sentence = page.inner_text(MAP_SENTENCE)
    if not sentence.startswith(f"{expected} "):
        raise RuntimeError(f"the map should show {expected} people, but its sentence says: {sentence!r}")
    time.sleep(SETTLE_SECONDS)
    result["rss_chart_mb"] = rss_mb(kernel)


def power_map_flow(page, kernel, deadline: Deadline, result: dict[str, Any]) -> None:
    """Add a few people with the form (waiting for "is on the map" after each), then Show the map."""
    for person in FEW_PEOPLE:
        fill_person(page, person, deadline)
        page.locator(ADD_PERSON_SELECTOR).first.click(timeout=deadline.ms(30))
        wait_for_added(page, person[0], deadline)
    map_shown(page, kernel, deadline, result, len(FEW_PEOPLE))


def returning_power_map_flow(page, kernel, deadline: Deadline, result: dict[str, Any], people: int) -> None:
    """The page opened with a map of `people` kept as a draft: Show the map, then add one more and time the redraw."""
    page.wait_for_function(f"() => document.querySelectorAll({json.dumps(PEOPLE_OPTIONS)}).length === {people}",
                           timeout=deadline.ms(30))  # the draft came back: everyone is in the list
    map_shown(page, kernel, deadline, result, people)
    result.update(time_add_one(page, kernel, deadline))


def powermap_card():
    from cofacilitate.cards import load_card
    from cofacilitate.powermap.model import PowerMapVocabulary

    return load_card(POWERMAP_CARD, PowerMapVocabulary)


def power_map_with(card, people: int, seed: int = MAP_SEED):
    """A PowerMap of `people` stakeholders in random groups and on random steps of the card's scales."""
    import random

    from cofacilitate.powermap.model import PowerMap, Stakeholder

    vocabulary, rng = card.vocabulary, random.Random(seed)
    stakeholders = [
        Stakeholder(label=f"Stakeholder {number}", group=rng.choice(vocabulary.groups).id, in_room=rng.random() < 0.6,
                    influence=rng.randint(1, len(vocabulary.influence)), involvement=rng.randint(1, len(vocabulary.involvement)))
        for number in range(1, people + 1)
    ]
    return PowerMap(card=card.id, project="Benchmark project", stakeholders=stakeholders)


def keep_power_map(workspace: Path, people: int) -> None:
    """Keep a map of `people` as the usual person's working-map draft, as if they had built it on an earlier visit."""
    from cofacilitate.powermap.app import working_map_key
    from cofacilitate.powermap.model import TOOL
    from cofacilitate.store import Owner, Workspace

    card = powermap_card()
    power_map = power_map_with(card, people)
    store = Workspace.open(workspace)
    try:
        owner = Owner(store.current_person().id)
        store.save_draft(TOOL, owner, "project", power_map.project)
        store.save_draft(TOOL, owner, working_map_key(card.id, power_map.project), power_map.model_dump())
    finally:
        store.close()


def add_person_to_map(page, name: str, group: str, influence: str, involvement: str, in_room: bool) -> None:
    """Fill the power map's person form by its labels and press Add; wait until they are listed and the page says so."""
    before = page.locator(".cofa-people option").count()
    page.locator(".cofa-sh-name input").fill(name)
    page.locator(".cofa-sh-group select").select_option(label=group)
    page.locator(".cofa-sh-influence select").select_option(label=influence)
    page.locator(".cofa-sh-involvement select").select_option(label=involvement)
    page.locator(".cofa-sh-room input").set_checked(in_room)
    page.locator(".cofa-add-person").click()
    page.wait_for_function(f"() => document.querySelectorAll('.cofa-people option').length === {before + 1}")
    page.wait_for_selector(f".cofa-feedback:has-text('“{name}” is on the map')")


# -- naming agendas ----------------------------------------------------------------------------------
def wall_shown(page, kernel, deadline: Deadline, result: dict[str, Any], sharing: int) -> None:
    """Time Show the wall -> threads chart visible, check the wall counts `sharing` people, read memory once settled."""
    show = page.locator(SHOW_WALL_SELECTOR).first
    show.wait_for(state="visible", timeout=deadline.ms(30))
    cpu_before, clicked = cpu_s(kernel), time.perf_counter()
    show.click(timeout=deadline.ms(30))
    page.wait_for_selector(THREADS_CHART, state="visible", timeout=deadline.ms(120))
    result["wall_s"] = time.perf_counter() - clicked
    result["wall_kernel_cpu_s"] = cpu_s(kernel) - cpu_before
    result["rss_chart_visible_mb"] = rss_mb(kernel)
    people = "1 person has" if sharing == 1 else f"{sharing} people have"
    wait_for_words(page, f"{people} shared answers", deadline, WALL_MESSAGE)
    time.sleep(SETTLE_SECONDS)
    result["rss_chart_mb"] = rss_mb(kernel)


def time_document(page, deadline: Deadline) -> float:
    """Click "Make our ways of working document" and time it -> the web page's download link visible."""
    make = page.locator(DOCUMENT_SELECTOR).first
    make.wait_for(state="visible", timeout=deadline.ms(30))
    clicked = time.perf_counter()
    make.click(timeout=deadline.ms(30))
    page.wait_for_selector(DOWNLOAD_HTML, state="visible", timeout=deadline.ms(120))
    return time.perf_counter() - clicked


def agendas_flow(page, kernel, deadline: Deadline, result: dict[str, Any]) -> None:
    """Share a worry with my name and a thanks with no name, Save; then Show the wall and make the document.

    One person's choice of thanks is a thread on its own (needs and thanks always count), so a chart is drawn.
    """
    page.get_by_label(WORRY, exact=True).fill("I worry it will take too much time, and that I will not be heard.",
                                              timeout=deadline.ms(30))
    page.get_by_label(SHARE_OF.format(WORRY), exact=True).select_option(label="The group, with my name", timeout=deadline.ms(30))
    page.get_by_label("Payment for my time", exact=True).check(timeout=deadline.ms(30))
    page.get_by_label(SHARE_OF.format(THANKS), exact=True).select_option(label="The group, with no name", timeout=deadline.ms(30))
    page.locator(SAVE_SELECTOR).first.click(timeout=deadline.ms(30))
    wait_for_words(page, "is saved", deadline)
    wall_shown(page, kernel, deadline, result, 1)
    result["document_s"] = time_document(page, deadline)


def returning_agendas_flow(page, kernel, deadline: Deadline, result: dict[str, Any], size: int) -> None:
    """The page opened on a project where `size` people saved agendas: Show the wall, then make the document."""
    page.wait_for_function(f"() => document.querySelector('.cofa-project input')?.value === {json.dumps(BENCH_PROJECT)}",
                           timeout=deadline.ms(30))  # the draft came back: the wall is this project's
    wall_shown(page, kernel, deadline, result, size)
    result["document_s"] = time_document(page, deadline)


def agendas_card():
    from cofacilitate.agendas.model import AgendasVocabulary
    from cofacilitate.cards import load_card

    return load_card(AGENDAS_CARD, AgendasVocabulary)


def agendas_with(card, size: int, seed: int = MAP_SEED) -> list:
    """`size` agendas for BENCH_PROJECT: a few of AGENDA_WORDS per answer, random choices and sharing.

    Every first answer is shared with a name, so the wall counts all `size` people.
    """
    import random

    from cofacilitate.agendas.model import Agenda, Answer

    rng = random.Random(seed)
    agendas = []
    for _ in range(size):
        answers = []
        for number, prompt in enumerate(card.vocabulary.prompts):
            first, second, third = rng.sample(AGENDA_WORDS, 3)
            chosen = rng.sample([choice.id for choice in prompt.choices], min(rng.randint(0, 2), len(prompt.choices)))
            answers.append(Answer(prompt=prompt.id, text=f"{first.capitalize()}, {second} and {third}.", chosen=chosen,
                                  share="named" if number == 0 else rng.choice(["named", "anonymous", "private"])))
        agendas.append(Agenda(card=card.id, project=BENCH_PROJECT, answers=answers))
    return agendas


def keep_agendas(workspace: Path, size: int) -> None:
    """`size` people each save an agenda for BENCH_PROJECT; the last of them comes back to it (their project draft).

    Each new person becomes the usual person at this computer, so the page opens as the last one.
    """
    from cofacilitate.agendas.model import TOOL
    from cofacilitate.store import Owner, Workspace, new_id

    store = Workspace.open(workspace)
    try:
        for number, agenda in enumerate(agendas_with(agendas_card(), size), start=1):
            person = store.new_person()
            name = f"Person {number}"
            store.update_person(person.id, name, ())
            store.save_record(TOOL, agenda.model_dump(), owner=Owner(person.id), record_id=new_id(), participant=name)
        store.save_draft(TOOL, Owner(store.current_person().id), "project", BENCH_PROJECT)
    finally:
        store.close()


# -- the registry of flows ---------------------------------------------------------------------------
FLOWS: dict[str, Flow] = {
    "ladder": ladder_flow,
    "powermap": power_map_flow,
    "agendas": agendas_flow,
    "diary": diary_flow,
}


@dataclass(frozen=True)
class Returning:
    """A tool's page opened with work of `size` already kept (a returning visit)."""

    tool: str  # a tool id in cofacilitate.tools.TOOLS
    size: int
    prepare: Callable[[Path, int], None]  # (workspace folder, size), before the load
    flow: Flow  # (page, kernel, deadline, result, size), after the first widget


# page name -> returning visit
RETURNING: dict[str, Returning] = {
    "power-map-500": Returning("powermap", 500, keep_power_map, returning_power_map_flow),
    **{f"agendas-{size}": Returning("agendas", size, keep_agendas, returning_agendas_flow) for size in (5, 50, 500)},
    **{f"diary-{size}": Returning("diary", size, keep_diary, returning_diary_flow) for size in DIARY_SIZES},
}

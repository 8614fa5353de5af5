"""A workshop room in real Chromium against the room's real servers: phones join with different roles and
save, the dashboard shows them, a reveal reaches the phones with the room's divergence sentence, a reload
is the same person, a Save on a slow network keeps every word, the report runs no script, axe finds
nothing serious at either size, and no page asks any host but the room's own servers.

Six more participants join at the protocol level (tests/room_harness.py), so each role group is big
enough to be shown: the phones are the people this test watches.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

import pytest

from cofacilitate.store import Workspace
from tests.conftest import axe_problems, need_browser
from tests.room_harness import RoomParticipant, RoomServers

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
NAME_LABEL = "A name for yourself (any name you like; it need not be your real name)"
DESIGN_NOW = "Now, at “Design and planning”:"
DESIGN_CLIMB = "What would it take to climb one rung at “Design and planning”? (optional)"
RUNGS = {"Informing": "3. Informing (doing for)", "Consultation": "4. Consultation (doing for)",
         "Co-design": "6. Co-design (doing with)", "Co-production": "7. Co-production (doing with)"}
ROLE_LABELS = {"public-partner": "Public partner with lived experience", "researcher": "Researcher"}


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomServers]:
    need_browser()
    servers = RoomServers(tmp_path_factory.mktemp("room"), name="Leaving hospital", pool=2)
    yield servers
    servers.stop()


class Phone:
    """One person's phone: a browser context of its own (its own storage, so its own person)."""

    def __init__(self, browser, viewport: dict[str, int] = PHONE) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.context.set_default_timeout(90_000)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, link: str, ready: str) -> None:
        self.page.goto(link, wait_until="domcontentloaded")
        self.page.wait_for_selector(ready, state="visible", timeout=90_000)

    def join(self, name: str, role: str) -> None:
        self.page.get_by_label(NAME_LABEL, exact=True).fill(name)
        self.page.keyboard.press("Tab")
        self.page.get_by_label(ROLE_LABELS[role], exact=True).check()
        self.page.locator("button.cofa-join").click()
        self.page.wait_for_selector(".cofa-room-greeting", state="visible")

    def answer_design(self, rung: str, climb: str = "") -> None:
        self.page.get_by_label(DESIGN_NOW, exact=True).select_option(label=RUNGS[rung])
        if climb:
            self.page.get_by_label(DESIGN_CLIMB, exact=True).fill(climb)
        self.page.locator("button.cofa-save").click()
        self.page.wait_for_selector(".cofa-feedback .cofa-done", state="visible")

    def hosts(self) -> set[str]:
        return {url.split("/")[2] for url in self.requests if url.startswith(("http://", "https://", "ws://", "wss://"))}

    def close(self) -> None:
        self.context.close()


def protocol_participant(room: RoomServers, number: int, role_index: int, rung: str) -> None:
    """Someone joining over the widget protocol, as their page would, and placing design on `rung`."""
    person = RoomParticipant(room.link(), number)
    try:
        person.arrive()
        person.join([role_index])
        [design] = [model for model in person.wait_live("cofa-now", 7)
                    if person.page.states[model]["description"] == DESIGN_NOW]
        person.page.update(design, index=person.page.states[design]["_options_labels"].index(RUNGS[rung]))
        person.save()
    finally:
        person.page.close()


def stored_climbs(room: RoomServers) -> list[str]:
    store = Workspace.open(room.home)
    try:
        return [answer["climb"] for record in store.room_records("ladder", room.keys.room)
                for answer in record.body["answers"] if answer["climb"]]
    finally:
        store.close()


def test_phones_join_save_and_see_the_room_once_the_facilitator_reveals_it(room, browser) -> None:
    phones = [Phone(browser) for _ in range(3)]
    try:
        for phone in phones:
            phone.open(room.link(), "button.cofa-join")
        assert not axe_problems(phones[0].page), "the join page"
        phones[0].join("Robin <b>bold</b>", "public-partner")
        phones[1].join("Sam", "public-partner")
        phones[2].join("Alex", "researcher")
        phones[0].answer_design("Informing")
        phones[1].answer_design("Consultation")
        phones[2].answer_design("Co-production")
        assert not axe_problems(phones[0].page), "a participant's page after Save"
        public_partner = 0  # the order of people.ROLES: the first tick box
        researcher = 2
        protocol_participant(room, 10, public_partner, "Informing")
        protocol_participant(room, 11, researcher, "Co-production")
        protocol_participant(room, 12, researcher, "Co-design")

        facilitator = Phone(browser, LAPTOP)
        try:
            facilitator.open(room.facilitator_link(), ".cofa-room-dashboard")
            invite = facilitator.page.locator(".cofa-room-qr")
            assert invite.locator("svg").is_visible() and room.link() in invite.inner_text()
            facilitator.page.locator("button.cofa-refresh").click()
            counts = facilitator.page.locator(".cofa-room-counts")
            counts.get_by_text("6 people have joined the room", exact=False).wait_for()
            assert "Robin <b>bold</b>" not in facilitator.page.content()  # names are not on the dashboard's counts
            ladder = facilitator.page.locator(".cofa-room-view-ladder")
            ladder.get_by_text("lower than", exact=False).first.wait_for()
            sentence = ladder.inner_text()
            assert "Public partners" in sentence and "Design and planning" in sentence
            assert not axe_problems(facilitator.page), "the dashboard"
            facilitator.page.set_viewport_size(PHONE)
            assert not axe_problems(facilitator.page), "the dashboard at phone size"

            results = phones[0].page.locator(".cofa-room-results")
            assert "not shown yet" in results.inner_text()
            facilitator.page.locator("button.cofa-reveal-ladder").click()
            facilitator.page.get_by_text("Participants can see these results now").wait_for()
            results.get_by_text("lower than", exact=False).first.wait_for(timeout=30_000)  # the page looks every few seconds
            assert not axe_problems(phones[0].page), "a participant's page with the room's results"
            phones[0].page.set_viewport_size(LAPTOP)
            assert not axe_problems(phones[0].page), "a participant's page at laptop size"

            report = facilitator.page.locator("button.cofa-report")
            report.click()
            href = facilitator.page.locator("a.cofa-download-report").get_attribute("href")
            assert href and href.startswith("data:text/html;base64,")
            check_report(browser, base64.b64decode(href.split(",", 1)[1]).decode("utf-8"))
            assert facilitator.hosts() <= {room.dashboard.base.split("/")[2]}
        finally:
            facilitator.close()
        participant_host = room.base.split("/")[2]
        for phone in phones:
            assert phone.hosts() <= {participant_host}, phone.hosts()
    finally:
        for phone in phones:
            phone.close()


def check_report(browser, report: str) -> None:
    """The report as a page: its words are there, and nothing in it runs (no script, no handler, no fetch)."""
    assert "<script" not in report.lower() and not re.search(r"\son\w+=", report)
    context = browser.new_context(java_script_enabled=True)
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.set_content(report)
        text = page.inner_text("body")
        assert "Session report: Leaving hospital" in text and "Design and planning" in text
        assert page.evaluate("document.scripts.length") == 0
        assert [url for url in asked if not url.startswith("data:")] == []
    finally:
        context.close()


def test_a_reload_is_the_same_person_and_a_slow_network_loses_no_word(room, browser) -> None:
    phone = Phone(browser)
    try:
        phone.open(room.link(), "button.cofa-join")
        phone.join("Kim", "researcher")
        cdp = phone.context.new_cdp_session(phone.page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 300, "downloadThroughput": -1,
                                                       "uploadThroughput": -1})
        climb = "Ask the ward's peer workers before the protocol is written, and pay them for it"
        phone.page.get_by_label(DESIGN_NOW, exact=True).select_option(label=RUNGS["Consultation"])
        phone.page.get_by_label(DESIGN_CLIMB, exact=True).press_sequentially(climb, delay=0)
        phone.page.locator("button.cofa-save").click()  # at once: the last letters are still on their way
        phone.page.wait_for_selector(".cofa-feedback .cofa-done", state="visible", timeout=60_000)
        assert climb in stored_climbs(room)
        phone.page.reload(wait_until="domcontentloaded")
        phone.page.wait_for_selector(".cofa-room-greeting", state="visible", timeout=90_000)
        assert "Welcome back" in phone.page.locator(".cofa-room-greeting").inner_text()
        assert phone.page.locator("button.cofa-join").count() == 0
        assert phone.page.get_by_label(DESIGN_CLIMB, exact=True).input_value() == climb
    finally:
        phone.close()


def test_a_wrong_code_opens_no_room_and_names_nothing(room, browser) -> None:
    phone = Phone(browser)
    try:
        for link in (room.link(join="not-the-code"), room.base + "/", room.link(join=room.keys.facilitator_key)):
            phone.open(link, ".cofa-app")
            text = phone.page.inner_text("body")
            assert "This link does not open a room" in text and "Leaving hospital" not in text
            assert not axe_problems(phone.page)
        phone.page.goto(room.base + "/dashboard.ipynb", wait_until="domcontentloaded")
        assert "facilitator" not in phone.page.inner_text("body").lower()
    finally:
        phone.close()

"""A room that follows a session, in real Chromium against the room's real servers: a phone joins and waits, the
facilitator opens the welcome, then "Naming our agendas" (the phone shows only it, and saves), a break (the page
goes, its words kept), then the ladder; the dashboard says where the session is; axe finds nothing serious on
either page at either size, and no page asks any host but the room's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cofacilitate.sessions.commands import find_session
from tests.conftest import axe_problems, need_browser
from tests.room_harness import RoomServers
from tests.test_browser_room import DESIGN_NOW, LAPTOP, PHONE, RUNGS, Phone

pytestmark = pytest.mark.browser

WHY = "Why am I here?"
WORDS = "My mum was on the ward for a year, and I want the next family to be heard sooner"


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomServers]:
    need_browser()
    servers = RoomServers(tmp_path_factory.mktemp("session-room"), name="Starting together",
                          session=find_session("starting-together"), pool=1)
    yield servers
    servers.stop()


def open_next(facilitator: Phone, title: str) -> None:
    """The facilitator opens the next part, and the dashboard says it is open."""
    facilitator.page.locator("button.cofa-session-forward").click()
    facilitator.page.locator(".cofa-session-where", has_text=f"“{title}”").wait_for()


def test_a_room_follows_the_session_through_its_first_two_exercises(room, browser, tmp_path: Path) -> None:
    phone, facilitator = Phone(browser), Phone(browser, LAPTOP)
    try:
        phone.open(room.link(), "button.cofa-join")
        phone.join("Robin", "public-partner")
        note = phone.page.locator(".cofa-room-part")
        note.get_by_text("has not started yet", exact=False).wait_for()
        assert phone.page.locator("select.cofa-exercise, .cofa-exercise select").count() == 0  # nothing to choose
        facilitator.open(room.facilitator_link(), ".cofa-room-dashboard")
        assert "has not started" in facilitator.page.locator(".cofa-session-where").inner_text()
        assert "0:10: Naming our agendas, 35 minutes" in facilitator.page.locator(".cofa-session-plan").inner_text()

        open_next(facilitator, "Welcome, and how today will go")
        note.get_by_text("done together, out loud", exact=False).wait_for(timeout=30_000)  # the page looks every 5 s
        open_next(facilitator, "Naming our agendas")
        why = phone.page.get_by_label(WHY, exact=True)
        why.wait_for(timeout=30_000)
        assert phone.page.get_by_label(DESIGN_NOW, exact=True).count() == 0  # only the open exercise
        why.fill(WORDS)
        phone.page.locator("button.cofa-save").click()
        phone.page.locator(".cofa-feedback", has_text="is saved").wait_for()
        assert not axe_problems(phone.page), "a participant's page with the session's first exercise"
        phone.page.screenshot(path=str(tmp_path / "phone-agendas.png"), full_page=True)

        open_next(facilitator, "Tea break")
        note.get_by_text("Tea break", exact=False).wait_for(timeout=30_000)
        assert phone.page.get_by_label(WHY, exact=True).count() == 0
        open_next(facilitator, "The ladder of co-production")
        design = phone.page.get_by_label(DESIGN_NOW, exact=True)
        design.wait_for(timeout=30_000)
        design.select_option(label=RUNGS["Consultation"])
        phone.page.locator("button.cofa-save").click()
        phone.page.wait_for_selector(".cofa-feedback .cofa-done", state="visible")
        assert not axe_problems(phone.page), "a participant's page with the session's second exercise"
        phone.page.set_viewport_size(LAPTOP)
        assert not axe_problems(phone.page), "the same page at laptop size"

        where = facilitator.page.locator(".cofa-session-where").inner_text()
        assert "part 4 of 5" in where and "left of this part" in where
        assert "Next: “A closing round”" in facilitator.page.locator(".cofa-session-coming").inner_text()
        assert not axe_problems(facilitator.page), "the dashboard of a session"
        facilitator.page.screenshot(path=str(tmp_path / "dashboard-laptop.png"), full_page=False)
        facilitator.page.set_viewport_size(PHONE)
        assert not axe_problems(facilitator.page), "the dashboard of a session at phone size"

        store = room.open_store()
        try:
            agendas = store.room_records("agendas", room.keys.room)
            ladder = store.room_records("ladder", room.keys.room)
        finally:
            store.close()
        assert [record.body["card"] for record in agendas + ladder] == ["agendas", "ladder"]
        assert WORDS in str(agendas[0].body)
        assert phone.hosts() <= {room.base.split("/")[2]}
        assert facilitator.hosts() <= {room.dashboard.base.split("/")[2]}
    finally:
        phone.close()
        facilitator.close()

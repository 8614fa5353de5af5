"""The ladder page driven at the protocol level (tests/protocol.py), against the real Voilà server.

No browser: these speak the page's own websocket messages, as the room's load test will. They
check the three things that test will lean on: a participant can save this way, the websocket
never runs code, and a kit button acts only once the page has answered its question.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from tests.protocol import PageSession

pytestmark = pytest.mark.browser

IDEA = "Having the idea"


def stored(workspace: Path, person: str) -> list[dict]:
    """The ladder records saved for this person, read straight from the database file."""
    with sqlite3.connect(f"file:{workspace / 'workspace.sqlite'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT body FROM cofacilitate_records WHERE tool = 'ladder' AND person = ?", (person,))
        return [json.loads(body) for (body,) in rows]


def open_ladder(voila) -> tuple[PageSession, str]:
    person = uuid.uuid4().hex
    return PageSession(voila.url("ladder.ipynb") + f"&person={person}"), person


def fill(page: PageSession, project: str, climb: str) -> None:
    page.type(page.find(css="cofa-project"), project)
    page.type(page.find(css="cofa-climb", description=IDEA), climb)


def test_a_participant_saves_over_the_websocket(voila):
    page, person = open_ladder(voila)
    with page:
        save = page.find(css="cofa-save")
        assert page.states[save]["_model_name"] == "AnyModel"  # our Press, found by its synced css list
        fill(page, "Protocol study", "Meet in the evening")
        page.press(save)
        assert "“Protocol study” are saved" in page.wait_for_text("are saved")
    [record] = stored(voila.workspace, person)
    assert record["project"] == "Protocol study"
    idea = next(answer for answer in record["answers"] if answer["stage"] == "idea")
    assert idea["climb"] == "Meet in the evening"


def test_code_sent_over_the_page_websocket_never_runs(voila):
    target = Path("/tmp") / f"cofa-protocol-{uuid.uuid4().hex}"
    page, _ = open_ladder(voila)
    with page:
        page.send("execute_request", {"code": f"open({str(target)!r}, 'w').write('x')", "silent": False,
                                      "store_history": False, "user_expressions": {}, "allow_stdin": False,
                                      "stop_on_error": True})
        page.round_trip()  # the kernel has handled all this page sent before: had it run, the reply came first
        assert page.counts["execute_reply"] == 0 and page.counts["execute_input"] == 0, page.counts
    assert not target.exists()
    assert 'Received message of type "execute_request", which is not allowed' in voila.log_path.read_text()


def test_a_click_saves_only_once_the_page_answers(voila):
    page, person = open_ladder(voila)
    with page:
        save = page.find(css="cofa-save")
        fill(page, "Answered study", "Pay people for their time")
        asked = page.click(save)
        page.round_trip()  # the click has been handled: the kernel asked, and waits
        assert stored(voila.workspace, person) == []
        assert not any("saved" in str(page.value(m)) for m in page.find_all("cofa-feedback"))
        page.settle(save, asked)
        page.wait_for_text("are saved")
    [record] = stored(voila.workspace, person)
    assert record["project"] == "Answered study"

"""A room that follows a session, without a browser: the facilitator opens each part in turn, people see only the
part that is open (their words kept across parts), the dashboard says where the session is and the time left, and a
worksheet's answers typed in by its code count once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import ipywidgets as widgets
import pytest

from cofacilitate.sessions.commands import find_session
from cofacilitate.sessions.plan import load_session
from cofacilitate.sessions.sheet_codes import new_sheet_code
from cofacilitate.store import Workspace
from cofacilitate.workshop.command import add_arguments, chosen_session
from cofacilitate.workshop.dashboard import Dashboard
from cofacilitate.workshop.following import next_words, room_session, where_words
from cofacilitate.workshop.participant import RoomPage
from cofacilitate.workshop.results import latest_per_person
from cofacilitate.workshop.rooms import RoomKeys, RoomRefused, open_room
from tests.test_room_dashboard import text_of


@pytest.fixture
def session_room(tmp_path: Path) -> Iterator[tuple[Workspace, RoomKeys]]:
    store = Workspace.open(tmp_path / "room")
    yield store, open_room(store, "Team Alpha", session=find_session("starting-together"))
    store.close()


def joined(store: Workspace, keys: RoomKeys, number: int = 1) -> RoomPage:
    room = store.room(keys.room)
    assert room
    page = RoomPage(store, room)
    assert page.device is not None
    page.device.device = f"{number:02x}" * 32
    next(w for w in page.area.children if type(w).__name__ == "Press").click()
    return page


def forward(dashboard: Dashboard) -> None:
    assert dashboard.session_panel is not None
    dashboard.session_panel.forward.click()


def test_the_room_switches_on_the_sessions_exercises_and_waits_for_the_facilitator(session_room) -> None:
    store, keys = session_room
    room = store.room(keys.room)
    assert room is not None and room.tools == ("agendas", "ladder")
    page = joined(store, keys)
    assert page.shell is None and page.exercise not in page.area.children  # nothing to choose: the facilitator opens
    assert "has not started yet" in page.part_note.value
    dashboard = Dashboard(store, room)
    panel = dashboard.session_panel
    assert panel is not None and "has not started" in panel.where.value
    assert panel.forward.description == "Start the session: open “Welcome, and how today will go”"
    assert panel.back.disabled


def test_people_see_only_the_open_part_and_keep_their_words_across_parts(session_room) -> None:
    store, keys = session_room
    page = joined(store, keys)
    dashboard = Dashboard(store, store.room(keys.room))
    forward(dashboard)  # the welcome: done out loud
    page.look_for_results()
    assert page.shell is None and "done together, out loud" in page.part_note.value
    forward(dashboard)  # naming our agendas, on everyone's page
    assert "“Naming our agendas” is open on everyone’s page now" in dashboard.session_panel.feedback.value
    page.look_for_results()
    assert page.shell is not None and page.shell.info.id == "agendas" and page.part_note.value == ""
    agendas = page.shell.page
    assert agendas.card.id == "agendas" and agendas.card_choice not in agendas.top
    agendas.questions[0].text.value = "I want our study to be useful to people like me"
    forward(dashboard)  # the tea break: the agendas page goes, its words kept as a draft
    page.look_for_results()
    assert page.shell is None and "Tea break" in page.part_note.value
    assert dashboard.session_panel.back.description == "Go back one part"
    dashboard.session_panel.back.click()
    page.look_for_results()
    assert page.shell is not None
    assert page.shell.page.questions[0].text.value == "I want our study to be useful to people like me"
    for _ in range(4):
        forward(dashboard)
    page.look_for_results()
    assert "The session has ended" in page.part_note.value
    assert dashboard.session_panel.forward.disabled


def test_the_dashboard_says_where_the_session_is_what_comes_next_and_the_time_left(session_room) -> None:
    store, keys = session_room
    dashboard = Dashboard(store, store.room(keys.room))
    forward(dashboard)
    forward(dashboard)
    found = room_session(store, keys.room)
    assert found is not None and found.open_tool == "agendas"
    at = found.step_started_at + timedelta(minutes=20)
    assert where_words(found, at) == ("Now: part 2 of 5, “Naming our agendas” (on people’s screens). "
                                      "About 15 minutes left of this part.")
    assert next_words(found, at) == ("Next: “Tea break”, 10 minutes (a break). The plan has about 60 minutes left in all.")
    assert "over its time" in where_words(found, found.step_started_at + timedelta(minutes=40))
    assert "(now)" in text_of(dashboard.session_panel.plan.value).split("Tea break")[0]
    assert "0:10: Naming our agendas, 35 minutes" in text_of(dashboard.session_panel.plan.value)


def test_opening_the_room_again_keeps_its_place_and_a_changed_plan_starts_again(session_room, tmp_path: Path) -> None:
    store, keys = session_room
    dashboard = Dashboard(store, store.room(keys.room))
    forward(dashboard)
    session = find_session("starting-together")
    open_room(store, "Team Alpha", session=session)
    assert room_session(store, keys.room).step == 0
    changed = tmp_path / "changed.yaml"
    changed.write_text(Path(session.source).read_text(encoding="utf-8").replace("Tea break", "A pause"), encoding="utf-8")
    open_room(store, "Team Alpha", session=load_session(changed))
    assert room_session(store, keys.room).step == -1
    open_room(store, "Team Alpha", ["ladder"])
    assert room_session(store, keys.room) is None
    page = joined(store, keys, 2)
    assert page.shell is not None and page.shell.info.id == "ladder"  # a room without a plan: people choose


def test_the_room_uses_the_sessions_own_card(tmp_path: Path) -> None:
    plan = tmp_path / "arnstein.yaml"
    plan.write_text("id: old-ladder\ntitle: The older ladder\nduration_minutes: 20\nwelcome: Hello.\n"
                    "steps:\n  - exercise: arnstein\n    minutes: 20\n", encoding="utf-8")
    store = Workspace.open(tmp_path / "room")
    keys = open_room(store, "Team Beta", session=load_session(plan))
    page = joined(store, keys)
    Dashboard(store, store.room(keys.room)).session_panel.forward.click()
    page.look_for_results()
    assert page.shell is not None and page.shell.page.card.id == "arnstein"
    page.shell.page.stages[0].now.value = page.shell.page.card.vocabulary.rungs[0].id
    page.shell.page.save_button.click()
    dashboard = Dashboard(store, store.room(keys.room))
    card = page.shell.page.card
    assert dashboard.overview is not None and dashboard.overview.ladder is not None
    assert dashboard.overview.ladder.rungs == tuple(rung.label for rung in card.vocabulary.rungs)
    store.close()


def test_a_session_with_nothing_in_the_room_needs_no_room(tmp_path: Path) -> None:
    plan = tmp_path / "home.yaml"
    plan.write_text("id: at-home\ntitle: At home\nduration_minutes: 10\nwelcome: Hello.\n"
                    "steps:\n  - exercise: diary\n    minutes: 10\n", encoding="utf-8")
    store = Workspace.open(tmp_path / "room")
    with pytest.raises(RoomRefused, match="no exercise switched on in the room"):
        open_room(store, "At home", session=load_session(plan))
    store.close()


def test_the_workshop_command_takes_a_session_or_a_name_and_never_both_a_session_and_tools() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert chosen_session(parser.parse_args(["--session", "how-are-we-doing"])).room_tools == ("ladder", "powermap")
    assert chosen_session(parser.parse_args(["--room", "Team"])) is None
    with pytest.raises(ValueError, match="leave out --tools"):
        chosen_session(parser.parse_args(["--session", "how-are-we-doing", "--tools", "ladder"]))
    with pytest.raises(ValueError, match="--room"):
        chosen_session(parser.parse_args([]))
    with pytest.raises(ValueError, match="no shipped session with that id"):
        chosen_session(parser.parse_args(["--session", "no-such-session"]))


def test_a_worksheet_typed_in_twice_counts_once_and_a_mistyped_code_is_refused(session_room) -> None:
    store, keys = session_room
    dashboard = Dashboard(store, store.room(keys.room))
    paper = dashboard.paper
    code = new_sheet_code()
    for rung in ("informing", "consultation"):
        paper.exercise.value = "ladder"
        paper.code.value = code.lower().replace("-", " ")
        paper.start.click()
        assert paper.shell is not None
        paper.shell.page.stages[0].now.value = rung
        paper.shell.page.save_button.click()
        paper.done.click()
    assert len(store.room_people(keys.room)) == 1
    assert [record.body["answers"][0]["now"] for record in latest_per_person(store.room_records("ladder", keys.room))] \
        == ["consultation"]  # the newest typing of the sheet is the one that counts
    paper.code.value = code
    paper.start.click()
    assert "were typed in before" in paper.feedback.value and "counts once" in paper.feedback.value
    paper.done.click()
    paper.code.value = code[:-1] + ("A" if code[-1] != "A" else "C")
    paper.start.click()
    assert "does not look right" in paper.feedback.value and paper.shell is None
    paper.code.value = ""
    paper.start.click()
    assert "count as one more person" in paper.feedback.value
    assert len(store.room_people(keys.room)) == 2
    assert all(not isinstance(child, widgets.Output) for child in paper.children)

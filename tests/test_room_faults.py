"""A room under faults, against its real participant server: a kernel killed in the middle of a Save
loses no word and counts nothing twice; the database held busy for a moment only delays a Save; a forged
response card adds nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cofacilitate.store import ImportRefused, Owner, Workspace
from cofacilitate.workshop.intake import add_card
from cofacilitate.workshop.participant import RoomPage
from cofacilitate.workshop.rooms import open_room
from tests.room_harness import RoomParticipant, RoomServers

CLIMB = "Ask peer workers before the protocol is written, and pay them for it"


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomServers]:
    servers = RoomServers(tmp_path_factory.mktemp("faults"), name="Faults", pool=0, dashboard=False)
    yield servers
    servers.stop()


def kernel_of(room: RoomServers, kernel_id: str):
    return next(process for process in room.kernels() if kernel_id in " ".join(process.cmdline()))


def climb_box(person: RoomParticipant) -> str:
    return person.wait_live("cofa-climb", 7)[0]


def test_a_kernel_killed_in_the_middle_of_a_save_loses_no_word_and_counts_nothing_twice(room) -> None:
    person = RoomParticipant(room.link(), 1)
    person.arrive()
    person.join([2])
    person.page.type(climb_box(person), CLIMB)
    person.page.round_trip()
    time.sleep(1.5)  # the draft is kept once typing pauses (the kit's DraftKeeper)
    person.page.press(person.live("cofa-save")[0])
    os.kill(kernel_of(room, person.page.kernel_id).pid, signal.SIGKILL)
    person.close()

    again = RoomParticipant(room.link(), 1)  # the same phone opens the link again
    again.device = person.device
    device = next(model for model, state in again.page.states.items() if "device" in state and "kept" in state)
    again.page.update(device, device=again.device, kept=True)
    again.wait_live("cofa-room-greeting")
    assert again.page.value(climb_box(again)) == CLIMB
    store = Workspace.open(room.home)
    try:
        assert len(store.room_people(room.keys.room)) == 1
        assert len(store.room_records("ladder", room.keys.room)) <= 1
    finally:
        store.close()
    again.close()


def test_a_database_busy_for_a_moment_only_delays_a_save(tmp_path: Path) -> None:
    store = Workspace.open(tmp_path / "busy")
    keys = open_room(store, "Busy", ["ladder"])
    page = RoomPage(store, store.room(keys.room))
    page.device.device = "ab" * 32
    next(w for w in page.area.children if type(w).__name__ == "Press").click()
    ladder = page.shell.page
    ladder.stages[0].climb.value = CLIMB
    holder = sqlite3.connect(store.db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another page's long write
    threading.Timer(1.5, lambda: holder.execute("COMMIT")).start()
    started = time.monotonic()
    ladder.save_button.click()
    assert time.monotonic() - started >= 1.0
    assert "are saved" in ladder.feedback.value
    assert [r.body["answers"][0]["climb"] for r in store.room_records("ladder", keys.room)] == [CLIMB]
    holder.close()
    store.close()


def test_a_forged_card_adds_nothing(tmp_path: Path) -> None:
    store = Workspace.open(tmp_path / "forged")
    keys = open_room(store, "Forged", ["ladder"])
    room = store.room(keys.room)
    elsewhere = Workspace.open(tmp_path / "home")
    owner = Owner(elsewhere.current_person().id, "")
    body = {"kind": "ladder-assessment", "version": 1, "card": "ladder", "project": "At home",
            "answers": [{"stage": "idea", "now": "consultation", "aim": "", "climb": ""}], "why_moved": ""}
    good = elsewhere.export_card("ladder", [elsewhere.save_record("ladder", body, owner=owner, record_id="cd" * 16)])
    for forged in (good.replace(b'"consultation"', b'"owner-of-everything"'),  # a rung no card has
                   good.replace(b'"tool": "ladder"', b'"tool": "diary"'),  # an exercise this room does not use
                   good.replace(b'"ladder-assessment"', b'"agenda"'),
                   good[: len(good) // 2]):
        with pytest.raises(ImportRefused):
            add_card(store, room, forged)
    assert store.room_records("ladder", keys.room) == [] and store.room_people(keys.room) == []
    elsewhere.close()
    store.close()

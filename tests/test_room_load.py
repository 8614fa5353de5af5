"""Forty participants at once, at the protocol level, against the real room server: every answer counted once.

Each participant is a thread speaking the page's own websocket messages (tests/room_harness.py
RoomParticipant, over tests/protocol.py): the page's GET, the kernel websocket, the widget control
comm and request_states; then the device's secret (as the page's script sends it from the
browser's storage), the join form with a name and a role, the exercise chooser, every stage of the
ladder and Save (the kit's button: the click, the kernel's question, the page's answer). Half of
them get a kernel from the preheated pool, half a cold one. Nothing is written to the store
behind the server's back; the store is only read, at the end, to count.

Then all forty change their answers and press Save in the same moment (a barrier releases them
together), twice, as a double tap does. After each round: one person per device, and per person one
ladder record for each Save of a changed form (the first answers, then the changed ones; a second
Save of the same answers keeps one record), holding exactly what that person chose: zero lost, zero
duplicated.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cofacilitate.people import ROLES
from cofacilitate.store import Workspace
from tests.harness import Deadline
from tests.room_harness import RoomParticipant, RoomServers

PARTICIPANTS = 40
POOL = 20
LADDER = "The ladder of co-production"
DEADLINE_SECONDS = 240  # the whole run; on 2 shared cores it takes about two minutes


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomServers]:
    running = RoomServers(tmp_path_factory.mktemp("load"), name="Load room", tools=("agendas", "ladder"), pool=POOL,
                          max_participants=PARTICIPANTS + 10, dashboard=False)
    try:
        running.wait_for_pool(POOL)
        yield running
    finally:
        running.stop()


def role_keys(person: RoomParticipant) -> tuple[str, ...]:
    return tuple(key for key, label in ROLES.items() if label in person.roles)


def in_threads(people: list[RoomParticipant | None], step: Callable[[int], None], deadline: Deadline) -> None:
    """Run `step(n)` for every participant at once; fail naming each one that failed or did not finish."""
    failed: dict[int, str] = {}

    def run(number: int) -> None:
        try:
            step(number)
        except BaseException as err:
            failed[number] = f"{type(err).__name__}: {err}"

    threads = [threading.Thread(target=run, args=(number,), daemon=True) for number in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.1, deadline.end - time.monotonic()))
    unfinished = [number for number, thread in enumerate(threads) if thread.is_alive()]
    assert not unfinished and not failed, f"unfinished: {unfinished}; failed: {failed}"


def assert_every_answer_counted_once(room: RoomServers, people: list[RoomParticipant],
                                     saved: dict[str, list[dict[str, tuple[str, str, str]]]]) -> None:
    """One person per device, and per person one ladder record for each Save of a changed form (ui.drafts.SaveSlot:
    Save pressed again on the same answers keeps one record), oldest first, each holding exactly what was chosen."""
    store = Workspace.open(room.home)
    try:
        joined = store.room_people(room.keys.room)
        records = store.room_records("ladder", room.keys.room)
    finally:
        store.close()
    assert sorted(p.pseudonym for p in joined) == sorted(person.name for person in people), "one person per device"
    expected = sum(len(versions) for versions in saved.values())
    assert len(records) == expected, f"{len(records)} ladder records where {expected} were saved: none lost, none twice"
    for person in people:
        own = [record for record in records if record.participant == person.name]
        assert len({record.person for record in own}) == 1, person.name
        assert all(tuple(record.roles) == role_keys(person) for record in own), person.name
        stored = [{a["stage"]: (a["now"], a["aim"], a["climb"]) for a in record.body["answers"]} for record in own]
        assert stored == saved[person.name], person.name


def test_forty_participants_join_answer_and_save_and_every_answer_is_counted_once(room):
    deadline = Deadline(DEADLINE_SECONDS)
    people: list[RoomParticipant | None] = [None] * PARTICIPANTS
    saved: dict[str, list[dict[str, tuple[str, str, str]]]] = {}
    release = threading.Barrier(PARTICIPANTS)

    def first_visit(number: int) -> None:
        person = RoomParticipant(room.link(), number, seconds=deadline.left())
        people[number] = person
        person.arrive()
        person.join([number % len(ROLES), *([(number + 3) % len(ROLES)] if number % 4 == 0 else [])])
        person.choose(LADDER)
        person.answer_ladder(turn=0)
        person.save()
        saved[person.name] = [dict(person.expected)]

    def all_at_once(number: int) -> None:
        """Everyone changes their answers, then all press Save in the same moment, and again at once (a double tap)."""
        person = people[number]
        assert person is not None
        try:
            person.answer_ladder(turn=1)
            person.page.all_said()  # every answer is in the kernel before anyone presses
            release.wait(timeout=deadline.left())
        except BaseException:
            release.abort()  # the others stop waiting for someone who will not come
            raise
        person.save()
        person.save()
        saved[person.name].append(dict(person.expected))

    try:
        in_threads(people, first_visit, deadline)
        everyone = [person for person in people if person is not None]
        assert_every_answer_counted_once(room, everyone, saved)
        in_threads(people, all_at_once, deadline)
        assert_every_answer_counted_once(room, everyone, saved)
    finally:
        for person in people:
            if person is not None:
                person.close()
    log = room.log_text()
    for trouble in ("Address already in use", "died", "The room is full", "Traceback"):
        assert trouble not in log, trouble
    assert log.count("Using pre-heated kernel") == POOL, "half came from the pool, half started cold"


def test_a_device_that_comes_back_is_the_same_person_with_its_answers(room):
    """After the crowd: a device opens the link again (a reload) and is who it was, not someone new."""
    deadline = Deadline(120)
    store = Workspace.open(room.home)
    try:
        before = len(store.room_people(room.keys.room))
    finally:
        store.close()
    first = RoomParticipant(room.link(), PARTICIPANTS + 1, seconds=deadline.left())
    try:
        first.arrive()
        first.join([0])
        again = RoomParticipant(room.link(), PARTICIPANTS + 1, seconds=deadline.left())
        again.device = first.device
        try:
            device = next(m for m, s in again.page.states.items() if "device" in s and "kept" in s)
            again.page.update(device, device=first.device, kept=True)
            greeting = again.wait_live("cofa-room-greeting")[0]
            assert "Welcome back" in str(again.page.value(greeting))
            assert not again.live("cofa-join"), "no join form for a device that joined"
        finally:
            again.close()
    finally:
        first.close()
    store = Workspace.open(Path(room.home))
    try:
        assert len(store.room_people(room.keys.room)) == before + 1
    finally:
        store.close()

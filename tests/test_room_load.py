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

Every test here runs on each store: the SQLite file in the room's folder, and a PostgreSQL database on
the run's private server (tests/postgres_cluster.py), given to the room's servers as `workshop
--database-url` gives it. On PostgreSQL the test also counts the most connections the room's kernels
held at once during the 40-way Save (pg_stat_activity), which must stay well inside the server's limit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from cofacilitate.people import ROLES
from tests.conftest import BACKENDS
from tests.harness import Deadline
from tests.postgres_cluster import PostgresCluster
from tests.room_harness import ConnectionPeak, RoomParticipant, RoomServers, assert_every_answer_counted_once, in_threads

PARTICIPANTS = 40
POOL = 20
DEADLINE_SECONDS = 240  # the whole run; on 2 shared cores it takes about two minutes
MOST_CONNECTIONS = 100  # PostgreSQL's default max_connections (the run's server keeps it)


@pytest.fixture(scope="module", params=BACKENDS)
def room(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomServers]:
    """The room on each store: SQLite in its folder, or a database of its own on the run's PostgreSQL server."""
    cluster: PostgresCluster | None = request.getfixturevalue("postgres") if request.param == "postgres" else None
    running = RoomServers(tmp_path_factory.mktemp("load"), name="Load room", tools=("agendas", "ladder"), pool=POOL,
                          max_participants=PARTICIPANTS + 10, dashboard=False,
                          database_url=cluster.new_database("room") if cluster else None)
    running.cluster = cluster  # type: ignore[attr-defined]
    try:
        running.wait_for_pool(POOL)
        yield running
    finally:
        running.stop()


def connection_peak(room: RoomServers) -> ConnectionPeak | None:
    """On PostgreSQL, a sampler of the connections the room's kernels hold; None on SQLite."""
    cluster: PostgresCluster | None = getattr(room, "cluster", None)
    if cluster is None or room.database_url is None:
        return None
    return ConnectionPeak(cluster.url(), room.database_url.rsplit("/", 1)[1])


def test_forty_participants_join_answer_and_save_and_every_answer_is_counted_once(room):
    deadline = Deadline(DEADLINE_SECONDS)
    people: list[RoomParticipant | None] = [None] * PARTICIPANTS
    saved: dict[str, list[dict[str, tuple[str, str, str]]]] = {}
    release = threading.Barrier(PARTICIPANTS)

    def first_visit(number: int) -> None:
        person = RoomParticipant(room.link(), number, seconds=deadline.left())
        people[number] = person
        roles = [number % len(ROLES), *([(number + 3) % len(ROLES)] if number % 4 == 0 else [])]
        saved[person.name] = [person.first_ladder(roles)]

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

    peak: int | None = None
    try:
        in_threads(people, first_visit, deadline)
        everyone = [person for person in people if person is not None]
        assert_every_answer_counted_once(room, everyone, saved)
        sampler = connection_peak(room)
        try:
            in_threads(people, all_at_once, deadline)
        finally:
            peak = sampler.stop() if sampler else None
        assert_every_answer_counted_once(room, everyone, saved)
    finally:
        for person in people:
            if person is not None:
                person.close()
    if peak is not None:
        print(f"\nPostgreSQL: at most {peak} connections held at once by the room's kernels during the 40-way Save")
        assert 0 < peak < MOST_CONNECTIONS - 10, f"{peak} connections at once: the room would crowd out the server's limit"
    log = room.log_text()
    for trouble in ("Address already in use", "died", "The room is full", "Traceback"):
        assert trouble not in log, trouble
    assert log.count("Using pre-heated kernel") == POOL, "half came from the pool, half started cold"


def test_a_device_that_comes_back_is_the_same_person_with_its_answers(room):
    """After the crowd: a device opens the link again (a reload) and is who it was, not someone new."""
    deadline = Deadline(120)
    store = room.open_store()
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
    store = room.open_store()
    try:
        assert len(store.room_people(room.keys.room)) == before + 1
    finally:
        store.close()

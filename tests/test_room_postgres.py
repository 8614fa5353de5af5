"""A room on PostgreSQL whose server restarts while forty people press Save: nobody's answers lost, none counted twice.

The room's servers keep their answers in a database on a PostgreSQL server of this module's own
(tests/postgres_cluster.py), so restarting it touches no other test. Forty participants at the
protocol level (tests/room_harness.py) join, answer the ladder and save; then all change their
answers, and press Save in the same moment as the server is restarted (`PostgresCluster.restart()`:
a fast stop, which ends every connection, then a start).

Whoever's Save was refused must read so on their page, beside Save: the answers were not saved and
are still on screen. Their form must still hold what they chose, and Save pressed again once the
server is back must store it. At the end, every person has exactly one record per distinct Save
(the first answers, then the changed ones), each holding what they chose: nothing lost, nothing
counted twice, nothing overwritten.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from cofacilitate.people import ROLES
from tests.harness import Deadline
from tests.postgres_cluster import PostgresCluster
from tests.room_harness import RoomParticipant, RoomServers, assert_every_answer_counted_once, in_threads

PARTICIPANTS = 40
POOL = 20
DEADLINE_SECONDS = 240

Answers = dict[str, tuple[str, str, str]]


@pytest.fixture(scope="module")
def room(own_postgres: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoomServers]:
    running = RoomServers(tmp_path_factory.mktemp("restart"), name="Restart room", tools=("agendas", "ladder"), pool=POOL,
                          max_participants=PARTICIPANTS + 10, dashboard=False, database_url=own_postgres.new_database("room"))
    try:
        running.wait_for_pool(POOL)
        yield running
    finally:
        running.stop()


def saved_plainly(line: str) -> bool:
    return "are saved" in line and "problem" not in line


def refused_plainly(line: str) -> bool:
    """The page beside Save says the answers were not saved, and that they are still on screen."""
    return "could not be saved" in line and "still on screen" in line


def test_a_restart_under_forty_writers_loses_nothing_and_counts_nothing_twice(room, own_postgres):
    deadline = Deadline(DEADLINE_SECONDS)
    people: list[RoomParticipant | None] = [None] * PARTICIPANTS
    saved: dict[str, list[Answers]] = {}
    refused: dict[int, str] = {}
    release = threading.Barrier(PARTICIPANTS + 1)  # the forty and the restart, in the same moment

    def first_visit(number: int) -> None:
        person = RoomParticipant(room.link(), number, seconds=deadline.left())
        people[number] = person
        saved[person.name] = [person.first_ladder([number % len(ROLES)])]

    def save_during_restart(number: int) -> None:
        person = people[number]
        assert person is not None
        try:
            person.answer_ladder(turn=1)
            person.page.all_said()  # every answer is in the kernel before anyone presses
            release.wait(timeout=deadline.left())
        except BaseException:
            release.abort()
            raise
        person.press_save()
        line = person.save_line()
        if not saved_plainly(line):
            refused[number] = line

    def restart() -> None:
        release.wait(timeout=deadline.left())
        own_postgres.restart()

    try:
        in_threads(people, first_visit, deadline)
        everyone = [person for person in people if person is not None]
        assert_every_answer_counted_once(room, everyone, saved)

        restarting = threading.Thread(target=restart, daemon=True)
        restarting.start()
        in_threads(people, save_during_restart, deadline)
        restarting.join(timeout=deadline.left())
        assert not restarting.is_alive(), "the server did not come back"
        print(f"\n{len(refused)} of {PARTICIPANTS} Saves were refused while the server restarted")

        for number, line in refused.items():
            person = everyone[number]
            assert refused_plainly(line), f"{person.name} read: {line}"
            assert person.on_screen() == person.expected, f"{person.name}: the answers left the form"

        def save_again(number: int) -> None:
            person = everyone[number]
            if number in refused:
                person.press_save()
                line = person.save_line()
                assert saved_plainly(line), f"{person.name}: Save once the server was back said {line}"
            saved[person.name].append(dict(person.expected))

        in_threads(people, save_again, deadline)
        assert_every_answer_counted_once(room, everyone, saved)
    finally:
        for person in people:
            if person is not None:
                person.close()
    log = room.log_text()
    assert "Traceback" not in log

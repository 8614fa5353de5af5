"""The dashboard's refresh: working out every view of a room (counts, ladder, power map, wall, their charts)
from N participants' answers, as the facilitator's page does whenever the room changes.

Run: python benchmarks/dashboard_bench.py [--sizes 40 100] [--runs 5]

Timed in this process on a real SQLite workspace (the dashboard's kernel does the same work); the first
refresh, which loads altair and vl-convert, is reported apart from the later ones. A refresh when nothing
changed is one small query, also reported. The aim (issue 16) is under 0.5 s at 40 participants.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cofacilitate.agendas.model import Agenda, shared_part  # noqa: E402
from cofacilitate.ladder.model import Assessment  # noqa: E402
from cofacilitate.powermap.model import PowerMap  # noqa: E402
from cofacilitate.store import Owner, Workspace, new_id  # noqa: E402
from cofacilitate.store.rooms import room_stamp  # noqa: E402
from cofacilitate.workshop.overview import room_overview  # noqa: E402
from cofacilitate.workshop.rooms import open_room  # noqa: E402

ROLES = ("public-partner", "researcher", "clinician", "carer", "involvement-lead")
RUNGS = ("informing", "consultation", "involvement", "co-design", "co-production")


def fill_room(store: Workspace, room: str, size: int) -> None:
    """`size` participants, each with a ladder, a power map and an agenda, as saved from their pages."""
    for n in range(size):
        person = store.person_with_id(new_id(), room)
        roles = [ROLES[n % len(ROLES)]]
        store.update_person(person.id, f"Person {n}", roles)
        owner = Owner(person.id, room)
        ladder = Assessment(card="ladder", project="Team", answers=[
            {"stage": stage, "now": RUNGS[(n + i) % len(RUNGS)], "aim": "co-production"}
            for i, stage in enumerate(("idea", "design", "aims", "funding"))]).model_dump()
        store.save_record("ladder", ladder, owner=owner, record_id=new_id(), participant=f"Person {n}", roles=roles)
        power_map = PowerMap(card="powermap", project="Team", stakeholders=[
            {"label": "Ward nurses", "group": "clinicians", "influence": 1 + n % 5, "involvement": 1 + (n * 2) % 5},
            {"label": "The funder", "group": "funders", "influence": 5, "involvement": 1 + n % 2},
        ], decisions=[{"decision": "question", "label": "Choosing the research question",
                       "says": {"funders": "decides" if n % 2 else "consulted"}}]).model_dump()
        store.save_record("powermap", power_map, owner=owner, record_id=new_id(), participant=f"Person {n}", roles=roles)
        agenda = Agenda(card="agendas", project="Team", answers=[
            {"prompt": "hopes", "text": f"Better letters and kinder wards, person {n}", "share": "anonymous"},
            {"prompt": "worries", "text": "Being asked too late", "share": "named"},
        ]).model_dump()
        store.save_record("agendas", agenda, owner=owner, record_id=new_id(), participant=f"Person {n}", roles=roles,
                          shared=shared_part(agenda, f"Person {n}"))


def measure(size: int, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        store = Workspace.open(Path(folder))
        keys = open_room(store, "Team", ["ladder", "agendas", "powermap"])
        fill_room(store, keys.room, size)
        room = store.room(keys.room)
        assert room is not None
        started = time.perf_counter()
        room_overview(store, room)
        first = time.perf_counter() - started
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            room_overview(store, room)
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _ in range(runs):
            room_stamp(store.backend, room.id)
        unchanged = (time.perf_counter() - started) / runs
        store.close()
    return {"first": first, "median": statistics.median(times), "worst": max(times), "unchanged": unchanged}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 100])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print("| participants | first refresh (loads altair, vl-convert) | refresh, median | refresh, worst | nothing changed |")
    print("| --- | --- | --- | --- | --- |")
    for size in args.sizes:
        got = measure(size, args.runs)
        print(f"| {size} | {got['first']:.2f} s | {got['median']:.2f} s | {got['worst']:.2f} s | "
              f"{got['unchanged'] * 1000:.1f} ms |")


if __name__ == "__main__":
    main()

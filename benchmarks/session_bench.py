"""A room that follows a session, under a crowd: how long people wait to see the part the facilitator opens.

    python benchmarks/session_bench.py [--crowd 20] [--typists 5] [--deadline 600] [--keep]

At the protocol level (tests/protocol.py, tests/room_harness.py), against the real room server started as
`cofacilitate workshop --session starting-together` starts it, in a temporary folder (HOME, Jupyter's folders,
TMPDIR and the workspace inside it), in one run:

1. The floor: one floor page (benchmarks/floor.ipynb, one button) opened alone on a server of its own, cold,
   as room_bench.py opens it: the yardstick.
2. `--crowd` people join the session's room (all at once, untimed) and see that it has not started. Then the
   facilitator's moves, made as the dashboard makes them (following.move on the room's store): open the welcome
   (a talk: only a sentence changes), then "Naming our agendas", then the tea break, then back to the agendas.
   For each person: seconds from the move until their page's widget tree shows the new part, and until the first
   widget message after the move (the page's look that found it: pages look every LOOK_EVERY seconds, nothing is
   pushed). Before the tea break, `--typists` people type words into an agendas answer; their drafts must be
   in the store during the break and back in the box when the agendas open again.
3. Memory: the peak RSS of the participant server and all its kernels (psutil, every 0.5 s), while people
   joined and during the moves; the kernels' CPU seconds spent opening the agendas page.

The pool holds one kernel for each person and never refills during the run (refills would start kernels for
people who are not coming in the middle of the moves). Prints a table; JSON in
benchmarks/results/session-latest.json. Exit status 1 if the run failed, ran out of time, or lost a draft.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root: `benchmarks` and `tests`

import psutil

from benchmarks.report import versions
from benchmarks.room_bench import HERE, PeakMemory, log, one_scenario
from cofacilitate.sessions.commands import find_session
from cofacilitate.store import Owner
from cofacilitate.ui.fields import RETIRE_GRACE
from cofacilitate.workshop.following import move, room_session
from cofacilitate.workshop.participant import LOOK_EVERY
from tests.harness import Deadline, OutOfTime, isolate
from tests.room_harness import RoomParticipant, RoomServers, in_threads

SESSION = "starting-together"
WELCOME_SAID = "done together, out loud"  # following.waiting_words for a talk
BREAK_TITLE = "Tea break"

Shown = Callable[[RoomParticipant], bool]


def part_note(person: RoomParticipant) -> str:
    return " ".join(str(person.page.value(model)) for model in person.live("cofa-room-part"))


def agendas_shown(person: RoomParticipant) -> bool:
    """The agendas page is in the page's tree: its answer boxes and its Save."""
    return bool(person.live("cofa-answer")) and bool(person.live("cofa-save"))


def agendas_gone(person: RoomParticipant) -> bool:
    return not person.live("cofa-answer") and BREAK_TITLE in part_note(person)


def is_widget_news(message: dict[str, Any]) -> bool:
    """A widget made or changed: what a look that found the move sends first (a closed widget is an earlier part
    leaving, RETIRE_GRACE seconds after it was replaced)."""
    kind = message["header"]["msg_type"]
    return kind == "comm_open" or (kind == "comm_msg" and message["content"]["data"].get("method") in {"update", "echo_update"})


def drain(person: RoomParticipant, quiet: float = 0.3) -> None:
    """Read what the kernel has already said, so the timing after a move starts with an empty socket."""
    while person.page.receive(quiet) is not None:
        pass


def watch(person: RoomParticipant, shown: Shown, deadline: Deadline) -> tuple[float, float]:
    """Read the page until `shown`; the moments (perf_counter) of the first widget news and of the part shown."""
    first = 0.0
    while not shown(person):
        message = person.page.receive(min(deadline.left(), 1.0))
        if message is not None and not first and is_widget_news(message):
            first = time.perf_counter()
    ended = time.perf_counter()
    return first or ended, ended


def kernels_cpu(room: RoomServers) -> float:
    total = 0.0
    for kernel in room.kernels():
        try:
            total += sum(kernel.cpu_times()[:2])
        except psutil.Error:
            continue
    return total


def summary(values: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(values), 2), "slowest_s": round(max(values), 2),
            "fastest_s": round(min(values), 2)}


def timed_move(room: RoomServers, people: list[RoomParticipant], by: int, shown: Shown, deadline: Deadline) -> dict[str, Any]:
    """The facilitator moves the session `by` parts, as the dashboard does; every page is watched from that moment."""
    time.sleep(RETIRE_GRACE + 1)  # the last part's widgets have closed: their goodbyes are not news of this move
    for person in people:
        drain(person)
    start = threading.Barrier(len(people) + 1)
    moments: dict[int, tuple[float, float]] = {}
    moved: list[float] = []
    store = room.open_store()

    def step(number: int) -> None:
        start.wait(timeout=deadline.left())
        if number == len(people):  # the facilitator
            found = room_session(store, room.keys.room)
            assert found is not None, "the room follows no session"
            moved.append(time.perf_counter())
            move(store, room.keys.room, found, by)
            moved.append(time.perf_counter())
        else:
            moments[number] = watch(people[number], shown, deadline)

    cpu = kernels_cpu(room)
    try:
        in_threads([*people, None], step, deadline)
    finally:
        store.close()
    began = moved[0]
    shown_s = [moments[n][1] - began for n in range(len(people))]
    looked_s = [moments[n][0] - began for n in range(len(people))]
    built_s = [moments[n][1] - moments[n][0] for n in range(len(people))]
    return {"shown": summary(shown_s), "look_found_it": summary(looked_s), "then_shown": summary(built_s),
            "move_s": round(moved[1] - moved[0], 3), "kernels_cpu_s": round(kernels_cpu(room) - cpu, 2),
            "every_person_s": [round(value, 2) for value in shown_s]}


def join_all(room: RoomServers, crowd: int, deadline: Deadline) -> list[RoomParticipant]:
    """Everyone opens the room's page at once, joins, and sees that the session has not started."""
    people: list[RoomParticipant | None] = [None] * crowd

    def step(number: int) -> None:
        person = RoomParticipant(room.link(), number, seconds=deadline.left())
        people[number] = person
        person.arrive()
        person.join([number % 7])
        person.page.wait_for(lambda: "has not started yet" in part_note(person), what="the waiting note")

    try:
        in_threads(list(people), step, deadline)
    except BaseException:
        for person in people:
            if person is not None:
                person.close()
        raise
    return [person for person in people if person is not None]


def type_words(people: list[RoomParticipant], typists: int) -> dict[str, str]:
    """The first agendas answer of the first `typists` people, typed and received by their kernels (not saved)."""
    typed = {}
    for person in people[:typists]:
        words = f"Draft words of person {person.number}"
        person.page.type(person.live("cofa-answer")[0], words)
        person.page.all_said()
        typed[person.name] = words
    return typed


def drafts_kept(room: RoomServers, typed: dict[str, str]) -> list[str]:
    """The typists whose words are among their agendas drafts in the store."""
    store = room.open_store()
    try:
        kept = []
        for joined in store.room_people(room.keys.room):
            words = typed.get(joined.pseudonym)
            if words and words in store.drafts("agendas", Owner(joined.id, room.keys.room)).values():
                kept.append(joined.pseudonym)
        return kept
    finally:
        store.close()


def session_run(root: Path, crowd: int, typists: int, deadline: Deadline) -> dict[str, Any]:
    room = RoomServers(root / "session-room", name="Starting together", session=find_session(SESSION), dashboard=False,
                       pool=crowd, max_participants=crowd + 10, fill_delay=deadline.seconds + 60)
    people: list[RoomParticipant] = []
    try:
        room.wait_for_pool(crowd, seconds=deadline.left())
        joining = PeakMemory(room)
        began = time.perf_counter()
        people = join_all(room, crowd, deadline)
        found: dict[str, Any] = {"joined_s": round(time.perf_counter() - began, 1), "peak_rss_joining_mb": joining.stop()}
        log(f"  {crowd} joined in {found['joined_s']} s")
        moving = PeakMemory(room)
        found["welcome"] = timed_move(room, people, 1, lambda person: WELCOME_SAID in part_note(person), deadline)
        log(f"  the welcome: median {found['welcome']['shown']['median_s']} s")
        found["agendas"] = timed_move(room, people, 1, agendas_shown, deadline)
        shown = found["agendas"]["shown"]
        log(f"  the agendas: median {shown['median_s']} s, slowest {shown['slowest_s']} s")
        typed = type_words(people, typists)
        found["tea_break"] = timed_move(room, people, 1, agendas_gone, deadline)
        log(f"  the tea break: median {found['tea_break']['shown']['median_s']} s")
        kept = drafts_kept(room, typed)
        by_name = {person.name: person for person in people}

        def back(person: RoomParticipant) -> bool:
            return agendas_shown(person) and (person.name not in typed or
                                              person.page.value(person.live("cofa-answer")[0]) == typed[person.name])

        found["agendas_again"] = timed_move(room, people, -1, back, deadline)
        log(f"  the agendas again: median {found['agendas_again']['shown']['median_s']} s")
        found["peak_rss_moves_mb"] = moving.stop()
        found["drafts"] = {"typed": len(typed), "in_store_during_break": len(kept),
                           "back_in_the_box": sum(by_name[name].page.value(by_name[name].live("cofa-answer")[0]) == words
                                                  for name, words in typed.items())}
        found["drafts"]["lost"] = len(typed) - min(found["drafts"]["in_store_during_break"], found["drafts"]["back_in_the_box"])
        found["kernels"] = len(room.kernels())
        return found
    finally:
        for person in people:
            person.close()
        room.stop()


def table(floor_s: float, found: dict[str, Any]) -> str:
    lines = [f"One floor page alone, cold: {floor_s} s (the yardstick). {found['crowd']} people joined in "
             f"{found['joined_s']} s (untimed for the moves). Pages look every {LOOK_EVERY:g} s.", "",
             "| move | shown: median | slowest | median / floor | slowest / floor | the look found it: median | slowest "
             "| then shown: median | slowest | kernels' CPU s |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for key, words in (("welcome", "start: the welcome (a talk)"), ("agendas", "the agendas open"),
                       ("tea_break", "the tea break (agendas gone)"), ("agendas_again", "back to the agendas")):
        row = found[key]
        shown, looked, built = row["shown"], row["look_found_it"], row["then_shown"]
        lines.append(f"| {words} | {shown['median_s']} s | {shown['slowest_s']} s | {shown['median_s'] / floor_s:.2f}x | "
                     f"{shown['slowest_s'] / floor_s:.2f}x | {looked['median_s']} s | {looked['slowest_s']} s | "
                     f"{built['median_s']} s | {built['slowest_s']} s | {row['kernels_cpu_s']} |")
    drafts = found["drafts"]
    lines += ["(shown: from the move to the part in the page's widget tree; the look found it: to the page's first "
              "widget news after the move; then shown: the rest)", "",
              f"Drafts: {drafts['typed']} typed, {drafts['in_store_during_break']} in the store during the break, "
              f"{drafts['back_in_the_box']} back in their box; {drafts['lost']} lost.",
              f"Peak RSS, server and all {found['kernels']} kernels: {found['peak_rss_joining_mb']} MB while joining, "
              f"{found['peak_rss_moves_mb']} MB during the moves."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crowd", type=int, default=20, help="people in the room (default 20)")
    parser.add_argument("--typists", type=int, default=5, help="people who type into the agendas before the break (default 5)")
    parser.add_argument("--deadline", type=float, default=600, help="overall deadline in seconds (default 600)")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "session-latest.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs, workspace)")
    args = parser.parse_args(argv)
    deadline = Deadline(args.deadline)
    root = Path(tempfile.mkdtemp(prefix="cofa-session-"))  # short: kernels' IPC socket paths must fit in 107 characters
    isolate(root, tmpdir=True)
    results: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "load_average_at_start": os.getloadavg(),
                               "machine": {"cpus": os.cpu_count(),
                                           "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1)},
                               "versions": versions(), "look_every_s": LOOK_EVERY, "session": SESSION}
    try:
        log("one floor page alone, cold")
        results["floor"] = one_scenario(root, "floor", 1, False, deadline)
        if not results["floor"]["all_usable_s"]:
            raise RuntimeError(f"the floor page did not open: {results['floor']['failures']}")
        log(f"  usable after {results['floor']['all_usable_s']} s")
        log(f"{args.crowd} people in a room following “{SESSION}”")
        results["room"] = {"crowd": args.crowd, **session_run(root, args.crowd, min(args.typists, args.crowd), deadline)}
    except OutOfTime as err:
        log(f"stopped: {err}")
        return 1
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    results["load_average_at_end"] = os.getloadavg()
    print(table(results["floor"]["all_usable_s"], results["room"]))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON: {args.output}")
    return 0 if results["room"]["drafts"]["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

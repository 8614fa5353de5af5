"""A participant's page in a room, without a browser: the door, one person per device, the room's
exercises with shared parts only, results shown only once revealed, and a kernel that stays light."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as widgets
import pytest

from cofacilitate.store import Workspace
from cofacilitate.store.rooms import put_view, set_revealed
from cofacilitate.ui.press import Press
from cofacilitate.workshop.participant import NOT_A_ROOM, NOT_REVEALED, RoomPage, show_participant
from cofacilitate.workshop.rooms import RoomKeys, open_room

DEVICE_A, DEVICE_B = "ab" * 32, "cd" * 32


@pytest.fixture
def room(tmp_path: Path) -> Iterator[tuple[Workspace, RoomKeys]]:
    store = Workspace.open(tmp_path / "room")
    yield store, open_room(store, "Team Alpha", ["ladder", "agendas", "powermap"])
    store.close()


def arrive(store: Workspace, keys: RoomKeys, device: str) -> RoomPage:
    """A page opens and its script sends the device's secret, as the browser does."""
    room = store.room(keys.room)
    assert room
    page = RoomPage(store, room)
    page.device.device = device
    return page


def join(page: RoomPage, name: str = "", roles: tuple[str, ...] = ()) -> None:
    texts = [w for w in page.area.children if isinstance(w, widgets.Text)]
    texts[0].value = name
    for box in page.area.children:
        if isinstance(box, widgets.Checkbox):
            box.value = any(box.description.startswith(role) for role in roles)
    next(w for w in page.area.children if isinstance(w, Press)).click()


def words(widget: widgets.Widget) -> str:
    """Every bit of text a widget tree shows."""
    found = [str(getattr(widget, "value", "")) if isinstance(widget, widgets.HTML) else ""]
    for child in getattr(widget, "children", ()):
        found.append(words(child))
    return " ".join(found)


def test_a_device_joins_once_and_comes_back_as_the_same_person(room) -> None:
    store, keys = room
    first = arrive(store, keys, DEVICE_A)
    assert "Join the room" in words(first.area)
    join(first, "Robin", ("Researcher",))
    people = store.room_people(keys.room)
    assert [(p.pseudonym, p.roles) for p in people] == [("Robin", ("researcher",))]
    again = arrive(store, keys, DEVICE_A)  # a reload, or the link opened again on the same phone
    assert "Join the room" not in words(again.area) and "Welcome back" in words(again.area)
    other = arrive(store, keys, DEVICE_B)  # the same name on another device is someone else
    join(other, "Robin")
    assert len(store.room_people(keys.room)) == 2


def test_a_secret_the_page_never_makes_opens_nothing(room) -> None:
    store, keys = room
    page = arrive(store, keys, "../../not-a-secret")
    assert "Join the room" not in words(page.area) and store.room_people(keys.room) == []
    assert "could not make a place for you" in page.feedback.value


def test_a_wrong_or_missing_code_opens_no_room(room, monkeypatch: pytest.MonkeyPatch) -> None:
    store, keys = room
    for query in (f"room={keys.room}&join=wrong", f"room={keys.room}", "", f"room=other&join={keys.join_code}",
                  f"room={keys.room}&join={keys.facilitator_key}"):
        monkeypatch.setenv("QUERY_STRING", query)
        shown = show_participant(str(store.home))
        assert NOT_A_ROOM in shown.value and keys.name not in shown.value
    monkeypatch.setenv("QUERY_STRING", f"room={keys.room}&join={keys.join_code}")
    assert isinstance(show_participant(str(store.home)), RoomPage)


def test_answers_belong_to_the_room_and_the_group_reads_only_what_was_shared(room) -> None:
    store, keys = room
    page = arrive(store, keys, DEVICE_A)
    join(page, "Robin")
    page.exercise.value = "agendas"
    agendas = page.shell.page
    assert agendas.project.value == "Team Alpha" and agendas.project.disabled
    first, second = agendas.questions[0], agendas.questions[1]
    first.text.value, first.share.value = "PRIVATE words about my own life", "private"
    second.text.value, second.share.value = "We could meet in the evening", "anonymous"
    agendas.save_button.click()
    mine = store.records("agendas", page.shell.drafts.owner)
    assert mine and mine[-1].room == keys.room
    shared = store.shared_records("agendas", keys.room)
    assert len(shared) == 1 and "PRIVATE" not in str(shared[0].body) and shared[0].participant == ""
    assert "evening" in str(shared[0].body)


def test_the_ladder_in_a_room_saves_without_a_chart_of_its_own(room) -> None:
    store, keys = room
    page = arrive(store, keys, DEVICE_A)
    join(page, "Robin", ("Carer",))
    ladder = page.shell.page
    ladder.stages[0].now.value = "consultation"
    ladder.save_button.click()
    assert "saved" in ladder.feedback.value and not ladder.gap_view.children
    saved = store.records("ladder", page.shell.drafts.owner)
    assert len(saved) == 1 and saved[0].roles == ("carer",) and saved[0].body["project"] == "Team Alpha"


def test_results_stay_hidden_until_the_facilitator_reveals_them(room) -> None:
    store, keys = room
    page = arrive(store, keys, DEVICE_A)
    join(page)
    put_view(store.backend, keys.room, "ladder", {"html": "<p>Everyone places design on consultation.</p>"})
    page.look_for_results()
    assert NOT_REVEALED in page.results.value
    set_revealed(store.backend, keys.room, ("ladder",))
    page.look_for_results()
    assert "Everyone places design" in page.results.value
    page.exercise.value = "agendas"  # revealed per exercise
    assert NOT_REVEALED in page.results.value
    store.delete_room(keys.room)
    page.look_for_results()
    assert "This room has closed" in words(page.area)


LIGHT = """
import sys
from cofacilitate.store import Workspace
from cofacilitate.store.rooms import put_view, set_revealed
from cofacilitate.workshop.participant import RoomPage
from cofacilitate.workshop.rooms import open_room
store = Workspace.open(sys.argv[1])
keys = open_room(store, "Team", ["ladder", "agendas", "powermap"])
page = RoomPage(store, store.room(keys.room))
page.device.device = "ef" * 32
next(w for w in page.area.children if type(w).__name__ == "Press").click()
for tool in ("powermap", "agendas", "ladder"):
    page.exercise.value = tool
page.shell.page.stages[0].now.value = "consultation"
page.shell.page.save_button.click()
put_view(store.backend, keys.room, "ladder", {"html": "<svg></svg>"})
set_revealed(store.backend, keys.room, ("ladder",))
page.look_for_results()
print(sorted(name for name in ("pandas", "altair", "vl_convert", "numpy") if name in sys.modules))
"""


def test_a_participant_kernel_never_imports_pandas_or_altair(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", LIGHT, str(tmp_path / "room")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

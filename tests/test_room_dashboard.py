"""The facilitator's view without a browser: counts, reveals, hiding an answer, answers from files and
paper (each counted once), the report, the facilitator's key, and closing the room."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as widgets
import pytest

from cofacilitate.store import Owner, Workspace
from cofacilitate.store.rooms import get_view
from cofacilitate.workshop.dashboard import NOT_YOURS, Dashboard, show_dashboard
from cofacilitate.workshop.participant import RoomPage
from cofacilitate.workshop.rooms import RoomKeys, open_room

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"
ROLE_WORDS = {"public-partner": "Public partner", "researcher": "Researcher", "carer": "Carer", "none": "nobody"}


@pytest.fixture
def room(tmp_path: Path) -> Iterator[tuple[Workspace, RoomKeys]]:
    store = Workspace.open(tmp_path / "room")
    yield store, open_room(store, "Team Alpha", ["ladder", "agendas"])
    store.close()


def participant(store: Workspace, keys: RoomKeys, number: int, role: str) -> RoomPage:
    room = store.room(keys.room)
    assert room
    page = RoomPage(store, room)
    page.device.device = f"{number:02x}" * 32
    for box in page.area.children:
        if isinstance(box, widgets.Checkbox):
            box.value = box.description.startswith(ROLE_WORDS[role])
    next(w for w in page.area.children if type(w).__name__ == "Press").click()
    return page


def answer_ladder(page: RoomPage, rung: str) -> None:
    page.exercise.value = "ladder"
    ladder = page.shell.page
    ladder.stages[0].now.value = rung
    ladder.save_button.click()


def share_agenda(page: RoomPage, words: str) -> None:
    page.exercise.value = "agendas"
    agendas = page.shell.page
    agendas.questions[0].text.value, agendas.questions[0].share.value = words, "anonymous"
    agendas.save_button.click()


def text_of(markup: str) -> str:
    import re

    return " ".join(re.sub(r"<svg.*?</svg>|<[^>]+>", " ", markup, flags=re.S).split())


def test_the_room_split_by_role_never_shows_a_group_of_two(room) -> None:
    store, keys = room
    for number, role in enumerate(["public-partner"] * 3 + ["researcher"] * 3 + ["carer"] * 2 + ["none"]):
        answer_ladder(participant(store, keys, number, role), "informing" if role == "public-partner" else "co-production")
    dashboard = Dashboard(store, store.room(keys.room))
    counts = text_of(dashboard.counts.value)
    assert "9 people have joined" in counts
    assert "Carer" not in counts and " 2 people" not in counts  # two carers: never shown as a group of their own
    assert "Other roles" in counts  # they count with the one who gave no role
    ladder = text_of(dashboard.exercises["ladder"].view.value)
    assert "Public partners" in ladder and "lower than" in ladder
    assert "Carer" not in ladder


def test_results_reach_participants_only_once_revealed(room) -> None:
    store, keys = room
    pages = [participant(store, keys, number, "researcher") for number in range(3)]
    for page in pages:
        answer_ladder(page, "consultation")
    dashboard = Dashboard(store, store.room(keys.room))
    pages[0].look_for_results()
    assert "not shown yet" in pages[0].results.value
    dashboard.exercises["ladder"].reveal.click()
    assert store.room(keys.room).revealed == ("ladder",)
    pages[0].look_for_results()
    assert "3 people shared" in text_of(pages[0].results.value)
    assert "Participants can see these results now" in dashboard.exercises["ladder"].shown_to_room.value
    dashboard.exercises["ladder"].reveal.click()
    pages[1].look_for_results()
    assert "not shown yet" in pages[1].results.value


def test_a_hidden_answer_leaves_every_view_and_the_report_but_stays_saved(room) -> None:
    store, keys = room
    words = ["We could meet in the evening", f"HIDE-ME {HOSTILE}", "Please pay people for their time"]
    for number, said in enumerate(words):
        share_agenda(participant(store, keys, number, "researcher"), said)
    dashboard = Dashboard(store, store.room(keys.room))
    assert "HIDE-ME" in text_of(dashboard.exercises["agendas"].view.value)
    assert "<script>" not in dashboard.exercises["agendas"].view.value
    box = next(box for box in dashboard.hide_boxes.values() if "HIDE-ME" in box.description)
    box.value = True
    assert "HIDE-ME" not in dashboard.exercises["agendas"].view.value
    assert "HIDE-ME" not in json.dumps(get_view(store.backend, keys.room, "agendas"))
    dashboard.make_report()
    assert "HIDE-ME" not in dashboard.report_links.value  # the links carry the files, base64: decode them
    import base64
    import re

    files = [base64.b64decode(data) for data in re.findall(r"base64,([A-Za-z0-9+/=]+)", dashboard.report_links.value)]
    assert len(files) == 2 and all(b"HIDE-ME" not in data for data in files)
    assert b"<script" not in files[0].lower()
    assert any("HIDE-ME" in str(record.body) for record in store.room_records("agendas", keys.room))


def test_a_response_card_added_twice_counts_once_and_paper_answers_count_too(room, tmp_path: Path) -> None:
    store, keys = room
    elsewhere = Workspace.open(tmp_path / "binder")
    person = elsewhere.current_person()
    owner = Owner(person.id, "")
    body = {"kind": "ladder-assessment", "version": 1, "card": "ladder", "project": "At home",
            "answers": [{"stage": "idea", "now": "consultation", "aim": "", "climb": ""}], "why_moved": ""}
    record = elsewhere.save_record("ladder", body, owner=owner, record_id="ab" * 16, participant="Kim", roles=["carer"])
    card = elsewhere.export_card("ladder", [record])
    dashboard = Dashboard(store, store.room(keys.room))
    dashboard.card_chosen("kim.json", len(card), card)
    dashboard.card_chosen("kim.json", len(card), card)
    assert "already" in dashboard.intake_feedback.value
    assert len(store.room_records("ladder", keys.room)) == 1 and len(store.room_people(keys.room)) == 1
    dashboard.card_chosen("notes.json", 9, b"not json!")
    assert "Nothing was added" in dashboard.intake_feedback.value
    dashboard.paper.exercise.value = "ladder"
    dashboard.paper.start.click()
    paper = dashboard.paper.shell.page
    paper.stages[0].now.value = "informing"
    paper.save_button.click()
    dashboard.paper.done.click()
    assert len(store.room_records("ladder", keys.room)) == 2 and len(store.room_people(keys.room)) == 2


def test_only_the_facilitator_key_opens_the_dashboard(room, monkeypatch: pytest.MonkeyPatch) -> None:
    store, keys = room
    for query in (f"room={keys.room}&key={keys.join_code}", f"room={keys.room}", "", f"room={keys.room}&key=x"):
        monkeypatch.setenv("QUERY_STRING", query)
        shown = show_dashboard(str(store.home))
        assert NOT_YOURS in shown.value and "Team Alpha" not in shown.value
    monkeypatch.setenv("QUERY_STRING", f"room={keys.room}&key={keys.facilitator_key}")
    assert isinstance(show_dashboard(str(store.home)), Dashboard)


def test_closing_the_room_asks_first_then_deletes_everything(room) -> None:
    store, keys = room
    answer_ladder(participant(store, keys, 1, "researcher"), "consultation")
    dashboard = Dashboard(store, store.room(keys.room))
    dashboard.close_button.click()
    keep = next(w for w in dashboard.close_area.children if "keep" in getattr(w, "description", ""))
    keep.click()
    assert store.room(keys.room) is not None
    dashboard.close_button.click()
    next(w for w in dashboard.close_area.children if "delete everything" in getattr(w, "description", "")).click()
    assert store.room(keys.room) is None and store.room_records("ladder", keys.room) == []
    assert "closed" in dashboard.feedback.value


def test_a_group_the_facilitator_adds_is_offered_on_everyones_map_and_counted(tmp_path: Path) -> None:
    store = Workspace.open(tmp_path / "map-room")
    keys = open_room(store, "Team Alpha", ["powermap"])
    dashboard = Dashboard(store, store.room(keys.room))
    adder = dashboard.exercises["powermap"].groups[0]
    adder.name.value = "  Peer   support <i>workers</i> "
    adder.add.click()
    adder.name.value = "peer support <i>workers</i>"
    adder.add.click()
    assert "already on the list" in adder.feedback.value
    assert store.room(keys.room).groups == ("Peer support <i>workers</i>",)
    assert "<i>" not in adder.listed.value
    for number in range(3):
        page = participant(store, keys, number, "researcher")
        people = page.shell.page.people
        labels = [label for label, _ in people.group.options]
        assert "Peer support <i>workers</i>" in labels and labels[-1].startswith("A group of their own")
        people.name.value = f"Peers on ward {number}"
        people.group.value = "room-group:Peer support <i>workers</i>"
        people.influence.value, people.involvement.value = 1, 5
        people.add.click()
        stakeholder = page.shell.page.map.stakeholders[0]
        assert (stakeholder.group, stakeholder.own_group) == ("own", "Peer support <i>workers</i>")
        page.shell.page.save_button.click()
    dashboard.refresh(force=True)
    view = dashboard.exercises["powermap"].view.value
    assert "Peer support &lt;i&gt;workers&lt;/i&gt;" in view and "<i>workers" not in view
    assert dashboard.overview and dashboard.overview.powermap
    placed = [p for p in dashboard.overview.powermap.places if p.group == "everyone" and p.placed]
    assert any("peer" in p.stakeholder.lower() for p in placed)
    store.close()

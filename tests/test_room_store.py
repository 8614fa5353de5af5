"""A workshop room in the store: its codes kept only as hashes, new codes each start, hidden answers,
shared parts that never carry a private word, and a close that leaves none of the room's words in any file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cofacilitate.store import Owner, Workspace, new_id
from cofacilitate.store.rooms import SharedPart
from cofacilitate.workshop.rooms import (
    RoomRefused,
    device_person,
    open_room,
    room_for_code,
    room_for_key,
    room_home,
    room_id_for,
)
from tests.conftest import files_holding
from tests.postgres_cluster import PostgresCluster

Cluster = PostgresCluster | None


@pytest.fixture
def store(make_workspace: Callable[..., Workspace]) -> Workspace:
    """A room's workspace on each backend."""
    return make_workspace(str(room_home(Path("rooms"), "team")))


@pytest.fixture
def cluster(make_workspace: Callable[..., Workspace]) -> Cluster:
    return make_workspace.cluster  # type: ignore[attr-defined]


def test_a_room_keeps_only_hashes_of_its_codes_and_each_start_gives_new_ones(store: Workspace, cluster: Cluster) -> None:
    first = open_room(store, "  Team   Alpha ", ["ladder", "agendas"])
    assert first.room == "team-alpha" and first.name == "Team Alpha"
    assert room_for_code(store, first.room, first.join_code) is not None
    assert room_for_key(store, first.room, first.facilitator_key) is not None
    assert room_for_code(store, first.room, first.facilitator_key) is None  # each key opens only its own door
    assert room_for_key(store, first.room, first.join_code) is None
    assert room_for_code(store, first.room, "") is None and room_for_code(store, "other", first.join_code) is None
    for code in (first.join_code, first.facilitator_key):
        assert files_holding(store, cluster, code.encode()) == []
    again = open_room(store, "Team Alpha", ["ladder"])
    assert again.room == first.room and again.join_code != first.join_code
    assert room_for_code(store, first.room, first.join_code) is None  # the old link stops working
    room = room_for_code(store, again.room, again.join_code)
    assert room and room.tools == ("ladder",) and room.threshold == 3 and room.revealed == ()


def test_rooms_refuse_the_diary_unknown_tools_and_groups_smaller_than_three(store: Workspace) -> None:
    with pytest.raises(RoomRefused, match="private"):
        open_room(store, "Team", ["diary"])
    with pytest.raises(RoomRefused, match="ladder, powermap, agendas"):
        open_room(store, "Team", ["spreadsheet"])
    with pytest.raises(RoomRefused, match="3 or more"):
        open_room(store, "Team", ["ladder"], threshold=2)
    with pytest.raises(RoomRefused):
        open_room(store, "   ", ["ladder"])
    assert room_id_for("Équipe été") == "quipe-t"
    assert room_id_for("!!!").startswith("room-")


def test_a_device_is_its_own_person_in_each_room() -> None:
    secret = "ab" * 32
    assert device_person("team", secret) == device_person("team", secret)
    assert device_person("team", secret) != device_person("other", secret)
    assert device_person("team", "cd" * 32) != device_person("team", secret)
    assert device_person("team", "not a secret") is None and device_person("team", "AB" * 32) is None


def test_shared_parts_are_all_a_group_reads(store: Workspace) -> None:
    owner = Owner(new_id(), "team")
    store.save_record("agendas", {"words": "PRIVATE-WORDS and shared words"}, owner=owner, record_id=new_id(),
                      shared=SharedPart({"words": "shared words"}, ""))
    store.save_record("agendas", {"words": "ONLY-MINE"}, owner=owner, record_id=new_id(), shared=SharedPart(None))
    shared = store.shared_records("agendas", "team")
    assert [record.body for record in shared] == [{"words": "shared words"}]
    assert shared[0].participant == "" and shared[0].problem == ""


def test_closing_a_room_leaves_none_of_its_words_in_the_file_or_its_log(store: Workspace, cluster: Cluster) -> None:
    keys = open_room(store, "Team", ["agendas"])
    person = store.person_with_id(new_id(), keys.room)
    store.update_person(person.id, "MARKER-NAME-7781", ["carer"])
    owner = Owner(person.id, keys.room)
    record = store.save_record("agendas", {"words": "MARKER-WORDS-9123"}, owner=owner, record_id=new_id(),
                               shared=SharedPart({"words": "MARKER-WORDS-9123"}, "MARKER-NAME-7781"))
    store.save_draft("agendas", owner, "draft", "MARKER-DRAFT-5519")
    assert store.room_people(keys.room)[0].pseudonym == "MARKER-NAME-7781"
    assert store.delete_room(keys.room) >= 5
    assert store.room(keys.room) is None and store.get(record.id) is None and store.room_people(keys.room) == []
    for marker in (b"MARKER-NAME-7781", b"MARKER-WORDS-9123", b"MARKER-DRAFT-5519"):
        assert files_holding(store, cluster, marker) == [], f"{marker!r} is still stored"


def test_the_commands_smallest_group_is_the_rooms_own() -> None:
    from cofacilitate.workshop import command, rooms

    assert command.DEFAULT_THRESHOLD == rooms.DEFAULT_THRESHOLD

"""A person's id is their key (128 random bits), and an address names a person or a room only in their exact shape."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from cofacilitate import ui
from cofacilitate.store import Workspace, new_id
from cofacilitate.ui.address import address


def test_new_ids_carry_128_random_bits_not_a_uuid4s_122() -> None:
    ids = [new_id() for _ in range(200)]
    assert all(len(found) == 32 and int(found, 16) >= 0 for found in ids)
    # uuid4 fixes six bits: its 13th hex digit is always 4 and its 17th one of 8, 9, a, b.
    assert {found[12] for found in ids} != {"4"}
    assert not {found[16] for found in ids} <= set("89ab")


def test_a_new_person_in_the_workspace_gets_such_an_id(tmp_path: Path) -> None:
    store = Workspace.open(tmp_path / "ws")
    try:
        people = [store.new_person().id for _ in range(60)]
    finally:
        store.close()
    assert {person[12] for person in people} != {"4"}


@pytest.mark.parametrize("tail", ["%0A", "%0D%0A", "%0a", "%20", "%00"])
def test_an_address_with_anything_after_the_person_or_room_names_neither(
        monkeypatch: pytest.MonkeyPatch, tail: str) -> None:
    person = new_id()
    monkeypatch.setenv("QUERY_STRING", f"person={person}{tail}&room=workshop-1{tail}")
    assert address() == (None, "")


def test_an_address_with_an_id_made_before_ids_changed_still_names_its_person(monkeypatch: pytest.MonkeyPatch) -> None:
    person = uuid.uuid4().hex
    monkeypatch.setenv("QUERY_STRING", f"person={person}&room=workshop-1")
    assert address() == (person, "workshop-1")


def test_a_line_break_after_a_persons_id_does_not_open_a_page_for_someone_new(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Today's page would open for a new, empty person whose id ends in a line break, and hide their words there."""
    usual = Workspace.open(home)
    person = usual.current_person().id
    usual.close()
    monkeypatch.setenv("QUERY_STRING", f"person={new_id()}%0A&room=workshop-1%0A")

    shell = ui.show("ladder", str(home))

    assert "\n" not in shell.person.id and shell.room == ""
    assert shell.person.id == person, "an address we do not know opens the usual person's page"
    shell.store.close()

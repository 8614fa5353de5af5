"""Role groups in a workshop room: a group is shown only with enough people, and no small count can be worked out."""

from __future__ import annotations

import re

import pytest

from cofacilitate.people import ROLES
from cofacilitate.workshop.groups import EVERYONE, POOLED, POOLED_LABEL, split_by_role


def people(**counts: int) -> dict[str, tuple[str, ...]]:
    """`researcher=4, public_partner=2, none=1` -> that many people with that one role (or none)."""
    room: dict[str, tuple[str, ...]] = {}
    for name, count in counts.items():
        role = name.replace("_", "-")
        for n in range(count):
            room[f"{role}-{n}"] = () if role == "none" else (role,)
    return room


def shown(split_people: dict[str, tuple[str, ...]], threshold: int = 3) -> dict[str, int]:
    return {group.id: group.size for group in split_by_role(split_people, threshold).groups}


def numbers_in(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\d+", text)}


def test_a_role_with_exactly_the_threshold_is_shown_and_one_fewer_is_not() -> None:
    room = people(researcher=3, public_partner=3, carer=2, clinician=1)
    split = split_by_role(room)
    assert shown(room) == {EVERYONE: 9, "researcher": 3, "public-partner": 3, POOLED: 3}
    assert split.group("carer") is None
    assert split.withheld == 2  # carers and clinicians, counted only in the pooled group and Everyone
    assert split.group(POOLED).members == {"carer-0", "carer-1", "clinician-0"}  # type: ignore[union-attr]
    assert 2 not in numbers_in(split.sentence) and 1 not in numbers_in(split.sentence)
    assert "Some roles have fewer than 3 people" in split.sentence
    assert "Carer" not in split.sentence


def test_a_small_group_left_over_takes_the_smallest_shown_role_with_it() -> None:
    """7 researchers shown beside a room of 9 would tell anyone that 2 others are there, and how they answered."""
    room = people(researcher=7, public_partner=2)
    split = split_by_role(room)
    assert shown(room) == {EVERYONE: 9}
    assert "bigger roles are counted only there too" in split.sentence
    room = people(researcher=5, public_partner=4, carer=2)
    assert shown(room) == {EVERYONE: 11, "researcher": 5, POOLED: 6}
    for group in split_by_role(room).groups:  # what is left out of the roles shown is never a small number
        assert group.size >= 3


def test_the_pooled_group_is_withheld_when_it_is_too_small_and_nothing_shown_gives_it_away() -> None:
    for counts in [dict(researcher=3, none=1), dict(researcher=3, public_partner=3, none=2),
                   dict(researcher=4, carer=1, clinician=1), dict(public_partner=3, peer_researcher=3, none=2)]:
        room = people(**counts)
        split = split_by_role(room)
        in_roles = set().union(*(g.members for g in split.groups if g.kind == "role"))
        left_over = len(room) - len(in_roles)
        assert left_over == 0 or left_over >= 3, counts
        assert all(group.size >= 3 for group in split.groups)


def test_someone_with_several_roles_counts_in_each_group_shown() -> None:
    room = {"a": ("public-partner", "researcher"), "b": ("public-partner",), "c": ("public-partner", "peer-researcher"),
            "d": ("researcher",), "e": ("researcher", "peer-researcher"), "f": ("peer-researcher",)}
    split = split_by_role(room)
    assert {g.id: set(g.members) for g in split.groups} == {
        EVERYONE: set(room), "public-partner": {"a", "b", "c"}, "researcher": {"a", "d", "e"},
        "peer-researcher": {"c", "e", "f"}}
    assert split.withheld == 0
    assert [g.id for g in split.parts] == ["public-partner", "researcher", "peer-researcher"]  # people.ROLES order


def test_no_roles_at_all_shows_only_everyone() -> None:
    split = split_by_role(people(none=4))
    assert [g.id for g in split.groups] == [EVERYONE]
    assert split.withheld == 0
    assert split.sentence == "Answers are shown for the whole room."
    assert split_by_role({"x": ("not-a-role",), "y": (), "z": ()}).parts == ()  # an unknown role counts as none


def test_a_room_below_the_threshold_shows_nothing() -> None:
    split = split_by_role(people(researcher=2))
    assert split.groups == () and split.everyone is None
    assert "Fewer than 3 people have joined" in split.sentence
    assert "2" not in split.sentence
    assert split_by_role({}).groups == ()


def test_a_higher_threshold_is_kept() -> None:
    room = people(researcher=5, public_partner=4, carer=5, clinician=5)
    assert shown(room, threshold=5) == {EVERYONE: 19, "carer": 5, "researcher": 5, POOLED: 9}  # a tie: the role listed last goes
    assert "fewer than 5 people" in split_by_role(room, 5).sentence
    with pytest.raises(ValueError):
        split_by_role(room, 0)


def test_every_role_has_a_group_name_and_the_pooled_group_says_what_it_holds() -> None:
    room = {f"{role}-{n}": (role,) for role in ROLES for n in range(3)}
    split = split_by_role(room)
    assert len(split.parts) == len(ROLES)
    assert split.group("public-partner").label == "Public partners (lived experience)"  # type: ignore[union-attr]
    assert all(group.plural and group.plural[0].islower() for group in split.parts)
    assert POOLED_LABEL == "Other roles, or no role given"

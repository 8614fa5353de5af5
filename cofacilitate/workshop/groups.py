"""Who is counted in which group when a room's answers are shown by role, so that nobody can be singled out.

The rule, in full:

- A role group is shown when at least `threshold` people hold that role. Someone with several roles
  counts in each shown group they hold.
- People with none of the shown roles (their roles are all in groups too small, or they gave no role)
  are counted together in "Other roles, or no role given", shown only when it too reaches the threshold.
- Counting people that way could still give a small group away by taking one number from another:
  a room of 9 with 7 researchers shown tells you 2 other people are there, and how they answered. So
  while the pooled group is not empty but too small, the smallest shown role group joins it, until the
  pool is empty or big enough. Then everyone left out of the shown roles is in a group of `threshold`
  or more, and no count below the threshold can be worked out from the counts shown.
- "Everyone" is shown only when the room itself has `threshold` people or more.

Groups that overlap (someone with two roles) can still be compared in other ways; the room shows
middles and ranges, never one person's answer, so that stays a careful guess, never a count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from cofacilitate.people import ROLES

DEFAULT_THRESHOLD = 3
EVERYONE = "everyone"
POOLED = "pooled"  # never a role id: people.ROLES has no such key
EVERYONE_LABEL = "Everyone"
POOLED_LABEL = "Other roles, or no role given"

# Each role as a group: its heading, and how a sentence names its people ("... place it lower than researchers").
ROLE_GROUP_WORDS: dict[str, tuple[str, str]] = {
    "public-partner": ("Public partners (lived experience)", "public partners"),
    "carer": ("Carers and family members", "carers and family members"),
    "researcher": ("Researchers", "researchers"),
    "peer-researcher": ("Service user and peer researchers", "service user and peer researchers"),
    "clinician": ("Clinicians and practitioners", "clinicians and practitioners"),
    "involvement-lead": ("Involvement leads and facilitators", "involvement leads and facilitators"),
    "other": ("People with another role", "people with another role"),
}

GroupKind = Literal["everyone", "role", "pooled"]


@dataclass(frozen=True)
class Group:
    """One group the room's answers are shown for; it always has `threshold` people or more."""

    id: str  # EVERYONE, POOLED, or a role id from people.ROLES
    label: str  # a heading: "Researchers"
    plural: str  # inside a sentence: "researchers"
    kind: GroupKind
    members: frozenset[str]  # person ids

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class RoleSplit:
    """The groups shown, in order (Everyone, the roles in people.ROLES order, then the pooled group)."""

    groups: tuple[Group, ...]
    withheld: int  # groups with people in them that are not shown (their people are counted elsewhere)
    threshold: int
    sentence: str  # what was shown, merged and withheld, with no small group's count

    @property
    def everyone(self) -> Group | None:
        return next((group for group in self.groups if group.kind == "everyone"), None)

    @property
    def parts(self) -> tuple[Group, ...]:
        """The groups shown besides Everyone: the ones worth comparing with each other."""
        return tuple(group for group in self.groups if group.kind != "everyone")

    def group(self, group_id: str) -> Group | None:
        return next((group for group in self.groups if group.id == group_id), None)


def role_group_words(role: str) -> tuple[str, str]:
    """A role's heading and its words inside a sentence, for any role people.ROLES lists."""
    if role in ROLE_GROUP_WORDS:
        return ROLE_GROUP_WORDS[role]
    label = ROLES.get(role, role)
    return f"People who said “{label}”", f"people who said “{label}”"


def split_by_role(people: Mapping[str, Iterable[str]], threshold: int = DEFAULT_THRESHOLD) -> RoleSplit:
    """The groups a room's answers may be shown for (see the module's docstring for the rule).

    `people` maps each person's id to the roles they gave (ids from people.ROLES; any other id
    counts as no role given).
    """
    if threshold < 1:
        raise ValueError("the smallest group shown must have at least one person")
    roles = {person: frozenset(role for role in held if role in ROLES) for person, held in people.items()}
    holders = {role: frozenset(p for p, held in roles.items() if role in held) for role in ROLES}
    big = [role for role in ROLES if len(holders[role]) >= threshold]
    pool = _pool(roles, big)
    while big and 0 < len(pool) < threshold:
        smallest = min(big, key=lambda role: (len(holders[role]), -list(ROLES).index(role)))
        big.remove(smallest)
        pool = _pool(roles, big)
    groups: list[Group] = []
    room = frozenset(roles)
    if len(room) >= threshold:
        groups.append(Group(EVERYONE, EVERYONE_LABEL, "the whole room", "everyone", room))
        for role in big:
            label, plural = role_group_words(role)
            groups.append(Group(role, label, plural, "role", holders[role]))
        if len(pool) >= threshold and big:  # with no role shown the pool is the whole room: Everyone says it
            groups.append(Group(POOLED, POOLED_LABEL, "people with other roles, or no role given", "pooled", pool))
    shown = {group.id for group in groups}
    withheld = sum(1 for role in ROLES if holders[role] and role not in shown)
    withheld += bool(pool) and POOLED not in shown and bool(big)
    small_roles = any(0 < len(members) < threshold for members in holders.values())
    no_role = any(not held for held in roles.values())
    merged = len(big) < sum(1 for members in holders.values() if len(members) >= threshold)
    return RoleSplit(tuple(groups), withheld, threshold, _sentence(groups, threshold, small_roles, no_role, merged))


def _pool(roles: Mapping[str, frozenset[str]], shown: list[str]) -> frozenset[str]:
    return frozenset(person for person, held in roles.items() if not held & set(shown))


def _sentence(groups: list[Group], threshold: int, small_roles: bool, no_role: bool, merged: bool) -> str:
    """What is shown, in plain words: groups by name, never a count of a group that is not shown."""
    if not groups:
        return (f"Fewer than {threshold} people have joined, so the room's answers are not shown yet. "
                "This keeps everyone's answers private.")
    parts = [group for group in groups if group.kind != "everyone"]
    said = ["Answers are shown for the whole room" + (", and for these groups: " + _names(parts) if parts else "") + "."]
    pooled = any(group.kind == "pooled" for group in groups)
    where = f"“{EVERYONE_LABEL}”" + (f" and in “{POOLED_LABEL}”" if pooled else "")
    reasons = ([f"some roles have fewer than {threshold} people"] if small_roles else []) + \
        (["some people gave no role"] if no_role and (parts or small_roles) else [])
    if reasons:
        said.append(f"{' and '.join(reasons).capitalize()}, so their answers are counted only in {where}.")
    if merged:
        said.append("To keep every answer private, some bigger roles are counted only there too.")
    return " ".join(said)


def _names(groups: list[Group]) -> str:
    names = [f"“{group.label}”" for group in groups]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

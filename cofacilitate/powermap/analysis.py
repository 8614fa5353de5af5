"""Power maps as tidy tables, and the plain sentences that describe them.

The sentences name where power sits and who is missing; they describe the project,
never judge a person.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from cofacilitate.powermap.model import (
    OWN_GROUP,
    PowerMap,
    PowerMapVocabulary,
    own_group_key,
)
from cofacilitate.snapshots import Saved
from cofacilitate.words import join_words

IN_ROOM, OUT_OF_ROOM, MISSING = "In the room", "Not in the room", "Missing from the project"
NO_SAY_GIVEN = "Not said"  # a group's say in a decision that no one has chosen yet (the decision chart's key lists it too)
MAP_COLUMNS = ["Name", "Group", "Where", "Influence", "Involvement", "Corner of the map"]
DECISION_COLUMNS = ["Decision", "Group", "Say"]
COMPARE_COLUMNS = ["Who or what", "What changed", "From → to"]
EXPORT_COLUMNS = ["map", "saved at", "project", "part", "name", "group", "influence", "involvement", "reasons", "step", "say"]


def _spread(frame: pd.DataFrame) -> pd.DataFrame:
    """Points on the same step of both scales are spread in a small sunflower, not stacked."""
    frame = frame.copy()
    frame["slot"] = frame.groupby(["involvement", "influence"]).cumcount()
    frame["count"] = frame.groupby(["involvement", "influence"])["slot"].transform("size")
    golden = math.pi * (3 - math.sqrt(5))
    radius = 0.38 * (frame["slot"] / frame["count"].clip(lower=2)).pow(0.5)
    angle = frame["slot"] * golden
    frame["x"] = frame["involvement"] + radius * angle.map(math.cos)
    frame["y"] = frame["influence"] + radius * angle.map(math.sin)
    return frame.drop(columns=["slot", "count"])


def map_frame(vocabulary: PowerMapVocabulary, power_map: PowerMap) -> pd.DataFrame:
    """Everyone on the map and everyone missing, with their place and corner."""
    rows = []
    for person in power_map.stakeholders:
        rows.append({"Name": person.label, "Group": power_map.group_words(person, vocabulary),
                     "Where": IN_ROOM if person.in_room else OUT_OF_ROOM,
                     "influence": person.influence, "involvement": person.involvement})
    for voice in power_map.missing:
        rows.append({"Name": voice.label, "Group": "Missing voices", "Where": MISSING, "influence": 1, "involvement": 1})
    frame = pd.DataFrame(rows, columns=["Name", "Group", "Where", "influence", "involvement"])
    frame["Influence"] = [vocabulary.influence[i - 1].label for i in frame["influence"]]
    frame["Involvement"] = [vocabulary.involvement[i - 1].label for i in frame["involvement"]]
    frame["Corner of the map"] = [
        vocabulary.quadrant(i, j) for i, j in zip(frame["influence"], frame["involvement"], strict=True)
    ]
    return _spread(frame)


def group_marks(vocabulary: PowerMapVocabulary, order: Sequence[str], *maps: PowerMap) -> dict[str, int]:
    """The words of each group on these maps, with its place among the marks (each place one colour and shape).

    `order` holds group keys (the card's ids, then `own_group_key`s) in the order the project first met
    them, so a group keeps its mark for the life of the project: removing one never hands its mark, or
    anyone else's, to another group. A group not in `order` takes the next free place."""
    place = {key: number for number, key in enumerate(order)}
    marks: dict[str, int] = {}
    for power_map in maps:
        for person in power_map.stakeholders:
            key = own_group_key(person.own_group) if person.group == OWN_GROUP else person.group
            marks.setdefault(power_map.group_words(person, vocabulary), place.setdefault(key, len(place)))
    return marks


def map_sentence(frame: pd.DataFrame, vocabulary: PowerMapVocabulary) -> str:
    """How many are on the map, who has the most say, and who is missing."""
    present = frame[frame["Where"] != MISSING]
    missing = frame[frame["Where"] == MISSING]
    if present.empty and missing.empty:
        return "The map is empty. Add the people and groups around your project to draw it."
    parts = [f"{len(present)} {'person or group is' if len(present) == 1 else 'people and groups are'} on the map; "
             f"{int((present['Where'] == IN_ROOM).sum())} of them in the room."]
    if not present.empty:
        top = present[present["influence"] == present["influence"].max()]
        parts.append(f"The most say sits with {join_words(_shortlist(top['Name']))} ({top['Influence'].iloc[0].lower()}).")
        lived = {vocabulary.words("groups", g) for g in vocabulary.lived_experience_groups}
        lived_rows = present[present["Group"].isin(lived)]
        if not lived_rows.empty:
            corners = lived_rows["Corner of the map"].value_counts()
            parts.append(f"People with lived experience are mostly in the corner “{corners.index[0]}”.")
    if not missing.empty:
        parts.append(f"Missing from the project: {join_words(_shortlist(missing['Name']))}.")
    return " ".join(parts)


def _shortlist(names: pd.Series, most: int = 5) -> list[str]:
    names = list(names)
    return names if len(names) <= most else [*names[:most], f"{len(names) - most} more"]


def map_rows(frame: pd.DataFrame) -> list[list[str]]:
    return frame[MAP_COLUMNS].astype(str).values.tolist()


def decision_frame(vocabulary: PowerMapVocabulary, power_map: PowerMap) -> pd.DataFrame:
    """Each decision against each group on the map: how much say they have."""
    groups = power_map.groups_in_use(vocabulary)
    ranks = {level.id: rank for rank, level in enumerate(vocabulary.say_levels)}
    rows = []
    for decision in power_map.decisions:
        for key, words in groups:
            level = decision.says.get(key, "")
            rows.append({"Decision": decision.label, "Group": words, "group_key": key, "level": level,
                         "Say": vocabulary.words("say_levels", level, NO_SAY_GIVEN),
                         "rank": ranks.get(level, len(ranks))})
    return pd.DataFrame(rows, columns=["Decision", "Group", "group_key", "level", "Say", "rank"])


def decision_sentence(frame: pd.DataFrame, vocabulary: PowerMapVocabulary) -> str:
    """Name the decisions where people with lived experience are only told or not involved."""
    if frame.empty:
        return "No decisions are mapped yet. Choose a decision and say how much say each group has."
    lived = set(vocabulary.lived_experience_groups)
    low_levels = [level.id for level in vocabulary.say_levels[-2:]]  # the two with least say
    lived_rows = frame[frame["group_key"].isin(lived)]
    shut_out = lived_rows[lived_rows["level"].isin(low_levels)]
    decides = frame[frame["rank"] == 0]
    parts = [_who_decides_most(decides, frame["Decision"].nunique())] if not decides.empty else []
    if shut_out.empty:
        parts.append("People with lived experience are never marked as only told or not involved.")
    else:
        decisions = list(dict.fromkeys(shut_out["Decision"]))
        parts.append("People with lived experience are only told or not involved in: "
                     f"{join_words([d.lower() for d in decisions])}.")
    return " ".join(parts)


def _who_decides_most(decides: pd.DataFrame, decisions: int) -> str:
    """The group (or groups) that decide most often, out of how many decisions, in words."""
    counts = decides["Group"].value_counts()
    most = int(counts.iloc[0])
    groups = join_words([group for group, count in counts.items() if count == most])
    if decisions == 1:
        return f"The one decision mapped so far is made by {groups}."
    if most == decisions:
        return f"All {decisions} decisions mapped are made by {groups}."
    if (counts == most).sum() > 1:
        return f"The groups that make the most decisions are {groups}: {most} of the {decisions} each."
    return f"The group that makes the most decisions is {groups}: {most} of the {decisions}."


def decision_rows(frame: pd.DataFrame) -> list[list[str]]:
    return frame[DECISION_COLUMNS].astype(str).values.tolist()


def compare(vocabulary: PowerMapVocabulary, before: PowerMap, after: PowerMap) -> tuple[str, list[list[str]]]:
    """Who moved, who joined or left the room, and which decisions shifted, between two maps."""
    rows: list[list[str]] = []
    earlier = {p.label.casefold(): p for p in before.stakeholders}
    later = {p.label.casefold(): p for p in after.stakeholders}
    for key, person in later.items():
        old = earlier.get(key)
        if old is None:
            rows.append([person.label, "Added to the map", ""])
            continue
        if person.influence != old.influence:
            rows.append([person.label, "Influence",
                         f"{vocabulary.influence[old.influence - 1].label} → {vocabulary.influence[person.influence - 1].label}"])
        if person.involvement != old.involvement:
            rows.append([person.label, "Involvement",
                         f"{vocabulary.involvement[old.involvement - 1].label} → "
                         f"{vocabulary.involvement[person.involvement - 1].label}"])
        if person.in_room != old.in_room:
            rows.append([person.label, "In the room", "joined the room" if person.in_room else "left the room"])
    rows += [[p.label, "No longer on the map", ""] for key, p in earlier.items() if key not in later]
    added = sum(1 for row in rows if row[1] == "Added to the map")
    removed = sum(1 for row in rows if row[1] == "No longer on the map")
    moved = len({row[0] for row in rows if row[1] in {"Influence", "Involvement", "In the room"}})
    says_before = {(d.decision, g): lvl for d in before.decisions for g, lvl in d.says.items()}
    says_after = {(d.decision, g): lvl for d in after.decisions for g, lvl in d.says.items()}
    labels = {d.decision: d.label for d in [*before.decisions, *after.decisions]}
    shifted = []
    for decision_id, group in dict.fromkeys([*says_after, *says_before]):
        old_level, new_level = says_before.get((decision_id, group), ""), says_after.get((decision_id, group), "")
        if old_level != new_level:
            rows.append([labels[decision_id], _group_words(vocabulary, after, group),
                         f"{vocabulary.words('say_levels', old_level, NO_SAY_GIVEN)} → "
                         f"{vocabulary.words('say_levels', new_level, NO_SAY_GIVEN)}"])
            shifted.append(decision_id)
    return _changes_sentence(moved, added, removed, len(set(shifted))) if rows else "Nothing changed between the two maps.", rows


def _changes_sentence(moved: int, added: int, removed: int, shifted: int) -> str:
    """'From the earlier map to the later one, 3 people or groups moved or changed room and 1 was added.
    The say changed in 2 decisions.' (each count said only when it is not 0)."""
    counts = [(moved, "moved or changed room", "moved or changed room"), (added, "was added", "were added"),
              (removed, "is no longer on the map", "are no longer on the map")]
    people: list[str] = []
    for count, one, many in counts:
        if count:
            noun = "" if people else "person or group " if count == 1 else "people or groups "  # said once, first
            people.append(f"{count} {noun}{one if count == 1 else many}")
    says = f"the say changed in {shifted} decision{'s' if shifted != 1 else ''}" if shifted else ""
    if not people:
        return f"From the earlier map to the later one, {says}."
    sentence = f"From the earlier map to the later one, {join_words(people)}."
    return f"{sentence} {says[:1].upper()}{says[1:]}." if says else sentence


def _group_words(vocabulary: PowerMapVocabulary, power_map: PowerMap, key: str) -> str:
    own = {own_group_key(p.own_group): p.own_group for p in power_map.stakeholders if p.group == OWN_GROUP}
    return own.get(key) or vocabulary.words("groups", key, key)


def export_frame(vocabulary_for: dict[str, PowerMapVocabulary], saved: list[Saved[PowerMap]]) -> pd.DataFrame:
    """Every saved map, each in its own card's words: one row per person, missing voice or say in a decision."""
    rows = []
    for item in saved:
        power_map = item.item
        vocabulary = vocabulary_for[power_map.card]
        common = {"map": item.record_id, "saved at": item.saved_at, "project": power_map.project}
        for _, row in map_frame(vocabulary, power_map).iterrows():
            rows.append({**common, "part": row["Where"], "name": row["Name"], "group": row["Group"],
                         "influence": row["Influence"], "involvement": row["Involvement"]})
        for voice, (_, reasons, step) in zip(power_map.missing, power_map.missing_rows(vocabulary), strict=True):
            rows.append({**common, "part": "Why missing", "name": voice.label, "reasons": reasons, "step": step})
        for _, row in decision_frame(vocabulary, power_map).iterrows():
            rows.append({**common, "part": "Decision", "name": row["Decision"], "group": row["Group"], "say": row["Say"]})
        reflection = power_map.reflection
        rows.append({**common, "part": "Reflection", "name": "Kinds of power",
                     "reasons": "; ".join(vocabulary.words("power_types", p, p) for p in reflection.power_types),
                     "step": reflection.power_note})
        rows.append({**common, "part": "Reflection", "name": "Spaces",
                     "reasons": "; ".join(vocabulary.words("spaces", s, s) for s in reflection.spaces),
                     "step": reflection.space_note})
        rows.append({**common, "part": "Reflection", "name": "One change we could make", "step": reflection.change})
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS)

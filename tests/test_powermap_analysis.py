"""Power maps as tables and sentences: what a person reads beside each chart."""

from __future__ import annotations

import csv
import io
import math

import pytest

from cofacilitate.frames import csv_bytes
from cofacilitate.powermap import analysis
from cofacilitate.powermap.model import (
    OWN_GROUP,
    MissingVoice,
    PowerMap,
    Reflection,
    own_group_key,
)
from cofacilitate.snapshots import Saved
from tests.test_powermap_model import POWERMAP, PROJECT, person, power_map

QUESTION = ("question", "Choosing the research question")
DESIGN = ("design", "Choosing how the study is designed")
MONEY = ("money", "Deciding how the money is spent")
FIRST = "2024-01-10T09:00:00+00:00"
LATER = "2024-06-20T15:30:00+00:00"


def with_says(start: PowerMap, *says: tuple[tuple[str, str], str, str]) -> PowerMap:
    """Add ((decision id, label), group, level) says one by one, as the page does."""
    for (decision_id, label), group, level in says:
        start = start.with_say(decision_id, label, group, level)
    return start


def team() -> PowerMap:
    """A small map: one decider, public partners and carers doing the work, one group of their own."""
    return power_map(
        person("Ward managers", "managers", influence=5, involvement=2),
        person("Patient panel", "public-partners", influence=2, involvement=4),
        person("Carers group", "carers", in_room=False, influence=2, involvement=5),
        person("Youth board", OWN_GROUP, own_group="Young people's panel", influence=5, involvement=5),
        missing=(MissingVoice(label="Young carers", reasons=["caring"]),),
    )


# -- the map ---------------------------------------------------------------------------


def test_map_frame_has_a_row_for_everyone_on_the_map_and_everyone_missing() -> None:
    frame = analysis.map_frame(POWERMAP, team())

    assert list(frame["Name"]) == ["Ward managers", "Patient panel", "Carers group", "Youth board", "Young carers"]
    assert list(frame["Where"]) == [analysis.IN_ROOM, analysis.IN_ROOM, analysis.OUT_OF_ROOM, analysis.IN_ROOM, analysis.MISSING]
    assert analysis.MISSING == "Missing from the project"
    assert list(frame["Group"]) == [
        "Health service managers", "Public partners with lived experience", "Carers and family",
        "Young people's panel", "Missing voices",
    ]
    managers = frame.iloc[0]
    assert (managers["Influence"], managers["Involvement"]) == ("Makes the big decisions", "Involved now and then")
    assert set(analysis.MAP_COLUMNS) <= set(frame.columns)


def test_map_frame_names_each_corner_with_the_card_words() -> None:
    frame = analysis.map_frame(POWERMAP, team())

    corners = dict(zip(frame["Name"], frame["Corner of the map"], strict=True))
    assert corners == {
        "Ward managers": "Decide from a distance", "Patient panel": "Do the work, little say",
        "Carers group": "Do the work, little say", "Youth board": "Shape it and do it", "Young carers": "On the edges",
    }
    for _, row in frame.iterrows():
        assert row["Corner of the map"] == POWERMAP.quadrant(row["influence"], row["involvement"])


def test_a_lone_point_sits_on_its_step() -> None:
    frame = analysis.map_frame(POWERMAP, team())

    managers = frame.iloc[0]
    assert (managers["x"], managers["y"]) == (2, 5)


def test_points_on_the_same_step_are_spread_apart_but_stay_in_their_cell() -> None:
    crowd = power_map(*[person(f"Person {n}", influence=3, involvement=2) for n in range(12)],
                      person("Elsewhere", influence=1, involvement=1),
                      missing=(MissingVoice(label="Young carers"), MissingVoice(label="Night staff")))

    frame = analysis.map_frame(POWERMAP, crowd)

    same = frame[frame["Name"].str.startswith("Person")]
    places = list(zip(same["x"].round(6), same["y"].round(6), strict=True))
    assert len(set(places)) == 12, "no two points on one step may be drawn on top of each other"
    assert all(math.hypot(x - 2, y - 3) < 0.4 for x, y in places)
    corner = frame[frame["Name"].isin(["Elsewhere", "Young carers", "Night staff"])]
    assert len(set(zip(corner["x"].round(6), corner["y"].round(6), strict=True))) == 3
    assert all(math.hypot(x - 1, y - 1) < 0.4 for x, y in zip(corner["x"], corner["y"], strict=True))


def test_map_sentence_for_an_empty_map_says_what_to_do() -> None:
    frame = analysis.map_frame(POWERMAP, power_map())

    assert frame.empty
    assert analysis.map_sentence(frame, POWERMAP) == (
        "The map is empty. Add the people and groups around your project to draw it."
    )


def test_map_sentence_names_who_has_most_say_lived_experience_and_who_is_missing() -> None:
    sentence = analysis.map_sentence(analysis.map_frame(POWERMAP, team()), POWERMAP)

    assert sentence.startswith("4 people and groups are on the map; 3 of them in the room.")
    assert "The most say sits with Ward managers and Youth board (makes the big decisions)." in sentence
    assert "People with lived experience are mostly in the corner “Do the work, little say”." in sentence
    assert "Missing from the project: Young carers." in sentence


def test_map_sentence_speaks_in_the_singular_and_skips_lived_experience_when_absent() -> None:
    sentence = analysis.map_sentence(analysis.map_frame(POWERMAP, power_map(person("Funder", "funders", influence=4))), POWERMAP)

    assert sentence.startswith("1 person or group is on the map; 1 of them in the room.")
    assert "The most say sits with Funder (a lot of say)." in sentence
    assert "lived experience" not in sentence and "Missing" not in sentence


def test_map_sentence_with_only_missing_voices() -> None:
    only_missing = power_map(missing=(MissingVoice(label="Young carers"),))
    sentence = analysis.map_sentence(analysis.map_frame(POWERMAP, only_missing), POWERMAP)

    assert "0 people and groups are on the map" in sentence
    assert "Missing from the project: Young carers." in sentence
    assert "most say" not in sentence


def test_map_sentence_shortlists_past_five_names() -> None:
    crowd = power_map(*[person(f"Lead {n}", influence=5) for n in range(1, 8)],
                      missing=tuple(MissingVoice(label=f"Gap {n}") for n in range(1, 7)))

    sentence = analysis.map_sentence(analysis.map_frame(POWERMAP, crowd), POWERMAP)

    assert "The most say sits with Lead 1, Lead 2, Lead 3, Lead 4, Lead 5 and 2 more" in sentence
    assert "Lead 6" not in sentence
    assert "Missing from the project: Gap 1, Gap 2, Gap 3, Gap 4, Gap 5 and 1 more." in sentence


def test_map_rows_are_the_table_beside_the_chart() -> None:
    rows = analysis.map_rows(analysis.map_frame(POWERMAP, team()))

    assert rows[0] == ["Ward managers", "Health service managers", "In the room", "Makes the big decisions",
                       "Involved now and then", "Decide from a distance"]
    assert rows[-1][:3] == ["Young carers", "Missing voices", "Missing from the project"]


# -- decisions -----------------------------------------------------------------------------


def decided() -> PowerMap:
    return with_says(
        team(),
        (QUESTION, "carers", "told"), (QUESTION, "managers", "decides"),
        (DESIGN, "public-partners", "not-involved"), (DESIGN, "managers", "decides"),
        (MONEY, "public-partners", "consulted"), (MONEY, own_group_key("Young people's panel"), "decides"),
    )


def test_decision_frame_has_every_decision_against_every_group_in_use() -> None:
    frame = analysis.decision_frame(POWERMAP, decided())

    assert len(frame) == 3 * 4
    groups = list(dict.fromkeys(frame["Group"]))
    assert groups == [
        "Public partners with lived experience", "Carers and family", "Health service managers", "Young people's panel",
    ]
    cells = {(row["Decision"], row["Group"]): row["Say"] for _, row in frame.iterrows()}
    assert cells[(QUESTION[1], "Carers and family")] == "Only told"
    assert cells[(DESIGN[1], "Public partners with lived experience")] == "Not involved"
    assert cells[(MONEY[1], "Young people's panel")] == "Decides"
    assert cells[(MONEY[1], "Health service managers")] == "Not said"
    assert analysis.decision_rows(frame)[0] == [QUESTION[1], "Public partners with lived experience", "Not said"]


def test_decision_sentence_names_where_lived_experience_is_only_told_or_left_out() -> None:
    sentence = analysis.decision_sentence(analysis.decision_frame(POWERMAP, decided()), POWERMAP)

    assert ("People with lived experience are only told or not involved in: "
            "choosing the research question and choosing how the study is designed.") in sentence
    assert "deciding how the money is spent" not in sentence


def test_decision_sentence_names_the_group_that_decides_most_often() -> None:
    sentence = analysis.decision_sentence(analysis.decision_frame(POWERMAP, decided()), POWERMAP)

    assert "The group that makes the most decisions is Health service managers: 2 of the 3." in sentence


def test_decision_sentence_names_groups_that_share_the_most_decisions_and_all_of_them() -> None:
    tied = with_says(decided(), (QUESTION, "public-partners", "decides"), (DESIGN, "public-partners", "decides"))
    every = with_says(decided(), (MONEY, "managers", "decides"))

    tied_sentence = analysis.decision_sentence(analysis.decision_frame(POWERMAP, tied), POWERMAP)
    every_sentence = analysis.decision_sentence(analysis.decision_frame(POWERMAP, every), POWERMAP)

    assert ("The groups that make the most decisions are Public partners with lived experience and Health service "
            "managers: 2 of the 3 each.") in tied_sentence
    assert "All 3 decisions mapped are made by Health service managers." in every_sentence


def test_decision_sentence_says_when_lived_experience_is_never_shut_out() -> None:
    fair = with_says(team(), (QUESTION, "carers", "decides"), (QUESTION, "public-partners", "consulted"))

    sentence = analysis.decision_sentence(analysis.decision_frame(POWERMAP, fair), POWERMAP)

    assert "People with lived experience are never marked as only told or not involved." in sentence
    assert "The one decision mapped so far is made by Carers and family." in sentence
    assert "1 of 1" not in sentence


def test_decision_sentence_when_nothing_is_mapped() -> None:
    frame = analysis.decision_frame(POWERMAP, team())

    assert frame.empty
    assert analysis.decision_sentence(frame, POWERMAP).startswith("No decisions are mapped yet.")


def test_a_decision_with_nobody_deciding_does_not_name_a_decider() -> None:
    frame = analysis.decision_frame(POWERMAP, with_says(team(), (QUESTION, "carers", "told")))

    sentence = analysis.decision_sentence(frame, POWERMAP)

    assert "made by" not in sentence and "most decisions" not in sentence
    assert "only told or not involved in: choosing the research question." in sentence


# -- comparing two maps --------------------------------------------------------------------


def test_compare_names_who_moved_joined_left_was_added_and_removed() -> None:
    before = decided()
    after = (before
             .with_stakeholder(person("Ward managers", "managers", influence=3, involvement=2), replacing=0)
             .with_stakeholder(person("Carers group", "carers", in_room=True, influence=2, involvement=5), replacing=2)
             .with_stakeholder(person("Youth board", OWN_GROUP, own_group="Young people's panel", in_room=False,
                                      influence=5, involvement=3), replacing=3)
             .without_stakeholder(1)
             .with_stakeholder(person("Funder", "funders")))

    sentence, rows = analysis.compare(POWERMAP, before, after)

    assert sentence == ("From the earlier map to the later one, 3 people or groups moved or changed room, 1 was added "
                        "and 1 is no longer on the map.")
    assert ["Ward managers", "Influence", "Makes the big decisions → Some say"] in rows
    assert ["Carers group", "In the room", "joined the room"] in rows
    assert ["Youth board", "Involvement", "Involved day to day → Involved some of the time"] in rows
    assert ["Youth board", "In the room", "left the room"] in rows
    assert ["Funder", "Added to the map", ""] in rows
    assert ["Patient panel", "No longer on the map", ""] in rows


def test_compare_names_decisions_that_shifted() -> None:
    before = decided()
    after = with_says(before, (DESIGN, "public-partners", "consulted"), (MONEY, own_group_key("Young people's panel"), "told"),
                      (QUESTION, "researchers", "decides"))

    sentence, rows = analysis.compare(POWERMAP, before, after)

    assert sentence == "From the earlier map to the later one, the say changed in 3 decisions."
    assert [DESIGN[1], "Public partners with lived experience", "Not involved → Asked first"] in rows
    assert [MONEY[1], "Young people's panel", "Decides → Only told"] in rows
    assert [QUESTION[1], "Researchers", "Not said → Decides"] in rows


def test_compare_notices_a_say_that_was_cleared() -> None:
    before = decided()
    after = with_says(before, (QUESTION, "managers", ""))

    sentence, rows = analysis.compare(POWERMAP, before, after)

    assert sentence != "Nothing changed between the two maps."
    assert "the say changed in 1 decision." in sentence
    assert [QUESTION[1], "Health service managers", "Decides → Not said"] in rows


def test_compare_of_identical_maps_says_nothing_changed() -> None:
    assert analysis.compare(POWERMAP, decided(), decided()) == ("Nothing changed between the two maps.", [])


def test_compare_matches_names_whatever_the_case() -> None:
    before = power_map(person("Ward managers", "managers", influence=2))
    after = power_map(person("WARD MANAGERS", "managers", influence=2))

    assert analysis.compare(POWERMAP, before, after) == ("Nothing changed between the two maps.", [])


# -- spreadsheet ------------------------------------------------------------------------------

EXPORT_COLUMNS = ["map", "saved at", "project", "part", "name", "group", "influence", "involvement", "reasons", "step", "say"]


def saved_map(power_map_: PowerMap, at: str = FIRST) -> Saved[PowerMap]:
    return Saved(f"record-{at}", at, "", (), power_map_)


def reflected() -> PowerMap:
    return decided().model_copy(update={"reflection": Reflection(
        power_types=["competitive", "integrative"], power_note="Budget talks happen without us",
        spaces=["closed"], space_note="The steering group", change="Pay public partners")})


def test_export_frame_has_a_row_for_each_part_in_words() -> None:
    frame = analysis.export_frame({"powermap": POWERMAP}, [saved_map(reflected())])

    assert list(frame.columns) == EXPORT_COLUMNS
    assert list(frame["part"].value_counts().sort_index().items()) == sorted({
        "In the room": 3, "Not in the room": 1, "Missing from the project": 1, "Why missing": 1,
        "Decision": 12, "Reflection": 3,
    }.items())
    assert set(frame["map"]) == {f"record-{FIRST}"} and set(frame["project"]) == {PROJECT}
    first = frame.iloc[0]
    assert (first["name"], first["group"], first["influence"], first["involvement"]) == (
        "Ward managers", "Health service managers", "Makes the big decisions", "Involved now and then")
    why = frame[frame["part"] == "Why missing"].iloc[0]
    assert (why["name"], why["reasons"], why["step"]) == (
        "Young carers", "Caring or work duties get in the way", "No step written yet")
    reflection = frame[frame["part"] == "Reflection"].set_index("name")
    assert reflection.loc["Kinds of power", "reasons"] == "Power against; Power with"
    assert reflection.loc["Kinds of power", "step"] == "Budget talks happen without us"
    assert reflection.loc["Spaces", "reasons"] == "Closed spaces"
    assert reflection.loc["One change we could make", "step"] == "Pay public partners"


def test_export_frame_holds_every_saved_map() -> None:
    frame = analysis.export_frame({"powermap": POWERMAP}, [saved_map(team(), FIRST), saved_map(reflected(), LATER)])

    assert list(dict.fromkeys(frame["map"])) == [f"record-{FIRST}", f"record-{LATER}"]
    assert list(dict.fromkeys(frame["saved at"])) == [FIRST, LATER]


@pytest.mark.parametrize(
    "partial",
    [power_map(reflection=Reflection(change="Ask the carers")), power_map(person("Ward managers", "managers"))],
    ids=["nobody-on-the-map", "no-decisions-yet"],
)
def test_a_map_with_parts_left_empty_still_exports_every_column(partial: PowerMap) -> None:
    """A spreadsheet's columns must not depend on which parts the first map happens to have."""
    frame = analysis.export_frame({"powermap": POWERMAP}, [saved_map(partial)])

    assert list(frame.columns) == EXPORT_COLUMNS
    assert list(frame["part"])[-3:] == ["Reflection"] * 3


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_of_an_export_makes_a_formula_like_name_harmless_and_keeps_text_exactly() -> None:
    typed = power_map(person("=HYPERLINK(\"http://x\",\"click\")", "funders"),
                      person('Ward managers, "the real deciders"', "managers"))

    rows = read_csv(csv_bytes(analysis.export_frame({"powermap": POWERMAP}, [saved_map(typed)])))

    names = [row["name"] for row in rows if row["part"] == "In the room"]
    assert names == ["'=HYPERLINK(\"http://x\",\"click\")", 'Ward managers, "the real deciders"']

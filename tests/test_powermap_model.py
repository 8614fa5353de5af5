"""The power map as data: the card's words and scales, and the rules on one team's map."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from cofacilitate.bodies import NotReadableHere
from cofacilitate.cards import CardError, default_cards_dir, load_card, load_cards
from cofacilitate.powermap.model import (
    OWN_GROUP,
    DecisionSay,
    MissingVoice,
    PowerMap,
    PowerMapVocabulary,
    Reflection,
    Stakeholder,
    check_body,
    own_decision_id,
    own_group_key,
)
from tests.conftest import copy_cards

POWERMAP = load_card(default_cards_dir() / "powermap.yaml", PowerMapVocabulary).vocabulary
VOCABULARIES = {"powermap": POWERMAP}
PROJECT = "Stroke rehab study"


def person(label: str, group: str = "researchers", *, in_room: bool = True, influence: int = 1, involvement: int = 1,
           own_group: str = "") -> Stakeholder:
    return Stakeholder(label=label, group=group, own_group=own_group, in_room=in_room,
                       influence=influence, involvement=involvement)


def power_map(*people: Stakeholder, missing: tuple[MissingVoice, ...] = (), decisions: tuple[DecisionSay, ...] = (),
              reflection: Reflection | None = None) -> PowerMap:
    return PowerMap(card="powermap", project=PROJECT, stakeholders=list(people), missing=list(missing),
                    decisions=list(decisions), reflection=reflection or Reflection())


# -- the card ----------------------------------------------------------------------


def test_the_shipped_card_loads_with_its_groups_scales_and_reflections() -> None:
    cards, problems = load_cards("powermap", PowerMapVocabulary)

    assert problems == []
    assert list(cards) == ["powermap"]
    card = cards["powermap"]
    assert card.tool == "powermap" and card.title == "Power map"
    vocabulary = card.vocabulary
    assert len(vocabulary.groups) == 9
    assert vocabulary.lived_experience_groups == ["public-partners", "carers"]
    assert len(vocabulary.influence) == 5 and len(vocabulary.involvement) == 5
    assert vocabulary.influence[0].label == "No say at all"
    assert vocabulary.influence[-1].label == "Makes the big decisions"
    assert [level.id for level in vocabulary.say_levels] == ["decides", "consulted", "told", "not-involved"]
    kinds = [kind.id for kind in vocabulary.power_types]
    assert kinds == ["exploitative", "manipulative", "competitive", "nutrient", "integrative"]
    assert all(kind.meaning for kind in vocabulary.power_types), "each kind of power needs a plain meaning"
    assert [space.id for space in vocabulary.spaces] == ["closed", "invited", "claimed"]
    assert "Rollo May" in card.source and "Gaventa" in card.source


def test_group_options_end_with_a_group_of_their_own() -> None:
    options = POWERMAP.group_options()

    assert options[0] == ("Public partners with lived experience", "public-partners")
    assert options[-1] == ("A group of their own (say which)", OWN_GROUP)
    assert len(options) == 10


@pytest.mark.parametrize(
    ("influence", "involvement", "corner"),
    [(5, 5, "Shape it and do it"), (4, 1, "Decide from a distance"), (1, 4, "Do the work, little say"),
     (1, 1, "On the edges"), (3, 3, "On the edges")],
    ids=["top-right", "top-left", "bottom-right", "bottom-left", "middle-counts-as-low"],
)
def test_quadrant_names_the_corner_in_the_card_words(influence: int, involvement: int, corner: str) -> None:
    assert POWERMAP.quadrant(influence, involvement) == corner


def broken_card(tmp_path: Path, old: str, new: str) -> str:
    """The shipped card with one change; returns the CardError message it gives."""
    folder = copy_cards(tmp_path)
    path = folder / "powermap.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CardError) as caught:
        load_card(path, PowerMapVocabulary)
    message = str(caught.value)
    assert str(path) in message and "Traceback" not in message
    return message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("- id: carers\n", "- id: researchers\n", "repeats the id 'researchers'"),
        ("[public-partners, carers]", "[public-partners, patients]", "'patients' is not one of the groups listed"),
        ("- id: community\n", "- id: own\n", "the group id 'own' is kept for groups people name themselves"),
    ],
    ids=["duplicate-group", "unknown-lived-experience-group", "group-called-own"],
)
def test_a_card_problem_names_the_field(tmp_path: Path, old: str, new: str, expected: str) -> None:
    message = broken_card(tmp_path, old, new)

    field = "vocabulary > lived_experience_groups" if "patients" in new else "vocabulary > groups"
    assert f"field '{field}'" in message
    assert expected in message


def test_a_broken_power_map_card_is_reported_and_left_out(tmp_path: Path) -> None:
    folder = copy_cards(tmp_path)
    path = folder / "powermap.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- id: carers\n", "- id: researchers\n", 1), encoding="utf-8")

    cards, problems = load_cards("powermap", PowerMapVocabulary, folder)

    assert cards == {}
    [problem] = problems
    assert "repeats the id 'researchers'" in problem


# -- one person or group -------------------------------------------------------------


@pytest.mark.parametrize("label", ["", "   ", "\t\n"], ids=["empty", "spaces", "whitespace"])
def test_a_person_needs_a_name(label: str) -> None:
    with pytest.raises(ValidationError) as caught:
        person(label)

    assert "please give each person or group a short name" in str(caught.value)


def test_a_name_over_80_characters_is_refused_and_80_is_fine() -> None:
    assert person("x" * 80).label == "x" * 80

    with pytest.raises(ValidationError) as caught:
        person("x" * 81)

    assert "80 characters or fewer" in str(caught.value)


def test_spaces_in_a_name_are_squashed() -> None:
    assert person("  Ward \t  managers \n").label == "Ward managers"


def test_a_group_of_their_own_must_be_named() -> None:
    with pytest.raises(ValidationError) as caught:
        person("Youth board", OWN_GROUP, own_group="   ")

    assert "please say which group “Youth board” belongs to" in str(caught.value)
    assert person("Youth board", OWN_GROUP, own_group="Young people's panel").own_group == "Young people's panel"


@pytest.mark.parametrize("field", ["influence", "involvement"])
@pytest.mark.parametrize("step", [0, 8])
def test_a_step_off_every_scale_is_refused(field: str, step: int) -> None:
    with pytest.raises(ValidationError) as caught:
        Stakeholder(label="Ward managers", group="managers", **{field: step})

    assert caught.value.errors()[0]["loc"] == (field,)


# -- editing a map -------------------------------------------------------------------


def test_with_stakeholder_adds_and_returns_a_new_map() -> None:
    start = power_map(person("Ward managers", "managers"))

    added = start.with_stakeholder(person("Patient panel", "public-partners", influence=2))

    assert [p.label for p in added.stakeholders] == ["Ward managers", "Patient panel"]
    assert [p.label for p in start.stakeholders] == ["Ward managers"]


def test_the_same_name_twice_is_refused_whatever_the_case_and_the_map_is_unchanged() -> None:
    start = power_map(person("Ward managers", "managers"))

    with pytest.raises(ValidationError) as caught:
        start.with_stakeholder(person("WARD  managers", "clinicians"))

    assert "“WARD managers” is on the list twice" in str(caught.value)
    assert start.stakeholders == [person("Ward managers", "managers")]


def test_with_stakeholder_replacing_changes_one_in_place() -> None:
    start = power_map(person("Ward managers", "managers"), person("Patient panel", "public-partners"))

    changed = start.with_stakeholder(person("Patient panel", "public-partners", influence=4, in_room=False), replacing=1)

    assert [p.label for p in changed.stakeholders] == ["Ward managers", "Patient panel"]
    assert changed.stakeholders[1].influence == 4 and changed.stakeholders[1].in_room is False
    assert start.stakeholders[1].influence == 1


def test_replacing_with_a_name_already_used_by_another_is_refused() -> None:
    start = power_map(person("Ward managers", "managers"), person("Patient panel", "public-partners"))

    with pytest.raises(ValidationError) as caught:
        start.with_stakeholder(person("ward managers"), replacing=1)

    assert "is on the list twice" in str(caught.value)


def test_without_stakeholder_removes_only_that_one() -> None:
    start = power_map(person("A"), person("B"), person("C"))

    assert [p.label for p in start.without_stakeholder(1).stakeholders] == ["A", "C"]
    assert len(start.stakeholders) == 3


def test_with_missing_and_without_missing() -> None:
    start = power_map()

    one = start.with_missing(MissingVoice(label="Young carers", reasons=["caring"], step="Meet after school"))
    two = one.with_missing(MissingVoice(label="  Night   shift staff "))

    assert [v.label for v in two.missing] == ["Young carers", "Night shift staff"]
    assert [v.label for v in two.without_missing(0).missing] == ["Night shift staff"]
    assert start.missing == []
    with pytest.raises(ValidationError) as caught:
        two.with_missing(MissingVoice(label="young CARERS"))
    assert "is on the list twice" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        MissingVoice(label=" ")
    assert "please give each missing voice a short name" in str(caught.value)


def test_with_say_sets_and_clears_one_group_and_keeps_other_decisions() -> None:
    start = power_map().with_say("question", "Choosing the research question", "carers", "told")
    start = start.with_say("money", "Deciding how the money is spent", "funders", "decides")

    both = start.with_say("question", "Choosing the research question", "researchers", "decides")
    cleared = both.with_say("question", "Choosing the research question", "carers", "")

    says = {d.decision: d.says for d in both.decisions}
    assert says == {"question": {"carers": "told", "researchers": "decides"}, "money": {"funders": "decides"}}
    assert {d.decision: d.says for d in cleared.decisions} == {
        "question": {"researchers": "decides"}, "money": {"funders": "decides"},
    }
    assert {d.decision: d.says for d in start.decisions}["question"] == {"carers": "told"}


# -- checking against the card ---------------------------------------------------------


def test_check_against_accepts_a_map_the_card_can_read() -> None:
    good = power_map(
        person("Ward managers", "managers", influence=5, involvement=5),
        person("Youth board", OWN_GROUP, own_group="Young people's panel"),
        missing=(MissingVoice(label="Young carers", reasons=["caring", "no-payment"]),),
        decisions=(DecisionSay(decision="question", label="Choosing the research question", says={"carers": "told"}),),
        reflection=Reflection(power_types=["integrative"], spaces=["invited"]),
    )

    assert good.check_against(POWERMAP) is good


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (power_map(person("Ward managers", "wizards")), "is in a group ('wizards') the card does not have"),
        (power_map(missing=(MissingVoice(label="Young carers", reasons=["weather"]),)),
         "a reason given for “Young carers” is not one the card has"),
        (power_map(decisions=(
            DecisionSay(decision="question", label="Choosing the research question", says={"carers": "vetoes"}),
        )),
         "a level of say for “Choosing the research question” is not one the card has"),
        (power_map(reflection=Reflection(power_types=["charisma"])), "a kind of power chosen is not one the card has"),
        (power_map(reflection=Reflection(spaces=["online"])), "a kind of space chosen is not one the card has"),
        (power_map(person("Ward managers", "managers", influence=6)), "“Ward managers” is placed beyond the end of a scale"),
        (power_map(person("Ward managers", "managers", involvement=7)), "“Ward managers” is placed beyond the end of a scale"),
    ],
    ids=["group", "reason", "say-level", "power-type", "space", "influence-step", "involvement-step"],
)
def test_check_against_refuses_what_the_card_does_not_have(bad: PowerMap, expected: str) -> None:
    with pytest.raises(ValueError) as caught:
        bad.check_against(POWERMAP)

    assert expected in str(caught.value)


def test_check_body_reads_a_stored_body() -> None:
    body = power_map(person("Ward managers", "managers", influence=4)).model_dump()

    checked = check_body(body, VOCABULARIES)

    assert checked.stakeholders[0].influence == 4
    assert checked.project == PROJECT


def test_check_body_refuses_a_card_this_copy_does_not_have() -> None:
    body = power_map(person("Ward managers", "managers")).model_dump() | {"card": "retired-map"}

    with pytest.raises(ValueError) as caught:
        check_body(body, VOCABULARIES)

    assert "('retired-map') that this copy of the app does not have" in str(caught.value)


@pytest.mark.parametrize(
    "change",
    [{"project": ""}, {"kind": "ladder-assessment"}, {"surprise": True}],
    ids=["empty-project", "other-kind", "unknown-field"],
)
def test_a_body_of_the_wrong_shape_is_refused(change: dict) -> None:
    body = power_map().model_dump() | change

    with pytest.raises(ValidationError):
        check_body(body, VOCABULARIES)


def test_a_body_from_a_newer_version_is_not_readable_here_but_not_wrong() -> None:
    body = power_map().model_dump() | {"version": 2}

    with pytest.raises(NotReadableHere, match="newer version"):
        check_body(body, VOCABULARIES)


# -- reading a map --------------------------------------------------------------------


def test_groups_in_use_are_card_groups_on_the_map_lived_experience_and_own_groups() -> None:
    mapped = power_map(
        person("Funder", "funders"), person("Ward managers", "managers"),
        person("Youth board", OWN_GROUP, own_group="Young people's panel"),
        person("Faith leaders", OWN_GROUP, own_group="Faith groups"),
    )

    assert mapped.groups_in_use(POWERMAP) == [
        ("public-partners", "Public partners with lived experience"),
        ("carers", "Carers and family"),
        ("funders", "Funders and sponsors"),
        ("managers", "Health service managers"),
        (own_group_key("Faith groups"), "Faith groups"),
        (own_group_key("Young people's panel"), "Young people's panel"),
    ]
    assert own_group_key("  Young   People's panel ") == "own:young people's panel"


def test_groups_in_use_of_an_empty_map_are_the_lived_experience_groups() -> None:
    assert [key for key, _ in power_map().groups_in_use(POWERMAP)] == ["public-partners", "carers"]


def test_missing_rows_say_who_why_and_one_step() -> None:
    mapped = power_map(missing=(
        MissingVoice(label="Young carers", reasons=["caring", "no-payment"], own_reason="School hours", step="Meet after school"),
        MissingVoice(label="Night shift staff"),
    ))

    assert mapped.missing_rows(POWERMAP) == [
        ["Young carers", "Caring or work duties get in the way; Their time is not paid; School hours", "Meet after school"],
        ["Night shift staff", "No reason given", "No step written yet"],
    ]


def test_decision_label_reads_card_decisions_and_a_team_own() -> None:
    mapped = power_map().with_say("own-1", "Who is paid, and how much", "", "")

    assert mapped.decision_label("design", POWERMAP) == "Choosing how the study is designed"
    assert mapped.decision_label("own-1", POWERMAP) == "Who is paid, and how much"
    assert mapped.decision_label("own-9", POWERMAP) == "own-9"


def test_own_decision_id_is_the_first_free_number() -> None:
    assert own_decision_id([]) == "own-1"
    assert own_decision_id(["question", "own-1", "own-2"]) == "own-3"
    assert own_decision_id(["own-2"]) == "own-1"


def test_group_words_for_card_and_own_groups() -> None:
    mapped = power_map()

    assert mapped.group_words(person("Ward managers", "managers"), POWERMAP) == "Health service managers"
    youth_board = person("Youth board", OWN_GROUP, own_group="Young people's panel")
    assert mapped.group_words(youth_board, POWERMAP) == "Young people's panel"


# -- size -----------------------------------------------------------------------------


def test_a_map_of_500_is_fine_and_one_of_1001_is_refused() -> None:
    five_hundred = power_map(*[person(f"Person {n}") for n in range(500)])

    assert len(five_hundred.check_against(POWERMAP).stakeholders) == 500
    with pytest.raises(ValidationError) as caught:
        power_map(*[person(f"Person {n}") for n in range(1001)])
    assert caught.value.errors()[0]["loc"] == ("stakeholders",)

"""The ladder as data: answer choices, rung heights, and the rules on saved answers."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cofacilitate.cards import default_cards_dir, load_card
from cofacilitate.ladder.model import (
    Assessment,
    LadderVocabulary,
    StageAnswer,
    check_body,
)

LADDER = load_card(default_cards_dir() / "ladder.yaml", LadderVocabulary).vocabulary
ARNSTEIN = load_card(default_cards_dir() / "arnstein.yaml", LadderVocabulary).vocabulary
VOCABULARIES = {"ladder": LADDER, "arnstein": ARNSTEIN}


def assessment(*answers: tuple[str, str, str], card: str = "ladder") -> Assessment:
    """An assessment from (stage, now, aim) triples."""
    return Assessment(
        card=card, project="Memory clinic study",
        answers=[StageAnswer(stage=stage, now=now, aim=aim) for stage, now, aim in answers],
    )


def test_answer_options_put_the_top_rung_first_and_the_passes_last() -> None:
    options = LADDER.answer_options()
    keys = [key for _, key in options]

    assert options[0] == ("Choose an answer (or leave it)", "")
    assert keys[1:8] == [rung.id for rung in reversed(LADDER.rungs)]
    assert keys[-3:] == ["not-reached", "dont-know", "pass"]
    assert options[1] == ("7. Co-production (doing with)", "co-production")
    assert options[7] == ("1. Coercion (doing to)", "coercion")
    assert [label for label, _ in options[-3:]] == [
        "We have not reached this stage yet", "I don't know", "I'd rather not say",
    ]


def test_every_ladder_offers_the_same_passes() -> None:
    keys = [key for _, key in ARNSTEIN.answer_options()]

    assert keys[1] == "citizen-control" and keys[8] == "manipulation"
    assert keys[-3:] == ["not-reached", "dont-know", "pass"]


@pytest.mark.parametrize(
    ("answer", "height"),
    [("coercion", 1), ("informing", 3), ("co-production", 7), ("pass", None), ("dont-know", None),
     ("not-reached", None), ("", None), ("citizen-control", None)],
)
def test_level_is_the_rung_height_counted_from_the_bottom(answer: str, height: int | None) -> None:
    assert LADDER.level(answer) == height


def test_answer_labels_read_as_words() -> None:
    assert LADDER.answer_label("consultation") == "Consultation (doing for)"
    assert LADDER.answer_label("pass") == "I'd rather not say"
    assert LADDER.answer_label("") == "Not answered"


def test_check_against_accepts_rungs_and_every_kind_of_pass() -> None:
    passes = assessment(("idea", "pass", "dont-know"), ("aims", "not-reached", ""), ("design", "coercion", "co-production"))

    assert passes.check_against(LADDER) is passes
    assert passes.answered == 3


@pytest.mark.parametrize(
    ("answers", "vocabulary", "expected"),
    [
        ((("lunch", "coercion", ""),), LADDER, "the stage 'lunch' is not on the card 'ladder'"),
        ((("idea", "the-top", ""),), LADDER, "'the-top' is not a rung or answer on the card 'ladder'"),
        ((("idea", "", "citizen-control"),), LADDER, "'citizen-control' is not a rung"),
        ((("idea", "co-production", ""),), ARNSTEIN, "'co-production' is not a rung"),
    ],
    ids=["unknown-stage", "unknown-rung-now", "unknown-rung-aim", "rung-from-another-ladder"],
)
def test_check_against_refuses_what_the_card_does_not_have(answers, vocabulary, expected: str) -> None:
    with pytest.raises(ValueError) as caught:
        assessment(*answers).check_against(vocabulary)

    assert expected in str(caught.value)


def test_a_stage_can_only_be_answered_once() -> None:
    with pytest.raises(ValidationError) as caught:
        assessment(("idea", "coercion", ""), ("idea", "informing", ""))

    assert "each stage may be answered only once" in str(caught.value)


def test_check_body_reads_a_stored_body_against_its_own_card() -> None:
    body = assessment(("idea", "placation", "partnership"), card="arnstein").model_dump()

    checked = check_body(body, VOCABULARIES)

    assert checked.card == "arnstein"
    assert checked.answer_for("idea").aim == "partnership"
    assert checked.answer_for("design") == StageAnswer(stage="design")


def test_check_body_refuses_a_ladder_this_copy_does_not_have() -> None:
    body = assessment(("idea", "coercion", "")).model_dump() | {"card": "retired-ladder"}

    with pytest.raises(ValueError) as caught:
        check_body(body, VOCABULARIES)

    assert "('retired-ladder') that this copy of the app does not have" in str(caught.value)


@pytest.mark.parametrize(
    "change",
    [{"project": ""}, {"why_moved": "x" * 4001}, {"kind": "diary-entry"}, {"surprise": True}],
    ids=["empty-project", "too-long", "other-kind", "unknown-field"],
)
def test_a_body_of_the_wrong_shape_is_refused(change: dict) -> None:
    body = assessment(("idea", "coercion", "")).model_dump() | change

    with pytest.raises(ValidationError):
        check_body(body, VOCABULARIES)

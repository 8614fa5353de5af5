"""Exercise cards: the shipped ones load, and a broken one says where and what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cofacilitate.cards import CardError, default_cards_dir, load_card, load_cards
from cofacilitate.ladder.model import LadderVocabulary
from tests.conftest import copy_cards

SHIPPED_STAGES = {"idea", "aims", "design", "collecting", "making-sense", "sharing", "practice"}


def ladder_text() -> str:
    return (default_cards_dir() / "ladder.yaml").read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line containing `fragment`."""
    return next(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


def broken_card(tmp_path: Path, text: str) -> str:
    """Write `text` as a card and return the CardError message it gives."""
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CardError) as caught:
        load_card(path, LadderVocabulary)
    message = str(caught.value)
    assert str(path) in message, "the message must name the file"
    assert "Traceback" not in message
    return message


# -- the shipped cards -----------------------------------------------------------


@pytest.mark.parametrize(("name", "rungs", "top"), [("ladder", 7, "co-production"), ("arnstein", 8, "citizen-control")])
def test_shipped_card_loads_with_its_rungs_bands_and_stages(name: str, rungs: int, top: str) -> None:
    card = load_card(default_cards_dir() / f"{name}.yaml", LadderVocabulary)
    vocabulary = card.vocabulary

    assert card.id == name and card.tool == "ladder"
    assert len(vocabulary.rungs) == rungs
    assert vocabulary.rungs[-1].id == top
    assert len(vocabulary.bands) >= 2
    assert {rung.band for rung in vocabulary.rungs} <= {band.id for band in vocabulary.bands}
    assert len(vocabulary.stages) >= 7
    assert {stage.id for stage in vocabulary.stages} >= SHIPPED_STAGES
    assert all(rung.meaning for rung in vocabulary.rungs), "every rung needs a plain meaning"


def test_arnsteins_therapy_rung_says_the_word_is_hers_and_what_she_meant() -> None:
    therapy = load_card(default_cards_dir() / "arnstein.yaml", LadderVocabulary).vocabulary.rung("therapy")

    assert therapy is not None and therapy.label == "Therapy", "her ladder keeps her word, so it can be looked up"
    assert "“Therapy” is Arnstein's word, from 1969." in therapy.meaning and "It is her word, not ours." in therapy.meaning
    assert "as if it were a mental illness to cure" in therapy.meaning


def test_load_cards_puts_the_card_named_after_the_tool_first() -> None:
    cards, problems = load_cards("ladder", LadderVocabulary)

    assert problems == []
    # 'arnstein' comes first by file name and by title, so only the rule puts 'ladder' first.
    assert list(cards) == ["ladder", "arnstein"]


def test_other_cards_follow_in_title_order(tmp_path: Path) -> None:
    folder = copy_cards(tmp_path)
    extra = ladder_text().replace("id: ladder\n", "id: aaa-extra\n", 1).replace(
        "title: The ladder of co-production", "title: A ladder that sorts first"
    )
    (folder / "zzz.yaml").write_text(extra, encoding="utf-8")

    cards, problems = load_cards("ladder", LadderVocabulary, folder)

    assert problems == []
    assert list(cards) == ["ladder", "aaa-extra", "arnstein"]


# -- broken cards: file, line, field, what was expected ---------------------------


def test_a_tab_names_the_line_and_the_likely_cause(tmp_path: Path) -> None:
    text = ladder_text().replace("  bands:", "\tbands:")
    message = broken_card(tmp_path, text)

    assert f"line {line_of(text, 'bands:')}" in message
    assert "tab instead of spaces" in message


def test_a_missing_colon_names_the_line_it_is_missing_from(tmp_path: Path) -> None:
    text = ladder_text().replace("title: The ladder", "title The ladder")
    message = broken_card(tmp_path, text)

    # The colon is missing from the 'title' line, so that is the line a facilitator must be sent to.
    assert f"line {line_of(text, 'title The ladder')}," in message
    assert "missing a colon" in message


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    text = re.sub(r"^title:.*\n", "", ladder_text(), flags=re.M)
    message = broken_card(tmp_path, text)

    assert "field 'title': this field is missing" in message
    assert re.search(r"line \d+", message)


def test_a_wrong_type_names_line_field_expectation_and_what_was_found(tmp_path: Path) -> None:
    text = ladder_text().replace("duration_minutes: 20", 'duration_minutes: "soon"')
    message = broken_card(tmp_path, text)

    assert f"line {line_of(text, 'duration_minutes')}, field 'duration_minutes'" in message
    assert "it is not a whole number (found 'soon')" in message, "our words, never a library's ('Input should be...')"
    assert "should" not in message


def test_a_card_text_too_long_says_so_in_our_words(tmp_path: Path) -> None:
    text = ladder_text().replace("title:", "title: " + "Long " * 40 + "#", 1)
    message = broken_card(tmp_path, text)

    assert "field 'title': it is longer than the 120 characters it can hold" in message
    assert "String should" not in message


def test_an_unknown_key_is_called_a_possible_misspelling(tmp_path: Path) -> None:
    text = ladder_text().replace("adapted: true\n", "adapted: true\ncolour: blue\n")
    message = broken_card(tmp_path, text)

    assert f"line {line_of(text, 'colour: blue')}, field 'colour'" in message
    assert "check the spelling" in message


def rungs_block(text: str) -> range:
    """The lines from 'rungs:' up to 'stages:': where a rung problem must point."""
    return range(line_of(text, "rungs:"), line_of(text, "stages:"))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("id: educating", "id: coercion", "repeats the id 'coercion'"),
        ("id: educating", "id: pass", "uses the id 'pass', which is kept for answers"),
        ("band: doing-for\n      meaning: People are told", "band: doing-sideways\n      meaning: People are told",
         "is in band 'doing-sideways', which is not one of the bands listed: doing-to, doing-for, doing-with"),
    ],
    ids=["duplicate-rung-id", "reserved-rung-id", "unknown-band"],
)
def test_a_rung_problem_points_into_the_rungs(tmp_path: Path, old: str, new: str, expected: str) -> None:
    text = ladder_text().replace(old, new, 1)
    message = broken_card(tmp_path, text)

    assert "field 'vocabulary > rungs'" in message
    assert expected in message
    line = int(re.search(r"- line (\d+),", message).group(1))
    assert line in rungs_block(text)


# -- a bad card among good ones ---------------------------------------------------


@pytest.mark.parametrize(
    "breakage",
    [
        lambda text: re.sub(r"^title:.*\n", "", text, flags=re.M),
        lambda text: text.replace("  bands:", "\tbands:"),
    ],
    ids=["missing-field", "unreadable-yaml"],
)
def test_a_bad_card_is_reported_and_the_good_ones_still_load(tmp_path: Path, breakage) -> None:
    folder = copy_cards(tmp_path)
    broken = folder / "my-own-ladder.yaml"
    broken.write_text(breakage(ladder_text().replace("id: ladder\n", "id: my-own\n", 1)), encoding="utf-8")

    cards, problems = load_cards("ladder", LadderVocabulary, folder)

    assert list(cards) == ["ladder", "arnstein"]
    assert len(problems) == 1
    assert str(broken) in problems[0]


def test_two_cards_with_the_same_id_keep_the_first_and_say_so(tmp_path: Path) -> None:
    folder = copy_cards(tmp_path)
    twin = folder / "zz-copy.yaml"
    twin.write_text(ladder_text().replace("title: The ladder of co-production", "title: A copy"), encoding="utf-8")

    cards, problems = load_cards("ladder", LadderVocabulary, folder)

    assert cards["ladder"].title == "The ladder of co-production"
    assert len(problems) == 1 and str(twin) in problems[0] and "'ladder'" in problems[0]

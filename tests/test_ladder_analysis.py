"""Ladder answers as tables and sentences: what a person reads under each chart."""

from __future__ import annotations

import csv
import io

import pandas as pd

from cofacilitate.frames import csv_bytes
from cofacilitate.ladder import analysis
from cofacilitate.ladder.model import Assessment, StageAnswer
from cofacilitate.snapshots import Saved
from cofacilitate.words import when_words
from tests.test_ladder_model import LADDER, VOCABULARIES

PROJECT = "Memory clinic study"


def assess(answers: dict[str, tuple[str, str]], why: str = "", climb: str = "") -> Assessment:
    """An assessment from {stage: (now, aim)}."""
    return Assessment(
        card="ladder", project=PROJECT, why_moved=why,
        answers=[StageAnswer(stage=stage, now=now, aim=aim, climb=climb) for stage, (now, aim) in answers.items()],
    )


def saved(at: str, answers: dict[str, tuple[str, str]], why: str = "") -> Saved:
    return Saved(f"record-{at}", at, "Sam", ("carer", "researcher"), assess(answers, why))


MIXED = {
    "idea": ("coercion", "co-production"),  # lowest now, biggest gap (6)
    "aims": ("informing", "consultation"),  # gap 1
    "design": ("pass", "dont-know"),
    "collecting": ("not-reached", "co-design"),
}
FIRST = "2024-01-10T09:00:00+00:00"
LATER = "2024-06-20T15:30:00+00:00"


# -- gap -------------------------------------------------------------------------


def test_gap_frame_has_one_row_per_stage_in_card_order() -> None:
    frame = analysis.gap_frame(LADDER, assess(MIXED))

    assert list(frame["stage"]) == [stage.id for stage in LADDER.stages]
    idea = frame.iloc[0]
    assert (idea["now_level"], idea["aim_level"], idea["gap"]) == (1, 7, 6)
    assert idea["Now"] == "Coercion (doing to)" and idea["Aim"] == "Co-production (doing with)"
    design = frame.set_index("stage").loc["design"]
    assert pd.isna(design["now_level"]) and pd.isna(design["gap"])
    assert design["Now"] == "I'd rather not say" and design["Aim"] == "I don't know"


def test_gap_sentence_names_the_lowest_stage_the_biggest_gap_and_why_stages_have_no_rung() -> None:
    sentence = analysis.gap_sentence(analysis.gap_frame(LADDER, assess(MIXED)))

    assert "lowest at Having the idea" in sentence
    assert "Coercion" in sentence
    assert "biggest gap between now and the aim is at Having the idea: 6 rungs to climb" in sentence
    # design (passed), collecting (not reached) and the three stages left empty have no rung for now
    assert ("Stages with no rung for how things are now: 1 not reached yet, 1 you chose not to answer "
            "and 3 with no answer yet.") in sentence
    assert "passed" not in sentence, "a stage is not an exam"


def test_gap_sentence_says_where_someone_does_not_know() -> None:
    answers = {stage.id: ("informing", "co-design") for stage in LADDER.stages}
    answers["idea"], answers["aims"] = ("dont-know", ""), ("dont-know", "co-design")

    sentence = analysis.gap_sentence(analysis.gap_frame(LADDER, assess(answers)))

    assert sentence.endswith("Stages with no rung for how things are now: 2 where you don't know.")


def test_gap_sentence_names_every_stage_that_shares_the_lowest_rung() -> None:
    answers = {"idea": ("informing", "engagement"), "aims": ("informing", "co-design"), "design": ("co-design", "co-design")}
    sentence = analysis.gap_sentence(analysis.gap_frame(LADDER, assess(answers)))

    assert "lowest at Having the idea and Setting the aims" in sentence
    assert "Setting the aims: 3 rungs to climb" in sentence


def test_gap_sentence_speaks_in_the_singular_for_one() -> None:
    answers = {stage.id: ("informing", "informing") for stage in LADDER.stages}
    answers["idea"] = ("informing", "consultation")
    answers["practice"] = ("pass", "")
    sentence = analysis.gap_sentence(analysis.gap_frame(LADDER, assess(answers)))

    assert "1 rung to climb" in sentence
    assert "Stages with no rung for how things are now: 1 you chose not to answer." in sentence


def test_gap_sentence_when_nothing_has_a_rung_yet() -> None:
    sentence = analysis.gap_sentence(analysis.gap_frame(LADDER, assess({"idea": ("pass", "pass")})))

    assert sentence.startswith("No stage has a rung chosen for now yet")
    assert "Passing a question is fine" in sentence


def test_gap_sentence_when_the_aim_is_where_things_are() -> None:
    sentence = analysis.gap_sentence(analysis.gap_frame(LADDER, assess({"idea": ("co-design", "co-design")})))

    assert "the aim is where things are now" in sentence


def test_gap_sentence_does_not_say_the_aim_is_reached_when_it_is_lower() -> None:
    answers = {"idea": ("co-production", "informing"), "aims": ("co-design", "co-design")}
    sentence = analysis.gap_sentence(analysis.gap_frame(LADDER, assess(answers)))

    assert "the aim is where things are now" not in sentence


def test_gap_rows_are_the_table_beside_the_chart() -> None:
    rows = analysis.gap_rows(analysis.gap_frame(LADDER, assess(MIXED)))

    assert len(rows) == len(LADDER.stages)
    assert all(len(row) == len(analysis.GAP_COLUMNS) for row in rows)
    assert rows[0] == ("Having the idea", "Coercion (doing to)", "Co-production (doing with)", "6", "")
    assert rows[2] == ("Design and planning", "I'd rather not say", "I don't know", "", "")
    assert rows[3] == ("Collecting data", "We have not reached this stage yet", "Co-design (doing with)", "", "")
    assert rows[-1] == ("Putting findings into practice", "Not answered", "Not answered", "", "")


def test_what_it_would_take_is_in_the_table_and_the_sentence_points_to_it() -> None:
    assessment = Assessment(card="ladder", project=PROJECT, answers=[
        StageAnswer(stage="idea", now="coercion", aim="co-design", climb="  Pay people for their time  "),
        StageAnswer(stage="aims", now="informing", aim="informing"),
        StageAnswer(stage="design", now="pass", climb="Ask us before the bid is written"),
    ])
    frame = analysis.gap_frame(LADDER, assessment)

    rows = analysis.gap_rows(frame)
    sentence = analysis.gap_sentence(frame)

    assert analysis.GAP_COLUMNS[-1] == "What it would take, in your words"
    assert rows[0][-1] == "Pay people for their time"
    assert rows[2][-1] == "Ask us before the bid is written", "a note counts even where no rung is chosen"
    assert rows[1][-1] == ""
    assert sentence.endswith("You wrote what it would take to climb at 2 stages. Your words are in the table below.")


def test_a_single_note_is_pointed_to_even_when_nothing_can_be_drawn() -> None:
    assessment = Assessment(card="ladder", project=PROJECT,
                            answers=[StageAnswer(stage="idea", now="pass", climb="Evening meetings")])

    sentence = analysis.gap_sentence(analysis.gap_frame(LADDER, assessment))

    assert sentence.startswith("No stage has a rung chosen for now yet")
    assert sentence.endswith("You wrote what it would take to climb at 1 stage. Your words are in the table below.")


# -- history ---------------------------------------------------------------------


def two_assessments() -> list[Saved]:
    """Later first, to show that order comes from the time saved, not the list."""
    return [
        saved(LATER, {"idea": ("co-design", ""), "aims": ("coercion", ""), "design": ("informing", "")}, why="A new lead"),
        saved(FIRST, {"idea": ("informing", ""), "aims": ("consultation", ""), "design": ("informing", "")}),
    ]


def test_history_frame_numbers_assessments_oldest_first() -> None:
    frame = analysis.history_frame(LADDER, two_assessments())

    assert len(frame) == 2 * len(LADDER.stages)
    first = frame[frame["number"] == 1]
    assert set(first["saved_at"]) == {FIRST}
    assert list(first["Stage"]) == [stage.label for stage in LADDER.stages]
    assert list(first["level"][:3]) == [3, 4, 3]
    assert first["When"].iloc[0] == when_words(FIRST)


def test_history_sentence_names_what_moved_up_and_down() -> None:
    sentence = analysis.history_sentence(analysis.history_frame(LADDER, two_assessments()))

    assert "Across 2 assessments" in sentence
    assert when_words(FIRST) in sentence and when_words(LATER) in sentence
    assert "moved up at Having the idea" in sentence
    assert "moved down at Setting the aims" in sentence
    assert "Design and planning" not in sentence


def test_history_sentence_when_nothing_moved() -> None:
    same = {"idea": ("informing", "")}
    frame = analysis.history_frame(LADDER, [saved(FIRST, same), saved(LATER, same)])

    sentence = analysis.history_sentence(frame)

    assert "no stage moved up" in sentence and "no stage moved down" in sentence


def test_history_sentence_for_a_single_assessment() -> None:
    frame = analysis.history_frame(LADDER, [saved(FIRST, MIXED)])

    assert analysis.history_sentence(frame) == (
        "There is only one assessment of this project so far. Save another later to see how things move."
    )


def test_history_table_has_stages_down_the_side_and_assessments_across() -> None:
    columns, rows = analysis.history_table(analysis.history_frame(LADDER, two_assessments()))

    assert columns == ["Stage", f"1. {when_words(FIRST)}", f"2. {when_words(LATER)}"]
    assert [row[0] for row in rows] == [stage.label for stage in LADDER.stages]
    assert rows[0] == ["Having the idea", "Informing (doing for)", "Co-design (doing with)"]
    assert rows[-1] == ["Putting findings into practice", "Not answered", "Not answered"]


# -- downloads -------------------------------------------------------------------

EXPORT_COLUMNS = [
    "assessment", "saved at", "ladder", "project", "name used", "roles", "stage", "now", "aim",
    "what it would take to climb one rung", "why things moved",
]


def test_export_frame_has_one_row_per_answer_in_words() -> None:
    frame = analysis.export_frame(VOCABULARIES, [saved(FIRST, MIXED, why="We got funding")])

    assert list(frame.columns) == EXPORT_COLUMNS
    assert len(frame) == len(MIXED)
    first = frame.iloc[0].to_dict()
    assert first == {
        "assessment": f"record-{FIRST}", "saved at": FIRST, "ladder": "ladder", "project": PROJECT,
        "name used": "Sam", "roles": "Carer or family member, Researcher", "stage": "idea",
        "now": "Coercion (doing to)", "aim": "Co-production (doing with)",
        "what it would take to climb one rung": "", "why things moved": "We got funding",
    }


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_bytes_makes_formula_like_cells_harmless() -> None:
    frame = pd.DataFrame({
        "text": ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "plain words", "a = b"],
        "number": [1, 2, 3, 4, 5, -6],
    })

    header, *rows = read_csv(csv_bytes(frame))

    assert header == ["text", "number"]
    assert [row[0] for row in rows] == [
        "'=HYPERLINK(\"http://x\")", "'+1+2", "'-2+3", "'@SUM(A1)", "plain words", "a = b",
    ]
    assert [row[1] for row in rows] == ["1", "2", "3", "4", "5", "-6"]


def test_csv_of_an_export_keeps_participant_text_exactly() -> None:
    climb = 'Pay people, "properly", and on time'
    frame = analysis.export_frame(VOCABULARIES, [Saved("r1", FIRST, "=Sam", (), assess({"idea": ("pass", "")}, climb=climb))])

    header, row = read_csv(csv_bytes(frame))

    assert dict(zip(header, row, strict=True))["what it would take to climb one rung"] == climb
    assert dict(zip(header, row, strict=True))["name used"] == "'=Sam"
    assert dict(zip(header, row, strict=True))["roles"] == "No role given"

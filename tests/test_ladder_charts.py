"""Ladder charts are specs (dicts): their text alternative, encodings and inline data."""

from __future__ import annotations

from cofacilitate.chartkit import SMALLEST
from cofacilitate.ladder import analysis, charts
from cofacilitate.ladder.model import LadderVocabulary
from tests.conftest import assert_chart_text_at_least, dataset_values, walk
from tests.test_ladder_analysis import MIXED, assess, two_assessments
from tests.test_ladder_model import LADDER

ODD_LABEL = 'Idea <b>one</b> & "two" <script>alert(1)</script>'


def gap_spec(vocabulary: LadderVocabulary = LADDER, answers: dict = MIXED) -> tuple[dict, str]:
    frame = analysis.gap_frame(vocabulary, assess(answers))
    sentence = analysis.gap_sentence(frame)
    return charts.gap_chart(frame, vocabulary, sentence).to_dict(), sentence


def test_gap_chart_carries_its_sentence_as_description() -> None:
    spec, sentence = gap_spec()

    assert spec["description"] == sentence
    assert spec["title"]


def test_gap_chart_shows_now_and_aim_by_colour_and_by_shape() -> None:
    spec, _ = gap_spec()

    [points] = [layer for layer in spec["layer"] if "color" in layer.get("encoding", {})]
    colour, shape = points["encoding"]["color"], points["encoding"]["shape"]
    assert colour["field"] == shape["field"] == "Which"
    assert colour["scale"]["domain"] == shape["scale"]["domain"] == ["Now", "Aim"]
    assert len(set(colour["scale"]["range"])) == 2
    assert len(set(shape["scale"]["range"])) == 2


def test_gap_chart_holds_its_data_inline_and_fetches_nothing() -> None:
    spec, _ = gap_spec()

    assert "url" not in {key for key, _ in walk(spec)}
    assert spec["datasets"] and all(isinstance(rows, list) for rows in spec["datasets"].values())
    assert "Having the idea" in dataset_values(spec)
    assert "Coercion" in dataset_values(spec)


def test_gap_chart_keeps_odd_labels_verbatim_as_data() -> None:
    stages = [stage.model_dump() for stage in LADDER.stages]
    stages[0]["label"] = ODD_LABEL
    odd = LadderVocabulary.model_validate(LADDER.model_dump() | {"stages": stages})

    spec, _ = gap_spec(odd)

    assert ODD_LABEL in dataset_values(spec)


def test_gap_chart_draws_when_every_stage_is_passed() -> None:
    spec, sentence = gap_spec(answers={"idea": ("pass", "dont-know"), "aims": ("not-reached", "")})

    assert spec["description"] == sentence
    assert sentence.startswith("No stage has a rung chosen")


def history_spec(assessments: list | None = None) -> tuple[dict, str]:
    frame = analysis.history_frame(LADDER, assessments or two_assessments())
    sentence = analysis.history_sentence(frame)
    return charts.history_chart(frame, LADDER, sentence).to_dict(), sentence


def test_history_chart_has_a_row_per_stage_and_its_sentence() -> None:
    spec, sentence = history_spec()

    assert spec["description"] == sentence
    assert "url" not in {key for key, _ in walk(spec)}
    assert "Having the idea" in dataset_values(spec)
    rows = {layer["encoding"]["y"]["field"] for layer in spec["layer"]}
    assert rows == {"Stage"}, "one row per stage, as in the gap chart, so it fits a phone (no grid of small charts)"


def test_assessments_at_one_rung_share_one_label() -> None:
    spec, _ = history_spec()
    [numbers] = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    rows = spec["datasets"][numbers["data"]["name"]]

    spots = [(row["Stage"], row["level"]) for row in rows]
    assert len(spots) == len(set(spots)), "never two labels at one stage and rung, drawn over each other"
    assert {row["Assessments"] for row in rows} <= {"1", "2", "1, 2"}
    assert "1, 2" in {row["Assessments"] for row in rows}, "the two assessments agree somewhere: one label says both"


def test_numbers_words_are_short_for_long_runs() -> None:
    assert charts.numbers_words([3, 1, 2, 5]) == "1 to 3, 5"
    assert charts.numbers_words([1, 2]) == "1, 2"
    assert charts.numbers_words([4]) == "4"


# -- readable on a phone and a laptop ------------------------------------------------------------------
def every_chart() -> list[dict]:
    return [gap_spec()[0], history_spec()[0]]


def test_every_chart_takes_the_width_of_its_box() -> None:
    for spec in every_chart():
        assert spec["width"] == "container"
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}


def test_no_chart_text_is_smaller_than_12px() -> None:
    for spec in every_chart():
        assert_chart_text_at_least(spec, SMALLEST)


def test_no_label_is_cut_short() -> None:
    for spec in every_chart():
        limits = [value for key, value in walk(spec) if key in ("labelLimit", "limit")]
        assert limits and set(limits) == {0}, "0: no limit, so Vega never cuts a word short with '...'"


def test_stage_names_break_onto_lines_and_sit_centred_on_their_row() -> None:
    spec, _ = gap_spec()
    axis = next(layer["encoding"]["y"]["axis"] for layer in spec["layer"] if "axis" in layer["encoding"]["y"])

    assert "split(" in axis["labelExpr"] and "datum.label" in axis["labelExpr"]
    assert "length(" in axis["labelOffset"]["expr"]


def test_rungs_are_all_labelled_even_on_a_narrow_chart() -> None:
    spec, _ = gap_spec()
    [points] = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"]
    axis = points["encoding"]["x"]["axis"]

    assert axis["values"] == list(range(1, len(LADDER.rungs) + 1))
    assert axis["tickCount"] == len(LADDER.rungs), "else Vega thins the ticks to one per 40 px"
    assert "width <" in axis["labelAngle"]["expr"], "labels turn on a phone"

"""Ladder charts are specs (dicts): their text alternative, encodings and inline data."""

from __future__ import annotations

from cofacilitate.ladder import analysis, charts
from cofacilitate.ladder.model import LadderVocabulary
from tests.conftest import dataset_values, walk
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


def test_history_chart_is_faceted_by_stage_with_its_sentence() -> None:
    frame = analysis.history_frame(LADDER, two_assessments())
    sentence = analysis.history_sentence(frame)

    spec = charts.history_chart(frame, LADDER, sentence).to_dict()

    assert spec["facet"]["field"] == "Stage"
    assert spec["description"] == sentence
    assert "url" not in {key for key, _ in walk(spec)}
    assert "Having the idea" in dataset_values(spec)

"""Power map charts are specs (dicts): their text alternative, encodings and inline data,
and the pictures vl-convert draws from them."""

from __future__ import annotations

import re

import pandas as pd

from cofacilitate.chartkit import SMALLEST
from cofacilitate.offline import PICTURE_WIDTH, chart_picture, for_picture
from cofacilitate.powermap import analysis, charts
from cofacilitate.powermap.model import OWN_GROUP, MissingVoice, PowerMap
from tests.conftest import assert_chart_text_at_least, dataset_values, walk
from tests.test_powermap_analysis import decided, team
from tests.test_powermap_model import POWERMAP, person, power_map

HOSTILE = "<script>alert(1)</script>"


def hostile_map() -> PowerMap:
    return power_map(
        person(HOSTILE, "funders", influence=5, involvement=1),
        person("Ward managers", "managers", influence=4, involvement=3),
        person("Patient panel", "public-partners", in_room=False, influence=2, involvement=4),
        missing=(MissingVoice(label="Young carers"),),
    )


def map_spec(power_map_: PowerMap | None = None, show_names: bool = True) -> tuple[dict, str]:
    frame = analysis.map_frame(POWERMAP, power_map_ or hostile_map())
    sentence = analysis.map_sentence(frame, POWERMAP)
    return charts.map_chart(frame, POWERMAP, sentence, show_names).to_dict(), sentence


def layers_with_mark(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


def test_map_chart_carries_its_sentence_as_description() -> None:
    spec, sentence = map_spec()

    assert spec["description"] == sentence
    assert "Missing from the project: Young carers." in sentence
    assert spec["title"]["text"] == ["Who has a say, and who takes part"]
    assert "Dashed circle: missing from the project." in spec["title"]["subtitle"]


def test_map_chart_holds_names_verbatim_as_data_and_fetches_nothing() -> None:
    spec, _ = map_spec()

    assert "url" not in {key for key, _ in walk(spec)}
    values = dataset_values(spec)
    assert HOSTILE in values and "Ward managers" in values and "Young carers" in values
    # The hostile name is only data (and the sentence, which Vega writes as an attribute):
    # it is never part of a mark, axis, title or expression.
    outside_data = {key: value for key, value in spec.items() if key not in {"datasets", "description"}}
    assert "<script" not in repr(outside_data)


def name_layers(spec: dict) -> list[dict]:
    """The layers that write people's names on the map (their words come from the data's Names)."""
    return [layer for layer in layers_with_mark(spec, "text")
            if any("datum.Names" in step.get("calculate", "") for step in layer.get("transform", []))]


def test_map_chart_writes_names_beside_the_points() -> None:
    spec, _ = map_spec()

    layers = name_layers(spec)
    assert layers
    rows = [row for layer in layers for row in spec["datasets"][layer["data"]["name"]]]
    assert sorted(row["Names"] for row in rows) == sorted([HOSTILE, "Ward managers", "Patient panel", "Young carers"])
    for layer in layers:
        assert layer["encoding"]["x"]["field"] == "x" and layer["encoding"]["y"]["field"] == "y"
        assert layer["mark"]["aria"] is False, "screen readers meet each name once, on its point"


def test_without_names_there_is_no_layer_of_names() -> None:
    spec, _ = map_spec(show_names=False)

    assert name_layers(spec) == []
    tooltips = [layer["encoding"]["tooltip"] for layer in layers_with_mark(spec, "point")]
    assert all({"field": "Name", "type": "nominal"} in tooltip for tooltip in tooltips), "names stay in the tooltips"


def test_groups_differ_by_shape_and_by_colour() -> None:
    spec, _ = map_spec()

    [present] = [layer for layer in layers_with_mark(spec, "point") if "shape" in layer["encoding"]]
    shape, stroke = present["encoding"]["shape"], present["encoding"]["stroke"]
    assert shape["field"] == stroke["field"] == present["encoding"]["fill"]["condition"]["field"] == "Group"
    groups = ["Public partners with lived experience", "Funders and sponsors", "Health service managers"]
    assert shape["scale"]["domain"] == stroke["scale"]["domain"] == groups, "in the card's order"
    assert len(set(shape["scale"]["range"])) == 3
    assert len(set(stroke["scale"]["range"])) == 3
    assert shape["legend"]["title"] == "Group"


def test_people_out_of_the_room_are_drawn_outlined() -> None:
    spec, _ = map_spec()

    [present] = [layer for layer in layers_with_mark(spec, "point") if "shape" in layer["encoding"]]
    fill = present["encoding"]["fill"]
    assert fill["condition"]["test"] == "(datum.Where === 'In the room')"
    assert fill["value"] == "#ffffff"


def test_missing_voices_are_hollow_dashed_circles() -> None:
    spec, _ = map_spec()

    [missing] = [layer for layer in layers_with_mark(spec, "point") if layer["mark"].get("filled") is False]
    assert missing["mark"]["strokeDash"]
    assert missing["mark"]["shape"] == "circle"
    rows = spec["datasets"][missing["data"]["name"]]
    assert [row["Name"] for row in rows] == ["Young carers"]
    assert {row["Where"] for row in rows} == {"Missing from the project"}


def test_the_four_corners_are_named() -> None:
    spec, _ = map_spec()

    corners = {value for value in dataset_values(spec)} & {
        "Shape it and do it", "Decide from a distance", "Do the work, little say", "On the edges"}
    assert len(corners) == 4
    assert len(layers_with_mark(spec, "rule")) == 2, "two dashed lines split the map into its corners"


def test_the_axes_are_labelled_in_the_card_words() -> None:
    spec, _ = map_spec()

    [present] = [layer for layer in layers_with_mark(spec, "point") if "shape" in layer["encoding"]]
    x_axis, y_axis = present["encoding"]["x"]["axis"], present["encoding"]["y"]["axis"]
    assert x_axis["title"] == ["How involved day to day"] and x_axis["values"] == [1, 2, 3, 4, 5]
    assert '"Involved day to day"' in x_axis["labelExpr"]
    assert y_axis["title"] == ["Influence over decisions"] and '"Makes the big decisions"' in y_axis["labelExpr"]


def test_an_empty_map_still_draws() -> None:
    spec, sentence = map_spec(power_map())

    assert spec["description"] == sentence
    assert sentence.startswith("The map is empty.")


def test_decision_chart_writes_each_level_of_say_and_colours_it() -> None:
    frame = analysis.decision_frame(POWERMAP, decided())
    sentence = analysis.decision_sentence(frame, POWERMAP)

    spec = charts.decision_chart(frame, POWERMAP, sentence).to_dict()

    assert spec["description"] == sentence
    [squares] = layers_with_mark(spec, "rect")
    [words] = layers_with_mark(spec, "text")
    colour = squares["encoding"]["color"]
    assert colour["field"] == "Say"
    assert colour["scale"]["domain"] == ["Decides", "Asked first", "Only told", "Not involved", "Not said"]
    assert len(set(colour["scale"]["range"])) == 5
    assert words["encoding"]["text"]["field"] == "lines"
    assert "datum.Say" in words["transform"][0]["calculate"], "each square's own words, on two lines where columns are narrow"
    values = dataset_values(spec)
    assert {"Decides", "Only told", "Not involved", "Asked first", "Not said"} <= set(values)
    assert "Young people's panel" in values
    # four groups and three decisions: the longer list runs down the side, the shorter shares the width
    assert squares["encoding"]["y"]["field"] == "Group" and squares["encoding"]["x"]["field"] == "Decision"
    assert squares["encoding"]["x"]["sort"] == [
        "Choosing the research question", "Choosing how the study is designed", "Deciding how the money is spent"]


def compare_spec() -> tuple[dict, str]:
    before, after = team(), decided().without_stakeholder(0)
    sentence, _ = analysis.compare(POWERMAP, before, after)
    spec = charts.side_by_side(
        POWERMAP, analysis.map_frame(POWERMAP, before), analysis.map_frame(POWERMAP, after), ("January", "June"), sentence
    ).to_dict()
    return spec, sentence


def test_two_maps_to_compare_sit_one_above_the_other_named_earlier_and_later() -> None:
    spec, sentence = compare_spec()

    assert spec["description"] == sentence
    assert [part["title"]["text"] for part in spec["vconcat"]] == [["Earlier map: January"], ["Later map: June"]]
    assert all(part["width"] == "container" for part in spec["vconcat"]), "each map as wide as the page allows"


def test_two_maps_to_compare_give_each_group_the_same_colour_and_shape() -> None:
    spec, _ = compare_spec()

    scales = [layer["encoding"]["shape"]["scale"] for part in spec["vconcat"] for layer in part["layer"]
              if "shape" in layer["encoding"]]
    assert len(scales) == 2 and scales[0] == scales[1]


def test_the_svg_picture_shows_a_hostile_name_as_text() -> None:
    spec, _ = map_spec()

    svg = chart_picture(spec, "svg")

    assert svg.lstrip().startswith(b"<svg")
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert b"<script" not in svg
    assert b"Ward managers" in svg and b"Shape it and do it" in svg


def test_the_png_picture_is_a_png() -> None:
    spec, _ = map_spec()

    png = chart_picture(spec, "png")

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000


# -- readable on a phone and a laptop ------------------------------------------------------------------
def decision_spec() -> dict:
    frame = analysis.decision_frame(POWERMAP, decided())
    return charts.decision_chart(frame, POWERMAP, analysis.decision_sentence(frame, POWERMAP)).to_dict()


def every_chart() -> list[dict]:
    return [map_spec()[0], map_spec(show_names=False)[0], decision_spec(), compare_spec()[0]]


def test_every_chart_takes_the_width_of_its_box() -> None:
    for spec in every_chart():
        parts = spec.get("vconcat", [spec])
        assert all(part["width"] == "container" for part in parts)
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}


def test_no_chart_text_is_smaller_than_12px() -> None:
    for spec in every_chart():
        assert_chart_text_at_least(spec, SMALLEST)
        assert spec["config"]["title"]["subtitleFontSize"] >= SMALLEST


def test_no_group_name_is_cut_short() -> None:
    long_group = "Public partners with lived experience of mental illness and their families"
    spec, _ = map_spec(power_map(person("A", OWN_GROUP, own_group=long_group, influence=3, involvement=3)))
    for chart in [spec, *every_chart()]:
        limits = [value for key, value in walk(chart) if key in ("labelLimit", "limit")]
        assert limits and set(limits) == {0}, "0: no limit, so Vega never cuts a name short with '...'"
    assert long_group in dataset_values(spec)
    [present] = [layer for layer in layers_with_mark(spec, "point") if "shape" in layer["encoding"]]
    assert "split(" in present["encoding"]["shape"]["legend"]["labelExpr"], "a long group name breaks onto lines"


def test_the_picture_of_a_map_is_drawn_at_a_page_width() -> None:
    spec, _ = map_spec()

    assert for_picture(spec)["width"] == PICTURE_WIDTH
    svg = chart_picture(spec, "svg").decode()
    assert int(re.search(r'<svg[^>]* width="(\d+)"', svg).group(1)) == PICTURE_WIDTH


# -- people who share a spot -----------------------------------------------------------------------------
def spot_frame(*people: tuple[str, int, int]) -> pd.DataFrame:
    """(name, influence, involvement) for each person, as analysis.map_frame spreads them."""
    return analysis.map_frame(POWERMAP, power_map(*(person(name, influence=i, involvement=j) for name, i, j in people)))


def test_people_at_one_spot_share_one_label() -> None:
    spots = charts.spot_labels(spot_frame(("Ann", 2, 2), ("Bo", 2, 2), ("Cy", 2, 2), ("Di", 4, 4)), 5, 5)

    assert sorted(spots["Names"]) == ["Ann, Bo and Cy", "Di"]


def test_a_crowded_spot_names_a_few_and_counts_the_rest() -> None:
    crowd = [(f"Person {n}", 3, 3) for n in range(1, 8)]
    [label] = charts.spot_labels(spot_frame(*crowd), 5, 5)["Names"]

    assert label == "Person 1, Person 2, Person 3 and 4 more"


def test_labels_go_where_they_cover_no_other_spot_or_label() -> None:
    # the top row: spots at steps 2 and 5 (a label is about two steps wide on a phone), and one at step 4 below
    spots = charts.spot_labels(spot_frame(("Left", 5, 2), ("Right", 5, 5), ("Below right", 4, 5), ("Alone", 1, 1)), 5, 5)
    side = dict(zip(spots["Names"], spots["side"], strict=True))

    assert side["Left"] == "right", "towards the middle, where the row is free"
    assert side["Right"] == "left" or side["Right"] == "below"
    assert side["Right"] != "left" or side["Left"] != "right", "two labels never meet in the middle of a row"
    assert side["Below right"] in ("left", "below")
    assert side["Alone"] == "right"
    assert set(spots[spots["side"].isin(["above", "below"])]["align"]) <= {"left", "center", "right"}


def test_no_label_runs_off_the_map() -> None:
    spots = charts.spot_labels(spot_frame(("Top right", 5, 5), ("Top left", 5, 1), ("Bottom right", 1, 5)), 5, 5)
    place = {row.Names: (row.side, row.align) for row in spots.itertuples()}

    assert place["Top right"][0] in ("left", "below")
    assert place["Top left"][0] in ("right", "below")
    assert place["Bottom right"][0] in ("left", "above")
    for side, align in place.values():
        if side in ("above", "below"):
            assert align != "center"

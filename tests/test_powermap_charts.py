"""Power map charts are specs (dicts): their text alternative, encodings and inline data,
and the pictures vl-convert draws from them."""

from __future__ import annotations

from cofacilitate.offline import chart_picture
from cofacilitate.powermap import analysis, charts
from cofacilitate.powermap.model import MissingVoice, PowerMap
from tests.conftest import dataset_values, walk
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
    assert spec["title"]["text"] == "Who has a say, and who takes part"
    assert "Dashed circle: missing from the project" in spec["title"]["subtitle"]


def test_map_chart_holds_names_verbatim_as_data_and_fetches_nothing() -> None:
    spec, _ = map_spec()

    assert "url" not in {key for key, _ in walk(spec)}
    values = dataset_values(spec)
    assert HOSTILE in values and "Ward managers" in values and "Young carers" in values
    # The hostile name is only data (and the sentence, which Vega writes as an attribute):
    # it is never part of a mark, axis, title or expression.
    outside_data = {key: value for key, value in spec.items() if key not in {"datasets", "description"}}
    assert "<script" not in repr(outside_data)


def test_map_chart_writes_names_beside_the_points() -> None:
    spec, _ = map_spec()

    names = [layer for layer in layers_with_mark(spec, "text") if layer["encoding"]["text"]["field"] == "Name"]
    assert len(names) == 1
    assert names[0]["encoding"]["x"]["field"] == "x" and names[0]["encoding"]["y"]["field"] == "y"


def test_without_names_there_is_no_layer_of_names() -> None:
    spec, _ = map_spec(show_names=False)

    assert [layer for layer in layers_with_mark(spec, "text") if layer["encoding"]["text"]["field"] == "Name"] == []
    tooltips = [layer["encoding"]["tooltip"] for layer in layers_with_mark(spec, "point")]
    assert all({"field": "Name", "type": "nominal"} in tooltip for tooltip in tooltips), "names stay in the tooltips"


def test_groups_differ_by_shape_and_by_colour() -> None:
    spec, _ = map_spec()

    [present] = [layer for layer in layers_with_mark(spec, "point") if "shape" in layer["encoding"]]
    shape, stroke = present["encoding"]["shape"], present["encoding"]["stroke"]
    assert shape["field"] == stroke["field"] == present["encoding"]["fill"]["condition"]["field"] == "Group"
    groups = ["Funders and sponsors", "Health service managers", "Public partners with lived experience"]
    assert shape["scale"]["domain"] == stroke["scale"]["domain"] == groups
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
    assert x_axis["title"] == "How involved day to day" and x_axis["values"] == [1, 2, 3, 4, 5]
    assert '"Involved day to day"' in x_axis["labelExpr"]
    assert y_axis["title"] == "Influence over decisions" and '"Makes the big decisions"' in y_axis["labelExpr"]


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
    assert words["encoding"]["text"]["field"] == "Say"
    values = dataset_values(spec)
    assert {"Decides", "Only told", "Not involved", "Asked first", "Not said"} <= set(values)
    assert "Young people's panel" in values
    assert squares["encoding"]["y"]["sort"] == [
        "Choosing the research question", "Choosing how the study is designed", "Deciding how the money is spent"]


def test_side_by_side_puts_two_maps_together_with_the_sentence() -> None:
    before, after = team(), decided().without_stakeholder(0)
    sentence, _ = analysis.compare(POWERMAP, before, after)
    spec = charts.side_by_side(
        POWERMAP, analysis.map_frame(POWERMAP, before), analysis.map_frame(POWERMAP, after), ("January", "June"), sentence
    ).to_dict()

    assert spec["description"] == sentence
    assert [part["title"]["text"] for part in spec["hconcat"]] == ["January", "June"]


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

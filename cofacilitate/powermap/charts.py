"""Power map charts: the map itself, the decision grid, and two maps to compare.

Groups differ by colour and shape; who is missing is drawn as a dashed circle, who is not in the
room as an outline; each level of say is written in its square as well as coloured. Names go in
the data and tooltips, which Vega writes as text, so typed HTML never becomes markup.

Every chart is as wide as its box on the page, from a phone to a laptop: long words break onto
more lines rather than being cut short, and the people who share a spot on the map get one
label with all their names, never labels drawn over each other. Two maps to compare sit one
above the other, so each keeps the whole width.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from cofacilitate.chartkit import (
    COLOURS,
    QUIET_INK,
    SHAPES,
    WIDTH,
    alt,
    block,
    broken,
    finish,
    narrow,
    title,
    turning_labels,
    word_axis,
    wrapped,
)
from cofacilitate.powermap.analysis import IN_ROOM, MISSING
from cofacilitate.powermap.model import PowerMapVocabulary
from cofacilitate.words import join_words

QUIET_MAP = 20  # names fit on a small map up to about this many people
MOST_NAMES = 4  # names written at one spot; the rest are counted ("and 3 more") and all are in the table
SAY_COLOURS = ["#08306b", "#2171b5", "#9ecae1", "#f0f0f0", "#ffffff", "#ffffff"]
MAP_HEIGHT, COMPARE_HEIGHT = 480, 420
KEY = ["Filled: in the room.", "Outlined: not in the room.", "Dashed circle: missing from the project."]
CORNER_BAND = 0.6  # steps of room above the top row and below the bottom one, where the corners are named


GAP = 12  # px between a spot's points and its label


def label_place(involvement: int, influence: int, side: str, align: str, spread: float) -> tuple[float, float]:
    """Where a spot's label is anchored, in the map's units (a step is 1), just past the spot's points
    (`spread` from its middle); the mark adds GAP px."""
    if side in ("right", "left"):
        return involvement + (spread if side == "right" else -spread), influence
    across = {"left": -0.45, "right": 0.45, "center": 0.0}[align]  # a spot at the edge: keep the words inside
    return involvement + across, influence + (spread if side == "above" else -spread)


def spot_labels(frame: pd.DataFrame, steps: int, levels: int, most: int = MOST_NAMES) -> pd.DataFrame:
    """One label for each spot on the map (a step of involvement, out of `steps`, and one of influence, out
    of `levels`) that holds anyone: all their names together ("A, B and C"; past `most` names,
    "A, B, C and 2 more"), never one label per person drawn over the others.

    `side` says where to write it so that it covers no other spot and no other label: beside the spot's
    little cluster of points, towards the middle of the map, where the next two steps of that row are free
    (a label can be about two steps wide on a phone); else on the other side; else above or below the
    cluster; and where every side covers something, the side that covers least. `align` keeps a label
    above or below a spot at the edge inside the map. `x` and `y` anchor it."""
    names_at: dict[tuple[int, int], str] = {}
    spread_at: dict[tuple[int, int], float] = {}
    for (influence, involvement), here in frame.groupby(["influence", "involvement"], sort=True):
        names = list(here["Name"])
        shown = names if len(names) <= most else [*names[: most - 1], f"{len(names) - most + 1} more"]
        names_at[(int(influence), int(involvement))] = join_words(shown)
        spread_at[(int(influence), int(involvement))] = float(
            max((here["x"] - involvement).abs().max(), (here["y"] - influence).abs().max()))
    points, claimed = set(names_at), set[tuple[int, int]]()
    labels = []
    for (influence, involvement), names_words in names_at.items():
        reach: dict[str, list[tuple[int, int]]] = {}  # the spots a label on that side would cover
        if involvement < steps:
            reach["right"] = [(influence, involvement + step) for step in (1, 2) if involvement + step <= steps]
        if involvement > 1:
            reach["left"] = [(influence, involvement - step) for step in (1, 2) if involvement - step >= 1]
        if influence < levels:
            reach["above"] = [(influence + 1, involvement)]
        if influence > 1:
            reach["below"] = [(influence - 1, involvement)]
        towards_middle = ["right", "left"] if involvement <= (steps + 1) / 2 else ["left", "right"]
        # the first side, in that order, that covers nothing; else the one that covers least (a label over
        # another label is worse than a label over a point)
        side = min((side for side in [*towards_middle, "above", "below"] if side in reach),
                   key=lambda side: sum(2 if spot in claimed else 1 for spot in reach[side] if spot in claimed | points))
        claimed.update(reach[side])
        edge = "left" if involvement == 1 else "right" if involvement == steps else "center"
        align = {"right": "left", "left": "right"}.get(side, edge)
        x, y = label_place(involvement, influence, side, align, spread_at[(influence, involvement)])
        labels.append({"influence": influence, "involvement": involvement, "Names": names_words, "side": side,
                       "align": align, "x": x, "y": y})
    return pd.DataFrame(labels, columns=["influence", "involvement", "Names", "side", "align", "x", "y"])


def mark_scales(frames: Sequence[pd.DataFrame], marks: Mapping[str, int]) -> tuple[alt.Scale, alt.Scale]:
    """The colour and shape of each group on these maps, from its place among the marks: the same place,
    the same colour and shape, on every map of a project. Places past the colours go round them again
    with the shapes one step on, so no two places share both."""
    groups = sorted({group for frame in frames for group in frame[frame["Where"] != MISSING]["Group"]},
                    key=lambda group: (marks.get(group, len(marks)), group))
    places = [marks.get(group, len(marks) + number) for number, group in enumerate(groups)]
    colours = [COLOURS[place % len(COLOURS)] for place in places]
    shapes = [SHAPES[(place + place // len(COLOURS)) % len(SHAPES)] for place in places]
    return alt.Scale(domain=groups, range=colours), alt.Scale(domain=groups, range=shapes)


def card_marks(vocabulary: PowerMapVocabulary, *frames: pd.DataFrame) -> dict[str, int]:
    """Marks when the page gives none: the card's groups in its order, then the others as they first appear."""
    marks = {group.label: number for number, group in enumerate(vocabulary.groups)}
    for frame in frames:
        for group in frame[frame["Where"] != MISSING]["Group"]:
            marks.setdefault(group, len(marks))
    return marks


def _map(frame: pd.DataFrame, vocabulary: PowerMapVocabulary, show_names: bool, heading: str, key: bool,
         scales: tuple[alt.Scale, alt.Scale], height: int) -> alt.LayerChart:
    """The map's layers, not yet finished (two of them can sit in one chart)."""
    influence_steps, involvement_steps = len(vocabulary.influence), len(vocabulary.involvement)
    x_scale = alt.Scale(domain=[0.5, involvement_steps + 0.5], nice=False)
    # the corners' names have a band of their own above and below the rows, so no name of a person covers them
    y_scale = alt.Scale(domain=[0.5 - CORNER_BAND, influence_steps + 0.5 + CORNER_BAND], nice=False)
    palette, shapes = scales
    legend = alt.Legend(title="Group", orient="bottom", direction="vertical",
                        columns=alt.ExprRef(expr=f"{narrow()} ? 1 : 2"),
                        labelExpr=wrapped("datum.label", f"{narrow()} ? 34 : 56"))
    shape = alt.Shape("Group:N", scale=shapes, legend=legend)
    data = frame[["Name", "Group", "Where", "Influence", "Involvement", "Corner of the map", "x", "y"]]
    tooltip = ["Name:N", "Group:N", "Where:N", "Influence:N", "Involvement:N"]
    step = f"(width / {involvement_steps})"
    level_or_turned = f"{narrow()} ? 100 : max(9, {step} / 8)"  # turned labels need no breaks
    x = alt.X("x:Q", scale=x_scale,
              axis=word_axis([t.label for t in vocabulary.involvement], "How involved day to day", wrap=level_or_turned,
                             **turning_labels()))
    y = alt.Y("y:Q", scale=y_scale,
              axis=word_axis([t.label for t in vocabulary.influence], "Influence over decisions", wrap=14, side=True))
    # Screen readers meet each point by its tooltip's words; the words written on the map repeat them (and the
    # sentence and table say it all), so those are hidden from them, and so is a layer with nobody in it.
    here, gone = data[data["Where"] != MISSING], data[data["Where"] == MISSING]
    present = alt.Chart(here).mark_point(size=170, strokeWidth=2.5, opacity=1, aria=not here.empty).encode(
        x=x, y=y, shape=shape, tooltip=tooltip,
        stroke=alt.Color("Group:N", scale=palette, legend=legend),
        fill=alt.condition(alt.datum.Where == IN_ROOM, alt.Color("Group:N", scale=palette, legend=legend), alt.value("#ffffff")),
    )
    missing = alt.Chart(gone).mark_point(
        filled=False, size=200, strokeWidth=2.5, strokeDash=[3, 2], color="#000000", shape="circle", aria=not gone.empty
    ).encode(x=x, y=y, tooltip=tooltip)
    middle_x, middle_y = (involvement_steps + 1) / 2 + 0.5, (influence_steps + 1) / 2 + 0.5
    top, bottom, right = influence_steps + 0.45 + CORNER_BAND, 0.55 - CORNER_BAND, involvement_steps + 0.45
    corner = vocabulary.quadrants
    quadrant_labels = pd.DataFrame([
        {"x": right, "y": top, "text": corner.high_influence_high_involvement, "align": "right", "baseline": "top"},
        {"x": 0.55, "y": top, "text": corner.high_influence_low_involvement, "align": "left", "baseline": "top"},
        {"x": right, "y": bottom, "text": corner.low_influence_high_involvement, "align": "right", "baseline": "bottom"},
        {"x": 0.55, "y": bottom, "text": corner.low_influence_low_involvement, "align": "left", "baseline": "bottom"},
    ]).assign(dy=0)
    corners = (
        alt.Chart(quadrant_labels).transform_calculate(lines=wrapped("datum.text", "max(10, width / 2 / 8)"))
        .mark_text(align=alt.ExprRef(expr="datum.align"), fontStyle="italic", color=QUIET_INK, aria=False, **block("datum"))
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="lines:N")
    )
    dividers = [
        alt.Chart(pd.DataFrame({"x": [middle_x]})).mark_rule(strokeDash=[4, 4], color="#888888", aria=False)
        .encode(x=alt.X("x:Q", scale=x_scale)),
        alt.Chart(pd.DataFrame({"y": [middle_y]})).mark_rule(strokeDash=[4, 4], color="#888888", aria=False)
        .encode(y=alt.Y("y:Q", scale=y_scale)),
    ]
    layers = [*dividers, corners, present, missing]
    if show_names:
        # One label per spot, beside the little cluster of points there (at most 0.38 of a step across).
        spots = spot_labels(frame, involvement_steps, influence_steps)
        beside, over = f"min(24, max(10, {step} * 1.5 / 7.5))", f"min(24, max(12, {step} * 1.8 / 7.5))"
        side_ways = "(datum.side == 'left' || datum.side == 'right')"
        spots["baseline"] = spots["side"].map({"right": "middle", "left": "middle", "above": "bottom", "below": "top"})
        spots["dx"] = spots["side"].map({"right": GAP, "left": -GAP, "above": 0, "below": 0})
        spots["dy"] = spots["side"].map({"right": 0, "left": 0, "above": -GAP, "below": GAP})
        layers.append(
            alt.Chart(spots).transform_calculate(lines=wrapped("datum.Names", f"{side_ways} ? {beside} : {over}"))
            .mark_text(align=alt.ExprRef(expr="datum.align"), dx=alt.ExprRef(expr="datum.dx"), color="#1b1b1b",
                       aria=False, **block("datum"))
            .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="lines:N")
        )
    heading_words = title(heading, KEY) if key else title(heading)
    return alt.layer(*layers).properties(title=heading_words, width=WIDTH, height=height)


def map_chart(frame: pd.DataFrame, vocabulary: PowerMapVocabulary, sentence: str, show_names: bool = True,
              title: str = "Who has a say, and who takes part", height: int = MAP_HEIGHT,
              marks: Mapping[str, int] | None = None) -> alt.LayerChart:
    """Influence up the side, involvement along the bottom, four named corners; each group in its mark
    (`analysis.group_marks`), else in the card's order."""
    scales = mark_scales([frame], marks if marks is not None else card_marks(vocabulary, frame))
    return finish(_map(frame, vocabulary, show_names, title, True, scales, height), sentence)


def decision_chart(frame: pd.DataFrame, vocabulary: PowerMapVocabulary, sentence: str) -> alt.LayerChart:
    """A grid of decisions by groups: darker means more say, and the words are written in.

    The longer list runs down the side (rows can grow) and the shorter one along the bottom (columns
    share the width), so the grid fits a phone."""
    levels = [level.label for level in vocabulary.say_levels] + ["Not said"]
    data = frame[["Decision", "Group", "Say", "rank"]]
    decisions = list(dict.fromkeys(frame["Decision"]))
    groups = list(dict.fromkeys(frame["Group"]))
    (down, down_names), (along, along_names) = sorted(
        [("Decision", decisions), ("Group", groups)], key=lambda part: -len(part[1]))
    column = f"(width / {len(along_names)})"  # a column's width: the squares have no padding
    base = alt.Chart(data).encode(
        x=alt.X(f"{along}:N", sort=along_names, title=None, scale=alt.Scale(paddingInner=0, paddingOuter=0),
                axis=alt.Axis(orient="bottom", labelAngle=0, labelAlign="center", labelBaseline="top", domain=False,
                              ticks=False, **broken("datum.label", f"max(8, {column} / 8.5)", along_names, 8))),
        y=alt.Y(f"{down}:N", sort=down_names, title=None, scale=alt.Scale(paddingInner=0, paddingOuter=0),
                axis=alt.Axis(domain=False, ticks=False, **broken("datum.label", 20))),
        tooltip=["Decision:N", "Group:N", "Say:N"],
    )
    squares = base.mark_rect(stroke="#777777").encode(
        color=alt.Color("Say:N", scale=alt.Scale(domain=levels, range=SAY_COLOURS[: len(levels)]), title="Say in the decision",
                        legend=alt.Legend(orient="bottom", direction="vertical",
                                          columns=alt.ExprRef(expr=f"{narrow()} ? 2 : {len(levels)}")))
    )
    # the words of each square on two lines where the columns are narrow
    on_dark = alt.condition(alt.datum.rank <= 1, alt.value("#ffffff"), alt.value("#111111"))
    words = base.transform_calculate(lines=f"{column} < 110 ? split(datum.Say, ' ') : datum.Say").mark_text(
        aria=False, **block("middle")).encode(text="lines:N", color=on_dark)
    return finish(alt.layer(squares, words).properties(
        title=title("Where decision power sits"), width=WIDTH, height=alt.Step(48)), sentence)


def side_by_side(vocabulary: PowerMapVocabulary, before: pd.DataFrame, after: pd.DataFrame,
                 titles: tuple[str, str], sentence: str, marks: Mapping[str, int] | None = None) -> alt.VConcatChart:
    """Two maps to compare, the earlier one above the later one, each as wide as the page allows
    (side by side, neither would be readable on a phone); names only where the maps are quiet; the key to
    the marks once, under the first title."""
    scales = mark_scales([before, after], marks if marks is not None else card_marks(vocabulary, before, after))
    maps = [
        _map(frame, vocabulary, len(frame) <= QUIET_MAP, f"{which} map: {when}", which == "Earlier", scales, COMPARE_HEIGHT)
        for frame, which, when in zip((before, after), ("Earlier", "Later"), titles, strict=True)
    ]
    return finish(alt.vconcat(*maps, spacing=40), sentence)

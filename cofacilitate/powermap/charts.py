"""Power map charts: the map itself, the decision grid, and two maps side by side.

Groups differ by colour and shape; who is missing is drawn hollow; each level of say is
written in its square as well as coloured. Names go in the data and tooltips, which
Vega writes as text, so typed HTML never becomes markup.
"""

from __future__ import annotations

import pandas as pd

from cofacilitate.chartkit import COLOURS, SHAPES, alt, word_axis
from cofacilitate.powermap.analysis import IN_ROOM, MISSING
from cofacilitate.powermap.model import PowerMapVocabulary

QUIET_MAP = 20  # names fit on a small map up to about this many people
SAY_COLOURS = ["#08306b", "#2171b5", "#9ecae1", "#f0f0f0", "#ffffff", "#ffffff"]


def map_chart(frame: pd.DataFrame, vocabulary: PowerMapVocabulary, sentence: str, show_names: bool = True,
              title: str = "Who has a say, and who takes part", size: tuple[int, int] = (520, 420)) -> alt.LayerChart:
    """Influence up the side, involvement along the bottom, four named corners."""
    influence_steps, involvement_steps = len(vocabulary.influence), len(vocabulary.involvement)
    x_scale = alt.Scale(domain=[0.5, involvement_steps + 0.5], nice=False)
    y_scale = alt.Scale(domain=[0.5, influence_steps + 0.5], nice=False)
    groups = list(dict.fromkeys(frame[frame["Where"] != MISSING]["Group"]))
    palette = alt.Scale(domain=groups, range=(COLOURS * 3)[: len(groups)])
    legend = alt.Legend(title="Group", orient="bottom", columns=2, labelLimit=280)
    shape = alt.Shape("Group:N", scale=alt.Scale(domain=groups, range=(SHAPES * 3)[: len(groups)]), legend=legend)
    data = frame[["Name", "Group", "Where", "Influence", "Involvement", "Corner of the map", "x", "y"]]
    tooltip = ["Name:N", "Group:N", "Where:N", "Influence:N", "Involvement:N"]
    x = alt.X("x:Q", scale=x_scale,
              axis=word_axis([t.label for t in vocabulary.involvement], "How involved day to day",
                             labelAngle=-25, labelLimit=150))
    y = alt.Y("y:Q", scale=y_scale,
              axis=word_axis([t.label for t in vocabulary.influence], "Influence over decisions", labelLimit=170))
    present = alt.Chart(data[data["Where"] != MISSING]).mark_point(size=150, strokeWidth=2.5, opacity=1).encode(
        x=x, y=y, shape=shape, tooltip=tooltip,
        stroke=alt.Color("Group:N", scale=palette, legend=legend),
        fill=alt.condition(alt.datum.Where == IN_ROOM, alt.Color("Group:N", scale=palette, legend=legend), alt.value("#ffffff")),
    )
    missing = alt.Chart(data[data["Where"] == MISSING]).mark_point(
        filled=False, size=190, strokeWidth=2.5, strokeDash=[3, 2], color="#000000", shape="circle"
    ).encode(x=x, y=y, tooltip=tooltip)
    middle_x, middle_y = (involvement_steps + 1) / 2 + 0.5, (influence_steps + 1) / 2 + 0.5
    quadrant_labels = pd.DataFrame([
        {"x": involvement_steps + 0.45, "y": influence_steps + 0.4, "text": vocabulary.quadrants.high_influence_high_involvement,
         "align": "right"},
        {"x": 0.55, "y": influence_steps + 0.4, "text": vocabulary.quadrants.high_influence_low_involvement, "align": "left"},
        {"x": involvement_steps + 0.45, "y": 0.6, "text": vocabulary.quadrants.low_influence_high_involvement, "align": "right"},
        {"x": 0.55, "y": 0.6, "text": vocabulary.quadrants.low_influence_low_involvement, "align": "left"},
    ])
    corners = [
        alt.Chart(quadrant_labels[quadrant_labels["align"] == side])
        .mark_text(align=side, fontSize=12, fontStyle="italic", color="#444444")
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="text:N")
        for side in ("left", "right")
    ]
    dividers = [
        alt.Chart(pd.DataFrame({"x": [middle_x]})).mark_rule(strokeDash=[4, 4], color="#888888")
        .encode(x=alt.X("x:Q", scale=x_scale)),
        alt.Chart(pd.DataFrame({"y": [middle_y]})).mark_rule(strokeDash=[4, 4], color="#888888")
        .encode(y=alt.Y("y:Q", scale=y_scale)),
    ]
    layers = [*dividers, *corners, present, missing]
    if show_names:
        names = alt.Chart(data).mark_text(align="left", dx=9, dy=-6, fontSize=11, limit=140).encode(x=x, y=y, text="Name:N")
        layers.append(names)
    key = "Filled: in the room. Outlined: not in the room. Dashed circle: missing from the project."
    # small maps sit beside a big one
    heading = alt.TitleParams(title, subtitle=key) if size[0] >= 400 else alt.TitleParams(title)
    return alt.layer(*layers).properties(title=heading, width=size[0], height=size[1], description=sentence)


def decision_chart(frame: pd.DataFrame, vocabulary: PowerMapVocabulary, sentence: str) -> alt.LayerChart:
    """A grid of decisions by groups: darker means more say, and the words are written in."""
    levels = [level.label for level in vocabulary.say_levels] + ["Not said"]
    data = frame[["Decision", "Group", "Say", "rank"]]
    decisions = list(dict.fromkeys(frame["Decision"]))
    groups = list(dict.fromkeys(frame["Group"]))
    base = alt.Chart(data).encode(
        x=alt.X("Group:N", sort=groups, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=160)),
        y=alt.Y("Decision:N", sort=decisions, title=None, axis=alt.Axis(labelLimit=260)),
        tooltip=["Decision:N", "Group:N", "Say:N"],
    )
    squares = base.mark_rect(stroke="#777777").encode(
        color=alt.Color("Say:N", scale=alt.Scale(domain=levels, range=SAY_COLOURS[: len(levels)]), title="Say in the decision",
                        legend=alt.Legend(orient="bottom", direction="horizontal"))
    )
    words = base.mark_text(fontSize=11).encode(
        text="Say:N", color=alt.condition(alt.datum.rank <= 1, alt.value("#ffffff"), alt.value("#111111"))
    )
    return alt.layer(squares, words).properties(
        title="Where decision power sits", width=max(160, 95 * len(groups)), height=36 * len(decisions), description=sentence
    )


def side_by_side(vocabulary: PowerMapVocabulary, before: pd.DataFrame, after: pd.DataFrame,
                 titles: tuple[str, str], sentence: str) -> alt.HConcatChart:
    """Two maps small enough to sit side by side; names only where the maps are quiet."""
    maps = [
        map_chart(frame, vocabulary, "", show_names=len(frame) <= QUIET_MAP, title=title, size=(250, 260))
        for frame, title in zip((before, after), titles, strict=True)
    ]
    return alt.hconcat(*maps).properties(description=sentence)

"""Ladder charts: tidy frames in, altair charts out (specs are dicts, so tests read them).

Now and aim differ by shape as well as colour (Okabe-Ito blue and vermillion, safe for
colour-blind eyes), and every chart carries its sentence as its description.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cofacilitate.chartkit import COLOURS, alt, word_axis
from cofacilitate.ladder.model import LadderVocabulary

NOW_AIM = ["Now", "Aim"]
NOW_AIM_SHAPES = ["circle", "diamond"]


def _rung_axis(vocabulary: LadderVocabulary, title: str | None, **extra: Any) -> alt.Axis:
    return word_axis([rung.label for rung in vocabulary.rungs], title, **extra)


def gap_chart(frame: pd.DataFrame, vocabulary: LadderVocabulary, sentence: str) -> alt.LayerChart:
    """Each stage on its own line: a circle where things are now, a diamond at the aim."""
    stages = list(frame.sort_values("order")["Stage"])
    height = len(vocabulary.rungs)
    long = frame.melt(id_vars=["Stage", "order"], value_vars=["now_level", "aim_level"], var_name="which", value_name="level")
    long["Which"] = long["which"].map({"now_level": "Now", "aim_level": "Aim"})
    long["Rung"] = [vocabulary.rungs[int(level) - 1].label if pd.notna(level) else "" for level in long["level"]]
    long = long.dropna(subset=["level"]).astype({"level": "int64"})
    spans = frame.dropna(subset=["now_level", "aim_level"]).astype({"now_level": "int64", "aim_level": "int64"})
    x_scale = alt.Scale(domain=[0.5, height + 0.5])
    y = alt.Y("Stage:N", sort=stages, title=None, scale=alt.Scale(domain=stages))
    spans_layer = alt.Chart(spans[["Stage", "now_level", "aim_level"]]).mark_rule(strokeWidth=3, color="#777777").encode(
        y=y, x=alt.X("now_level:Q", scale=x_scale), x2="aim_level:Q"
    )
    points = alt.Chart(long[["Stage", "Which", "level", "Rung"]]).mark_point(filled=True, size=220, opacity=1).encode(
        y=y,
        x=alt.X("level:Q", scale=x_scale,
                axis=_rung_axis(vocabulary, "Rung of the ladder (further right is more shared)", labelAngle=-40, labelLimit=160)),
        color=alt.Color("Which:N", scale=alt.Scale(domain=NOW_AIM, range=COLOURS[:2]), title="Key"),
        shape=alt.Shape("Which:N", scale=alt.Scale(domain=NOW_AIM, range=NOW_AIM_SHAPES), title="Key"),
        tooltip=[alt.Tooltip("Stage:N"), alt.Tooltip("Which:N", title="Now or aim"), alt.Tooltip("Rung:N")],
    )
    return alt.layer(spans_layer, points).properties(
        title="Where involvement is now, and where we aim", width=460, height=44 * len(stages), description=sentence
    ).configure_axis(labelFontSize=13, titleFontSize=13).configure_legend(labelFontSize=13, titleFontSize=13)


def history_chart(frame: pd.DataFrame, vocabulary: LadderVocabulary, sentence: str) -> alt.FacetChart:
    """One small chart per stage: how 'now' moved from one assessment to the next."""
    stages = list(frame.drop_duplicates("Stage").sort_values("order")["Stage"])
    placed = frame.dropna(subset=["level"]).astype({"level": "int64"})[["number", "When", "Stage", "level", "Now"]]
    y = alt.Y("level:Q", scale=alt.Scale(domain=[0.5, len(vocabulary.rungs) + 0.5]), axis=_rung_axis(vocabulary, None))
    x = alt.X("number:O", title="Assessment (oldest first)", axis=alt.Axis(labelAngle=0))
    tooltip = [alt.Tooltip("When:N", title="Saved"), alt.Tooltip("Now:N", title="Now")]
    base = alt.Chart().encode(x=x, y=y, tooltip=tooltip)
    layered = alt.layer(
        base.mark_line(color=COLOURS[0], strokeWidth=2),
        base.mark_point(filled=True, size=90, color=COLOURS[0], shape="circle"),
        data=placed,
    ).properties(width=170, height=150)
    return layered.facet(facet=alt.Facet("Stage:N", sort=stages, title=None), columns=3).properties(
        title="How 'now' moved over time, stage by stage", description=sentence
    ).configure_axis(labelFontSize=12)

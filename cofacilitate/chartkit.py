"""What every tool's charts share: altair imported one way, axes labelled in words, colours and
shapes that stay apart for colour-blind eyes (Okabe-Ito), so that colour is never the only
signal, and charts that a person can read on a phone as well as a laptop.

Readable everywhere means:

- charts take the width of their box on the page (`width="container"`), so nothing is drawn past
  the edge of a phone's screen and nothing is shrunk below its font size;
- every piece of text is at least `SMALLEST` px, and none is cut short with "...": long words
  (group names, stage names, titles) break onto more lines instead, at a width that follows the
  chart's own width (`wrapped`);
- `finish` sets all of this once, at the top of a chart, with the chart's sentence.

A picture has no page to fit: `cofacilitate.offline.chart_picture` draws a container-wide chart
at `cofacilitate.offline.PICTURE_WIDTH`.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cofacilitate.offline import import_altair

if TYPE_CHECKING:
    import altair as alt
else:
    alt = import_altair()

COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999", "#F0E442"]
SHAPES = ["circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "triangle-right", "triangle-left", "wedge"]

SMALLEST = 12  # no text on a chart is smaller than this, in px on screen
TEXT = 14  # axis labels, legends, words written on a chart
HEADING = 15  # axis and legend titles, subtitles
TITLE = 17
LINE = TEXT + 3  # px from one line of chart text to the next
INK, QUIET_INK = "#1b1b1b", "#444444"  # both well over 4.5:1 on white
NARROW = 480  # a chart narrower than this (its plot, in px) is on a phone: labels turn, lines get shorter
WIDTH = "container"  # every chart on a page: as wide as its box


def _text(value: str) -> str:
    """A Python string as a Vega expression string literal."""
    return json.dumps(value)


def wrapped(text: str, chars: int | str) -> str:
    """A Vega expression: the text of the expression `text` broken at spaces into lines of at most `chars`
    characters (a number, or an expression such as one reading `width`). Vega draws the array it makes as
    lines. A single word longer than a line stays whole (never cut, never hyphenated)."""
    size = str(chars) if isinstance(chars, int) else f"' + floor({chars}) + '"
    pattern = "'(.{1," + size + "})(\\\\s+)|(\\\\S{" + size + ",})\\\\s*'"
    return f"split(trim(replace({text} + ' ', regexp({pattern}, 'g'), '$1$3\\n')), '\\n')"


def lines(text: str, chars: int) -> list[str]:
    """Text broken at spaces into lines of at most `chars` characters (for text that cannot be an expression)."""
    return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [""]


def tallest(labels: Sequence[str], chars: int) -> int:
    """How many lines the tallest of `labels` takes when broken at `chars` characters a line."""
    return max((len(lines(label, chars)) for label in labels), default=1)


def broken(text: str, chars: int | str, labels: Sequence[str] | None = None, fewest: int = 8) -> dict[str, Any]:
    """Axis settings for labels broken onto lines (see `wrapped`; `text` is their words as an expression).

    Vega places only the first line of a label at its tick, and sizes an axis as if every label were one
    line. So an axis down the side moves each label up to sit centred on its tick, and an axis along the
    bottom, given its `labels`, keeps room for the tallest one at the shortest lines it can be given
    (`fewest` characters): a room that follows the chart's width comes a drawing too late, and the
    chart's last lines are cut off."""
    words = wrapped(text, chars)
    settings: dict[str, Any] = {"labelExpr": words, "labelLineHeight": LINE, "labelLimit": 0}
    if labels is None:
        settings["labelOffset"] = alt.ExprRef(expr=f"-(length({words}) - 1) * {LINE / 2}")
    else:
        settings["minExtent"] = tallest(labels, fewest) * LINE + 8
    return settings


def block(baseline: str, field: str = "lines", size: int = TEXT, dy: float = 0) -> dict[str, Any]:
    """Text mark settings for a block of lines (from `wrapped`) placed by its top, middle or bottom: Vega
    places only the first line by `baseline`, so move the block up by the lines that follow it.

    `baseline="datum"`: each row of the data says its own (`baseline`, and `dy` in px), so one layer can
    hold labels placed in different ways."""
    height = LINE if size == TEXT else size + 3
    rest = f"(isArray(datum.{field}) ? length(datum.{field}) - 1 : 0) * {height}"
    settings: dict[str, Any] = {"fontSize": size, "lineHeight": height}
    if baseline == "datum":
        share = "(datum.baseline == 'middle' ? 0.5 : datum.baseline == 'bottom' ? 1 : 0)"
        return {**settings, "baseline": alt.ExprRef(expr="datum.baseline"),
                "dy": alt.ExprRef(expr=f"datum.dy - {rest} * {share}")}
    share_of = {"top": 0, "middle": 0.5, "bottom": 1}[baseline]
    move = alt.ExprRef(expr=f"{dy} - {rest} * {share_of}") if share_of else dy
    return {**settings, "baseline": baseline, "dy": move}


def narrow(width_signal: str = "width") -> str:
    """A Vega expression: true when the chart's plot is phone-narrow."""
    return f"{width_signal} < {NARROW}"


def word_axis(words: Sequence[str], title: str | None, wrap: int | str | None = None, *, side: bool = False,
              **extra: Any) -> alt.Axis:
    """An axis with ticks at 1..n, each labelled with its word (rungs, scale steps), never cut short;
    with `wrap`, long words break onto lines of about that many characters (see `broken`), on an axis
    down the `side` or along the bottom."""
    expression = "''"
    for position, word in reversed(list(enumerate(words, start=1))):
        expression = f"datum.value == {position} ? {_text(word)} : {expression}"
    settings: dict[str, Any] = {"labelExpr": expression, "labelLimit": 0}
    if wrap is not None:
        settings = broken(f"({expression})", wrap, None if side else words)
    # tickCount too: on a narrow chart Vega would otherwise thin the ticks out to about one per 40 px
    return alt.Axis(values=list(range(1, len(words) + 1)), tickCount=len(words), title=lines(title, 30) if title else title,
                    labelOverlap=False, **settings, **extra)


def turning_labels(angle: int = -40) -> dict[str, Any]:
    """Axis settings for labels along the bottom: level and centred when the plot is wide, turned on a phone."""
    return {
        "labelAngle": alt.ExprRef(expr=f"{narrow()} ? {angle} : 0"),
        "labelAlign": alt.ExprRef(expr=f"{narrow()} ? 'right' : 'center'"),
        "labelBaseline": alt.ExprRef(expr=f"{narrow()} ? 'middle' : 'top'"),
    }


def title(text: str, subtitle: str | list[str] = "") -> alt.TitleParams:
    """A chart's title (and subtitle) on lines short enough for a phone (bold 17 px letters are about 9.5 px wide).

    Written out here, not as an expression of the chart's width: Vega sizes a title from an expression
    as if it were one line, and draws its first lines above the top of the picture."""
    if isinstance(subtitle, str):
        subtitle = lines(subtitle, 40) if subtitle else []
    extra: dict[str, Any] = {"subtitle": subtitle} if subtitle else {}
    return alt.TitleParams(lines(text, 34), anchor="start", **extra)


def finish(chart: alt.TopLevelMixin, sentence: str) -> Any:
    """A chart made ready for a page: its sentence as its description, readable type, no label cut short.

    One `properties` call: altair copies the whole chart, data and all, at every call."""
    config = alt.Config(
        font="sans-serif",
        axis=alt.AxisConfig(labelFontSize=TEXT, titleFontSize=HEADING, labelLimit=0, labelColor=INK, titleColor=INK,
                            titlePadding=10),
        legend=alt.LegendConfig(labelFontSize=TEXT, titleFontSize=HEADING, labelLimit=0, labelColor=INK, titleColor=INK,
                                symbolSize=160),
        title=alt.TitleConfig(fontSize=TITLE, subtitleFontSize=HEADING, color=INK, subtitleColor=QUIET_INK, offset=12),
        header=alt.HeaderConfig(labelFontSize=TEXT, titleFontSize=HEADING, labelLimit=0),
        text=alt.MarkConfig(fontSize=TEXT, color=INK),
    )
    return chart.properties(description=sentence, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
                            config=config)

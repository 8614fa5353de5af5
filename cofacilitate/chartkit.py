"""What every tool's charts share: altair imported one way, axes labelled in words, and
colours and shapes that stay apart for colour-blind eyes (Okabe-Ito), so that colour is
never the only signal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cofacilitate.offline import import_altair

if TYPE_CHECKING:
    import altair as alt
else:
    alt = import_altair()

COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999", "#F0E442"]
SHAPES = ["circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "triangle-right", "triangle-left", "wedge"]


def word_axis(words: Sequence[str], title: str | None, **extra: Any) -> alt.Axis:
    """An axis with ticks at 1..n, each labelled with its word (rungs, scale steps)."""
    expression = "''"
    for position, word in reversed(list(enumerate(words, start=1))):
        expression = f"datum.value == {position} ? {json.dumps(word)} : {expression}"
    return alt.Axis(values=list(range(1, len(words) + 1)), labelExpr=expression, title=title, labelOverlap=False, **extra)

"""JSON read with care, from uploaded files and from the workspace alike.

Python's json module takes NaN and Infinity (which other programs cannot read back), turns
1e999 into infinity, and fails with a RecursionError on very deep nesting or a ValueError on
a number with thousands of digits. Here each of those becomes `UnusableJson` in plain words,
so a hostile file is refused like any other bad file.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DIGITS = 30


class UnusableJson(ValueError):
    """JSON text this app will not use; the message says why in plain words."""


def _no_constant(name: str) -> Any:
    raise UnusableJson(f"it holds '{name}', which is not a number this app can keep")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UnusableJson("it holds a number too big to keep")
    return value


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise UnusableJson(f"it holds a number with more than {MAX_DIGITS} digits")
    return int(text)


def loads(text: str) -> Any:
    """Like json.loads, but only for values this app can keep and write back out."""
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite, parse_int=_whole)
    except RecursionError:
        raise UnusableJson("it is nested more deeply than any answer set can be") from None

"""Small pandas helpers every tool's analysis shares."""

from __future__ import annotations

import csv
import re

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A line break inside a cell: some spreadsheets end a row at a lone carriage return, even in quotes.
_LINE_START = re.compile(r"(\r\n|\r|\n)(?=[=+\-@\t])")


def harmless(value: object) -> object:
    """Typed text that a spreadsheet could run as a formula, at the start of the cell or of any
    line inside it, gets a leading apostrophe; everything else is kept exactly."""
    if not isinstance(value, str):
        return value
    value = _LINE_START.sub(r"\1'", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for spreadsheets: UTF-8 with a byte order mark, every cell quoted, formula-like text made harmless."""
    return frame.map(harmless).to_csv(index=False, quoting=csv.QUOTE_ALL).encode("utf-8-sig")  # a BOM, so Excel reads UTF-8

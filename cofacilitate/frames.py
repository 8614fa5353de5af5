"""Small pandas helpers every tool's analysis shares."""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for spreadsheets, with typed text that looks like a formula made harmless."""

    def harmless(value: object) -> object:
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            return "'" + value
        return value

    return frame.map(harmless).to_csv(index=False).encode("utf-8")


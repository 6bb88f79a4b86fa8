"""Files the product writes for people to open in Excel: CSV bytes with formula injection
neutralised (a cell starting with =, +, -, @, tab or CR is prefixed with an apostrophe)."""
from __future__ import annotations

import pandas as pd

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        # A negative number typed as text is still a number to Excel: keep real numbers numeric.
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            # Cell by cell, kept as objects: a column of 2 and 2500.5 stays 2 and 2500.5, not 2.0.
            out[column] = pd.Series([neutralise(v) for v in out[column]], index=out.index, dtype=object)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel reads £ and accents correctly."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")

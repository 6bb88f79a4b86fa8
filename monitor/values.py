"""Small conversions every domain needs, written once: a value or a column as a date, as text, as a
number. DuckDB hands DATE columns over as timestamps and ENUMs as Categoricals; files give ISO
strings; tests give `datetime.date`s. These accept all of them and treat every kind of missing
(None, NaN, NaT, pd.NA) alike."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd


def is_missing(value) -> bool:
    """None, NaN, NaT or pd.NA (a string, even empty, is not missing)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array is a value
        return False


def as_date(value, *, required: bool = False) -> dt.date | None:
    """A `datetime.date` from a date, datetime, Timestamp, numpy datetime64 or ISO string; None when
    missing (or ValueError when `required`)."""
    if is_missing(value) or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError("a date is required")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) or hasattr(value, "dtype"):  # ISO text, numpy datetime64
        return pd.Timestamp(value).date()
    raise TypeError(f"not a date: {value!r}")


def day(value) -> pd.Timestamp:
    """A date-like value as a midnight Timestamp (NaT when missing)."""
    if is_missing(value):
        return pd.NaT
    stamp = pd.Timestamp(value)
    return stamp if pd.isna(stamp) else stamp.normalize()


_US = np.dtype("datetime64[us]")
_DAY_US = 86_400_000_000


def day_column(frame: pd.DataFrame | None, column: str) -> pd.Series:
    """A date column as midnight datetime64[us] (all NaT when the frame or column is absent)."""
    if frame is None or column not in frame.columns:
        return pd.Series(pd.NaT, index=None if frame is None else frame.index, dtype="datetime64[us]")
    values = frame[column]
    # DuckDB hands DATE columns over as midnight datetime64[us]: those are already the answer, and
    # converting them anyway was much of the cost of one programme's facts (a page asks dozens of times).
    if values.dtype == _US:
        ticks = values.to_numpy().view("i8")
        if ((ticks % _DAY_US == 0) | (ticks == np.iinfo(np.int64).min)).all():  # midnight or NaT
            return values
    values = pd.to_datetime(values)
    if not len(values):
        return values.astype("datetime64[us]")
    return values.dt.normalize().astype("datetime64[us]")


def day64(value) -> np.datetime64:
    """`day` as a numpy datetime64[us], to compare with a `day_column`'s values (NaT when missing)."""
    stamp = day(value)
    return np.datetime64("NaT", "us") if stamp is pd.NaT else stamp.to_datetime64().astype(_US)


def factorized(values, *, sort: bool = False) -> tuple[np.ndarray, object]:
    """pd.factorize(values): a text column is handed over as its NumPy array first (the same codes and
    unique values, at half the cost for a few dozen rows, where the facts call it often)."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype):
        values = values.to_numpy()
    return pd.factorize(values, sort=sort)


def per_row(keys: pd.Series, values: Mapping, missing=None, dtype=None) -> np.ndarray:
    """`values`' value of each row's key (`missing` for a key not in it, or a missing key), as an array:
    looked up once per distinct key, not once per row (a frame of one programme or of every one)."""
    codes, uniques = factorized(keys)
    return np.array([values.get(k, missing) for k in uniques] + [missing], dtype=dtype)[codes]


def text(value, missing: str = "") -> str:
    """A value as display text; `missing` for None/NaN/NaT."""
    return missing if is_missing(value) else str(value)


def text_or_none(value) -> str | None:
    """A value as text, or None when missing."""
    return None if is_missing(value) else str(value)


def filled(value) -> str | None:
    """Text someone wrote, trimmed; None when missing, empty or only spaces."""
    return None if is_missing(value) else (str(value).strip() or None)


def text_column(values: pd.Series) -> pd.Series:
    """Plain Python strings (or None) from str, object or Categorical columns, so groupbys don't
    invent rows for unobserved categories and comparisons behave the same for all of them."""
    # A text column ("str", as DuckDB hands VARCHARs over) with a value is already the answer (the
    # value-by-value conversion below gives back the same column): not converted again, as that was
    # much of the cost of a plan's thousands of snapshots.
    if values.dtype == _STR and values.notna().any():
        return values.copy(deep=False)
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    return values.astype(object).where(values.notna(), None).map(lambda v: v if v is None else str(v))


_STR = pd.StringDtype(na_value=np.nan)


def number(value) -> float | None:
    """A float, or None when missing or not a number."""
    if is_missing(value):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def json_number(value):
    """A JSON-able number: an int when whole, else rounded to 4 places; None when missing."""
    out = number(value)
    if out is None:
        return None
    return int(out) if out.is_integer() else round(out, 4)


def text_list(values, missing: str = "") -> list[str]:
    """Every value of a column as display text, `missing` for missing ones."""
    return [text(v, missing) for v in values]


def counts_by(flags: pd.DataFrame | Mapping, column: str) -> dict[object, dict[str, int]]:
    """How many rows of each `column` group have each flag (a boolean column) set, as plain ints:
    {group: {flag: count}} in the groups' sorted order; a group with no rows is absent (read it as
    all zero). `flags` is a frame, or a mapping of equal-length columns (arrays or Series)."""
    # Counted with numpy, once per flag: a groupby's fixed cost was most of one programme's count.
    codes, groups = factorized(flags[column], sort=True)
    kept = codes >= 0  # a missing group is no group, as in a groupby
    codes = codes[kept]
    names = [name for name in flags if name != column]
    counts = [np.bincount(codes, weights=_ones(flags[name])[kept], minlength=len(groups)) for name in names]
    return {group: {name: int(n[i]) for name, n in zip(names, counts)} for i, group in enumerate(groups)}


def _ones(flag) -> np.ndarray:
    """A boolean column as 1/0 (missing counts as 0, as a groupby's sum skips it)."""
    if isinstance(flag, pd.Series):
        return flag.to_numpy(dtype="int64", na_value=0)
    return np.asarray(flag, dtype="int64")


def sorted_rows(frame: pd.DataFrame, columns: list[str], *, first: int | None = None) -> pd.DataFrame:
    """`frame` sorted by `columns` as sort_values(columns, kind="stable") sorts it (missing values
    last), and with `first` only each group's first rows (a groupby(columns[0]).head(first), rows
    missing the first column a group of their own): read as plain arrays (dates as their ticks,
    anything else factorised), for a few dozen rows sort_values' fixed cost was most of the time."""
    if not len(frame):
        return frame
    keys = []
    for column in reversed(columns):  # np.lexsort's last key sorts first
        values = frame[column]
        if isinstance(values.dtype, np.dtype) and values.dtype.kind == "M":  # dates: their ticks, NaT last
            ticks = values.to_numpy().view("i8")
            keys.append(np.where(ticks == np.iinfo(np.int64).min, np.iinfo(np.int64).max, ticks))
            continue
        codes, uniques = factorized(values, sort=True)
        keys.append(np.where(codes < 0, len(uniques), codes))
    order = np.lexsort(keys)
    if first is not None:
        group = keys[-1][order]
        position = np.arange(len(order))
        starts = np.maximum.accumulate(np.where(np.r_[True, group[1:] != group[:-1]], position, 0))
        order = order[position - starts < first]
    return frame.take(order)


def records_by(frame: pd.DataFrame, column: str) -> dict:
    """The rows of `frame` as dicts (`rows_of`), grouped by `column` (each group in the frame's order):
    one conversion of the whole frame, not one per group (with every programme of the country, the
    per-group conversions were most of the cost of their facts)."""
    out: dict = {}
    for row in rows_of(frame):
        out.setdefault(row[column], []).append(row)
    return out


def rows_of(frame: pd.DataFrame) -> list[dict]:
    """The rows of `frame` as dicts, the same values as to_dict("records"), read a column at a time
    (a text column is read whole, not a value at a time): for rules that walk a few dozen rows,
    where filtering a list beats building a frame per group, and to_dict's conversion a value at a
    time was most of the cost."""
    columns = list(frame.columns)
    return [dict(zip(columns, values)) for values in zip(*(_plain_values(frame[c]) for c in columns))]


def _plain_values(column: pd.Series) -> list:
    """A column's values as to_dict("records") gives them: a missing value held as pd.NA (a nullable
    number's, flag's or text's) as None, anything else as tolist gives it (missing text: NaN)."""
    values = column.tolist()
    kind = column.dtype
    if not isinstance(kind, pd.api.extensions.ExtensionDtype) or getattr(kind, "na_value", pd.NA) is not pd.NA:
        return values
    return [None if value is pd.NA else value for value in values]

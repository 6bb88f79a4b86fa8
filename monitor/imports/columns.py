"""Many rows at once: rows held by column (`Rows`), a function applied once per distinct value of a
column (`per_distinct`), and the JSON the change log stores for each row (`json_objects`).

A 100,000-row import holds few distinct values per column (ids, statuses, dates), so working per
column and per distinct value keeps the Python work per value rather than per cell, with every
value still computed by the same function as one cell at a time.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

# Types whose equal values always give equal results (not float: 0.0 == -0.0; not Decimal:
# 1.5 == 1.50; not datetime: equal instants in two time zones), so one call per distinct value
# stands for every cell holding it.
_CACHEABLE = frozenset({str, int, bool, dt.date})


class _Missing:
    """A cell a row did not name at all (unlike None, a value of NULL)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def per_distinct(values: Sequence, fn: Callable[[Any], Any], *, keeps_text: bool = False) -> list:
    """[fn(v) for v in values], calling fn once per distinct value when that is the same thing.
    `keeps_text`: fn returns text and None as they are, so a column of text needs no call at all."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if keeps_text and kinds <= {str}:
        return values if isinstance(values, list) else list(values)
    if len(kinds) != 1 or not kinds <= _CACHEABLE:
        if not kinds and values:  # all None
            return [fn(None)] * len(values)
        return [fn(v) for v in values]
    done = {v: fn(v) for v in dict.fromkeys(values)}
    return list(map(done.__getitem__, values))


class Rows:
    """Rows held by column: {column: [value of each row]}, every list the same length."""

    __slots__ = ("columns", "length", "sparse")

    def __init__(self, columns: dict[str, list], length: int, sparse: bool = False):
        self.columns = columns
        self.length = length
        self.sparse = sparse  # some cells may be MISSING

    @classmethod
    def from_records(cls, records: list[dict], names: Iterable[str] | None = None) -> Rows:
        """Dicts to columns; a key a dict leaves out is MISSING in it."""
        names = list(dict.fromkeys(c for r in records for c in r)) if names is None else list(names)
        sparse = any(len(r) != len(names) for r in records)
        return cls({n: [r.get(n, MISSING) for r in records] for n in names}, len(records), sparse)

    @classmethod
    def from_result(cls, names: list[str], tuples: list[tuple]) -> Rows:
        """A query's fetchall() (rows as tuples) by column."""
        columns = list(map(list, zip(*tuples))) if tuples else [[] for _ in names]
        return cls(dict(zip(names, columns)), len(tuples))

    def __len__(self) -> int:
        return self.length

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def get(self, name: str) -> list:
        """The column, or None for every row when there is no such column."""
        column = self.columns.get(name)
        return [None] * self.length if column is None else column

    def at(self, name: str, positions: Sequence[int | None]) -> list:
        """The column's value at each position (None where the position is None)."""
        if not self.length:
            return [None] * len(positions)
        column = self.get(name)
        if None not in positions:
            return list(map(column.__getitem__, positions))
        return [None if p is None else column[p] for p in positions]

    def keys(self, names: Sequence[str]) -> list[tuple]:
        """Each row's values of `names`, as tuples."""
        if not names:
            return [()] * self.length
        return list(zip(*(self.get(n) for n in names)))

    def index(self, names: Sequence[str]) -> dict[tuple, int]:
        """{values of `names`: row position} (the last row wins, as a dict built row by row)."""
        return dict(zip(self.keys(names), range(self.length)))

    def record(self, i: int) -> dict:
        return {n: c[i] for n, c in self.columns.items() if c[i] is not MISSING}

    def records(self) -> list[dict]:
        names = self.names
        return [{n: v for n, v in zip(names, values) if v is not MISSING}
                for values in zip(*self.columns.values())] if names else [{} for _ in range(self.length)]

    def subset(self, positions: Sequence[int]) -> Rows:
        """The rows at `positions` (ascending, distinct): these rows themselves when that is all."""
        return self if len(positions) == self.length else self.take(positions)

    def take(self, positions: Sequence[int]) -> Rows:
        return Rows({n: [c[i] for i in positions] for n, c in self.columns.items()}, len(positions), self.sparse)


def plain(value: Any) -> Any:
    """JSON-able, comparable form of a database or pandas value."""
    if type(value) in (str, int, bool):  # the common cases first
        return value
    if type(value) is dt.date:
        return value.isoformat()
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    return value


def sql_text(value: Any) -> str | None:
    """A value as the text DuckDB casts back to the same value (bound via a registered frame)."""
    if type(value) is str:
        return value
    value = plain(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def plains(values: Sequence) -> list:
    """`plain` of every value."""
    return per_distinct(values, plain, keeps_text=True)


def sql_texts(values: Sequence) -> list:
    """`sql_text` of every value."""
    return per_distinct(values, sql_text, keeps_text=True)


def json_object(row: dict) -> str:
    """One row as the change log stores it."""
    return json.dumps({k: plain(v) for k, v in row.items()}, sort_keys=True)


def json_objects(rows: Rows, names: Sequence[str] | None = None) -> list[str]:
    """`json_object` of every row (of its `names` columns), the same text, built column by column:
    each key's '"name": value' once per distinct value, then joined in key order per row."""
    names = sorted(rows.names if names is None else names)
    if not names:
        return ["{}"] * len(rows)
    parts = []
    for n, name in enumerate(names):  # the braces go into the first and last fragments
        before = ("{" if n == 0 else "") + json.dumps(name) + ": "
        after = "}" if n == len(names) - 1 else ""
        parts.append(per_distinct(rows.get(name), lambda v, b=before, a=after: b + json.dumps(plain(v)) + a))
    return list(map(", ".join, zip(*parts)))

"""The small conversions every domain's facts use (monitor.values): grouping rows as dicts and
counting flags per group give what pandas' own row-by-row conversion gives, missing values included."""
import math

import numpy as np
import pandas as pd

from monitor.values import counts_by, records_by


def _same(a, b) -> bool:
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b))
                                   or (a is pd.NaT and b is pd.NaT))


def test_records_by_reads_text_columns_whole_and_gives_the_same_values():
    frame = pd.DataFrame({
        "programme_id": pd.Series(["a", "b", "a"], dtype="str"),
        "grade": pd.Series(["Good", None, "Outstanding"], dtype="str"),            # Arrow-held text, one missing
        "note": pd.Series(["x", None, "z"], dtype="string"),                       # pd.NA text: left to pandas
        "when": pd.to_datetime(["2024-01-02", None, "2025-03-04"]),
        "order": pd.Series([1, 2, 3], dtype="int32"),
        "months": pd.Series([6, None, 3], dtype="Int32"),
        "score": [1.5, np.nan, 2.0],
    })
    expected: dict = {}
    for row in frame.to_dict("records"):
        expected.setdefault(row["programme_id"], []).append(row)
    got = records_by(frame, "programme_id")
    assert list(got) == list(expected) == ["a", "b"]
    for key in expected:
        for want, have in zip(expected[key], got[key], strict=True):
            assert set(want) == set(have)
            assert all(_same(want[c], have[c]) for c in want), (want, have)


def test_counts_by_counts_each_flag_per_group_as_plain_ints():
    flags = pd.DataFrame({"programme_id": ["a", "a", "b"], "open": [True, False, True], "high": [True, False, False]})
    counts = counts_by(flags, "programme_id")
    assert counts == {"a": {"open": 1, "high": 1}, "b": {"open": 1, "high": 0}}
    assert all(type(n) is int for row in counts.values() for n in row.values())
    assert counts_by(flags.iloc[:0], "programme_id") == {}

"""The small conversions every domain's facts use (monitor.values): rows as dicts, rows sorted and
flags counted per group give what pandas' own to_dict, sort_values and groupby give, missing values
included."""
import math

import numpy as np
import pandas as pd

from monitor.values import counts_by, records_by, rows_of, sorted_rows


def _same(a, b) -> bool:
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b))
                                   or (a is pd.NaT and b is pd.NaT))


def test_records_by_and_rows_of_read_columns_whole_and_give_the_same_values():
    frame = pd.DataFrame({
        "programme_id": pd.Series(["a", "b", "a"], dtype="str"),
        "grade": pd.Series(["Good", None, "Outstanding"], dtype="str"),            # Arrow-held text, one missing
        "note": pd.Series(["x", None, "z"], dtype="string"),                       # pd.NA text: left to pandas
        "when": pd.to_datetime(["2024-01-02", None, "2025-03-04"]),
        "order": pd.Series([1, 2, 3], dtype="int32"),
        "months": pd.Series([6, None, 3], dtype="Int32"),
        "score": [1.5, np.nan, 2.0],
        "flag": pd.Series([True, None, False], dtype="boolean"),
        "kind": pd.Series(["board", None, "review"], dtype="category"),
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
    for want, have in zip(frame.to_dict("records"), rows_of(frame), strict=True):
        assert list(want) == list(have) and all(_same(want[c], have[c]) for c in want), (want, have)


def test_sorted_rows_orders_as_sort_values_and_keeps_each_groups_first_rows():
    rng = np.random.default_rng(2026)
    for _ in range(200):
        n = int(rng.integers(0, 30))
        frame = pd.DataFrame({
            "programme_id": pd.array(rng.choice(["a", "b", "c"], n), dtype="str"),
            "due_date": pd.to_datetime(rng.choice(["2026-01-05", "2025-11-30", None, "2027-02-01"], n)),
            "key": rng.integers(0, 4, n),
        }, index=rng.permutation(n) + 10)
        for columns in (["programme_id", "due_date"], ["programme_id", "due_date", "key"]):
            expected = frame.sort_values(columns, kind="stable")  # missing dates last, ties in frame order
            pd.testing.assert_frame_equal(sorted_rows(frame, columns), expected)
            pd.testing.assert_frame_equal(sorted_rows(frame, columns, first=2), expected.groupby("programme_id").head(2))


def test_counts_by_counts_each_flag_per_group_as_plain_ints():
    flags = pd.DataFrame({"programme_id": ["a", "a", "b"], "open": [True, False, True], "high": [True, False, False]})
    counts = counts_by(flags, "programme_id")
    assert counts == {"a": {"open": 1, "high": 1}, "b": {"open": 1, "high": 0}}
    assert all(type(n) is int for row in counts.values() for n in row.values())
    assert counts_by(flags.iloc[:0], "programme_id") == {}

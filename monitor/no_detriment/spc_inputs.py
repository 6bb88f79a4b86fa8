"""The XmR engine's inputs checked before anything is computed (monitor.no_detriment.spc): the
improvement direction, run lengths, the baseline, rebase points, the target, and the values as
floats — each refused with a plain message naming what is wrong."""
from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

import numpy as np
import pandas as pd

DIRECTIONS = ("increase", "decrease", "neutral")


def _check_direction(improvement: object) -> str:
    if not isinstance(improvement, str) or improvement not in DIRECTIONS:
        raise ValueError(
            f"improvement must be one of 'increase', 'decrease' or 'neutral', got {improvement!r}"
        )
    return improvement


def _check_run_length(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or int(value) not in (6, 7):
        raise ValueError(f"{name} must be 6 or 7 (Making Data Count run lengths), got {value!r}")
    return int(value)


def _check_baseline(baseline_points: object) -> int | None:
    if baseline_points is None:
        return None
    if isinstance(baseline_points, bool) or not isinstance(baseline_points, Integral):
        raise ValueError(f"baseline_points must be a whole number of points or None, got {baseline_points!r}")
    if int(baseline_points) < 2:
        raise ValueError(
            f"baseline_points must be at least 2 (a moving range needs two points), got {baseline_points!r}"
        )
    return int(baseline_points)


def _check_rebase(rebase_at: object, n: int) -> list[int]:
    if rebase_at is None:
        return []
    if isinstance(rebase_at, (str, bytes)) or not isinstance(rebase_at, Iterable):
        raise ValueError(f"rebase_at must be a sequence of 0-based positions, got {rebase_at!r}")
    positions: list[int] = []
    for p in rebase_at:
        if isinstance(p, bool) or not isinstance(p, Integral):
            raise ValueError(f"rebase_at positions must be whole numbers, got {p!r}")
        p = int(p)
        if not 1 <= p < n:
            raise ValueError(
                f"rebase_at position {p} is out of range: a new section must start between "
                f"position 1 and {n - 1} (0-based) for {n} values"
            )
        if positions and p <= positions[-1]:
            raise ValueError(
                f"rebase_at positions must be strictly increasing (sorted, no repeats), got {list(rebase_at)!r}"
            )
        positions.append(p)
    return positions


def _check_target(target: object) -> float | None:
    if target is None:
        return None
    if isinstance(target, bool) or not isinstance(target, Real) or not math.isfinite(float(target)):
        raise ValueError(f"target must be a finite number or None, got {target!r}")
    return float(target)


def _as_float_series(values: object) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        raise ValueError("values must be one-dimensional (a list, array or Series), not a DataFrame")
    if isinstance(values, (str, bytes)):
        raise ValueError("values must be a sequence of numbers, not a string")
    series = values.copy() if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    try:
        numeric = pd.to_numeric(series, errors="raise")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"values must be numbers or None/NaN for missing figures: {exc}") from None
    out = pd.Series(np.asarray(numeric, dtype="float64"), index=series.index, name="value")
    if np.isinf(out.to_numpy()).any():
        raise ValueError("values must be finite numbers (or None/NaN for missing figures), not infinity")
    return out

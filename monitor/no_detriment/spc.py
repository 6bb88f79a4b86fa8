"""Statistical process control (XmR charts) following NHS England's "Making Data Count".

Pure Python / numpy / pandas: no Streamlit, no DuckDB.  Pages call :func:`xmr` to
get one row per period, then :func:`variation_icon`, :func:`assurance_icon` and
:func:`describe` to summarise the latest position in words, symbols and colours.

Method (Making Data Count, "MDC")
---------------------------------
* Centre line = mean of the points used for the limits.
* Moving ranges ``|x_i - x_(i-1)|``; process limits = mean +/- 2.66 x mean moving
  range; two-sigma lines = mean +/- (2/3) x 2.66 x mean moving range.
* Optional moving-range screening (``screen_outliers=True``, off by default as in
  MDC's Excel tool): moving ranges >= 3.267 x mean moving range are dropped and the
  mean moving range is recomputed once.  Screening is skipped when the mean moving
  range is 0 (otherwise every zero moving range would be ">= 0" and dropped).
* Special-cause rules, all run within one section only:

  ``beyond_limits``  a point strictly above the upper or strictly below the lower
                     process limit (a point exactly on a limit is not special).
  ``shift``          ``shift_points`` (7, or 6) points in a row on the same side of
                     the mean; a point exactly on the mean breaks the run; every
                     point of the run is flagged.
  ``trend``          ``trend_points`` (7, or 6) points each strictly higher (or
                     strictly lower) than the one before; a tie breaks the run;
                     every point of the run is flagged.
  ``two_of_three``   two of three consecutive points strictly beyond a two-sigma
                     line on the same side of the mean, with all three points on
                     that side.  Points beyond the process limit do not count
                     towards the two (they are already ``beyond_limits``) but do
                     count as "on that side".  Only the points beyond two sigma
                     (and not beyond the limit) are flagged.

* Each flagged point has a side: high (above the mean, or part of a rising trend)
  or low.  ``improvement="increase"``: high = improvement, low = concern;
  ``"decrease"``: the reverse; ``"neutral"``: ``special_cause_neutral_high`` /
  ``special_cause_neutral_low``.  A point flagged on both sides (e.g. a rising
  trend that sits below the mean for 7 points) is shown as improvement, as MDC's
  Excel tool does; ``signal_side`` records ``"both"`` and ``rules`` keeps every
  rule that fired.  With a neutral direction such a point takes the side of the
  mean it sits on (high if exactly on the mean).

Sections, baselines and provisional limits
------------------------------------------
* ``rebase_at`` holds 0-based positions where a new section starts (a
  recalculation break).  Each section gets its own mean and limits from its own
  points.  Moving ranges, runs and two-of-three windows never cross a section
  boundary, so the first point of every section has no moving range.
* ``baseline_points=k`` fixes the limits of the FIRST section on its first ``k``
  rows (positions, gaps included) and extends them to the rest of that section.
  Later sections always use all of their own points.  If the first section is
  shorter than ``k`` rows, all of its rows are used.
* A section whose limits rest on fewer than 13 non-missing values gets
  ``provisional=True`` on all its rows; the limits are still computed.

Missing values (suppressed official figures)
--------------------------------------------
``None`` / ``NaN`` values are gaps: never zero, never interpolated.

* The row is kept with ``value`` NaN, ``point_type == ""``, ``rules == ""``,
  ``signal_side == ""`` and ``moving_range`` NaN; its mean, limits, two-sigma
  lines and ``provisional`` flag are those of its section, like its neighbours.
* A moving range is never computed across a gap: the moving range of the point
  after a gap is NaN (and does not enter the mean moving range).
* For shift, trend and two-of-three a gap is skipped: it neither counts towards a
  run nor breaks it.  The trend rule compares a point with the previous
  non-missing point of the section, and "three consecutive points" means three
  consecutive non-missing points.
* If no moving range at all can be computed for a section's limits (fewer than
  two adjacent non-missing values), its limits are NaN and only ``shift`` (when
  there is a mean) and ``trend`` can fire.

Zero spread
-----------
When every moving range is 0 the limits and two-sigma lines collapse onto the
mean.  Points equal to the mean are never special: the rules need strictly beyond
a limit / two-sigma line, and a point on the mean breaks a shift.  A point OFF the
mean (possible after a fixed baseline or across a gap) is strictly beyond a
collapsed limit, so it is flagged ``beyond_limits`` as MDC's arithmetic dictates,
and a run of such points is also a ``shift``.  ``two_of_three`` can never fire,
because any point beyond a collapsed two-sigma line is also beyond the limit.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from monitor.no_detriment.spc_inputs import (DIRECTIONS, _as_float_series, _check_baseline, _check_direction,
                                             _check_rebase, _check_run_length, _check_target)

__all__ = ["DIRECTIONS", "MIN_POINTS_FOR_LIMITS", "POINT_TYPES", "RULE_NAMES", "xmr", "xmr_arrays", "xmr_frame"]


LIMIT_FACTOR = 2.66
TWO_SIGMA_FACTOR = 2.0 * LIMIT_FACTOR / 3.0
SCREEN_FACTOR = 3.267
MIN_POINTS_FOR_LIMITS = 13
RULE_NAMES = ("beyond_limits", "shift", "trend", "two_of_three")
POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)


COLUMNS = (
    "value",
    "section",
    "mean",
    "lower_limit",
    "upper_limit",
    "lower_two_sigma",
    "upper_two_sigma",
    "moving_range",
    "used_for_limits",
    "provisional",
    "rules",
    "signal_side",
    "point_type",
    "target",
)


def _limits(window: np.ndarray, screen_outliers: bool) -> tuple[float, float, int]:
    """Mean, mean moving range and number of non-missing values of a limits window."""
    present = ~np.isnan(window)
    used = int(present.sum())
    mean = float(window[present].mean()) if used else math.nan
    # Moving ranges only between adjacent non-missing values: never across a gap.
    ranges = np.abs(np.diff(window))
    ranges = ranges[~np.isnan(ranges)]
    if ranges.size == 0:
        return mean, math.nan, used
    amr = float(ranges.mean())
    if screen_outliers and amr > 0:
        kept = ranges[ranges < SCREEN_FACTOR * amr]
        amr = float(kept.mean())
    return mean, amr, used


def _runs(keys: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """Maximal runs (start, stop, key) of equal non-zero keys at least ``min_len`` long."""
    found = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start] != 0 and i - start >= min_len:
                found.append((start, i, int(keys[start])))
            start = i
    return found


def _section_signals(
    v: np.ndarray,
    mean: float,
    lower: float,
    upper: float,
    lower2: float,
    upper2: float,
    shift_points: int,
    trend_points: int,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """High/low flags per rule for the non-missing values ``v`` of one section, in order."""
    m = len(v)
    with np.errstate(invalid="ignore"):
        side = np.where(v > mean, 1, np.where(v < mean, -1, 0))  # 0 also when mean is NaN
        above, below = v > upper, v < lower
        beyond = above | below
        close = ~beyond & ((v > upper2) | (v < lower2))

    shift_hi, shift_lo = np.zeros(m, bool), np.zeros(m, bool)
    for start, stop, key in _runs(side, shift_points):
        (shift_hi if key > 0 else shift_lo)[start:stop] = True

    trend_hi, trend_lo = np.zeros(m, bool), np.zeros(m, bool)
    if m >= 2:
        steps = np.sign(np.diff(v)).astype(int)  # steps[j] compares v[j + 1] with v[j]
        for start, stop, key in _runs(steps, trend_points - 1):
            (trend_hi if key > 0 else trend_lo)[start : stop + 1] = True

    # Two of three: every window of three consecutive points (vectorised: this runs for thousands
    # of indicators on the Overview).
    two_hi, two_lo = np.zeros(m, bool), np.zeros(m, bool)
    if m >= 3:
        for key, flags in ((1, two_hi), (-1, two_lo)):
            on_side = side == key
            near = close & on_side
            fires = (on_side[:-2] & on_side[1:-1] & on_side[2:]
                     & (near[:-2].astype(int) + near[1:-1] + near[2:] >= 2))
            for t in range(3):
                flags[t : m - 2 + t] |= fires & near[t : m - 2 + t]

    return {
        "beyond_limits": (above, below),
        "shift": (shift_hi, shift_lo),
        "trend": (trend_hi, trend_lo),
        "two_of_three": (two_hi, two_lo),
    }


def _point_type(improvement: str, high: bool, low: bool, position: int) -> str:
    if not (high or low):
        return "common_cause"
    if improvement == "increase":
        return "special_cause_improvement" if high else "special_cause_concern"
    if improvement == "decrease":
        return "special_cause_improvement" if low else "special_cause_concern"
    if high and low:  # neutral and flagged both ways: the side of the mean it sits on
        high = position >= 0
    return "special_cause_neutral_high" if high else "special_cause_neutral_low"


def xmr(
    values: Iterable[float | None],
    improvement: str = "increase",
    *,
    baseline_points: int | None = None,
    rebase_at: Iterable[int] = (),
    shift_points: int = 7,
    trend_points: int = 7,
    screen_outliers: bool = False,
    target: float | None = None,
) -> pd.DataFrame:
    """XmR chart of ``values`` with Making Data Count special-cause rules.

    Returns one row per input value (a Series keeps its index) with columns
    ``value``, ``section``, ``mean``, ``lower_limit``, ``upper_limit``,
    ``lower_two_sigma``, ``upper_two_sigma``, ``moving_range``,
    ``used_for_limits`` (row lies in the window the limits were computed from),
    ``provisional`` (limits rest on fewer than 13 values), ``rules``
    (comma-separated names of the rules that fired, "" when none), ``signal_side``
    ("high", "low", "both" or ""), ``point_type`` and ``target`` (NaN when none).

    ``baseline_points`` applies to the first section only; see the module
    docstring for sections, gaps and zero spread.
    """
    series = _as_float_series(values)
    columns = xmr_arrays(series.to_numpy(), improvement, baseline_points=baseline_points, rebase_at=rebase_at,
                         shift_points=shift_points, trend_points=trend_points,
                         screen_outliers=screen_outliers, target=target)
    return xmr_frame(columns, series.index)


def xmr_frame(columns: dict, index: pd.Index | None = None, extra: dict | None = None) -> pd.DataFrame:
    """The :func:`xmr` frame of :func:`xmr_arrays` columns (and `extra` columns after them, built in
    the same step: a caller adding its own columns need not copy the frame)."""
    data = {name: (pd.Series(columns[name], dtype=object) if columns[name].dtype == object else columns[name])
            for name in COLUMNS}
    frame = pd.DataFrame({**data, **(extra or {})}, columns=[*COLUMNS, *(extra or {})])
    if index is not None:
        frame.index = index
    frame.attrs["improvement"] = columns["improvement"]
    return frame


def xmr_arrays(
    x: np.ndarray,
    improvement: str = "increase",
    *,
    baseline_points: int | None = None,
    rebase_at: Iterable[int] = (),
    shift_points: int = 7,
    trend_points: int = 7,
    screen_outliers: bool = False,
    target: float | None = None,
) -> dict:
    """:func:`xmr`'s columns as numpy arrays (plus ``improvement``), with no DataFrame built.

    ``x`` is a float array with NaN for missing figures. The Overview judges a thousand indicators
    at national scale; building a DataFrame for each was half of its time.
    """
    improvement = _check_direction(improvement)
    baseline = _check_baseline(baseline_points)
    shift_points = _check_run_length("shift_points", shift_points)
    trend_points = _check_run_length("trend_points", trend_points)
    if not isinstance(screen_outliers, (bool, np.bool_)):
        raise ValueError(f"screen_outliers must be True or False, got {screen_outliers!r}")
    target_value = _check_target(target)
    x = np.asarray(x, dtype="float64")
    if np.isinf(x).any():
        raise ValueError("values must be finite numbers (or None/NaN for missing figures), not infinity")
    n = len(x)
    rebase = _check_rebase(rebase_at, n)

    section = np.zeros(n, dtype="int64")
    mean = np.full(n, np.nan)
    lower, upper = np.full(n, np.nan), np.full(n, np.nan)
    lower2, upper2 = np.full(n, np.nan), np.full(n, np.nan)
    moving_range = np.full(n, np.nan)
    used_for_limits = np.zeros(n, dtype=bool)
    provisional = np.zeros(n, dtype=bool)
    rules = np.full(n, "", dtype=object)
    signal_side = np.full(n, "", dtype=object)
    point_type = np.full(n, "", dtype=object)

    starts = [0, *rebase]
    stops = [*rebase, n]
    for number, (a, b) in enumerate(zip(starts, stops)):
        if a >= b:
            continue
        limit_stop = b if (number > 0 or baseline is None) else min(b, a + baseline)
        centre, amr, used = _limits(x[a:limit_stop], bool(screen_outliers))
        section[a:b] = number
        mean[a:b] = centre
        lower[a:b] = centre - LIMIT_FACTOR * amr
        upper[a:b] = centre + LIMIT_FACTOR * amr
        lower2[a:b] = centre - TWO_SIGMA_FACTOR * amr
        upper2[a:b] = centre + TWO_SIGMA_FACTOR * amr
        used_for_limits[a:limit_stop] = True
        provisional[a:b] = used < MIN_POINTS_FOR_LIMITS
        moving_range[a + 1 : b] = np.abs(np.diff(x[a:b]))  # NaN next to a gap

        present = a + np.flatnonzero(~np.isnan(x[a:b]))
        if present.size == 0:
            continue
        v = x[present]
        signals = _section_signals(
            v, centre, lower[a], upper[a], lower2[a], upper2[a], shift_points, trend_points
        )
        high = np.zeros(len(v), bool)
        low = np.zeros(len(v), bool)
        for name in RULE_NAMES:
            high |= signals[name][0]
            low |= signals[name][1]
        point_type[present] = "common_cause"
        # Only flagged points need words; most points are common cause.
        for k in np.flatnonzero(high | low):
            row = present[k]
            rules[row] = ",".join(
                name for name in RULE_NAMES if signals[name][0][k] or signals[name][1][k]
            )
            signal_side[row] = "both" if high[k] and low[k] else "high" if high[k] else "low"
            position = 1 if v[k] > centre else -1 if v[k] < centre else 0
            point_type[row] = _point_type(improvement, bool(high[k]), bool(low[k]), position)

    return {
        "value": x,
        "section": section,
        "mean": mean,
        "lower_limit": lower,
        "upper_limit": upper,
        "lower_two_sigma": lower2,
        "upper_two_sigma": upper2,
        "moving_range": moving_range,
        "used_for_limits": used_for_limits,
        "provisional": provisional,
        "rules": rules,
        "signal_side": signal_side,
        "point_type": point_type,
        "target": np.full(n, np.nan if target_value is None else target_value),
        "improvement": improvement,
    }

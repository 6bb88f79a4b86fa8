"""No detriment: the verdict on an indicator — ONE definition, used by the No-detriment page, the
Overview's card and status, the quarterly report, the headline CSV and `make figures`.

Each indicator is an XmR chart (`monitor.no_detriment.spc`, NHS England's *Making Data Count*) whose
limits are fixed on its baseline (every period ending on or before ``baseline_end_date``, at least two)
and extended, never recalculated. The points judged are those after the baseline, from the programme's
start to its end (or the date the facts are as at), published, and not left out of the limits by an
officer (a *ghosted* point: ``excluded``). Points after the programme closed are drawn apart and never
judged, and take no part in the rules.

The verdict, on the current state (first match wins):

* **Concern now** — the latest judged point is a special cause of concern (beyond a process limit in
  the worse direction, or part of a shift, trend or two-of-three run in the worse direction that
  includes it), or its value is beyond the no-detriment line (the target, or the baseline average
  moved by the tolerance in the worse direction);
* **Earlier concern, since recovered** — a judged point was a special cause of concern, but not the
  latest;
* **Improved** — the latest judged point is a special cause of improvement;
* **No significant change** — otherwise (common cause variation, or neither better nor worse by
  definition for an indicator without a direction);
* **No data since the partnership began** — no judged point, or too few published figures to set
  limits (fewer than three in all, or fewer than two in the baseline).

Only *Concern now* counts as an indicator of concern.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor.no_detriment.spc import xmr_arrays
from monitor.values import number, sorted_rows

SINCE = "the partnership began"

CONCERN_NOW = "concern_now"
EARLIER_CONCERN = "earlier_concern"
IMPROVED = "improved"
NO_CHANGE = "no_change"
NO_DATA = "no_data"

VERDICTS: dict[str, tuple[str, str]] = {
    # verdict: (word shown, symbol) — never colour alone
    CONCERN_NOW: ("Concern now", "◆"),
    EARLIER_CONCERN: ("Earlier concern, since recovered", "◇"),
    IMPROVED: ("Improved", "✓"),
    NO_CHANGE: ("No significant change", "●"),
    NO_DATA: ("No data since the partnership began", "–"),
}

# What each verdict means, in the words the legend and the method note use.
VERDICT_MEANINGS: dict[str, str] = {
    CONCERN_NOW: "the latest point is a special cause of concern (beyond a process limit in the worse direction, "
                 "or part of a run, trend or 2-of-3 in the worse direction that includes it), or the latest value "
                 "is beyond the no-detriment line",
    EARLIER_CONCERN: "a point since the partnership began was a special cause of concern, but the latest is not",
    IMPROVED: "the latest point is a special cause of improvement, and nothing says concern now",
    NO_CHANGE: "common cause variation since the partnership began (no special cause of concern, and the latest "
               "point no special cause of improvement)",
    NO_DATA: "no published figure since the partnership began, or too few figures to set limits",
}

POINT_WORDS: dict[str, str] = {
    "common_cause": "Common cause variation",
    "special_cause_improvement": "Special cause of improvement",
    "special_cause_concern": "Special cause of concern",
    "special_cause_neutral_high": "Special cause variation (high)",
    "special_cause_neutral_low": "Special cause variation (low)",
    "": "Not published",
}

# Where a point stands: in the baseline, after it but before the programme began, judged, or after
# the programme closed.
BASELINE, BEFORE, JUDGED, AFTER = "baseline", "before", "judged", "after"
AFTER_CLOSE = "after the programme closed"

# The side of the mean that is worse, by improvement direction (neutral: neither).
WORSE_SIDE = {"increase": "low", "decrease": "high"}


def baseline_rows(values: pd.DataFrame) -> int:
    """How many rows (gaps included) form the baseline: those ending on or before
    ``baseline_end_date`` — every row when there is none — at least 2, at most all of them."""
    end = values["baseline_end_date"].iloc[0] if "baseline_end_date" in values and len(values) else None
    return _baseline_count(pd.to_datetime(values["period_end_date"]).to_numpy(dtype="datetime64[ns]"), end)


def _stamp(value) -> np.datetime64 | None:
    """A date-like value as datetime64[ns], None when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.astype("datetime64[ns]") if isinstance(value, np.datetime64) else np.datetime64(pd.Timestamp(value), "ns")


def _baseline_count(period_end: np.ndarray, baseline_end) -> int:
    n = len(period_end)
    end = _stamp(baseline_end)
    inside = n if end is None else int((period_end <= end).sum())
    return int(min(max(inside, 2), n))


def threshold_of(target, tolerance, improvement: str, mean) -> tuple[float | None, str | None]:
    """The no-detriment line and its kind: the target if there is one, else the baseline average
    moved by the tolerance in the worse direction; (None, None) without either, or without a direction."""
    target, tolerance, mean = number(target), number(tolerance), number(mean)
    if target is not None:
        return target, "target"
    if tolerance is None or mean is None or improvement not in WORSE_SIDE:
        return None, None
    return (mean + tolerance if improvement == "decrease" else mean - tolerance), "tolerance"


@dataclass(frozen=True)
class Judgement:
    """One indicator's verdict and what it rests on (rows are positions in period order)."""

    verdict: str
    latest: int | None = None                # the latest judged point
    concern_rows: tuple[int, ...] = ()       # judged points that are special causes of concern
    improvement_rows: tuple[int, ...] = ()   # judged points that are special causes of improvement only
    threshold: float | None = None
    threshold_kind: str | None = None        # "target" or "tolerance"
    beyond_line: bool | None = None          # the latest judged value is beyond the no-detriment line
    concern_labels: tuple[str, ...] = ()     # the period labels of concern_rows

    @property
    def word(self) -> str:
        return VERDICTS[self.verdict][0]

    @property
    def label(self) -> str:
        word, symbol = VERDICTS[self.verdict]
        return f"{symbol} {word}"

    @property
    def concern_at_latest(self) -> bool:
        return self.latest is not None and self.latest in self.concern_rows


def _parts(ends: np.ndarray, n_base: int, start, end) -> np.ndarray:
    part = np.full(len(ends), JUDGED, dtype=object)
    part[:n_base] = BASELINE
    later = np.arange(len(ends)) >= n_base
    end, start = _stamp(end), _stamp(start)
    if end is not None:
        part[later & (ends > end)] = AFTER
    if start is not None:
        part[(part == JUDGED) & (ends < start)] = BEFORE
    return part


def _extend(columns: dict, x: np.ndarray) -> dict:
    """The xmr columns of the first m rows carried to all n rows: limits extended to the points after
    the programme closed (drawn, never judged), every value restored (ghosted points included)."""
    n, m = len(x), len(columns["value"])
    if m == n:  # nothing after the window (the usual case: no copies)
        return {**columns, "value": x.copy()}
    out = {}
    for name, array in columns.items():
        if name == "improvement":
            out[name] = array
            continue
        if array.dtype == object:
            pad = np.full(n - m, "", dtype=object)
        elif array.dtype == bool:
            pad = np.full(n - m, bool(array[-1]) if name == "provisional" and m else False)
        elif name in ("moving_range",) or m == 0:
            pad = np.full(n - m, np.nan if array.dtype.kind == "f" else 0, dtype=array.dtype)
        else:
            pad = np.full(n - m, array[-1], dtype=array.dtype)
        out[name] = np.concatenate([array, pad])
    out["value"] = x.copy()
    return out


def judge(x, period_end, baseline_end, improvement: str, *, excluded=None, start=None, end=None,
          target=None, tolerance=None, labels=None, shift_points: int = 7,
          trend_points: int = 7) -> tuple[dict, int, np.ndarray, Judgement]:
    """(xmr columns for every row, baseline rows, each row's part, the Judgement) of one indicator's
    values in period order. ``excluded``: rows left out of the limits (ghosted); ``start``/``end``:
    the programme's window (None: open); ``labels``: period labels, for the Judgement's wording."""
    x = np.asarray(x, dtype="float64")
    n = len(x)
    excluded = np.zeros(n, bool) if excluded is None else np.asarray(excluded, dtype=bool)
    ends = np.asarray(period_end, dtype="datetime64[ns]")
    n_base = n if n < 2 else _baseline_count(ends, baseline_end)
    part = _parts(ends, n_base, start, end)
    m = int(np.argmax(part == AFTER)) if (part == AFTER).any() else n
    calc = np.where(excluded, np.nan, x)[:m]
    if m < 2:
        columns = xmr_arrays(calc, improvement)
    else:
        columns = xmr_arrays(calc, improvement, baseline_points=min(n_base, m),
                             shift_points=shift_points, trend_points=trend_points)
    columns = _extend(columns, x)
    columns["excluded"] = excluded
    columns["part"] = part
    return columns, n_base, part, _verdict(columns, part, improvement, target, tolerance, labels)


def _verdict(columns: dict, part: np.ndarray, improvement: str, target, tolerance, labels) -> Judgement:
    x = columns["value"]
    present = ~np.isnan(x) & ~columns["excluded"]
    judged = present & (part == JUDGED)
    used = int((present & (part != AFTER)).sum())
    mean = columns["mean"][0] if len(x) else math.nan
    threshold, kind = threshold_of(target, tolerance, improvement, None if math.isnan(mean) else mean)
    no_limits = len(x) == 0 or math.isnan(columns["lower_limit"][0])
    rows = np.flatnonzero(judged)
    latest = int(rows[-1]) if rows.size else None
    if used < 3 or latest is None or (no_limits and not any(columns["rules"][rows])):
        return Judgement(NO_DATA, latest, threshold=threshold, threshold_kind=kind)
    worse = WORSE_SIDE.get(improvement)
    sides = columns["signal_side"]
    concern = judged & ((sides == worse) | (sides == "both")) if worse else np.zeros(len(x), bool)
    better = judged & (columns["point_type"] == "special_cause_improvement") & ~concern
    beyond = None
    if threshold is not None:
        beyond = bool(x[latest] > threshold) if improvement == "decrease" else bool(x[latest] < threshold)
    concern_rows = tuple(int(i) for i in np.flatnonzero(concern))
    if concern[latest] or beyond:
        verdict = CONCERN_NOW
    elif concern_rows:
        verdict = EARLIER_CONCERN
    elif better[latest]:
        verdict = IMPROVED
    else:
        verdict = NO_CHANGE
    names = tuple(str(labels[i]) for i in concern_rows) if labels is not None else ()
    return Judgement(verdict, latest, concern_rows, tuple(int(i) for i in np.flatnonzero(better)),
                     threshold, kind, beyond, names)


def _cell(frame: pd.DataFrame, column: str, default=None):
    if column not in frame.columns or frame.empty:
        return default
    v = frame[column].iloc[0]
    return default if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def excluded_of(rows: pd.DataFrame) -> np.ndarray:
    """Rows an officer left out of the limits (a stated reason in ``excluded_reason``)."""
    if "excluded_reason" not in rows.columns:
        return np.zeros(len(rows), bool)
    # One indicator's few dozen rows: a plain loop is several times quicker than string methods.
    return np.array([isinstance(r, str) and r.strip() != "" for r in rows["excluded_reason"].tolist()], dtype=bool)


def _columns(rows: pd.DataFrame) -> dict:
    """What :func:`judge` reads of a values frame, as plain arrays and lists (sliced per indicator)."""
    n = len(rows)

    def listed(column):
        return rows[column].tolist() if column in rows.columns else [None] * n

    def dates(column):  # datetime64 (NaT when missing): no Timestamp object per row
        if column not in rows.columns:
            return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        return pd.to_datetime(rows[column]).to_numpy(dtype="datetime64[ns]")

    def numbers(column):
        return pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float) if column in rows.columns \
            else np.full(n, np.nan)

    improvement = [v if isinstance(v, str) else "neutral" for v in listed("improvement")]
    return {"value": rows["value"].to_numpy(dtype=float),
            "end": pd.to_datetime(rows["period_end_date"]).to_numpy(dtype="datetime64[ns]"),
            "excluded": excluded_of(rows), "improvement": improvement,
            "labels": [str(v) for v in listed("period_label")] if "period_label" in rows.columns else None,
            "baseline_end_date": dates("baseline_end_date"), "programme_start": dates("programme_start"),
            "target_value": numbers("target_value"), "tolerance_value": numbers("tolerance_value")}


def _judge_slice(c: dict, a: int, b: int, end, shift_points: int, trend_points: int):
    return judge(c["value"][a:b], c["end"][a:b], c["baseline_end_date"][a], c["improvement"][a],
                 excluded=c["excluded"][a:b], start=c["programme_start"][a], end=end,
                 target=c["target_value"][a], tolerance=c["tolerance_value"][a],
                 labels=None if c["labels"] is None else c["labels"][a:b],
                 shift_points=shift_points, trend_points=trend_points)


def judge_rows(rows: pd.DataFrame, *, end=None, shift_points: int = 7, trend_points: int = 7):
    """:func:`judge` on one indicator's rows already in period order (the query's columns)."""
    if rows.empty:
        return judge(np.array([]), np.array([], dtype="datetime64[ns]"), None, "neutral")
    return _judge_slice(_columns(rows), 0, len(rows), end, shift_points, trend_points)


def in_order(values: pd.DataFrame) -> pd.DataFrame:
    """One indicator's rows with a period, in period order (a LEFT JOIN's empty row dropped)."""
    rows = values[values["period_end_date"].notna()] if "period_end_date" in values else values.iloc[0:0]
    return rows.sort_values("period_end_date", kind="stable").reset_index(drop=True)


def verdict_of(values: pd.DataFrame, *, end=None, shift_points: int = 7, trend_points: int = 7) -> str:
    """The verdict of one indicator's rows (any order), without sentences or icons."""
    return judge_rows(in_order(values), end=end, shift_points=shift_points, trend_points=trend_points)[3].verdict


def verdicts(values: pd.DataFrame, key: tuple[str, ...] = ("programme_id", "indicator_id"), *,
             shift_points: int = 7, trend_points: int = 7) -> dict[tuple, Judgement]:
    """The Judgement of every indicator of a values frame at once, keyed by the ``key`` columns —
    the rule of :func:`verdict_of` on each indicator's rows (a test holds them equal). The national
    Overview judges a thousand indicators on its first visit after every write: one sort, then
    slices of plain arrays (no DataFrame per indicator)."""
    rows = values[values["period_end_date"].notna()]
    if rows.empty:
        return {}
    rows = sorted_rows(rows, [*key, "period_end_date"])
    keys = list(zip(*(rows[k].tolist() for k in key)))
    starts = [0] + [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]] + [len(keys)]
    c = _columns(rows)
    return {keys[a]: _judge_slice(c, a, b, None, shift_points, trend_points)[3] for a, b in zip(starts, starts[1:])}

"""No detriment: has the lending council got worse since the partnership began?

Pure functions (no Streamlit) from the query frames to what the No-detriment page, the Overview
and the quarterly report say, so they can never disagree:

* :func:`assess` — one indicator: the XmR chart of ``monitor.spc`` with its limits fixed on the
  baseline (every observation up to ``baseline_end_date``), the verdict, the MDC icons and one
  plain sentence.  :func:`verdicts` judges many indicators at once, by the same rule, for the
  Overview's cards.
* :func:`compare_with_neighbours` — the same DfE measure for the council's ten statistical
  neighbours (median and range) and England: the change from the baseline average to the latest
  year, and a sentence saying whether the council moved differently from them.
* :func:`xmr_figure`, :func:`context_figure` — the charts, and :func:`chart_table`,
  :func:`context_table`, :func:`summary_table` — exactly what they show, as tables.

Choices, stated on the page by :data:`METHOD`:

* The baseline is every period ending on or before the indicator's ``baseline_end_date`` (at least
  two points: a moving range needs two); the limits are computed on it and extended, never
  recalculated, so the years since the partnership began are judged against the years before.
* Verdict ``concern`` when any point after the baseline is a special cause of concern;
  ``improvement`` when some are special causes of improvement and none of concern; ``no_change``
  otherwise; ``no_data`` with fewer than three published values or none after the baseline.
* The no-detriment line: the indicator's target if it has one, otherwise the baseline average
  moved by the tolerance in the bad direction.  The MDC assurance icon compares it with the limits.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from monitor.formatting import format_date
from monitor.no_detriment.spc import xmr_arrays, xmr_frame
from monitor.no_detriment.spc_icons import assurance_icon, variation_icon
from monitor.no_detriment.wording import _list, _singular, period_word
from monitor.values import number

SINCE = "the partnership began"


VERDICTS: dict[str, tuple[str, str]] = {
    # verdict: (word shown, symbol) — never colour alone
    "concern": ("Concern", "▲"),
    "improvement": ("Improvement", "✓"),
    "no_change": ("No deterioration", "●"),
    "no_data": ("Not enough data", "?"),
}


POINT_WORDS: dict[str, str] = {
    "common_cause": "Common cause variation",
    "special_cause_improvement": "Special cause of improvement",
    "special_cause_concern": "Special cause of concern",
    "special_cause_neutral_high": "Special cause variation (high)",
    "special_cause_neutral_low": "Special cause variation (low)",
    "": "Not published",
}



def baseline_rows(values: pd.DataFrame) -> int:
    """How many rows (gaps included) form the baseline: those ending on or before
    ``baseline_end_date`` — every row when there is none — at least 2, at most all of them."""
    end = values["baseline_end_date"].iloc[0] if "baseline_end_date" in values and len(values) else None
    return _baseline_count(pd.to_datetime(values["period_end_date"]).to_numpy(dtype="datetime64[ns]"), end)


def _baseline_count(period_end: np.ndarray, baseline_end) -> int:
    n = len(period_end)
    inside = n if baseline_end is None or pd.isna(baseline_end) else int(
        (period_end <= np.datetime64(pd.Timestamp(baseline_end), "ns")).sum())
    return int(min(max(inside, 2), n))


@dataclass
class Assessment:
    """One indicator judged against its pre-partnership baseline."""

    indicator_id: str
    name: str
    council: str
    unit: str
    improvement: str
    baseline_label: str
    frame: pd.DataFrame  # xmr columns + period_label, period_end_date, note, source, in_baseline
    n_baseline: int
    verdict: str
    sentence: str
    variation: str | None = None
    assurance: str | None = None
    threshold: float | None = None
    threshold_kind: str | None = None  # "target" or "tolerance"
    tolerance: float | None = None
    provisional: bool = False
    gaps: list[str] = field(default_factory=list)
    periods: str = "points"

    @property
    def verdict_word(self) -> str:
        return VERDICTS[self.verdict][0]

    @property
    def verdict_label(self) -> str:
        word, symbol = VERDICTS[self.verdict]
        return f"{symbol} {word}"

    @property
    def monitoring(self) -> pd.DataFrame:
        return self.frame[~self.frame["in_baseline"]]

    @property
    def latest(self) -> pd.Series | None:
        present = self.frame[self.frame["value"].notna()]
        return None if present.empty else present.iloc[-1]

    @property
    def n_baseline_values(self) -> int:
        """Published (non-missing) values in the baseline."""
        return int(self.frame.loc[self.frame["in_baseline"], "value"].notna().sum()) if len(self.frame) else 0

    @property
    def baseline_mean(self) -> float | None:
        return number(self.frame["mean"].iloc[0]) if len(self.frame) else None

    @property
    def beyond_threshold(self) -> bool | None:
        """Latest value worse than the no-detriment line (None without a line or a value)."""
        latest = self.latest
        if self.threshold is None or latest is None or self.improvement == "neutral":
            return None
        if self.improvement == "decrease":
            return bool(latest["value"] > self.threshold)
        return bool(latest["value"] < self.threshold)


def _first(values: pd.DataFrame, column: str, default=None):
    if column not in values or values.empty:
        return default
    v = values[column].iloc[0]
    return default if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def _threshold(values: pd.DataFrame, improvement: str, mean: float | None) -> tuple[float | None, str | None, float | None]:
    target = number(_first(values, "target_value"))
    tolerance = number(_first(values, "tolerance_value"))
    if target is not None:
        return target, "target", tolerance
    if tolerance is None or mean is None or improvement == "neutral":
        return None, None, tolerance
    return (mean + tolerance if improvement == "decrease" else mean - tolerance), "tolerance", tolerance


def _run_bounds(values: np.ndarray, flags: np.ndarray, k: int) -> tuple[int, int]:
    """Indices [start, stop] of the run of flagged non-missing points containing index k."""
    present = np.flatnonzero(~np.isnan(values))
    pos = int(np.searchsorted(present, k))
    lo = hi = pos
    while lo > 0 and flags[present[lo - 1]]:
        lo -= 1
    while hi < len(present) - 1 and flags[present[hi + 1]]:
        hi += 1
    return int(present[lo]), int(present[hi])


def _evidence(frame: pd.DataFrame, kind: str, periods: str, shift_points: int, trend_points: int) -> str:
    """Why points after the baseline are special causes of ``kind``, in at most two phrases."""
    after = frame[~frame["in_baseline"] & (frame["point_type"] == kind)]
    if after.empty:
        return ""
    labels = frame["period_label"].astype(str).tolist()
    values = frame["value"].to_numpy(dtype=float)
    n_after = int((~frame["in_baseline"] & frame["value"].notna()).sum())
    side_of = after["signal_side"].tolist()
    side = "high" if "high" in side_of else "low" if "low" in side_of else "both"
    word = "above" if side != "low" else "below"
    limit = "upper" if side != "low" else "lower"
    phrases: list[str] = []
    positions = [frame.index.get_loc(i) for i in after.index]
    rules_at = {p: set(str(frame["rules"].iloc[p]).split(",")) for p in positions}

    trend_pos = [p for p in positions if "trend" in rules_at[p]]
    if trend_pos:
        flags = np.array(["trend" in str(r).split(",") for r in frame["rules"]])
        a, b = _run_bounds(values, flags, trend_pos[-1])
        count = int((~np.isnan(values[a:b + 1])).sum())
        way = "higher" if values[b] > values[a] else "lower"
        phrases.append(f"{count} {periods} in a row each {way} than the one before ({labels[a]} to {labels[b]})")
    shift_pos = [p for p in positions if "shift" in rules_at[p]]
    if shift_pos:
        flags = np.array(["shift" in str(r).split(",") for r in frame["rules"]])
        a, b = _run_bounds(values, flags, shift_pos[-1])
        count = int((~np.isnan(values[a:b + 1])).sum())
        phrases.append(f"{count} {periods} in a row {word} the baseline average ({labels[a]} to {labels[b]})")
    beyond = [p for p in positions if "beyond_limits" in rules_at[p]]
    if beyond:
        phrases.append(f"{word} the {limit} process limit in {len(beyond)} of the {n_after} {periods} since "
                       f"{SINCE} ({_list([labels[p] for p in beyond])})")
    close = [p for p in positions if "two_of_three" in rules_at[p]]
    if close:
        phrases.append(f"2 of 3 {periods} close to the {limit} process limit ({_list([labels[p] for p in close])})")
    return "; ".join(phrases[:2])


def _sentence(a: Assessment, shift_points: int, trend_points: int) -> str:
    caveats = []
    if a.provisional and a.verdict != "no_data":
        caveats.append(f"limits provisional: the baseline has only {a.n_baseline_values} published "
                       f"{a.periods if a.n_baseline_values != 1 else _singular(a.periods)}")
    if a.gaps:
        caveats.append(f"{_list(a.gaps)} not published by DfE")
    tail = f" ({'; '.join(caveats)})" if caveats else ""
    base = f"the {a.baseline_label}"
    unchanged = "no sign of change" if a.improvement == "neutral" else "no sign of deterioration"
    if a.verdict == "no_data":
        after = int(a.monitoring["value"].notna().sum())
        why = (f"no published figures since {SINCE}" if after == 0
               else "too few published figures to set limits")
        return f"{a.name}: not enough data to judge against {base} — {why}{tail}."
    if a.verdict == "concern":
        evidence = _evidence(a.frame, "special_cause_concern", a.periods, shift_points, trend_points)
        latest = a.latest
        now = ""
        if latest is not None and latest["point_type"] != "special_cause_concern":
            now = (f"; the latest, {latest['period_label']}, is "
                   + ("within the expected variation" if latest["point_type"] == "common_cause"
                      else POINT_WORDS[latest["point_type"]].lower().replace("special cause", "a special cause")))
        return f"{a.name}: {evidence} — special cause of concern since {SINCE}, against {base}{now}{tail}."
    if a.verdict == "improvement":
        evidence = _evidence(a.frame, "special_cause_improvement", a.periods, shift_points, trend_points)
        return f"{a.name}: {unchanged} against {base} — {evidence}: special cause of improvement{tail}."
    if a.improvement == "neutral" and a.monitoring["point_type"].str.startswith("special_cause_neutral").any():
        high = a.monitoring["point_type"].eq("special_cause_neutral_high").any()
        return (f"{a.name}: {'higher' if high else 'lower'} than {base} predicts since {SINCE} — "
                f"special cause variation (neither better nor worse by definition){tail}.")
    n_after = int(a.monitoring["value"].notna().sum())
    return (f"{a.name}: {unchanged} against {base} — all {n_after} {a.periods if n_after != 1 else _singular(a.periods)} "
            f"since {SINCE} within the process limits, with no run or trend (common cause variation){tail}.")


def _verdict(columns: dict, n_base: int) -> str:
    """concern, improvement, no_change or no_data from an indicator's xmr columns."""
    present = ~np.isnan(columns["value"])
    after = present.copy()
    after[:n_base] = False
    types = columns["point_type"][after]
    no_limits = len(present) == 0 or math.isnan(columns["lower_limit"][0])
    if present.sum() < 3 or not after.any() or (no_limits and not columns["rules"][after].any()):
        return "no_data"
    if (types == "special_cause_concern").any():
        return "concern"
    if (types == "special_cause_improvement").any():
        return "improvement"
    return "no_change"


def _judge_series(series: np.ndarray, period_end: np.ndarray, baseline_end, improvement: str,
                  shift_points: int, trend_points: int) -> tuple[dict, int, str]:
    """(xmr columns, baseline rows, verdict) of one indicator's values in period order."""
    n = len(series)
    if n < 2:
        columns, n_base = xmr_arrays(series, improvement), n
    else:
        n_base = _baseline_count(period_end, baseline_end)
        columns = xmr_arrays(series, improvement, baseline_points=n_base,
                                 shift_points=shift_points, trend_points=trend_points)
    return columns, n_base, _verdict(columns, n_base)


def _judge(values: pd.DataFrame, shift_points: int, trend_points: int) -> tuple[pd.DataFrame, pd.DataFrame, int, str]:
    """(the indicator's rows in period order, its xmr frame, baseline rows, verdict)."""
    rows = values[values["period_end_date"].notna()] if "period_end_date" in values else values.iloc[0:0]
    rows = rows.sort_values("period_end_date").reset_index(drop=True)
    columns, n_base, verdict = _judge_series(
        rows["value"].to_numpy(dtype=float), pd.to_datetime(rows["period_end_date"]).to_numpy(dtype="datetime64[ns]"),
        _first(rows, "baseline_end_date"), str(_first(values, "improvement", "neutral")), shift_points, trend_points)
    return rows, xmr_frame(columns), n_base, verdict


def verdict_of(values: pd.DataFrame, *, shift_points: int = 7, trend_points: int = 7) -> str:
    """The verdict alone (concern, improvement, no_change, no_data), without sentences or icons."""
    return _judge(values, shift_points, trend_points)[3]


def verdicts(values: pd.DataFrame, key: tuple[str, ...] = ("programme_id", "indicator_id"), *,
             shift_points: int = 7, trend_points: int = 7) -> dict[tuple, str]:
    """The verdict of every indicator of a values frame at once, keyed by the ``key`` columns.

    The same rule as :func:`verdict_of` on each indicator's rows (a test holds them equal), without
    a DataFrame per indicator: the national Overview judges a thousand indicators on its first
    visit after every write, and this takes it from about 6 s to a fraction of one.
    """
    rows = values[values["period_end_date"].notna()]
    if rows.empty:
        return {}
    rows = rows.sort_values([*key, "period_end_date"], kind="stable")
    keys = list(zip(*(rows[k].tolist() for k in key)))
    starts = [0] + [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]] + [len(keys)]
    series = rows["value"].to_numpy(dtype=float)
    ends = pd.to_datetime(rows["period_end_date"]).to_numpy(dtype="datetime64[ns]")
    baselines = rows["baseline_end_date"].tolist() if "baseline_end_date" in rows else [None] * len(rows)
    improvements = rows["improvement"].tolist()
    out = {}
    for a, b in zip(starts, starts[1:]):
        improvement = improvements[a] if isinstance(improvements[a], str) else "neutral"
        out[keys[a]] = _judge_series(series[a:b], ends[a:b], baselines[a], improvement,
                                     shift_points, trend_points)[2]
    return out


def assess(values: pd.DataFrame, *, shift_points: int = 7, trend_points: int = 7) -> Assessment:
    """Judge one indicator against its pre-partnership baseline.

    ``values``: one indicator's rows (any order) with at least ``value``, ``period_end_date``,
    ``baseline_end_date`` and ``improvement``; optionally ``indicator_id``, ``indicator_name``,
    ``authority_name``, ``unit``, ``baseline_period``, ``period_label``, ``note``, ``source``,
    ``target_value``, ``tolerance_value``.  Rows without a period (an indicator with no
    observation, from a LEFT JOIN) are ignored.
    """
    rows, frame, n_base, verdict = _judge(values, shift_points, trend_points)
    improvement = str(_first(values, "improvement", "neutral"))
    name = str(_first(values, "indicator_name", _first(values, "indicator_id", "Indicator")))
    period = _first(values, "baseline_period")
    labels = (rows["period_label"].astype(str) if "period_label" in rows
              else pd.to_datetime(rows["period_end_date"]).map(format_date))
    series = frame["value"].to_numpy()
    attrs = dict(frame.attrs)
    frame = frame.assign(
        period_label=list(labels), period_end_date=pd.to_datetime(rows["period_end_date"]).to_numpy(),
        note=rows["note"].tolist() if "note" in rows else [None] * len(rows),
        source=rows["source"].tolist() if "source" in rows else [None] * len(rows),
        in_baseline=np.arange(len(rows)) < n_base,
    )
    frame.attrs.update(attrs)
    mean = number(frame["mean"].iloc[0]) if len(frame) else None
    threshold, kind, tolerance = _threshold(values, improvement, mean)
    judged = verdict != "no_data"
    a = Assessment(
        indicator_id=str(_first(values, "indicator_id", name)), name=name,
        council=str(_first(values, "authority_name", "")), unit=str(_first(values, "unit", "")),
        improvement=improvement, baseline_label=f"{period} baseline" if period else "baseline",
        frame=frame, n_baseline=n_base, verdict=verdict, sentence="",
        variation=variation_icon(frame, improvement) if judged else None,
        assurance=assurance_icon(frame, improvement, threshold) if judged else None,
        threshold=threshold, threshold_kind=kind, tolerance=tolerance,
        provisional=bool(frame["provisional"].iloc[0]) if len(frame) else True,
        gaps=[str(label) for label, v in zip(labels, series) if math.isnan(v)],
        periods=period_word(rows["period_end_date"]) if len(rows) else "points",
    )
    a.sentence = _sentence(a, shift_points, trend_points)
    return a


def assess_all(values: pd.DataFrame) -> list[Assessment]:
    """One assessment per indicator of a values frame, in indicator_id order."""
    if values.empty:
        return []
    return [assess(rows) for _, rows in values.groupby("indicator_id", sort=True)]


def headline(assessments: list[Assessment], council: str) -> str:
    """'1 of 5 indicators of Hampshire shows a special cause of concern since the partnership
    began: Re-referrals ...' or 'No sign of deterioration in any of the 5 indicators of East Sussex ...'."""
    if not assessments:
        return f"{council} has no no-detriment indicators in this programme."
    concerns = [a.name for a in assessments if a.verdict == "concern"]
    n = len(assessments)
    if concerns:
        verb = "shows" if len(concerns) == 1 else "show"
        return (f"{len(concerns)} of {n} indicators of {council} {verb} a special cause of concern since "
                f"{SINCE}: {_list(concerns)}.")
    missing = sum(a.verdict == "no_data" for a in assessments)
    extra = f" ({missing} without enough data to judge)" if missing else ""
    return f"No sign of deterioration in any of the {n} indicators of {council} since {SINCE}{extra}."

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
import plotly.graph_objects as go

from monitor import spc
from monitor.formatting import format_date, in_sentence

SINCE = "the partnership began"
MINUS = "\u2212"

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

# Marker shapes as well as MDC colours, so the point types differ without colour.
POINT_SYMBOLS: dict[str, str] = {
    "common_cause": "circle",
    "special_cause_improvement": "square",
    "special_cause_concern": "diamond",
    "special_cause_neutral_high": "triangle-up",
    "special_cause_neutral_low": "triangle-down",
}

METHOD = (
    "Each chart is an XmR chart following NHS England's *Making Data Count*.",
    "**Baseline:** the years up to the end of the indicator's baseline period, before the "
    "partnership began. The centre line is their average; the limits are fixed on them and extended "
    "across the years since, never recalculated.",
    "**Process limits:** average ± 2.66 × the average moving range (the difference between one year "
    "and the next) of the baseline. Moving-range outliers are not screened out (as in MDC's Excel tool).",
    "**Special causes:** a point beyond a process limit; 7 points in a row on one side of the average "
    "(a point on the average breaks the run); 7 points in a row each higher, or each lower, than the one "
    "before (a tie breaks it); 2 of 3 points beyond two-thirds of the way to a limit, all three on "
    "that side. Whether a special cause is good or bad follows the indicator's direction.",
    "**Verdict:** *Concern* when any year since the partnership began is a special cause of concern; "
    "*Improvement* when some are special causes of improvement and none of concern; *No deterioration* "
    "otherwise. When a point meets rules both ways it is shown as improvement, as MDC's tool does.",
    "**Provisional limits:** limits from fewer than 13 baseline points are provisional (dashed on the "
    "chart). The workforce series start in 2017, so their baselines have only two or three points: "
    "read their limits as a first estimate.",
    "**Gaps:** years DfE did not publish (suppressed) are gaps — never zero, never filled in; no moving "
    "range spans a gap.",
    "**Icons:** the variation icon describes the latest point; the assurance icon compares the "
    "no-detriment line (the target, or the baseline average moved by the tolerance in the bad "
    "direction) with the process limits.",
    "**Context:** the same DfE measure for the council's 10 statistical neighbours (DfE 2025 model) and "
    "England: each area's change from its own average over the baseline years to the latest year. The "
    "council moved differently from its neighbours when its change is beyond all of theirs.",
)

RULE_WORDS = {
    "beyond_limits": {"high": "above the upper process limit", "low": "below the lower process limit",
                      "both": "beyond a process limit"},
    "shift": {"high": "in a run of {n}+ points above the average", "low": "in a run of {n}+ points below the average",
              "both": "in a run of {n}+ points on one side of the average"},
    "trend": {"high": "in {n}+ points in a row rising", "low": "in {n}+ points in a row falling",
              "both": "in {n}+ points in a row rising or falling"},
    "two_of_three": {"high": "2 of 3 points close to the upper limit", "low": "2 of 3 points close to the lower limit",
                     "both": "2 of 3 points close to a limit"},
}


# --------------------------------------------------------------------------- helpers


def _num(value) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def format_value(value, unit: str = "") -> str:
    """'41.0%' / '16.1 cases per FTE' / '–' for a gap."""
    v = _num(value)
    if v is None:
        return "–"
    text = f"{v:,.1f}".replace("-", MINUS)
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".rstrip()


def format_change(change, unit: str = "") -> str:
    """'+12.5 points' (percentages change by percentage points), '−0.4 cases per FTE'."""
    v = _num(change)
    if v is None:
        return "–"
    v = round(v, 1) + 0.0  # no '−0.0'
    sign = "+" if v > 0 else MINUS if v < 0 else "±"
    word = "points" if unit == "%" else unit
    return f"{sign}{abs(v):,.1f} {word}".rstrip()


def period_word(dates: pd.Series) -> str:
    """'years' for annual data, 'quarters', 'months', else 'points'."""
    d = pd.to_datetime(pd.Series(dates)).dropna().sort_values()
    if len(d) < 2:
        return "points"
    days = float(d.diff().dropna().dt.days.median())
    if days >= 300:
        return "years"
    if 80 <= days <= 100:
        return "quarters"
    if 27 <= days <= 32:
        return "months"
    return "points"


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") else word


def _list(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def rule_text(rules: str, side: str, shift_points: int = 7) -> str:
    """The rules that fired on a point, in words: 'above the upper process limit; in a run of 7+ ...'."""
    if not rules:
        return ""
    side = side if side in ("high", "low", "both") else "both"
    return "; ".join(RULE_WORDS[r][side].format(n=shift_points) for r in rules.split(",") if r in RULE_WORDS)


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


# --------------------------------------------------------------------------- assessment


@dataclass
class Assessment:
    """One indicator judged against its pre-partnership baseline."""

    indicator_id: str
    name: str
    council: str
    unit: str
    improvement: str
    baseline_label: str
    frame: pd.DataFrame  # spc.xmr columns + period_label, period_end_date, note, source, in_baseline
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
        return _num(self.frame["mean"].iloc[0]) if len(self.frame) else None

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
    target = _num(_first(values, "target_value"))
    tolerance = _num(_first(values, "tolerance_value"))
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
    """concern, improvement, no_change or no_data from an indicator's spc.xmr columns."""
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
    """(spc.xmr columns, baseline rows, verdict) of one indicator's values in period order."""
    n = len(series)
    if n < 2:
        columns, n_base = spc.xmr_arrays(series, improvement), n
    else:
        n_base = _baseline_count(period_end, baseline_end)
        columns = spc.xmr_arrays(series, improvement, baseline_points=n_base,
                                 shift_points=shift_points, trend_points=trend_points)
    return columns, n_base, _verdict(columns, n_base)


def _judge(values: pd.DataFrame, shift_points: int, trend_points: int) -> tuple[pd.DataFrame, pd.DataFrame, int, str]:
    """(the indicator's rows in period order, its spc.xmr frame, baseline rows, verdict)."""
    rows = values[values["period_end_date"].notna()] if "period_end_date" in values else values.iloc[0:0]
    rows = rows.sort_values("period_end_date").reset_index(drop=True)
    columns, n_base, verdict = _judge_series(
        rows["value"].to_numpy(dtype=float), pd.to_datetime(rows["period_end_date"]).to_numpy(dtype="datetime64[ns]"),
        _first(rows, "baseline_end_date"), str(_first(values, "improvement", "neutral")), shift_points, trend_points)
    return rows, spc.xmr_frame(columns), n_base, verdict


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
    mean = _num(frame["mean"].iloc[0]) if len(frame) else None
    threshold, kind, tolerance = _threshold(values, improvement, mean)
    judged = verdict != "no_data"
    a = Assessment(
        indicator_id=str(_first(values, "indicator_id", name)), name=name,
        council=str(_first(values, "authority_name", "")), unit=str(_first(values, "unit", "")),
        improvement=improvement, baseline_label=f"{period} baseline" if period else "baseline",
        frame=frame, n_baseline=n_base, verdict=verdict, sentence="",
        variation=spc.variation_icon(frame, improvement) if judged else None,
        assurance=spc.assurance_icon(frame, improvement, threshold) if judged else None,
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


# --------------------------------------------------------------------------- neighbours and England


@dataclass
class Context:
    """The council's change set beside its statistical neighbours' and England's."""

    baseline_years: list[int]
    latest_year: int | None
    latest_label: str
    council_baseline: float | None
    council_latest: float | None
    council_change: float | None
    neighbour_changes: pd.DataFrame  # area_name, baseline, latest, change
    england_baseline: float | None
    england_latest: float | None
    england_change: float | None
    verdict: str  # worse_than_all | better_than_all | within | no_comparison (neutral: higher/lower_than_all)
    worse_than: int
    sentence: str
    series: pd.DataFrame  # per year: council, neighbours median/min/max/count, England

    @property
    def median_change(self) -> float | None:
        c = self.neighbour_changes["change"]
        return float(c.median()) if len(c) else None


def _by_area(stats: pd.DataFrame) -> dict[tuple[str, str], dict[int, float]]:
    """{(area_role, area_name): {year: value (NaN when suppressed)}} — plain dicts, fast on ~150 rows."""
    out: dict[tuple[str, str], dict[int, float]] = {}
    for role, name, year, value in zip(stats["area_role"], stats["area_name"], stats["time_period"],
                                       stats["value"].to_numpy(dtype=float)):
        out.setdefault((str(role), str(name)), {})[int(year)] = float(value)
    return out


def context_series(stats: pd.DataFrame) -> pd.DataFrame:
    """Per year: the council's value, its neighbours' median, lowest, highest and count, England's."""
    cols = ["time_period", "council", "neighbour_median", "neighbour_min", "neighbour_max",
            "neighbours_published", "england"]
    if stats.empty:
        return pd.DataFrame(columns=cols)
    areas = _by_area(stats)
    years = sorted({y for series in areas.values() for y in series})
    rows = []
    for year in years:
        def first(role):
            found = [v[year] for (r, _), v in areas.items() if r == role and year in v and not math.isnan(v[year])]
            return found[0] if found else math.nan
        neigh = np.array([v[year] for (r, _), v in areas.items()
                          if r == "neighbour" and year in v and not math.isnan(v[year])])
        rows.append((year, first("council"),
                     float(np.median(neigh)) if neigh.size else math.nan,
                     float(neigh.min()) if neigh.size else math.nan,
                     float(neigh.max()) if neigh.size else math.nan,
                     int(neigh.size), first("England")))
    return pd.DataFrame(rows, columns=cols)


def _change(values: dict[int, float], base_years: list[int], latest_year: int) -> tuple[float | None, float | None, float | None]:
    """(baseline average over the years published, latest value, change) for one area's series by year."""
    base = [values[y] for y in base_years if y in values and not math.isnan(values[y])]
    mean = float(np.mean(base)) if base else None
    latest = values.get(latest_year, math.nan)
    if mean is None or math.isnan(latest):
        return mean, None, None
    return mean, latest, latest - mean


def compare_with_neighbours(a: Assessment, stats: pd.DataFrame) -> Context:
    """Set the council's change since its baseline beside its neighbours' and England's.

    ``stats``: the rows of query ``no_detriment_context`` for this indicator's DfE measure
    (``area_role`` council / neighbour / England, ``area_name``, ``time_period``, ``value``).
    Years are matched on the calendar year the council's periods end in (the DfE time period).
    """
    series = context_series(stats)
    frame = a.frame
    years = pd.to_datetime(frame["period_end_date"]).dt.year.astype(int) if len(frame) else pd.Series(dtype=int)
    base_years = sorted(years[frame["in_baseline"] & frame["value"].notna()].tolist()) if len(frame) else []
    latest = a.latest
    empty = pd.DataFrame(columns=["area_name", "baseline", "latest", "change"])
    after_present = a.monitoring["value"].notna().any() if len(frame) else False
    if latest is None or not after_present or not base_years or stats.empty:
        return Context(base_years, None, "", None, None, None, empty, None, None, None, "no_comparison", 0,
                       f"No comparison with statistical neighbours and England for {in_sentence(a.name)}: "
                       f"{'no DfE series for them' if stats.empty else 'no published figures since ' + SINCE}.",
                       series)
    latest_year = int(pd.Timestamp(latest["period_end_date"]).year)
    latest_label = str(latest["period_label"])

    areas = _by_area(stats)
    own = next((v for (r, _), v in areas.items() if r == "council"), {})
    cb, cl, cc = _change(own, base_years, latest_year)
    if cc is None:  # fall back on the indicator's own figures
        cb = float(frame.loc[frame["in_baseline"], "value"].dropna().mean())
        cl = float(latest["value"])
        cc = cl - cb
    rows = []
    for (role, name), by_year in sorted(areas.items()):
        if role == "neighbour":
            b, l, c = _change(by_year, base_years, latest_year)
            if c is not None:
                rows.append({"area_name": name, "baseline": b, "latest": l, "change": c})
    neighbours = pd.DataFrame(rows, columns=empty.columns)
    eng = next((v for (r, _), v in areas.items() if r == "England"), None)
    eb, el, ec = _change(eng, base_years, latest_year) if eng else (None, None, None)

    unit = a.unit
    council = a.council or "The council"
    moved = ("rose" if cc > 0 else "fell" if cc < 0 else "did not move")
    head = (f"From its {a.baseline_label} average ({format_value(cb, unit)}) to {latest_label} "
            f"({format_value(cl, unit)}), {council} {moved}"
            f"{' by ' + format_change(abs(cc), unit).lstrip('+') if cc else ''}")
    with_figures = sum(r == "neighbour" for r, _ in areas)
    n = len(neighbours)
    if n == 0:
        verdict, worse = "no_comparison", 0
        tail = "; none of its statistical neighbours has figures for both periods"
        judgement = ""
    else:
        changes = neighbours["change"].to_numpy()
        bad_up = a.improvement != "increase"  # neutral: 'worse' read as 'higher'
        worse = int((changes < cc).sum()) if bad_up else int((changes > cc).sum())
        better = int((changes > cc).sum()) if bad_up else int((changes < cc).sum())
        who = (f"its {n} statistical neighbours" if n == with_figures
               else f"the {n} of its {with_figures} statistical neighbours with figures for both periods")
        low, high = format_change(float(changes.min()), unit), format_change(float(changes.max()), unit)
        word = "points" if unit == "%" else unit
        tail = (f"; the median change of {who} was {format_change(float(np.median(changes)), unit)} "
                f"(range {low.removesuffix(' ' + word)} to {high})")
        if a.improvement == "neutral":
            if worse == n:
                verdict, judgement = "higher_than_all", f"{council} moved differently from its neighbours: higher than all {n}."
            elif better == n:
                verdict, judgement = "lower_than_all", f"{council} moved differently from its neighbours: lower than all {n}."
            else:
                verdict, judgement = "within", f"{council} moved with its neighbours (within their range)."
        elif worse == n:
            verdict = "worse_than_all"
            judgement = (f"{council} moved differently from its neighbours: worse than all {n} of them, so the "
                         f"change is not one every council saw.")
        elif better == n:
            verdict = "better_than_all"
            judgement = f"{council} moved differently from its neighbours: better than all {n} of them."
        else:
            verdict = "within"
            judgement = (f"{council} moved with its neighbours: its change lies within their range "
                         f"(worse than {worse} of {n}).")
    england = f", England's {format_change(ec, unit)}" if ec is not None else ""
    sentence = f"{head}{tail}{england}. {judgement}".strip()
    return Context(base_years, latest_year, latest_label, cb, cl, cc, neighbours, eb, el, ec, verdict, worse,
                   sentence.replace("  ", " "), series)


# --------------------------------------------------------------------------- tables


def chart_table(a: Assessment) -> pd.DataFrame:
    """Exactly what the XmR chart shows, one row per period."""
    f = a.frame
    return pd.DataFrame({
        "Period": f["period_label"],
        "Period end": f["period_end_date"].map(format_date),
        "Part": np.where(f["in_baseline"], "Baseline", f"Since {SINCE}"),
        "Value": f["value"].round(2),
        "Average": f["mean"].round(2),
        "Lower process limit": f["lower_limit"].round(2),
        "Upper process limit": f["upper_limit"].round(2),
        "Limits provisional": np.where(f["provisional"], "yes", "no"),
        "Point": f["point_type"].map(POINT_WORDS),
        "Rule that fired": [rule_text(r, s) for r, s in zip(f["rules"], f["signal_side"])],
        "Note": [n if isinstance(n, str) else "" for n in f["note"]],
        "Source": [n if isinstance(n, str) else "" for n in f["source"]],
    })


def context_table(a: Assessment, c: Context, label_of_year: dict[int, str] | None = None) -> pd.DataFrame:
    s = c.series
    labels = label_of_year or {}
    return pd.DataFrame({
        "Period": s["time_period"].map(lambda y: labels.get(int(y), str(y))),
        a.council or "Council": s["council"].round(2),
        "Neighbours' median": s["neighbour_median"].round(2),
        "Neighbours' lowest": s["neighbour_min"].round(2),
        "Neighbours' highest": s["neighbour_max"].round(2),
        "Neighbours published": s["neighbours_published"],
        "England": s["england"].round(2),
    })


def summary_table(assessments: list[Assessment], contexts: dict[str, Context] | None = None) -> pd.DataFrame:
    """The council's indicators with their icons and one sentence each."""
    contexts = contexts or {}
    rows = []
    for a in assessments:
        latest = a.latest
        variation = spc.ICON_LABELS.get(a.variation or "", None)
        assurance = spc.ICON_LABELS.get(a.assurance or "", None)
        c = contexts.get(a.indicator_id)
        line = "–"
        if a.threshold is not None:
            where = {True: " — latest beyond it", False: " — latest within it", None: ""}[a.beyond_threshold]
            line = f"{format_value(a.threshold, a.unit)} ({a.threshold_kind}, illustrative){where}"
        rows.append({
            "Indicator": a.name,
            "Verdict": a.verdict_label,
            "Variation": f"{variation[0]} {variation[1]}" if variation else "–",
            "Assurance": f"{assurance[0]} {assurance[1]}" if assurance else "– no target or tolerance",
            "Latest": f"{format_value(latest['value'], a.unit)} ({latest['period_label']})" if latest is not None else "–",
            "Baseline average": f"{format_value(a.baseline_mean, a.unit)} ({a.baseline_label})",
            "No-detriment line": line,
            "Limits": "provisional" if a.provisional else "firm",
            "What it says": a.sentence,
            "Against neighbours and England": c.sentence if c else "–",
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- charts


def _axis_title(unit: str) -> str:
    return "Per cent (%)" if unit == "%" else (unit[:1].upper() + unit[1:]) if unit else "Value"


def _hline(x: list[str], y: float, name: str, colour: str, dash: str, width: float = 1.5,
           group: str | None = None) -> dict:
    return dict(type="scatter", x=x, y=[y] * len(x), mode="lines", name=name, legendgroup=group or name,
                line=dict(color=colour, dash=dash, width=width), hovertemplate=f"{name}: %{{y:.1f}}<extra></extra>")


def _vline(x: float) -> dict:
    return dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                line=dict(color="#1f1f1f", dash="dot", width=1))


def _layout(title: str, unit: str, x: list[str], height: int, hovermode: str, shapes: list, annotations: list) -> dict:
    return dict(
        title=dict(text=title, font=dict(size=13)), height=height, plot_bgcolor="white", hovermode=hovermode,
        xaxis=dict(title=dict(text="Period (DfE reporting year)"), type="category", categoryorder="array",
                   categoryarray=x, showgrid=False),
        yaxis=dict(title=dict(text=_axis_title(unit)), gridcolor="#e8eaed", zeroline=False),
        legend=dict(orientation="h", yanchor="top", y=-0.25, x=0), margin=dict(t=70, b=40, l=60, r=20),
        shapes=shapes, annotations=annotations,
    )


def xmr_figure(a: Assessment, *, started: object = None) -> go.Figure:
    """The XmR chart: values coloured and shaped by point type (MDC colours), average, process
    limits (dashed and labelled when provisional), the no-detriment line, and the baseline break.
    Built as plain dicts and validated once (add_trace / add_vline one by one cost several times more)."""
    f = a.frame
    x = f["period_label"].astype(str).tolist()
    traces: list[dict] = []
    shapes: list[dict] = []
    notes: list[dict] = []
    has_limits = len(f) and not pd.isna(f["upper_limit"].iloc[0])
    provisional = " (provisional)" if a.provisional else ""
    if has_limits:
        dash = "dash" if a.provisional else "solid"
        traces.append(_hline(x, float(f["upper_limit"].iloc[0]), f"Upper process limit{provisional}", "#5f6368", dash, group="limits"))
        traces.append(_hline(x, float(f["lower_limit"].iloc[0]), f"Lower process limit{provisional}", "#5f6368", dash, group="limits"))
    if len(f) and not pd.isna(f["mean"].iloc[0]):
        traces.append(_hline(x, float(f["mean"].iloc[0]),
                             f"Baseline average ({a.baseline_label.replace(' baseline', '')})", "#1f1f1f", "dot"))
    if a.threshold is not None:
        word = "Target" if a.threshold_kind == "target" else "No-detriment tolerance"
        traces.append(_hline(x, a.threshold, f"{word} (illustrative)", "#b3261e", "dashdot", width=2))
    values = [None if math.isnan(v) else float(v) for v in f["value"].to_numpy(dtype=float)]
    traces.append(dict(type="scatter", x=x, y=values, mode="lines", name="Value", showlegend=False,
                       connectgaps=False, line=dict(color="#7B7D7D", width=1.5), hoverinfo="skip"))
    rules = [rule_text(r, side) or "no rule fired" for r, side in zip(f["rules"], f["signal_side"])]
    parts = ["baseline" if b else f"since {SINCE}" for b in f["in_baseline"]]
    kinds = f["point_type"].tolist()
    for kind, colour in spc.POINT_TYPE_COLOURS.items():
        rows = [i for i, k in enumerate(kinds) if k == kind]
        if not rows:
            continue
        traces.append(dict(
            type="scatter", x=[x[i] for i in rows], y=[values[i] for i in rows], mode="markers", name=POINT_WORDS[kind],
            marker=dict(color=colour, symbol=POINT_SYMBOLS[kind], size=11, line=dict(color="#1f1f1f", width=1)),
            customdata=[[POINT_WORDS[kind], rules[i], parts[i]] for i in rows],
            hovertemplate="<b>%{x}</b>: %{y:.1f}<br>%{customdata[0]} (%{customdata[2]})"
                          "<br>Rule: %{customdata[1]}<extra></extra>"))
    if a.gaps:
        traces.append(dict(type="scatter", x=a.gaps, y=[None] * len(a.gaps), mode="markers", name="Not published (gap)",
                           marker=dict(color="#5f6368", symbol="x-open"), hoverinfo="skip"))
    if 0 < a.n_baseline < len(f):
        when = f" ({format_date(started)})" if started is not None and not pd.isna(started) else ""
        shapes.append(_vline(a.n_baseline - 0.5))
        notes.append(dict(x=a.n_baseline - 0.5, y=1.0, yref="paper", yanchor="bottom", xanchor="center",
                          showarrow=False, text=f"baseline ◀ ┆ ▶ since the partnership began{when}", font=dict(size=11)))
    for gap in a.gaps:
        notes.append(dict(x=gap, y=0.02, yref="paper", yanchor="bottom", showarrow=False, textangle=-90,
                          text="not published", font=dict(size=10, color="#3c4043")))
    if a.provisional and has_limits:
        notes.append(dict(x=x[-1], y=float(f["upper_limit"].iloc[0]), xanchor="right", yanchor="bottom",
                          showarrow=False, text="provisional limits (fewer than 13 baseline points)",
                          font=dict(size=11, color="#3c4043")))
    title = f"{a.name}, {a.council}: XmR chart against the {a.baseline_label}"
    return go.Figure(data=traces, layout=_layout(title, a.unit, x, 470, "closest", shapes, notes))


def context_figure(a: Assessment, c: Context, label_of_year: dict[int, str] | None = None) -> go.Figure:
    """The council against its statistical neighbours' median and range, and England."""
    s = c.series
    labels = label_of_year or {}
    x = [labels.get(int(y), str(y)) for y in s["time_period"]]

    def ys(column):
        return [None if math.isnan(v) else float(v) for v in s[column].to_numpy(dtype=float)]

    def line(column, name, **style):
        return dict(type="scatter", x=x, y=ys(column), name=name, hovertemplate=f"{name}: %{{y:.1f}}<extra></extra>",
                    **style)

    traces = [
        line("neighbour_max", "Neighbours' highest", mode="lines", line=dict(width=0, color="#9aa0a6"), showlegend=False),
        line("neighbour_min", "Neighbours' range (lowest–highest)", mode="lines", line=dict(width=0, color="#9aa0a6"),
             fill="tonexty", fillcolor="rgba(154,160,166,0.3)"),
        line("neighbour_median", "Neighbours' median", mode="lines+markers", line=dict(color="#5f6368", dash="dash"),
             marker=dict(symbol="square", size=6)),
        line("england", "England", mode="lines+markers", line=dict(color="#361475", dash="dot"),
             marker=dict(symbol="triangle-up", size=7)),
        line("council", a.council or "Council", mode="lines+markers", connectgaps=False,
             line=dict(color="#1f1f1f", width=2.5), marker=dict(size=8)),
    ]
    shapes = []
    if c.baseline_years:
        last = labels.get(c.baseline_years[-1], str(c.baseline_years[-1]))
        if last in x and x.index(last) < len(x) - 1:
            shapes.append(_vline(x.index(last) + 0.5))
    title = f"{a.name}: {a.council} against its statistical neighbours and England"
    return go.Figure(data=traces, layout=_layout(title, a.unit, x, 420, "x unified", shapes, []))


def year_labels(a: Assessment) -> dict[int, str]:
    """The indicator's own period labels by DfE year ('2019-20' for 2020, 'Sep 2019' for 2019)."""
    f = a.frame
    return {int(pd.Timestamp(d).year): str(label) for d, label in zip(f["period_end_date"], f["period_label"])}

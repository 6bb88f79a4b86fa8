"""The council beside its ten statistical neighbours and England on the same DfE measure: each area's
change from its own baseline average to the latest year, and whether the council moved differently."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor.formatting import in_sentence
from monitor.no_detriment.assessment import Assessment
from monitor.no_detriment.verdicts import SINCE
from monitor.no_detriment.wording import format_change, format_value


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
    # The baseline years that set the limits (a point left out of them is left out here too).
    base_years = (sorted(years[frame["in_baseline"] & frame["value"].notna() & ~frame["excluded"]].tolist())
                  if len(frame) else [])
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
        cb = float(frame.loc[frame["in_baseline"] & ~frame["excluded"], "value"].dropna().mean())
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

"""Milestones as reported at each reporting date (the snapshots): what each reporting date said,
the reported status beside the RAG the dates give, and the slippage trend across reporting dates."""
from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.formatting import format_date
from monitor.milestones.rules import (
    CLOSED_STATUSES,
    COMPLETE,
    DROPPED,
    RAG_AMBER,
    RAG_COMPLETE,
    RAG_DROPPED,
    RAG_GREEN,
    RAG_RED,
    _snapshot,
    derived_rag,
    status_words,
)
from monitor.values import day, day_column, text_column

# How a reported status reads as a RAG, to set beside the RAG derived from the dates.
REPORTED_AS_RAG: dict[str, str] = {
    "not started": RAG_GREEN,
    "on track": RAG_GREEN,
    "at risk": RAG_AMBER,
    "off track": RAG_RED,
    COMPLETE: RAG_COMPLETE,
    DROPPED: RAG_DROPPED,
}


TREND_SLIPPED_NOW = "Slipped since the previous report"
TREND_SLIPPED_BEFORE = "Slipped at an earlier report"
TREND_HELD = "Held its date (or brought it forward)"
TREND_NO_FORECAST = "No forecast reported"


def reporting_dates(snapshots: pd.DataFrame | None) -> list[pd.Timestamp]:
    """The distinct reporting dates of a set of snapshots, newest first."""
    if snapshots is None or "reporting_date" not in snapshots.columns or snapshots.empty:
        return []
    return sorted(day_column(snapshots, "reporting_date").dropna().unique(), reverse=True)


def previous_reporting_date(dates, reporting_date) -> pd.Timestamp | None:
    """The latest reporting date strictly before ``reporting_date`` (None for the first report)."""
    cutoff = day(reporting_date)
    earlier = [pd.Timestamp(d) for d in dates if pd.Timestamp(d) < cutoff]
    return max(earlier) if earlier else None


def reported_by(snapshots: pd.DataFrame | None, reporting_date) -> pd.DataFrame:
    """Snapshots reported on or before ``reporting_date``: pass to ``snapshot_diff`` and friends,
    which take each milestone's latest row — so a milestone missing from one quarter's return keeps
    its last reported position instead of reading as "removed" and then "added" again."""
    if snapshots is None or "reporting_date" not in snapshots.columns:
        return _snapshot(None).assign(reporting_date=pd.Series(dtype="datetime64[us]"))
    return snapshots.loc[(day_column(snapshots, "reporting_date") <= day(reporting_date)).to_numpy()]


def as_reported(milestones: pd.DataFrame | None, snapshots: pd.DataFrame | None, reporting_date) -> pd.DataFrame:
    """The plan as it stood at a reporting date: each milestone's own row (title, owner, work
    stream, baseline, evidence, source) with the status and forecast date of its latest snapshot on
    or before that date. Added columns: ``reported_on`` (the date of the snapshot used) and
    ``carried_forward`` (True when the milestone was not reported on the reporting date itself and
    an earlier report stands in). ``completed_date`` is kept only for milestones reported complete.
    Milestones with no snapshot on or before the date are left out: they were not yet in the plan."""
    base = milestones if milestones is not None else pd.DataFrame()
    if "milestone_id" not in base.columns:
        base = pd.DataFrame({"milestone_id": pd.Series(dtype=object)})
    picked = reported_by(snapshots, reporting_date)
    latest = _snapshot(picked)
    if len(latest):
        reported_on = day_column(picked, "reporting_date").groupby(text_column(picked["milestone_id"]).to_numpy()).max()
        latest["reported_on"] = pd.to_datetime(latest["milestone_id"].map(reported_on)).astype("datetime64[us]")
    else:
        latest["reported_on"] = pd.Series(dtype="datetime64[us]")
    work = base.drop(columns=[c for c in ("status", "forecast_due_date", "reported_on", "carried_forward")
                              if c in base.columns])
    work = work.assign(_key=text_column(base["milestone_id"]).to_numpy())
    merged = work.merge(latest.rename(columns={"milestone_id": "_key"}), on="_key", how="inner").drop(columns="_key")
    merged["carried_forward"] = (merged["reported_on"] < day(reporting_date)).astype(bool)
    if "completed_date" in merged.columns:
        merged["completed_date"] = day_column(merged, "completed_date").where(merged["status"].eq(COMPLETE))
    return merged.reset_index(drop=True)


def not_yet_reported(milestones: pd.DataFrame | None, snapshots: pd.DataFrame | None, reporting_date) -> pd.DataFrame:
    """Milestones of the plan with no snapshot on or before the reporting date (added since)."""
    if milestones is None or "milestone_id" not in milestones.columns:
        return pd.DataFrame({"milestone_id": pd.Series(dtype=object)})
    # The distinct ids, not a set of every snapshot's: a large plan has tens of thousands of snapshots.
    seen = text_column(reported_by(snapshots, reporting_date)["milestone_id"]).unique()
    return milestones.loc[~text_column(milestones["milestone_id"]).isin(seen).to_numpy()].reset_index(drop=True)


def rag_comparison(frame: pd.DataFrame, reporting_date) -> pd.DataFrame:
    """The frame with ``derived_rag`` (from the dates, ``RAG_RULES``), ``reported_rag`` (the
    reported status read through ``REPORTED_AS_RAG``) and ``rag_agrees`` (False where the owner's
    report and the dates tell different stories)."""
    result = frame.copy()
    result["derived_rag"] = derived_rag(frame, reporting_date).to_numpy()
    result["reported_rag"] = status_words(frame).map(lambda s: REPORTED_AS_RAG.get(s, "No status")).to_numpy()
    result["rag_agrees"] = (result["derived_rag"] == result["reported_rag"]).astype(bool)
    return result


def trend_points(snapshots: pd.DataFrame | None, reporting_date, previous_reporting_date) -> pd.DataFrame:
    """The points of ``trend_overview_figure``: each milestone's reported forecast at each
    reporting date up to ``reporting_date``, stopping at its first report as complete or dropped
    (after that the line would only run flat), with the milestone's ``trend_group``:
    slipped since the previous report (its forecast now is later than at ``previous_reporting_date``),
    slipped at an earlier report (now later than its first reported forecast), held its date, or
    no forecast reported at all (nothing to draw). Columns: milestone_id, milestone_title, reporting_date, forecast_due_date, status, trend_group."""
    columns = ["milestone_id", "milestone_title", "reporting_date", "forecast_due_date", "status", "trend_group"]
    empty = pd.DataFrame({c: pd.Series(dtype="datetime64[us]" if c in ("reporting_date", "forecast_due_date") else object)
                          for c in columns})
    if snapshots is None or snapshots.empty or "milestone_id" not in snapshots.columns:
        return empty
    work = reported_by(snapshots, reporting_date)
    work = pd.DataFrame({
        "milestone_id": text_column(work["milestone_id"]).to_numpy(),
        "milestone_title": (text_column(work["milestone_title"]) if "milestone_title" in work.columns
                            else text_column(work["milestone_id"])).to_numpy(),
        "reporting_date": day_column(work, "reporting_date").to_numpy(),
        "forecast_due_date": day_column(work, "forecast_due_date").to_numpy(),
        "status": status_words(work).to_numpy(),
    })
    if work.empty:
        return empty
    work["milestone_title"] = work["milestone_title"].fillna(work["milestone_id"])
    work = work.sort_values(["milestone_id", "reporting_date"], kind="stable").reset_index(drop=True)
    closed = work["status"].isin(CLOSED_STATUSES)
    ids = work["milestone_id"]
    closed_before = closed.astype(int).groupby(ids).shift(fill_value=0).groupby(ids).cummax()
    work = work.loc[~closed_before.astype(bool).to_numpy()].reset_index(drop=True)

    by_id = work.groupby("milestone_id", sort=False)["forecast_due_date"]
    first = work["milestone_id"].map(by_id.first())  # first and last skip missing forecasts
    last = work["milestone_id"].map(by_id.last())
    if previous_reporting_date is not None and not pd.isna(day(previous_reporting_date)):
        before = work.loc[work["reporting_date"] <= day(previous_reporting_date)]
        at_previous = before.groupby("milestone_id")["forecast_due_date"].last()
        previous = work["milestone_id"].map(at_previous)
    else:
        previous = pd.Series(pd.NaT, index=work.index)
    slipped_now = (pd.to_datetime(last) > pd.to_datetime(previous)).fillna(False).astype(bool)
    slipped_before = (pd.to_datetime(last) > pd.to_datetime(first)).fillna(False).astype(bool)
    work["trend_group"] = np.select([last.isna().to_numpy(), slipped_now.to_numpy(), slipped_before.to_numpy()],
                                    [TREND_NO_FORECAST, TREND_SLIPPED_NOW, TREND_SLIPPED_BEFORE], default=TREND_HELD)
    return work[columns]


def trend_summary(points: pd.DataFrame, previous_reporting_date) -> str:
    """One sentence above the trend chart."""
    if points is None or points.empty:
        return "No forecasts have been reported for these milestones yet."
    groups = points.drop_duplicates("milestone_id")["trend_group"].value_counts()
    dates = day_column(points, "reporting_date")
    n, k = points["milestone_id"].nunique(), dates.nunique()
    text = (f"{n} milestone{'' if n == 1 else 's'} across {k} reporting date{'' if k == 1 else 's'} "
            f"({format_date(dates.min())} to {format_date(dates.max())}): ")
    parts = []
    if previous_reporting_date is not None and not pd.isna(day(previous_reporting_date)):
        parts.append(f"{int(groups.get(TREND_SLIPPED_NOW, 0))} slipped since {format_date(day(previous_reporting_date))}")
    parts.append(f"{int(groups.get(TREND_SLIPPED_BEFORE, 0))} slipped at an earlier report")
    parts.append(f"{int(groups.get(TREND_HELD, 0))} held their dates")
    if groups.get(TREND_NO_FORECAST, 0):
        parts.append(f"{int(groups[TREND_NO_FORECAST])} with no forecast reported (not drawn)")
    return text + ", ".join(parts) + "."

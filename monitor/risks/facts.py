"""The risk register's headline facts for a programme as at a date — one definition, rendered by the
Overview card, the Risks page, the quarterly report (screen and Word), the headline-figures CSV and
`make figures`.

"As at" as for milestones: today the register as it stands; an earlier date (a past quarter, a closed
programme's closing date) the register as reported at the latest reporting date on or before it (the
risk snapshots), or with none by then, the risks raised by that date with their current scores, closed
if closed by then. A "high" risk scores HIGH_SCORE or more (the High and Very high bands).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor.formatting import counted, format_date
from monitor.programme import closed_by_as_at, latest_reported, rows_as_at
from monitor.risks.rules import HIGH_SCORE, VERY_HIGH_SCORE
from monitor.values import counts_by, day, day64, day_column, per_row

# What the risk register's downloads come from (monitor.tidy.Origin).
SOURCE = "the programme's risk register as recorded in Improvement Monitor (council papers and illustrative figures)"

BASIS_LIVE = "as it stands"
BASIS_NO_REPORT = "as it stood (no report by then)"
STATE_COLUMNS = ["programme_id", "risk_id", "likelihood", "impact", "status", "next_review_date"]


@dataclass(frozen=True)
class RiskFacts:
    as_at: dt.date
    basis: str
    open: int
    high: int               # open and scoring HIGH_SCORE or more (High and Very high)
    very_high: int          # open and scoring VERY_HIGH_SCORE or more
    reviews_overdue: int    # open with a review date before as_at; 0 once the programme has closed
    closed_on: dt.date | None = None

    def sentence(self) -> str:
        """'6 open risks: 1 high (scoring 10 or more), of which 1 very high (16 or more)'."""
        text = (f"{counted(self.open, 'open risk')}: {self.high} high (scoring {HIGH_SCORE} or more), of which "
                f"{self.very_high} very high ({VERY_HIGH_SCORE} or more)")
        if self.closed_on:
            return text + f", when the programme closed on {format_date(self.closed_on)}"
        return text + (f"; {counted(self.reviews_overdue, 'review')} overdue" if self.reviews_overdue else "")


def _as_it_stood(risks: pd.DataFrame, cutoff: np.ndarray) -> pd.DataFrame:
    raised = day_column(risks, "raised_date").to_numpy()
    closed = day_column(risks, "closed_date").to_numpy()
    kept = raised <= cutoff
    work = risks.loc[kept]
    work["status"] = np.where(closed[kept] <= cutoff[kept], "closed", "open")
    return work


def state_as_at(risks: pd.DataFrame, snapshots: pd.DataFrame, as_at: Mapping[str, dt.date],
                today: dt.date) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every risk of the programmes in `as_at` as it stood at that date (columns STATE_COLUMNS), and
    the basis of each programme's state. `snapshots` need risk_id, reporting_date, likelihood, impact
    and status."""
    # Masks and dates as numpy arrays: a page computes one programme's few rows, where pandas' cost per
    # operation was most of the time; the Overview every programme's at once, through the same steps.
    frame, when = rows_as_at(risks, as_at)
    live = when >= day64(today)
    basis = {p: BASIS_LIVE for p, d in as_at.items() if day(d) >= day(today)}
    parts = [frame.loc[live]]
    past = frame.loc[~live]
    if not past.empty:
        past_when = when[~live]
        columns = ["risk_id", "reporting_date", "likelihood", "impact", "status"]
        snaps = (snapshots[columns] if snapshots is not None and not snapshots.empty and set(columns) <= set(snapshots)
                 else pd.DataFrame({c: pd.Series(dtype=object) for c in columns}))
        # Each snapshot's risk in the register (risk_id is a risk's key), as an inner merge on it would
        # pair them; kept when reported by the risk's date, and then only its programme's latest.
        keep, row, codes, code, reported = latest_reported(past, "risk_id", past_when, snaps)
        basis.update({p: f"as reported on {format_date(on)}" for p, on in reported.items()})
        snaps = snaps.loc[keep]
        mine = past.reindex(columns=["programme_id", "next_review_date"]).take(row[keep]).set_axis(snaps.index)
        snaps = snaps.assign(programme_id=mine["programme_id"], next_review_date=mine["next_review_date"])
        unreported = ~np.isin(codes, code)
        parts += [snaps, _as_it_stood(past.loc[unreported], past_when[unreported]) if unreported.any()
                  else past.loc[unreported]]
        basis.update({p: BASIS_NO_REPORT for p in set(past.loc[unreported, "programme_id"])})
    parts = [p.reindex(columns=STATE_COLUMNS) for p in parts if not p.empty]
    state = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=STATE_COLUMNS)
    status = state["status"]
    # Text already (str, none missing) is its own words: the per-value pass is for anything else.
    if not (isinstance(status.dtype, pd.StringDtype) and status.dtype.na_value is np.nan and status.notna().all()):
        state["status"] = status.astype(object).map(lambda s: None if pd.isna(s) else str(s))
    return state, basis


def scores(state: pd.DataFrame) -> pd.Series:
    """Likelihood × impact of each row (the score of a risk, as rules.score but for a whole frame)."""
    return (pd.to_numeric(state["likelihood"]) * pd.to_numeric(state["impact"])).astype("Int64")


def facts_from_state(state: pd.DataFrame, as_at: Mapping[str, dt.date], basis: Mapping[str, str],
                     closed_on: Mapping[str, dt.date | None]) -> dict[str, RiskFacts]:
    closed_on = closed_by_as_at(closed_on, as_at)
    # Each step on numpy arrays: for one programme's few rows pandas' per-operation cost was most of it.
    programmes = state["programme_id"]
    is_open = state["status"].eq("open").to_numpy(dtype=bool, na_value=False)
    score = scores(state)
    cut = per_row(programmes, {p: day64(d) for p, d in as_at.items()}, np.datetime64("NaT", "us"), "datetime64[us]")
    not_closed = ~per_row(programmes, {p: True for p in closed_on}, False, bool)
    counts = counts_by({
        "programme_id": programmes, "open": is_open,
        "high": is_open & (score >= HIGH_SCORE).to_numpy(dtype=bool, na_value=False),
        "very_high": is_open & (score >= VERY_HIGH_SCORE).to_numpy(dtype=bool, na_value=False),
        "late": is_open & (day_column(state, "next_review_date").to_numpy() < cut) & not_closed,
    }, "programme_id")
    out = {}
    for pid, on in as_at.items():
        row = counts.get(pid, {})

        def n(column):
            return row.get(column, 0)
        out[pid] = RiskFacts(as_at=on, basis=basis.get(pid, BASIS_LIVE), open=n("open"), high=n("high"),
                             very_high=n("very_high"), reviews_overdue=n("late"), closed_on=closed_on.get(pid))
    return out


def risk_facts(risks: pd.DataFrame, snapshots: pd.DataFrame, as_at: Mapping[str, dt.date],
               closed_on: Mapping[str, dt.date | None], today: dt.date) -> dict[str, RiskFacts]:
    state, basis = state_as_at(risks, snapshots, as_at, today)
    return facts_from_state(state, as_at, basis, closed_on)

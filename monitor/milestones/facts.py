"""The action plan's headline facts for a programme as at a date — one definition, which the Overview
card, the Action plan page, the quarterly and annual reports (screen and Word), the headline-figures
CSV and `make figures` all render.

"As at" a date: while a programme runs, today's facts come from the plan as it stands; an earlier date
(a past quarter's report, a closed programme's closing date) reads the plan as reported at the latest
reporting date on or before it (the milestone snapshots), or, with no report by then, the plan as it
stood (nothing completed after the date counts as complete). Dropped milestones are outside the "of N".
A closed programme has nothing overdue and nothing due: what was still open when it closed is counted
as such.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from monitor.formatting import counted, format_date
from monitor.milestones.rules import CLOSED_STATUSES, COMPLETE, DROPPED, due_dates, status_words
from monitor.values import day, day_column

# "Due soon": open milestones due within this many days after the as-at date.
DUE_SOON_DAYS = 90

BASIS_LIVE = "as it stands"
BASIS_NO_REPORT = "as it stood (no report by then)"


@dataclass(frozen=True)
class MilestoneFacts:
    as_at: dt.date
    basis: str               # BASIS_LIVE, "as reported on 30 Sep 2023" or BASIS_NO_REPORT
    in_plan: int             # every milestone not dropped: the "of N"
    complete: int
    dropped: int
    overdue: int             # due before as_at, not complete or dropped; 0 once the programme has closed
    due_by_as_at: int        # in the plan and due before as_at: what the overdue share is of
    due_soon: int            # open and due within DUE_SOON_DAYS after as_at; 0 once closed
    closed_on: dt.date | None = None
    open_at_close: int = 0   # in the plan and not complete when the programme closed

    @property
    def complete_of(self) -> str:
        return f"{self.complete} of {self.in_plan}"

    @property
    def overdue_share(self) -> float:
        return self.overdue / self.due_by_as_at if self.due_by_as_at else 0.0

    @property
    def overdue_text(self) -> str:
        """What an 'Overdue' figure reads as: a number, or why there is none."""
        return "none (closed)" if self.closed_on else f"{self.overdue:,}"

    def sentence(self) -> str:
        """'12 of 20 milestones complete (1 dropped); 2 overdue; 3 due in the next 90 days', or for a
        closed programme '… ; closed on 30 Sep 2023 with 2 not delivered: nothing counts as overdue'."""
        if not self.in_plan and not self.dropped:
            return "No milestones recorded."
        text = f"{self.complete} of {counted(self.in_plan, 'milestone')} complete"
        if self.dropped:
            text += f" ({self.dropped} dropped)"
        if self.closed_on:
            return (text + f"; the programme closed on {format_date(self.closed_on)} with "
                    f"{counted(self.open_at_close, 'milestone')} not delivered: nothing counts as overdue")
        return text + f"; {self.overdue} overdue; {self.due_soon} due in the next {DUE_SOON_DAYS} days"


def _reconstructed(rows: pd.DataFrame, cutoff: pd.Series) -> pd.DataFrame:
    """The plan as it stood on each row's `cutoff`: a milestone completed after it was still open."""
    work = rows.copy()
    completed = day_column(work, "completed_date")
    done_later = status_words(work).eq(COMPLETE) & ~(completed <= cutoff)
    work.loc[done_later.to_numpy(), "status"] = "on track"
    work["completed_date"] = completed.where(~done_later)
    return work


def state_as_at(milestones: pd.DataFrame, snapshots: pd.DataFrame, as_at: Mapping[str, dt.date],
                today: dt.date) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every milestone of the programmes in `as_at` (programme_id → date) as it stood at that date,
    and the basis of each programme's state (see the module docstring). `snapshots` need
    milestone_id, reporting_date, status and forecast_due_date."""
    frame = milestones.loc[milestones["programme_id"].isin(list(as_at))]
    when = frame["programme_id"].map({p: day(d) for p, d in as_at.items()}).astype("datetime64[us]")
    live = (when >= day(today)).to_numpy()
    basis = {p: BASIS_LIVE for p, d in as_at.items() if day(d) >= day(today)}
    parts = [_reconstructed(frame.loc[live], when.loc[live])]
    past = frame.loc[~live]
    if not past.empty:
        past_when = when.loc[~live]
        columns = ["milestone_id", "reporting_date", "status", "forecast_due_date"]
        snaps = (snapshots[columns] if snapshots is not None and not snapshots.empty and set(columns) <= set(snapshots)
                 else pd.DataFrame({c: pd.Series(dtype=object) for c in columns}))
        snaps = snaps.merge(past.assign(_as_at=past_when)[["milestone_id", "programme_id", "_as_at"]], on="milestone_id")
        snaps = snaps.loc[(day_column(snaps, "reporting_date") <= snaps["_as_at"]).to_numpy()]
        latest = day_column(snaps, "reporting_date").groupby(snaps["programme_id"]).transform("max")
        snaps = snaps.loc[(day_column(snaps, "reporting_date") == latest).to_numpy()]
        reported = set(snaps["programme_id"])
        for pid, on in snaps.groupby("programme_id")["reporting_date"].max().items():
            basis[pid] = f"as reported on {format_date(on)}"
        from_snaps = past.loc[past["programme_id"].isin(reported)].drop(columns=["status", "forecast_due_date"]).merge(
            snaps[["milestone_id", "status", "forecast_due_date"]], on="milestone_id", how="inner")
        cutoff = from_snaps["programme_id"].map({p: day(d) for p, d in as_at.items()})
        completed = day_column(from_snaps, "completed_date")
        from_snaps["completed_date"] = completed.where(status_words(from_snaps).eq(COMPLETE) & (completed <= cutoff))
        unreported = past.loc[~past["programme_id"].isin(reported)]
        parts += [from_snaps, _reconstructed(unreported, past_when.loc[unreported.index])]
        basis.update({p: BASIS_NO_REPORT for p in set(unreported["programme_id"])})
    state = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) \
        else frame.iloc[:0]
    return state, basis


def facts_from_state(state: pd.DataFrame, as_at: Mapping[str, dt.date], basis: Mapping[str, str],
                     closed_on: Mapping[str, dt.date | None]) -> dict[str, MilestoneFacts]:
    """MilestoneFacts for every programme in `as_at`, from `state_as_at`'s frame."""
    # A programme counts as closed in its facts only from its closing date on (a report of an earlier
    # quarter of a closed programme reads as that quarter did).
    closed_on = {p: c for p, c in closed_on.items() if c is not None and p in as_at and as_at[p] >= c}
    cut = state["programme_id"].map({p: day(d) for p, d in as_at.items()}).astype("datetime64[us]")
    status = status_words(state)
    due = due_dates(state)
    in_plan = ~status.eq(DROPPED)
    open_ = ~status.isin(CLOSED_STATUSES)
    is_closed = state["programme_id"].map(lambda p: closed_on.get(p) is not None).astype(bool)
    counts = pd.DataFrame({
        "programme_id": state["programme_id"],
        "in_plan": in_plan, "complete": status.eq(COMPLETE), "dropped": status.eq(DROPPED),
        "overdue": open_ & (due < cut) & ~is_closed,
        "due_by": in_plan & (due < cut),
        "due_soon": open_ & (due >= cut) & (due <= cut + pd.Timedelta(days=DUE_SOON_DAYS)) & ~is_closed,
        "open_at_close": open_ & is_closed,
    }).groupby("programme_id").sum()
    out = {}
    for pid, on in as_at.items():
        row = counts.loc[pid] if pid in counts.index else None

        def n(column):
            return int(row[column]) if row is not None else 0
        out[pid] = MilestoneFacts(as_at=on, basis=basis.get(pid, BASIS_LIVE), in_plan=n("in_plan"),
                                  complete=n("complete"), dropped=n("dropped"), overdue=n("overdue"),
                                  due_by_as_at=n("due_by"), due_soon=n("due_soon"), closed_on=closed_on.get(pid),
                                  open_at_close=n("open_at_close"))
    return out


def milestone_facts(milestones: pd.DataFrame, snapshots: pd.DataFrame, as_at: Mapping[str, dt.date],
                    closed_on: Mapping[str, dt.date | None], today: dt.date) -> dict[str, MilestoneFacts]:
    """The facts of every programme in `as_at`, as at its date (see `monitor.programme.as_at`)."""
    state, basis = state_as_at(milestones, snapshots, as_at, today)
    return facts_from_state(state, as_at, basis, closed_on)

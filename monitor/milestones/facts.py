"""The action plan's headline facts for a programme as at a date — one definition, which the Overview
card, the Action plan page, the quarterly and annual reports (screen and Word), the headline-figures
CSV and `make figures` all render.

"As at" a date: while a programme runs, today's facts come from the plan as it stands; an earlier date
(a past quarter's report, a closed programme's closing date) reads the plan as reported at the latest
reporting date on or before it (the milestone snapshots), or, with no report by then, the plan as it
stood (nothing completed after the date counts as complete). Dropped milestones are outside the "of N".
A closed programme has nothing overdue and nothing due: what was still open when it closed is counted
as such.

Councils that end: a milestone belongs to the lead council of its work stream. Once that council has
been abolished (authority.abolished_date, on or before the as-at date), a milestone of it still open
is never live as its own: it passed to the successor when the successor is itself a party to the
programme (and is then the successor's, counted as any other), or else it closed with the council —
out of the "of N", never overdue or due, counted apart (`ended_with_council`, `council_changes`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

import numpy as np

from monitor.formatting import counted, format_date
from monitor.milestones.rules import CLOSED_STATUSES, COMPLETE, DROPPED, due_dates, status_words
from monitor.programme import closed_by_as_at, latest_reported, rows_as_at
from monitor.values import counts_by, day, day64, day_column, per_row, text

# What the action plan's downloads come from (monitor.tidy.Origin).
SOURCE = ("the programme's action plan and quarterly reports as recorded in Improvement Monitor (council papers "
          "and illustrative figures)")

# "Due soon": open milestones due within this many days after the as-at date.
DUE_SOON_DAYS = 90

BASIS_LIVE = "as it stands"
BASIS_NO_REPORT = "as it stood (no report by then)"

# What became of an open milestone whose council was abolished (see the module docstring).
PASSED = "passed to successor"
CLOSED_WITH_COUNCIL = "closed with its council"


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
    closed_with_council: int = 0   # open when their council was abolished, no successor in the programme
    passed_to_successor: int = 0   # open when their council was abolished, now the successor party's

    @property
    def complete_of(self) -> str:
        return f"{self.complete} of {self.in_plan}"

    @property
    def council_text(self) -> str:
        """'2 closed when their council was abolished' ('' when none)."""
        if not self.closed_with_council:
            return ""
        one = self.closed_with_council == 1
        return f"{counted(self.closed_with_council, 'milestone')} closed when {'its' if one else 'their'} council was abolished"

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
        if self.closed_with_council:
            text += f"; {self.council_text}"
        if self.closed_on:
            return (text + f"; the programme closed on {format_date(self.closed_on)} with "
                    f"{counted(self.open_at_close, 'milestone')} not delivered: nothing counts as overdue")
        return text + f"; {self.overdue} overdue; {self.due_soon} due in the next {DUE_SOON_DAYS} days"


def ended_with_council(frame: pd.DataFrame, cut) -> pd.Series:
    """For each milestone: PASSED, CLOSED_WITH_COUNCIL or None — open (as the frame has it) and its
    council abolished on or before `cut` (a date, or one per row: a Series or array)."""
    if "owner_abolished_date" not in frame or frame.empty:
        return pd.Series(None, index=frame.index, dtype=object)
    abolished = day_column(frame, "owner_abolished_date").to_numpy()
    cut = cut.to_numpy() if isinstance(cut, pd.Series) else cut if isinstance(cut, np.ndarray) else day64(cut)
    # numpy arrays, not Series: on one programme's rows pandas' per-step cost was most of the time.
    hit = ~np.isin(status_words(frame).to_numpy(), CLOSED_STATUSES) & ~np.isnat(abolished) & (abolished <= cut)
    passed = frame["successor_in_programme"].fillna(False).astype(bool).to_numpy() \
        if "successor_in_programme" in frame else np.zeros(len(frame), dtype=bool)
    return pd.Series(np.where(hit & passed, PASSED, np.where(hit, CLOSED_WITH_COUNCIL, None)), index=frame.index,
                     dtype=object)


def council_changes(frame: pd.DataFrame, on) -> pd.DataFrame:
    """The plan as the pages show it on `on`, by the rule above: a milestone closed with its council
    counts as out of the plan (as a dropped one does) and its status reads 'closed: Sedgemoor was
    abolished on 1 Apr 2023 …'; one passed to a successor party names it beside its owner. Adds
    `status_shown` (the status as a table shows it) and `council_change`."""
    ended = ended_with_council(frame, on)
    out = frame.assign(status_shown=frame["status"] if "status" in frame else None, council_change=ended)
    if not ended.notna().any():
        return out
    for i in out.index[ended.notna().to_numpy()]:
        council = text(out.at[i, "owner_council"]) or "its council"
        when = format_date(out.at[i, "owner_abolished_date"])
        successor = text(out.at[i, "owner_successor"])
        if ended.at[i] == PASSED:
            out.at[i, "owner"] = f"{text(out.at[i, 'owner'])} (passed to {successor} when {council} was abolished on {when})"
        else:
            out.at[i, "status_shown"] = (f"closed: {council} was abolished on {when}"
                                         + (f"; its work passed to {successor}, not a party" if successor else ""))
            out.at[i, "status"] = DROPPED
    return out


def _reconstructed(rows: pd.DataFrame, cutoff: np.ndarray) -> pd.DataFrame:
    """The plan as it stood on each row's `cutoff`: a milestone completed after it was still open."""
    completed = day_column(rows, "completed_date")
    done_later = (status_words(rows).to_numpy() == COMPLETE) & ~(completed.to_numpy() <= cutoff)
    if not done_later.any():  # the plan as it stands (a running programme's, mostly): nothing to copy
        return rows.assign(completed_date=completed)
    work = rows.copy()
    work.loc[done_later, "status"] = "on track"
    work["completed_date"] = completed.where(~done_later)
    return work


_NAT = np.datetime64("NaT", "us")


def state_as_at(milestones: pd.DataFrame, snapshots: pd.DataFrame, as_at: Mapping[str, dt.date],
                today: dt.date) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every milestone of the programmes in `as_at` (programme_id → date) as it stood at that date,
    and the basis of each programme's state (see the module docstring). `snapshots` need
    milestone_id, reporting_date, status and forecast_due_date."""
    # Masks and dates as numpy arrays: a page computes one programme's few rows, where pandas' cost per
    # operation was most of the time; the Overview every programme's at once, through the same steps.
    frame, when = rows_as_at(milestones, as_at)
    live = when >= day64(today)
    basis = {p: BASIS_LIVE for p, d in as_at.items() if day(d) >= day(today)}
    parts = [_reconstructed(frame.loc[live], when[live])] if live.any() else []
    past = frame.loc[~live]
    if not past.empty:
        past_when = when[~live]
        columns = ["milestone_id", "reporting_date", "status", "forecast_due_date"]
        snaps = (snapshots[columns] if snapshots is not None and not snapshots.empty and set(columns) <= set(snapshots)
                 else pd.DataFrame({c: pd.Series(dtype=object) for c in columns}))
        # Each snapshot's milestone in the plan (milestone_id is a milestone's key), as an inner merge on
        # it would pair them; kept when reported by the milestone's date, and then only the latest
        # reporting date of its programme.
        keep, _row, codes, code, reported = latest_reported(past, "milestone_id", past_when, snaps)
        snaps = snaps.loc[keep]
        basis.update({p: f"as reported on {format_date(on)}" for p, on in reported.items()})
        # Each reported milestone with its latest snapshot's status and forecast (one per milestone): taken
        # by position, as an inner merge on milestone_id would give them, without copying the plan twice.
        is_reported = np.isin(codes, code)
        mine = past.loc[is_reported]
        at = pd.Index(snaps["milestone_id"]).get_indexer(mine["milestone_id"])
        from_snaps = mine.loc[at >= 0].drop(columns=["status", "forecast_due_date"]).reset_index(drop=True).assign(
            status=snaps["status"].to_numpy()[at[at >= 0]],
            forecast_due_date=snaps["forecast_due_date"].to_numpy()[at[at >= 0]])
        cutoff = past_when[is_reported][at >= 0]
        completed = day_column(from_snaps, "completed_date")
        from_snaps["completed_date"] = completed.where((status_words(from_snaps).to_numpy() == COMPLETE)
                                                       & (completed.to_numpy() <= cutoff))
        unreported = past.loc[~is_reported]
        parts += [from_snaps, _reconstructed(unreported, past_when[~is_reported]) if len(unreported) else unreported]
        basis.update({p: BASIS_NO_REPORT for p in set(unreported["programme_id"])})
    state = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) \
        else frame.iloc[:0]
    return state, basis


def facts_from_state(state: pd.DataFrame, as_at: Mapping[str, dt.date], basis: Mapping[str, str],
                     closed_on: Mapping[str, dt.date | None]) -> dict[str, MilestoneFacts]:
    """MilestoneFacts for every programme in `as_at`, from `state_as_at`'s frame."""
    closed_on = closed_by_as_at(closed_on, as_at)
    # Each step on numpy arrays: for one programme's few rows pandas' per-operation cost was most of it.
    programmes = state["programme_id"]
    cut = per_row(programmes, {p: day64(d) for p, d in as_at.items()}, _NAT, "datetime64[us]")
    status = status_words(state).to_numpy()
    due = due_dates(state).to_numpy()
    ended = ended_with_council(state, cut).to_numpy()
    with_council = ended == CLOSED_WITH_COUNCIL
    in_plan = (status != DROPPED) & ~with_council
    open_ = ~np.isin(status, CLOSED_STATUSES) & ~with_council
    is_closed = per_row(programmes, {p: True for p in closed_on}, False, bool)
    counts = counts_by({
        "programme_id": programmes,
        "in_plan": in_plan, "complete": status == COMPLETE, "dropped": status == DROPPED,
        "overdue": open_ & (due < cut) & ~is_closed,
        "due_by": in_plan & (due < cut),
        "due_soon": open_ & (due >= cut) & (due <= cut + np.timedelta64(DUE_SOON_DAYS, "D")) & ~is_closed,
        "open_at_close": open_ & is_closed,
        "closed_with_council": with_council, "passed": ended == PASSED,
    }, "programme_id")
    out = {}
    for pid, on in as_at.items():
        row = counts.get(pid, {})

        def n(column):
            return row.get(column, 0)
        out[pid] = MilestoneFacts(as_at=on, basis=basis.get(pid, BASIS_LIVE), in_plan=n("in_plan"),
                                  complete=n("complete"), dropped=n("dropped"), overdue=n("overdue"),
                                  due_by_as_at=n("due_by"), due_soon=n("due_soon"), closed_on=closed_on.get(pid),
                                  open_at_close=n("open_at_close"), closed_with_council=n("closed_with_council"),
                                  passed_to_successor=n("passed"))
    return out


def milestone_facts(milestones: pd.DataFrame, snapshots: pd.DataFrame, as_at: Mapping[str, dt.date],
                    closed_on: Mapping[str, dt.date | None], today: dt.date) -> dict[str, MilestoneFacts]:
    """The facts of every programme in `as_at`, as at its date (see `monitor.programme.as_at`)."""
    state, basis = state_as_at(milestones, snapshots, as_at, today)
    return facts_from_state(state, as_at, basis, closed_on)

"""Action-plan rules: slippage, overdue, a RAG derived from dates, what changed between two
reporting dates, the one-line summary and the burn-up.

Frames use the column names of ``milestone`` and ``milestone_snapshot`` in data/schema.sql. Dates
may be pandas datetime64 (as DuckDB hands DATE columns over), ``datetime.date`` objects or ISO
strings; statuses plain strings or DuckDB's ordered Categorical. Every function accepts an empty
frame (even one with no columns) and returns an empty, correctly shaped result rather than raising,
because a new programme has no milestones and a first quarter has no previous snapshot.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from monitor.formatting import format_date
from monitor.values import day, day_column, text_column

COMPLETE = "complete"
DROPPED = "dropped"
CLOSED_STATUSES = (COMPLETE, DROPPED)
RAG_COMPLETE = "Complete"
RAG_DROPPED = "Dropped"
RAG_RED = "Red — off track"
RAG_AMBER = "Amber — at risk"
RAG_GREEN = "Green — on track"


# Applied in this order: the first rule that matches gives the milestone its RAG. Derived from the
# dates alone, so it can disagree with the status the owner reported — worth showing both.
RAG_RULES: list[tuple[str, str]] = [
    (RAG_COMPLETE, "The milestone is marked complete."),
    (RAG_DROPPED, "The milestone has been dropped from the plan."),
    (RAG_RED, "Overdue: its due date (the forecast date, or the baseline date if there is no forecast) "
              "is before the reporting date and it is not complete."),
    (RAG_AMBER, "Slipped: the forecast date is later than the baseline date, but it is not yet overdue."),
    (RAG_GREEN, "Neither overdue nor slipped."),
]


# GOV.UK Design System colours; always shown beside the word, never instead of it.
RAG_COLOURS: dict[str, str] = {
    RAG_COMPLETE: "#1d70b8",
    RAG_DROPPED: "#505a5f",
    RAG_RED: "#d4351c",
    RAG_AMBER: "#f47738",
    RAG_GREEN: "#00703c",
}


DIFF_COLUMNS = ["milestone_id", "change", "status_before", "status_after", "forecast_before",
                "forecast_after", "days_moved"]


def status_words(frame: pd.DataFrame) -> pd.Series:
    """Each row's status as trimmed lower-case text (None when missing)."""
    if "status" not in frame.columns:
        return pd.Series(None, index=frame.index, dtype=object)
    status = frame["status"]
    if isinstance(status.dtype, pd.CategoricalDtype):  # an ENUM: its words are its categories'
        codes, uniques = status.cat.codes.to_numpy(), status.cat.categories
    elif isinstance(status.dtype, pd.StringDtype):
        codes, uniques = pd.factorize(status)
    else:
        return pd.Series(_words(status), index=frame.index, name=status.name, dtype=object)
    # A column holds a handful of statuses: each distinct one is worded once (and kept), not every row.
    words = np.array([None, *(_WORDS[u] if u in _WORDS else _word(u) for u in uniques)], dtype=object)
    return pd.Series(words[codes + 1], index=frame.index, name=status.name, dtype=object)


def _words(values) -> list:
    """The rule: statuses as trimmed lower-case text, column-wise; None for a missing one."""
    words = pd.Series(values, dtype=object).astype("string").str.strip().str.lower()
    return words.astype(object).where(words.notna(), None).tolist()


_WORDS: dict[str, str | None] = {}


def _word(status):
    word = _words([status])[0]
    if isinstance(status, str) and len(_WORDS) < 10_000:
        _WORDS[status] = word
    return word


def whole_days(delta: pd.Series) -> pd.Series:
    """Timedeltas as whole days in a nullable integer column (NA, not NaN, for 'no date')."""
    return delta.dt.days.astype("Int64")


def slippage_days(frame: pd.DataFrame) -> pd.Series:
    """Forecast − baseline due date in days (positive = later than planned); NA where there is no
    forecast, because "no forecast" is not the same as "on time"."""
    result = whole_days(day_column(frame, "forecast_due_date") - day_column(frame, "baseline_due_date"))
    return result.rename("slippage_days")


def due_date(row) -> pd.Timestamp:
    """When a milestone is now due: its forecast date if it has one, else its baseline date."""
    get = row.get if isinstance(row, (Mapping, pd.Series)) else (lambda k: getattr(row, k, None))
    forecast = day(get("forecast_due_date"))
    return forecast if not pd.isna(forecast) else day(get("baseline_due_date"))


def due_dates(frame: pd.DataFrame) -> pd.Series:
    """``due_date`` for every row at once."""
    return day_column(frame, "forecast_due_date").fillna(day_column(frame, "baseline_due_date")).rename("due_date")


def is_overdue(frame: pd.DataFrame, reporting_date) -> pd.Series:
    """Due strictly before the reporting date and neither complete nor dropped. A milestone due ON
    the reporting date is not overdue: it still has that day."""
    cutoff = day(reporting_date)
    due = due_dates(frame)
    open_ = ~status_words(frame).isin(CLOSED_STATUSES)
    return ((due < cutoff) & open_).fillna(False).astype(bool).rename("is_overdue")


def derived_rag(frame: pd.DataFrame, reporting_date) -> pd.Series:
    """The RAG word for each milestone by ``RAG_RULES`` (first match wins). Words, not colours:
    pair with ``RAG_COLOURS`` for display."""
    status = status_words(frame)
    overdue = is_overdue(frame, reporting_date)
    slipped = (slippage_days(frame) > 0).fillna(False).astype(bool)
    rag = np.select(
        [status.eq(COMPLETE).to_numpy(), status.eq(DROPPED).to_numpy(), overdue.to_numpy(), slipped.to_numpy()],
        [RAG_COMPLETE, RAG_DROPPED, RAG_RED, RAG_AMBER],
        default=RAG_GREEN,
    )
    return pd.Series(rag, index=frame.index, dtype=object, name="rag")


def _snapshot(frame: pd.DataFrame | None) -> pd.DataFrame:
    """One row per milestone with id, status and forecast. If a frame holds several reporting
    dates for one milestone, the latest reporting date wins (the state as last reported)."""
    if frame is None or "milestone_id" not in frame.columns:
        return pd.DataFrame({"milestone_id": pd.Series(dtype=object), "status": pd.Series(dtype=object),
                             "forecast_due_date": pd.Series(dtype="datetime64[us]")})
    work = frame
    # Sorted and deduplicated only when needed: a state has one row per milestone and no dates, and
    # snapshots usually arrive in date order (each step's fixed cost was most of a small plan's time).
    if "reporting_date" in work.columns:
        reported = day_column(work, "reporting_date")
        if not reported.is_monotonic_increasing:
            work = work.assign(_rd=reported).sort_values("_rd", kind="stable")
    if not work["milestone_id"].is_unique:
        work = work.drop_duplicates("milestone_id", keep="last")
    return pd.DataFrame({
        "milestone_id": text_column(work["milestone_id"]).to_numpy(),
        "status": status_words(work).to_numpy(),
        "forecast_due_date": day_column(work, "forecast_due_date").to_numpy(),
    })


_NAT = np.datetime64("NaT", "us")


def snapshot_diff(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> pd.DataFrame:
    """What changed for each milestone between two reporting dates' snapshots: added, removed,
    status changed, date moved, or both. ``days_moved`` is forecast_after − forecast_before in days
    (positive = slipped later; NA when either side has no forecast). Unchanged milestones are left
    out. Sorted by milestone_id."""
    before, after = _snapshot(previous), _snapshot(current)
    # The two sides paired by milestone_id (one row per milestone each) as an outer join would pair
    # them, with plain arrays: a frame and merge cost most of the time for one programme's plan.
    # Each id's row on each side, -1 where it has none (then no status and no forecast).
    at_before = {k: i for i, k in enumerate(_ids(before))}
    at_after = {k: i for i, k in enumerate(_ids(after))}
    ids = sorted(at_before.keys() | at_after.keys(), key=lambda k: (k is None, k or ""))
    if not ids:
        return pd.DataFrame({
            "milestone_id": pd.Series(dtype=object), "change": pd.Series(dtype=object),
            "status_before": pd.Series(dtype=object), "status_after": pd.Series(dtype=object),
            "forecast_before": pd.Series(dtype="datetime64[us]"), "forecast_after": pd.Series(dtype="datetime64[us]"),
            "days_moved": pd.Series(dtype="Int64"),
        })
    row_before = np.array([at_before.get(k, -1) for k in ids], dtype=np.intp)
    row_after = np.array([at_after.get(k, -1) for k in ids], dtype=np.intp)
    sb, sa = (np.append(_statuses(side), None)[row] for side, row in ((before, row_before), (after, row_after)))
    fb, fa = (np.append(side["forecast_due_date"].to_numpy().astype("datetime64[us]"), _NAT)[row]
              for side, row in ((before, row_before), (after, row_after)))
    date_moved = ~((fb == fa) | (np.isnat(fb) & np.isnat(fa)))
    no_status_before, no_status_after = np.equal(sb, None), np.equal(sa, None)
    status_changed = ~(((sb == sa) & ~no_status_before) | (no_status_before & no_status_after))
    change = np.select(
        [row_before < 0, row_after < 0, status_changed & date_moved, status_changed, date_moved],
        ["added", "removed", "status changed and date moved", "status changed", "date moved"],
        default="",
    )
    kept = change != ""
    return pd.DataFrame({
        "milestone_id": pd.Series(np.array(ids, dtype=object)[kept], dtype=object),
        "change": pd.Series(change[kept], dtype=object),
        "status_before": pd.Series(sb[kept], dtype=object), "status_after": pd.Series(sa[kept], dtype=object),
        "forecast_before": fb[kept], "forecast_after": fa[kept],
        "days_moved": whole_days(pd.Series(fa[kept] - fb[kept])),
    })


def _ids(snapshot: pd.DataFrame) -> list:
    """A `_snapshot`'s milestone ids, None for a missing one."""
    return [k if isinstance(k, str) else None for k in snapshot["milestone_id"].to_numpy()]


def _statuses(snapshot: pd.DataFrame) -> np.ndarray:
    """A `_snapshot`'s statuses, None for a missing one."""
    return np.array([w if isinstance(w, str) else None for w in snapshot["status"].to_numpy()], dtype=object)


def newly_completed(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> pd.DataFrame:
    """Milestones complete now that were not complete at the previous reporting date (including
    ones that first appear already complete: the report has not told anyone about them yet)."""
    return _newly_completed(snapshot_diff(previous, current))


def slipped_since(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> pd.DataFrame:
    """Milestones whose forecast moved later since the previous reporting date, biggest slip
    first (then by milestone_id)."""
    return _slipped(snapshot_diff(previous, current))


def status_changes(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> pd.DataFrame:
    """Milestones present at both reporting dates whose status changed, with the change in words:
    ``status_change`` = "on track → at risk". (Added and removed milestones are in
    ``snapshot_diff``.)"""
    return _status_changes(snapshot_diff(previous, current))


def changes_between(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """Everything that changed between two reporting dates from one ``snapshot_diff``:
    ``diff``, ``slipped`` (as ``slipped_since``), ``newly_completed``, ``status_changes`` and
    ``added`` (milestones reported for the first time)."""
    diff = snapshot_diff(previous, current)
    return {
        "diff": diff,
        "slipped": _slipped(diff),
        "newly_completed": _newly_completed(diff),
        "status_changes": _status_changes(diff),
        "added": diff.loc[diff["change"].eq("added")].reset_index(drop=True),
    }


def _newly_completed(diff: pd.DataFrame) -> pd.DataFrame:
    mask = diff["status_after"].eq(COMPLETE) & ~diff["status_before"].eq(COMPLETE)
    return diff.loc[mask].reset_index(drop=True)


def _slipped(diff: pd.DataFrame) -> pd.DataFrame:
    slipped = diff.loc[diff["days_moved"].gt(0).fillna(False).astype(bool)]
    return slipped.sort_values(["days_moved", "milestone_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _status_changes(diff: pd.DataFrame) -> pd.DataFrame:
    diff = diff.loc[diff["change"].isin(["status changed", "status changed and date moved"])]
    result = diff[["milestone_id", "status_before", "status_after"]].copy()
    result["status_change"] = [f"{b} → {a}" for b, a in zip(result["status_before"], result["status_after"])]
    return result.reset_index(drop=True)


def summary_line(milestones: pd.DataFrame, reporting_date, previous_reporting_date, slipped_count: int) -> str:
    """One sentence for the card and the report: "12 of 31 milestones complete; 4 overdue;
    3 slipped since 30 Jun 2020".

    Dropped milestones are not in the "of 31" (they will never complete, so counting them would
    understate progress) but are mentioned when there are any: "(2 dropped)". With no previous
    reporting date, the slipped clause says there is nothing to compare with.
    """
    if milestones is None or milestones.empty:
        return "No milestones recorded."
    status = status_words(milestones)
    live = int((~status.eq(DROPPED)).sum())
    dropped = int(status.eq(DROPPED).sum())
    complete = int(status.eq(COMPLETE).sum())
    overdue = int(is_overdue(milestones, reporting_date).sum())
    text = f"{complete} of {live} milestone{'' if live == 1 else 's'} complete"
    if dropped:
        text += f" ({dropped} dropped)"
    text += f"; {overdue} overdue"
    if previous_reporting_date is None or pd.isna(day(previous_reporting_date)):
        text += "; no earlier report to compare"
    else:
        text += f"; {int(slipped_count or 0)} slipped since {format_date(day(previous_reporting_date))}"
    return text


def burn_up(frame: pd.DataFrame) -> pd.DataFrame:
    """Completion burn-up: on each date where something was due (baseline) or completed, how many
    milestones the baseline plan expected done by then (``planned_cumulative``) and how many were
    actually done (``completed_cumulative``). Dropped milestones are left out of both lines, so the
    completed line can still meet the planned one."""
    empty = pd.DataFrame({"date": pd.Series(dtype="datetime64[us]"), "planned_cumulative": pd.Series(dtype=int),
                          "completed_cumulative": pd.Series(dtype=int)})
    if frame is None or frame.empty:
        return empty
    live = frame.loc[~status_words(frame).eq(DROPPED).to_numpy()]
    planned = day_column(live, "baseline_due_date").dropna()
    completed = day_column(live, "completed_date").dropna()
    dates = pd.Series(pd.concat([planned, completed]).unique()).sort_values().reset_index(drop=True)
    if dates.empty:
        return empty
    planned_sorted = np.sort(planned.to_numpy())
    completed_sorted = np.sort(completed.to_numpy())
    points = dates.to_numpy()
    return pd.DataFrame({
        "date": dates.astype("datetime64[us]"),
        "planned_cumulative": np.searchsorted(planned_sorted, points, side="right").astype(int),
        "completed_cumulative": np.searchsorted(completed_sorted, points, side="right").astype(int),
    })

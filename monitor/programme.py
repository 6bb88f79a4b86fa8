"""A programme's own dates: whether it has closed, and the date its figures are "as at".

Every domain's facts are as at one date. While a programme runs that is today; once it has closed, its
figures stop at its closing date (nothing falls overdue after a programme has ended, no key date is
"next"), whenever they are read.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from monitor.values import as_date, day64, day_column, factorized, per_row


def closed_on(status, end_date, today: dt.date) -> dt.date | None:
    """The day a programme closed: its end date when its status is closed (or it ended before
    today), else None."""
    end = as_date(end_date)
    if end is None:
        return None
    return end if str(status) == "closed" or end < today else None


def as_at(status, end_date, today: dt.date, wanted: dt.date | None = None) -> dt.date:
    """The date a programme's figures describe: `wanted` (default today), but never after it closed."""
    day = wanted or today
    closed = closed_on(status, end_date, today)
    return min(day, closed) if closed else day


def as_at_by_programme(programmes: pd.DataFrame, today: dt.date) -> dict[str, dt.date]:
    """`as_at` for every programme of a frame with programme_id, status and end_date."""
    return {p: as_at(s, e, today) for p, s, e in zip(programmes["programme_id"], programmes["status"],
                                                      programmes["end_date"])}


def closed_by_programme(programmes: pd.DataFrame, today: dt.date) -> dict[str, dt.date | None]:
    return {p: closed_on(s, e, today) for p, s, e in zip(programmes["programme_id"], programmes["status"],
                                                         programmes["end_date"])}


def closed_by_as_at(closed: Mapping[str, dt.date | None], as_at: Mapping[str, dt.date]) -> dict[str, dt.date]:
    """The programmes that count as closed in figures as at their date: closed on or before it (a
    report of an earlier quarter of a closed programme reads as that quarter did)."""
    return {p: c for p, c in closed.items() if c is not None and p in as_at and as_at[p] >= c}


def rows_as_at(frame: pd.DataFrame, as_at: Mapping[str, dt.date]) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows of `frame` (with a programme_id) of the programmes in `as_at`, and each row's date of
    its programme as midnight datetime64[us]: per programme, not per row, and one programme's own
    rows are not copied."""
    inside = per_row(frame["programme_id"], dict.fromkeys(as_at, True), False, bool)
    frame = frame if inside.all() else frame.loc[inside]
    return frame, per_row(frame["programme_id"], {p: day64(d) for p, d in as_at.items()},
                          np.datetime64("NaT", "us"), "datetime64[us]")


def latest_reported(past: pd.DataFrame, key: str, past_when: np.ndarray, snapshots: pd.DataFrame):
    """Which `snapshots` (each naming a row of `past` by `key`, a milestone's or risk's id) stand as at
    their row's date (`past_when`): reported by that date, and then only those of the latest reporting
    date of the row's programme — as an inner merge on `key` would pair them, with arrays. Returns (the
    kept snapshots' mask, each snapshot's row of `past` or -1, `past`'s programme codes, the codes of the
    programmes with a report by their date, and {programme: its latest reporting date}, in name order)."""
    row = pd.Index(past[key]).get_indexer(snapshots[key])
    reported_on = day_column(snapshots, "reporting_date").to_numpy()
    keep = row >= 0
    keep[keep] = reported_on[keep] <= past_when[row[keep]]
    codes, programmes = factorized(past["programme_id"])
    code = codes[row[keep]]
    latest = np.full(len(programmes), np.iinfo(np.int64).min)
    np.maximum.at(latest, code, reported_on[keep].view("i8"))
    keep[keep] = reported_on[keep].view("i8") == latest[code]
    dates = {programmes[c]: pd.Timestamp(latest[c], unit="us") for c in sorted(np.unique(code), key=lambda c: programmes[c])}
    return keep, row, codes, code, dates


def one(programme: Mapping) -> pd.DataFrame:
    """One programme (a dict or row) as the one-row frame the `*_by_programme` functions take."""
    return pd.DataFrame([{k: programme.get(k) for k in ("programme_id", "status", "end_date")}])

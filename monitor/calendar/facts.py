"""The key-date headline facts for a programme as at a date: the next dates ahead (none once the
programme has closed) — rendered by the Overview card, the headline-figures CSV and `make figures`."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from monitor.formatting import describe_days, format_date
from monitor.programme import rows_as_at
from monitor.values import as_date, day_column, records_by, sorted_rows

# What the key-date downloads come from (monitor.tidy.Origin).
SOURCE = "the programmes' key dates as recorded in Improvement Monitor (council papers and illustrative dates)"

NEXT_DATES = 3


@dataclass(frozen=True)
class KeyDate:
    title: str
    due: dt.date
    kind: str


@dataclass(frozen=True)
class KeyDateFacts:
    as_at: dt.date
    closed: bool = False
    upcoming: tuple[KeyDate, ...] = field(default_factory=tuple)

    def lines(self) -> list[str]:
        """'Improvement board — 12 Jan 2027 (in 39 days)' for each of the next dates."""
        return [f"{k.title} — {format_date(k.due)} ({describe_days((k.due - self.as_at).days)})" for k in self.upcoming]

    @property
    def next_date(self) -> KeyDate | None:
        return self.upcoming[0] if self.upcoming else None


def key_date_facts(key_dates: pd.DataFrame, as_at: Mapping[str, dt.date],
                   closed_on: Mapping[str, dt.date | None]) -> dict[str, KeyDateFacts]:
    """The next NEXT_DATES key dates on or after each programme's as-at date (query calendar/key_dates)."""
    frame, cut = rows_as_at(key_dates, as_at)
    ahead = frame.loc[day_column(frame, "due_date").to_numpy() >= cut]
    by = records_by(sorted_rows(ahead, ["programme_id", "due_date"], first=NEXT_DATES), "programme_id")
    out = {}
    for pid, on in as_at.items():
        closed = closed_on.get(pid) is not None and on >= closed_on[pid]
        rows = by.get(pid)
        upcoming = () if closed or rows is None else tuple(
            KeyDate(str(r["title"]), as_date(r["due_date"]), str(r["kind"])) for r in rows)
        out[pid] = KeyDateFacts(on, closed, upcoming)
    return out

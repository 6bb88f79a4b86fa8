"""Quarters, financial years and months, written once with pandas' own calendar arithmetic.

A quarter is stored as a calendar quarter label ("2021-Q2": April to June 2021, as DfE returns are
made). A council writes the same quarter by its financial year: "Q1 2021/22" (the financial year runs
1 April to 31 March).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pandas as pd

from monitor.values import as_date

_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")


def quarter_period(label: str) -> pd.Period:
    """'2023-Q3' as a pandas quarterly Period."""
    if not isinstance(label, str):
        raise ValueError(f"not a quarter label like '2023-Q3': {label!r}")
    return _quarter(label)[0]


# A page names every quarter of its programme on every rerun (a picker's labels, the reports' bounds):
# the labels are few, and a pandas Period costs tens of microseconds to make and read.
@lru_cache(maxsize=4096)
def _quarter(label: str) -> tuple[pd.Period, dt.date, dt.date, str]:
    """The Period, first and last days, and council wording of a quarter label."""
    match = _QUARTER.fullmatch(label)
    if not match:
        raise ValueError(f"not a quarter label like '2023-Q3': {label!r}")
    period = pd.Period(year=int(match[1]), quarter=int(match[2]), freq="Q")
    start = period.start_time.date()
    return period, start, period.end_time.date(), f"Q{(period.quarter + 2) % 4 + 1} {financial_year(start)}"


def _label(period: pd.Period) -> str:
    return f"{period.year}-Q{period.quarter}"


def quarter_bounds(label: str) -> tuple[dt.date, dt.date]:
    """'2023-Q3' → (1 Jul 2023, 30 Sep 2023)."""
    quarter_period(label)  # refuses what is not a label
    return _quarter(label)[1:3]


def quarter_of(value) -> str:
    """The calendar quarter label of a date: 15 Jul 2023 → '2023-Q3'."""
    return _label(pd.Timestamp(as_date(value, required=True)).to_period("Q"))


def shift_quarter(label: str, n: int) -> str:
    return _label(quarter_period(label) + n)


def previous_quarter(label: str) -> str:
    return shift_quarter(label, -1)


def next_quarter(label: str) -> str:
    return shift_quarter(label, 1)


def quarters_between(first: str, last: str) -> list[str]:
    """Every quarter label from `first` to `last`, oldest first (empty when last is before first)."""
    a, b = quarter_period(first), quarter_period(last)
    return [_label(p) for p in pd.period_range(a, b, freq="Q")] if b >= a else []


def financial_year(value) -> str:
    """The UK public-sector financial year (1 April – 31 March) containing a date: '2020/21'."""
    d = as_date(value)
    if d is None:
        raise ValueError("financial_year needs a date")
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def financial_year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """'2022/23' → (1 Apr 2022, 31 Mar 2023)."""
    match = re.fullmatch(r"([0-9]{4})/([0-9]{2})", str(year))
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"not a financial year like '2022/23': {year!r}")
    start = int(match[1])
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def council_quarter(label: str) -> str:
    """A calendar quarter label as a council writes it, by financial year: '2021-Q2' → 'Q1 2021/22',
    '2022-Q1' → 'Q4 2021/22'."""
    quarter_period(label)  # refuses what is not a label
    return _quarter(label)[3]


def add_months(value, months: int) -> dt.date:
    """A date moved by whole calendar months (negative to go back), keeping the day number or
    falling back to the month's last day: 31 Aug + (−6) → 29 Feb 2024 / 28 Feb 2023 / 28 Feb 2100."""
    stamp = pd.Timestamp(as_date(value, required=True)) + pd.DateOffset(months=int(months))
    return stamp.date()


def programme_quarters(start_date, end_date, today) -> list[str]:
    """Every quarter from the programme's start to its end (or to today's quarter while it runs),
    newest first; at least the first quarter."""
    first = quarter_of(start_date)
    last_day = as_date(today, required=True)
    end = as_date(end_date)
    if end is not None:
        last_day = min(end, last_day)
    return quarters_between(first, max(quarter_of(last_day), first, key=quarter_period))[::-1]

"""How figures read on screen: dates as "3 Feb 2020", money as "£1,234k" / "£0.75m",
financial years as "2020/21". One place, so every page and the Word export agree."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, str):
        if not value:
            return None
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"not a date: {value!r}")


def format_date(value) -> str:
    """'3 Feb 2020'; an empty string for a missing date (never 'NaT' or '00:00:00')."""
    d = _as_date(value)
    if d is None:
        return ""
    return f"{d.day} {d.strftime('%b')} {d.year}"


def format_money(gbp) -> str:
    """Compact pounds for cards and chart labels: £750, £12k, £1,234k, £0.75m, £12.5m.

    Below £1m we show thousands (£1,234k reads better than £1.23m for council budgets up to a
    million); from £1m millions with two significant decimals. Tables show full pounds instead.
    """
    if gbp is None or (isinstance(gbp, float) and math.isnan(gbp)) or pd.isna(gbp):
        return "–"
    value = float(gbp)
    sign = "−" if value < 0 else ""
    value = abs(value)
    if value < 1_000:
        return f"{sign}£{value:,.0f}"
    if value < 1_000_000:
        return f"{sign}£{value / 1_000:,.0f}k"
    millions = value / 1_000_000
    text = f"{millions:,.2f}".rstrip("0").rstrip(".") if millions < 10 else f"{millions:,.1f}".rstrip("0").rstrip(".")
    return f"{sign}£{text}m"


def format_pounds(gbp) -> str:
    """Full pounds for tables: £1,234,567."""
    if gbp is None or pd.isna(gbp):
        return "–"
    value = float(gbp)
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.0f}"


def financial_year(value) -> str:
    """The UK public-sector financial year (1 April – 31 March) containing a date: '2020/21'."""
    d = _as_date(value)
    if d is None:
        raise ValueError("financial_year needs a date")
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def describe_days(days: int) -> str:
    """'today', 'in 1 day', 'in 12 days', '3 days ago'."""
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"{-days} day{'s' if days != -1 else ''} ago"

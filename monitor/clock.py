"""The one clock of the whole app. Every page, report, write and file asks it for "today" and "now",
so tests and demonstrations can pin the date: set MONITOR_TODAY=YYYY-MM-DD (the time of day still
runs, so change-log entries stay in order). Unset, it is the machine's date."""
from __future__ import annotations

import datetime as dt
import os

TODAY_ENV = "MONITOR_TODAY"


def pinned() -> dt.date | None:
    """The pinned date, or None when the clock runs free. A malformed value is an error, not
    silently the real date: a report dated wrongly is worse than one that refuses to start."""
    value = os.environ.get(TODAY_ENV, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{TODAY_ENV} must be a date like 2026-01-15, not {value!r}") from None


def today() -> dt.date:
    return pinned() or dt.date.today()


def now() -> dt.datetime:
    """Local time to the second, on the pinned date when there is one."""
    real = dt.datetime.now().replace(microsecond=0)
    day = pinned()
    return real if day is None else dt.datetime.combine(day, real.time())


def instant() -> dt.datetime:
    """`now`, to the microsecond: for ordering events a second cannot tell apart (a sign-out, and
    a session begun just after it)."""
    real = dt.datetime.now()
    day = pinned()
    return real if day is None else dt.datetime.combine(day, real.time())


def utc_now() -> dt.datetime:
    """The same moment in UTC (iCalendar's DTSTAMP)."""
    return now().astimezone(dt.timezone.utc)

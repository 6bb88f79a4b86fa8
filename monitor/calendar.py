"""The governance calendar: notice deadlines, "in 12 days" wording, and the .ics download.

Notice convention (``last_day_to_give_notice``): N calendar months before the end date, on the
same day number, or on that month's last day if it is shorter (31 Aug − 6 months → 29 Feb in a
leap year, 28 Feb otherwise). Notice given on that day expires no later than the end date; notice
given the next day would not. Where the end date is the last day of a short month (e.g. 28 Feb)
this is cautious: it answers 28 Aug although notice on 31 Aug might arguably still suffice under a
"month-end to month-end" reading. A deadline shown on a dashboard should never be the later of two
defensible readings, so we keep the earlier one. Confirm anything contractual with the legal team.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
from icalendar import Calendar, Event

from monitor.formatting import describe_days, format_date

UID_DOMAIN = "improvement-monitor"
PRODID = "-//Improvement Monitor//Governance calendar//EN"


def _as_date(value) -> dt.date:
    """A date from a date, datetime, pandas Timestamp, numpy datetime64 or ISO string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        raise ValueError("a date is required")
    return stamp.date()


def _days_in_month(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def add_months(day, months: int) -> dt.date:
    """``day`` moved by whole calendar months (negative to go back), keeping the day number or
    falling back to the month's last day: 31 Aug + (−6) → 29 Feb 2024 / 28 Feb 2023 / 28 Feb 2100
    (2100 is not a leap year: divisible by 100, not by 400)."""
    d = _as_date(day)
    index = d.year * 12 + (d.month - 1) + int(months)
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(d.day, _days_in_month(year, month)))


def last_day_to_give_notice(end_date, notice_months: int) -> dt.date:
    """The last date on which ``notice_months`` calendar months' notice can be given so that it
    expires by ``end_date`` (see the module docstring for the convention): end 31 Mar 2021 with
    6 months → 30 Sep 2020."""
    if notice_months is None or int(notice_months) <= 0:
        raise ValueError("notice_months must be a positive whole number of months")
    return add_months(end_date, -int(notice_months))


def days_until(date, today) -> int:
    """Whole days from ``today`` to ``date``: positive ahead, negative past, 0 today."""
    return (_as_date(date) - _as_date(today)).days


def describe_when(date, today) -> str:
    """'in 12 days', 'in 1 day', 'today', '3 days ago'."""
    return describe_days(days_until(date, today))


# --------------------------------------------------------------------------------------------
# iCalendar (RFC 5545)


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def event_description(row) -> str:
    """The DESCRIPTION of a key date's event: its kind, its source and, for a clause with a
    notice period, the last day to give notice."""
    lines = []
    kind = _text(row.get("kind"))
    if kind:
        lines.append(f"Kind: {kind}")
    programme = _text(row.get("programme_id"))
    if programme:
        lines.append(f"Programme: {programme}")
    months = row.get("notice_period_months")
    if months is not None and not pd.isna(months):
        months = int(months)
        last = last_day_to_give_notice(row["due_date"], months)
        lines.append(f"Notice period: {months} month{'' if months == 1 else 's'}; "
                     f"last day to give notice: {format_date(last)}")
    source = _text(row.get("source"))
    lines.append(f"Source: {source or 'not recorded'}")
    return "\n".join(lines)


def to_ics(key_dates: pd.DataFrame, calendar_name: str, generated_at: dt.datetime | None = None) -> bytes:
    """The key dates as an RFC 5545 calendar: one all-day VEVENT per key date, UID
    ``{key_date_id}@improvement-monitor`` so re-importing updates events rather than duplicating
    them, SUMMARY the title, DESCRIPTION kind, source and any notice deadline.

    Pass ``generated_at`` (it becomes every DTSTAMP) for byte-for-byte reproducible output; it
    defaults to now (UTC). A naive datetime is taken to be UTC.
    """
    stamp = generated_at or dt.datetime.now(dt.timezone.utc)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    stamp = stamp.astimezone(dt.timezone.utc).replace(microsecond=0)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", calendar_name)  # RFC 7986
    cal.add("x-wr-calname", calendar_name)  # what Outlook and Google read
    if key_dates is not None and not key_dates.empty:
        rows = key_dates.copy()
        rows["_due"] = [_as_date(v) for v in rows["due_date"]]
        rows = rows.sort_values(["_due", "key_date_id"], kind="stable")
        for _, row in rows.iterrows():
            event = Event()
            event.add("uid", f"{row['key_date_id']}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("dtstart", row["_due"])
            event.add("dtend", row["_due"] + dt.timedelta(days=1))  # all-day: DTEND is exclusive
            event.add("summary", _text(row.get("title")) or str(row["key_date_id"]))
            event.add("description", event_description(row))
            kind = _text(row.get("kind"))
            if kind:
                event.add("categories", [kind])
            event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: don't block diaries
            cal.add_component(event)
    return cal.to_ical()


def parse_ics(data: bytes | str) -> list[dict]:
    """The events of an .ics file as plain dicts (uid, summary, description, start, end,
    dtstamp, categories), in file order: for round-trip tests and for reading a calendar back."""
    cal = Calendar.from_ical(data)
    events = []
    for event in cal.walk("VEVENT"):
        categories = event.get("categories")
        cats: list[str] = []
        for item in categories if isinstance(categories, list) else [categories] if categories else []:
            cats += [str(c) for c in item.cats]
        events.append({
            "uid": str(event.get("uid")),
            "summary": str(event.get("summary")) if event.get("summary") is not None else None,
            "description": str(event.get("description")) if event.get("description") is not None else None,
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend") if event.get("dtend") is not None else None,
            "dtstamp": event.decoded("dtstamp") if event.get("dtstamp") is not None else None,
            "categories": cats,
        })
    return events


def calendar_name_of(data: bytes | str) -> str | None:
    """The calendar's display name (X-WR-CALNAME, else NAME)."""
    cal = Calendar.from_ical(data)
    name = cal.get("x-wr-calname") or cal.get("name")
    return str(name) if name is not None else None

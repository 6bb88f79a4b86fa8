"""The governance calendar as an iCalendar (RFC 5545) file, and reading one back."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from icalendar import Calendar, Event

from monitor import clock
from monitor.calendar.rules import last_day_to_give_notice
from monitor.formatting import format_date
from monitor.values import as_date, text_or_none

UID_DOMAIN = "improvement-monitor"
PRODID = "-//Improvement Monitor//Governance calendar//EN"


def event_description(row) -> str:
    """The DESCRIPTION of a key date's event: its kind, its source and, for a clause with a
    notice period, the last day to give notice."""
    lines = []
    kind = text_or_none(row.get("kind"))
    if kind:
        lines.append(f"Kind: {kind}")
    programme = text_or_none(row.get("programme_id"))
    if programme:
        lines.append(f"Programme: {programme}")
    months = row.get("notice_period_months")
    if months is not None and not pd.isna(months):
        months = int(months)
        last = last_day_to_give_notice(row["due_date"], months)
        lines.append(f"Notice period: {months} month{'' if months == 1 else 's'}; "
                     f"last day to give notice: {format_date(last)}")
    source = text_or_none(row.get("source"))
    lines.append(f"Source: {source or 'not recorded'}")
    return "\n".join(lines)


def to_ics(key_dates: pd.DataFrame, calendar_name: str, generated_at: dt.datetime | None = None) -> bytes:
    """The key dates as an RFC 5545 calendar: one all-day VEVENT per key date, UID
    ``{key_date_id}@improvement-monitor`` so re-importing updates events rather than duplicating
    them, SUMMARY the title, DESCRIPTION kind, source and any notice deadline.

    Pass ``generated_at`` (it becomes every DTSTAMP) for byte-for-byte reproducible output; it
    defaults to now (UTC). A naive datetime is taken to be UTC.
    """
    stamp = generated_at or clock.utc_now()
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
        rows["_due"] = [as_date(v, required=True) for v in rows["due_date"]]
        rows = rows.sort_values(["_due", "key_date_id"], kind="stable")
        for _, row in rows.iterrows():
            event = Event()
            event.add("uid", f"{row['key_date_id']}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("dtstart", row["_due"])
            event.add("dtend", row["_due"] + dt.timedelta(days=1))  # all-day: DTEND is exclusive
            event.add("summary", text_or_none(row.get("title")) or str(row["key_date_id"]))
            event.add("description", event_description(row))
            kind = text_or_none(row.get("kind"))
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


def ics_file_name(label: str) -> str:
    """A safe file name from a label: 'key-dates-east-west-sussex.ics'."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in str(label).lower())
    slug = "-".join(part for part in slug.split("-") if part)[:60] or "all"
    return f"key-dates-{slug}.ics"

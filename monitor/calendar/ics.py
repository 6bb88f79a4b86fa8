"""The governance calendar as an iCalendar (RFC 5545) file, and reading one back.

One all-day event per key date, and one more on each clause's last day to give notice
(monitor.calendar.rules.last_day_to_give_notice). Deadlines — the last days to give notice and the
DfE report due dates — carry reminders (VALARM) 28 and 7 days before. Each description names the
programme, its source followed by the source's address (the cited passage in the dashboard's
Sources reader, or the publisher's page: monitor.sources.links), and links to its Calendar page on
the dashboard, whose address is the environment variable MONITOR_BASE_URL (default
http://localhost:8501).

UIDs are stable: ``{key_date_id}@improvement-monitor`` for the date itself and
``{key_date_id}-notice@improvement-monitor`` for its notice deadline. They depend on nothing but
the key date and what the event is, so a calendar that imports the file again (or a newer one,
after the data changed) updates its events instead of adding copies; SEQUENCE counts the key
date's revisions (its row_version) so that calendars take the newer one.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from urllib.parse import quote

import pandas as pd
from icalendar import Alarm, Calendar, Event

from monitor import clock
from monitor.address import BASE_URL_ENV, DEFAULT_BASE_URL, base_url  # noqa: F401 (read here too)
from monitor.calendar.rules import last_day_to_give_notice
from monitor.formatting import format_date
from monitor.sources.links import cell_links
from monitor.values import as_date, text_or_none

UID_DOMAIN = "improvement-monitor"
PRODID = "-//Improvement Monitor//Governance calendar//EN"
REMINDER_DAYS = (28, 7)  # reminders before every deadline
DEADLINE_KINDS = ("DfE report due",)  # key dates that are themselves deadlines
NOTICE_CATEGORY = "notice deadline"
CALENDAR_PAGE = "calendar"  # ui/pages.py: the Calendar page's address


def page_link(programme_id: str | None, base: str | None = None) -> str:
    """The programme's Calendar page: http://localhost:8501/calendar?programme=east-west-sussex."""
    link = f"{(base or base_url()).rstrip('/')}/{CALENDAR_PAGE}"
    return f"{link}?programme={quote(str(programme_id), safe='')}" if programme_id else link


def _months(row) -> int | None:
    months = row.get("notice_period_months")
    if months is None or pd.isna(months) or int(months) <= 0:
        return None
    return int(months)


def _programme(row) -> str | None:
    return text_or_none(row.get("programme_name")) or text_or_none(row.get("programme_id"))


def event_description(row, base: str | None = None, pages: Mapping[str, str] | None = None) -> str:
    """The DESCRIPTION of a key date's event: its programme (by name), kind, any notice deadline,
    its source and the link to the programme's Calendar page."""
    lines = []
    programme = _programme(row)
    if programme:
        lines.append(f"Programme: {programme}")
    kind = text_or_none(row.get("kind"))
    if kind:
        lines.append(f"Kind: {kind}")
    months = _months(row)
    if months:
        last = last_day_to_give_notice(row["due_date"], months)
        lines.append(f"Notice period: {months} month{'' if months == 1 else 's'}; "
                     f"last day to give notice: {format_date(last)}")
    return "\n".join(lines + _tail(row, base, pages))


def notice_description(row, base: str | None = None, pages: Mapping[str, str] | None = None) -> str:
    """The DESCRIPTION of a clause's notice-deadline event."""
    months = _months(row)
    title = text_or_none(row.get("title")) or str(row["key_date_id"])
    lines = [f"The last day to give {months} month{'' if months == 1 else 's'}' notice for \"{title}\" "
             f"({format_date(row['due_date'])}): notice given later would not expire by then. Confirm anything "
             "contractual with the legal team."]
    programme = _programme(row)
    if programme:
        lines.append(f"Programme: {programme}")
    kind = text_or_none(row.get("kind"))
    lines.append(f"Kind: {NOTICE_CATEGORY}" + (f" ({kind})" if kind else ""))
    return "\n".join(lines + _tail(row, base, pages))


def _tail(row, base: str | None, pages: Mapping[str, str] | None) -> list[str]:
    source = text_or_none(row.get("source"))
    # The address is built from what the citation grammar reads, never from the text itself.
    link = cell_links(source, pages, base=base) if source else None
    return [f"Source: {source or 'not recorded'}" + (f" — {link}" if link else ""),
            f"Dashboard: {page_link(text_or_none(row.get('programme_id')), base)}"]


def _reminders(event: Event, summary: str) -> None:
    for days in REMINDER_DAYS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", dt.timedelta(days=-days))
        alarm.add("description", f"In {days} days: {summary}")
        event.add_component(alarm)


def _event(uid: str, day: dt.date, summary: str, description: str, category: str | None, stamp: dt.datetime,
           link: str, sequence: int | None, deadline: bool) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))  # all-day: DTEND is exclusive
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", link)
    if sequence is not None:
        event.add("sequence", sequence)
    if category:
        event.add("categories", [category])
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: don't block diaries
    if deadline:
        _reminders(event, summary)
    return event


def to_ics(key_dates: pd.DataFrame, calendar_name: str, generated_at: dt.datetime | None = None,
           base: str | None = None, pages: Mapping[str, str] | None = None) -> bytes:
    """The key dates as an RFC 5545 calendar (see the module docstring), events in date order.

    Pass ``generated_at`` (it becomes every DTSTAMP) for byte-for-byte reproducible output; it
    defaults to now (UTC). A naive datetime is taken to be UTC. ``base`` is the dashboard's address
    (default: ``base_url()``); ``pages`` maps an official file to its publisher's page, where a
    source citing one leads (monitor.sources.links.reference_maps).
    """
    stamp = generated_at or clock.utc_now()
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    stamp = stamp.astimezone(dt.timezone.utc).replace(microsecond=0)
    base = base or base_url()

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", calendar_name)  # RFC 7986
    cal.add("x-wr-calname", calendar_name)  # what Outlook and Google read
    events = []
    for _, row in (key_dates.iterrows() if key_dates is not None and not key_dates.empty else ()):
        due = as_date(row["due_date"], required=True)
        key = str(row["key_date_id"])
        title = text_or_none(row.get("title")) or key
        kind = text_or_none(row.get("kind"))
        link = page_link(text_or_none(row.get("programme_id")), base)
        version = row.get("row_version")
        sequence = None if version is None or pd.isna(version) else max(int(version) - 1, 0)
        events.append((due, f"{key}@{UID_DOMAIN}", row, title, kind, link, sequence))
        months = _months(row)
        if months:
            last = last_day_to_give_notice(due, months)
            events.append((last, f"{key}-notice@{UID_DOMAIN}", row, title, None, link, sequence))
    for day, uid, row, title, kind, link, sequence in sorted(events, key=lambda e: (e[0], e[1])):
        if uid.endswith(f"-notice@{UID_DOMAIN}"):
            cal.add_component(_event(uid, day, f"Last day to give notice: {title}", notice_description(row, base, pages),
                                     NOTICE_CATEGORY, stamp, link, sequence, deadline=True))
        else:
            cal.add_component(_event(uid, day, title, event_description(row, base, pages), kind, stamp, link, sequence,
                                     deadline=kind in DEADLINE_KINDS))
    return cal.to_ical()


def parse_ics(data: bytes | str) -> list[dict]:
    """The events of an .ics file as plain dicts (uid, summary, description, start, end, dtstamp,
    categories, url, sequence, and alarms: each reminder's trigger as a timedelta before the
    start), in file order: for round-trip tests and for reading a calendar back."""
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
            "url": str(event.get("url")) if event.get("url") is not None else None,
            "sequence": int(event.get("sequence")) if event.get("sequence") is not None else None,
            "alarms": [alarm.decoded("trigger") for alarm in event.walk("VALARM")],
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

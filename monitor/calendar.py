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

import numpy as np
import pandas as pd
import plotly.graph_objects as go
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


# --------------------------------------------------------------------------------------------
# The Calendar page: what each date means today.

CLAUSE_KINDS = ("break clause", "termination clause")
KINDS = ("DfE report due", "board", "review", "break clause", "termination clause", "programme start",
         "programme end", "other")
RECENT_DAYS = 90  # a past date this recent still says how long ago it was


def when_words(date, today) -> str:
    """'in 12 days', 'today', 'past — 3 days ago' (within RECENT_DAYS) or just 'past': the words
    that go with the greyed-out past rows, so the state is never shown by colour alone."""
    days = days_until(date, today)
    if days >= 0:
        return describe_days(days)
    if -days <= RECENT_DAYS:
        return f"past — {describe_days(days)}"
    return "past"


def is_past(key_dates: pd.DataFrame, today) -> pd.Series:
    """True for the dates before ``today``."""
    if key_dates is None or key_dates.empty:
        return pd.Series(dtype=bool)
    return pd.Series([days_until(v, today) < 0 for v in key_dates["due_date"]], index=key_dates.index, dtype=bool)


def _notice_months(value) -> int | None:
    if value is None or pd.isna(value) or int(value) <= 0:
        return None
    return int(value)


def notice_words(row, today) -> str:
    """For a clause with a notice period: 'give notice by 31 Dec 2026 (in 39 days)', 'notice
    deadline passed on 30 Sep 2026 (53 days ago)', or '' for any other date."""
    months = _notice_months(row.get("notice_period_months"))
    if months is None:
        return ""
    last = last_day_to_give_notice(row["due_date"], months)
    days = days_until(last, today)
    if days >= 0:
        return f"give notice by {format_date(last)} ({describe_days(days)})"
    return f"deadline passed on {format_date(last)} ({describe_days(days)})"


def filter_key_dates(key_dates: pd.DataFrame, programme_ids=(), kinds=(), upcoming_only: bool = False,
                     today=None) -> pd.DataFrame:
    """The key dates of the chosen programmes and kinds (empty = all), optionally from today on,
    in date order."""
    out = key_dates
    if programme_ids:
        out = out.loc[out["programme_id"].isin(list(programme_ids))]
    if kinds:
        out = out.loc[out["kind"].astype(str).isin(list(kinds))]
    if upcoming_only:
        if today is None:
            raise ValueError("upcoming_only needs today")
        out = out.loc[~is_past(out, today)] if not out.empty else out
    if out.empty:
        return out
    order = pd.DataFrame({"d": [_as_date(v) for v in out["due_date"]], "id": out["key_date_id"].astype(str)},
                         index=out.index).sort_values(["d", "id"], kind="stable").index
    return out.loc[order]


CALENDAR_COLUMNS = ["Date", "When", "Kind", "Title", "Programme", "Notice", "Last day to give notice",
                    "Notice period", "Source"]


def _dates(key_dates: pd.DataFrame) -> list[dt.date]:
    return [_as_date(v) for v in key_dates["due_date"]]


def calendar_table(key_dates: pd.DataFrame, today) -> pd.DataFrame:
    """The calendar as people read it, one row per key date in the order given: dates as
    '3 Feb 2020' (text), 'When' in words, and for clauses the notice period, the last day to give
    notice and what that means today. Columns ``CALENDAR_COLUMNS``; index kept from the input."""
    if key_dates is None or key_dates.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CALENDAR_COLUMNS})
    today_d = _as_date(today)
    dates = _dates(key_dates)
    months = [_notice_months(v) for v in key_dates["notice_period_months"]] \
        if "notice_period_months" in key_dates.columns else [None] * len(key_dates)
    last = [last_day_to_give_notice(d, m) if m else None for d, m in zip(dates, months)]
    names = key_dates["programme_name"] if "programme_name" in key_dates.columns else key_dates["programme_id"]

    def notice(d_last):
        if d_last is None:
            return ""
        days = (d_last - today_d).days
        if days >= 0:
            return f"give notice by {format_date(d_last)} ({describe_days(days)})"
        return f"deadline passed on {format_date(d_last)} ({describe_days(days)})"

    return pd.DataFrame({
        "Date": [format_date(d) for d in dates],
        "When": [when_words(d, today_d) for d in dates],
        "Kind": key_dates["kind"].astype(str).to_numpy(),
        "Title": key_dates["title"].astype(str).to_numpy(),
        "Programme": names.astype(str).to_numpy(),
        "Last day to give notice": [format_date(d) if d else "" for d in last],
        "Notice": [notice(d) for d in last],
        "Notice period": [f"{m} month{'' if m == 1 else 's'}" if m else "" for m in months],
        "Source": key_dates["source"].fillna("").astype(str).to_numpy() if "source" in key_dates.columns else "",
    }, columns=CALENDAR_COLUMNS, index=key_dates.index)


def notice_deadlines(key_dates: pd.DataFrame, today) -> list[str]:
    """One sentence per break or termination clause still ahead (its own date not yet passed),
    soonest notice deadline first: 'MOU break point (31 Mar 2027, Working Better Together): give
    notice by 31 Dec 2026 (in 39 days) — 3 months' notice.'"""
    if key_dates is None or key_dates.empty:
        return []
    rows = []
    clauses = key_dates.loc[key_dates["notice_period_months"].notna()]
    for _, r in clauses.iterrows():
        months = _notice_months(r.get("notice_period_months"))
        if months is None or days_until(r["due_date"], today) < 0:
            continue
        last = last_day_to_give_notice(r["due_date"], months)
        programme = _text(r.get("programme_name")) or _text(r.get("programme_id")) or ""
        rows.append((last, str(r["key_date_id"]),
                     f"**{r['title']}** ({format_date(r['due_date'])}, {programme}): {notice_words(r, today)} — "
                     f"{months} month{'' if months == 1 else 's'}' notice."))
    return [text for _last, _id, text in sorted(rows)]


def timeline_figure(key_dates: pd.DataFrame, today, title: str) -> go.Figure:
    """The key dates on a time axis, one row per kind: past dates as hollow grey circles, those
    from today on as filled dark-blue diamonds (legend 'Past' / 'Today and after' — shape as well
    as colour), and a dashed line at today."""
    fig = go.Figure()
    today_d = _as_date(today)
    frame = key_dates if key_dates is not None else pd.DataFrame()
    for past, name, marker in (
        (True, "Past", {"symbol": "circle-open", "size": 11, "color": "#505a5f", "line": {"width": 2}}),
        (False, "Today and after", {"symbol": "diamond", "size": 12, "color": "#1d70b8"}),
    ):
        part = frame.loc[is_past(frame, today_d) == past] if not frame.empty else frame
        if part.empty:
            continue
        dates = _dates(part)
        names = part["programme_name"] if "programme_name" in part.columns else part["programme_id"]
        hover = [f"{format_date(d)} ({when_words(d, today_d)})<br>{title}<br>{programme}"
                 for d, title, programme in zip(dates, part["title"].astype(str), names.astype(str))]
        # numpy arrays: Plotly validates Python lists element by element (0.5 s for 3,000 dates).
        fig.add_trace(go.Scatter(x=np.array(dates, dtype="datetime64[D]"), y=np.array(part["kind"].astype(str).tolist()),
                                 mode="markers", name=name, marker=marker, hovertext=np.array(hover),
                                 hovertemplate="%{hovertext}<extra></extra>"))
    kinds_shown = [k for k in KINDS if not frame.empty and k in set(frame["kind"].astype(str))]
    # Open on the past year and everything ahead when there is anything ahead (a programme that
    # started in 2011 would otherwise squeeze its coming dates into a few pixels); zoom out for the rest.
    window = opening_window(frame, today_d)
    fig.add_shape(type="line", x0=today_d, x1=today_d, yref="paper", y0=0, y1=1,
                  line={"dash": "dash", "color": "#0b0c0c", "width": 1})
    fig.add_annotation(x=today_d, y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text=f"Today, {format_date(today_d)}", font={"color": "#0b0c0c"})
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": "Date"}, "type": "date", **({"range": window} if window else {})},
        yaxis={"title": {"text": "Kind of date"}, "categoryorder": "array", "categoryarray": kinds_shown[::-1]},
        height=max(300, 120 + 40 * max(len(kinds_shown), 1)),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
    )
    return fig


def ics_file_name(label: str) -> str:
    """A safe file name from a label: 'key-dates-east-west-sussex.ics'."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in str(label).lower())
    slug = "-".join(part for part in slug.split("-") if part)[:60] or "all"
    return f"key-dates-{slug}.ics"


EDGE_DAYS = 10  # about a marker's width on a year's axis: a date closer than this to the edge is drawn cut


def opening_window(key_dates: pd.DataFrame, today) -> list[dt.date] | None:
    """The x range ``timeline_figure`` opens on: the past year and everything ahead, or None (the
    whole span) when nothing is ahead or nothing is older than a year. The start moves back past a
    date just before it, so no marker is drawn cut in half at the edge."""
    if key_dates is None or key_dates.empty:
        return None
    today_d = _as_date(today)
    dates = sorted((_as_date(v) for v in key_dates["due_date"]), reverse=True)
    start = today_d - dt.timedelta(days=365)
    if dates[0] < today_d or dates[-1] >= start:
        return None
    for d in dates:  # newest first: each date pulled in may bring the next one within reach
        if start - dt.timedelta(days=EDGE_DAYS) <= d < start:
            start = d - dt.timedelta(days=EDGE_DAYS)
    return [start, dates[0] + dt.timedelta(days=45)]


def earlier_than_window(key_dates: pd.DataFrame, today) -> int:
    """How many dates ``timeline_figure`` leaves left of its opening view (0 when it shows all)."""
    window = opening_window(key_dates, today)
    return 0 if window is None else sum(_as_date(v) < window[0] for v in key_dates["due_date"])

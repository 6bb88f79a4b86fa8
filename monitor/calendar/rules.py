"""The governance calendar's rules: notice deadlines, "in 12 days" wording, which dates are shown.

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

from monitor.formatting import describe_days, format_date
from monitor.periods import add_months
from monitor.text import plain
from monitor.values import as_date, text_or_none


def last_day_to_give_notice(end_date, notice_months: int) -> dt.date:
    """The last date on which ``notice_months`` calendar months' notice can be given so that it
    expires by ``end_date`` (see the module docstring for the convention): end 31 Mar 2021 with
    6 months → 30 Sep 2020."""
    if notice_months is None or int(notice_months) <= 0:
        raise ValueError("notice_months must be a positive whole number of months")
    return add_months(end_date, -int(notice_months))


def days_until(date, today) -> int:
    """Whole days from ``today`` to ``date``: positive ahead, negative past, 0 today."""
    return (as_date(date, required=True) - as_date(today, required=True)).days


def describe_when(date, today) -> str:
    """'in 12 days', 'in 1 day', 'today', '3 days ago'."""
    return describe_days(days_until(date, today))


# A party council's vesting day comes from the reorganisation reference data (query calendar/key_dates),
# not from the key_date table: one fact, kept where it is published.
VESTING_DAY = "vesting day"
KINDS = ("DfE report due", "board", "review", "break clause", "termination clause", "programme start",
         "programme end", "other", VESTING_DAY)


def vesting_note(key_dates: pd.DataFrame) -> str:
    """What the vesting days among `key_dates` rest on, in a sentence ('' when there are none)."""
    if key_dates is None or key_dates.empty or "kind" not in key_dates:
        return ""
    # Positions in plain lists: most views hold no vesting day, and a filtered frame costs ~0.5 ms.
    vesting = [i for i, kind in enumerate(key_dates["kind"].tolist()) if str(kind) == VESTING_DAY]
    if not vesting:
        return ""
    status = key_dates["reorganisation_status"].tolist() if "reorganisation_status" in key_dates else None
    proposed = sum(str(status[i]) == "proposed" for i in vesting) if status is not None else 0
    text = (f"{len(vesting):,} vesting day{'' if len(vesting) == 1 else 's'} of the programmes' councils, from local "
            "government reorganisation")
    if proposed:
        text += (f"; {proposed:,} marked (proposed) {'is a proposal' if proposed == 1 else 'are proposals'} "
                 "the government has consulted on, not yet decided, and may move")
    return text + "."


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
    # By date, then id, ties kept in order: a stable sort of the positions (a frame built to be
    # sorted costs ~1 ms, most of a programme's filter).
    dates, ids = due_dates(out), out["key_date_id"].astype(str).tolist()
    return out.iloc[sorted(range(len(out)), key=lambda i: (dates[i], ids[i]))]


CALENDAR_COLUMNS = ["Date", "When", "Kind", "Title", "Programme", "Notice", "Last day to give notice",
                    "Notice period", "Source"]


def due_dates(key_dates: pd.DataFrame) -> list[dt.date]:
    return [as_date(v, required=True) for v in key_dates["due_date"]]


def calendar_table(key_dates: pd.DataFrame, today) -> pd.DataFrame:
    """The calendar as people read it, one row per key date in the order given: dates as
    '3 Feb 2020' (text), 'When' in words, and for clauses the notice period, the last day to give
    notice and what that means today. Columns ``CALENDAR_COLUMNS``; index kept from the input."""
    if key_dates is None or key_dates.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CALENDAR_COLUMNS})
    today_d = as_date(today, required=True)
    dates = due_dates(key_dates)
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
        programme = text_or_none(r.get("programme_name")) or text_or_none(r.get("programme_id")) or ""
        rows.append((last, str(r["key_date_id"]),
                     f"**{plain(r['title'])}** ({format_date(r['due_date'])}, {plain(programme)}): {notice_words(r, today)} — "
                     f"{months} month{'' if months == 1 else 's'}' notice."))
    return [text for _last, _id, text in sorted(rows)]


EDGE_DAYS = 10  # about a marker's width on a year's axis: a date closer than this to the edge is drawn cut


def opening_window(key_dates: pd.DataFrame, today) -> list[dt.date] | None:
    """The x range ``timeline_figure`` opens on: the past year and everything ahead, or None (the
    whole span) when nothing is ahead or nothing is older than a year. The start moves back past a
    date just before it, so no marker is drawn cut in half at the edge."""
    if key_dates is None or key_dates.empty:
        return None
    today_d = as_date(today, required=True)
    dates = sorted((as_date(v, required=True) for v in key_dates["due_date"]), reverse=True)
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
    return 0 if window is None else sum(as_date(v, required=True) < window[0] for v in key_dates["due_date"])

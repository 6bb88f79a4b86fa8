import calendar as stdlib_calendar
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.calendar.charts import timeline_figure
from monitor.calendar.ics import BASE_URL_ENV, base_url, calendar_name_of, ics_file_name, page_link, parse_ics, to_ics
from monitor.calendar.rules import days_until, describe_when, last_day_to_give_notice, CALENDAR_COLUMNS, calendar_table, filter_key_dates, is_past, notice_deadlines, notice_words, when_words
from monitor.periods import add_months


@pytest.mark.parametrize("end, months, last", [
    (dt.date(2021, 3, 31), 6, dt.date(2020, 9, 30)),   # the shared-management example
    (dt.date(2024, 8, 31), 6, dt.date(2024, 2, 29)),   # leap year
    (dt.date(2023, 8, 31), 6, dt.date(2023, 2, 28)),   # not a leap year
    (dt.date(2100, 8, 31), 6, dt.date(2100, 2, 28)),   # 2100: divisible by 100, not 400 → not leap
    (dt.date(2000, 8, 31), 6, dt.date(2000, 2, 29)),   # 2000: divisible by 400 → leap
    (dt.date(2025, 2, 28), 12, dt.date(2024, 2, 28)),  # same day number
    (dt.date(2024, 2, 29), 12, dt.date(2023, 2, 28)),  # 29 Feb back a year
    (dt.date(2021, 1, 15), 3, dt.date(2020, 10, 15)),  # across a year end
    (dt.date(2020, 3, 31), 1, dt.date(2020, 2, 29)),
    (dt.date(2020, 12, 31), 24, dt.date(2018, 12, 31)),
    (dt.date(2025, 2, 28), 6, dt.date(2024, 8, 28)),   # cautious: see the module docstring
])
def test_last_day_to_give_notice(end, months, last):
    assert last_day_to_give_notice(end, months) == last


def test_notice_accepts_timestamps_and_strings():
    assert last_day_to_give_notice(pd.Timestamp("2021-03-31"), 6) == dt.date(2020, 9, 30)
    assert last_day_to_give_notice("2021-03-31", 6) == dt.date(2020, 9, 30)
    for bad in (0, -1, None):
        with pytest.raises(ValueError):
            last_day_to_give_notice(dt.date(2021, 3, 31), bad)


def test_stdlib_calendar_not_shadowed():
    assert stdlib_calendar.isleap(2024) and not stdlib_calendar.isleap(2100)


@settings(max_examples=200, deadline=None)
@given(end=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2150, 12, 31)), months=st.integers(1, 36))
def test_notice_given_on_the_last_day_expires_in_time(end, months):
    last = last_day_to_give_notice(end, months)
    assert add_months(last, months) <= end
    if (end + dt.timedelta(days=1)).month == end.month:
        # Unless the end date is a month end, the answer is the latest possible: a day later
        # would be too late. (At a month end it may be cautious: 28 Feb 2001, 1 month → 28 Jan,
        # though 29 Jan + 1 month is also 28 Feb; see the module docstring.)
        assert add_months(last + dt.timedelta(days=1), months) > end
    if end.day <= 28:
        assert add_months(last, months) == end


def test_days_until_and_describe_when():
    today = dt.date(2020, 6, 30)
    assert days_until(dt.date(2020, 7, 12), today) == 12
    assert days_until(pd.Timestamp("2020-06-27"), today) == -3
    assert describe_when(dt.date(2020, 7, 12), today) == "in 12 days"
    assert describe_when(today, today) == "today"
    assert describe_when(dt.date(2020, 6, 27), pd.Timestamp("2020-06-30")) == "3 days ago"
    assert describe_when("2020-07-01", today) == "in 1 day"


KIND = pd.CategoricalDtype(["DfE report due", "board", "review", "break clause", "termination clause",
                            "programme start", "programme end", "other"], ordered=True)
KEY_DATES = pd.DataFrame({
    "key_date_id": ["bsh-termination", "wsx-q1-report", "bsh-board"],
    "programme_id": ["breckland-south-holland", "wsx-commission", "breckland-south-holland"],
    "due_date": pd.to_datetime(["2021-03-31", "2020-06-30", "2024-02-29"]),
    "kind": pd.Series(["termination clause", "DfE report due", "board"], dtype=KIND),
    "title": ["Shared management ends; notice, if given", "Quarterly report to DfE", "Joint board"],
    "notice_period_months": pd.array([6, None, None], dtype="Int64"),
    "source": ["003 para 60", "001 para 12", "illustrative"],
})
GENERATED = dt.datetime(2020, 6, 1, 9, 30, tzinfo=dt.timezone.utc)


def test_ics_round_trip():
    data = to_ics(KEY_DATES, "Improvement Monitor key dates", generated_at=GENERATED)
    assert isinstance(data, bytes)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.rstrip().endswith(b"END:VCALENDAR")
    assert b"VERSION:2.0" in data and b"PRODID:" in data
    events = parse_ics(data)
    assert [e["uid"] for e in events] == ["wsx-q1-report@improvement-monitor",  # in date order
                                          "bsh-termination-notice@improvement-monitor",  # its notice deadline
                                          "bsh-termination@improvement-monitor", "bsh-board@improvement-monitor"]
    by_uid = {e["uid"]: e for e in events}
    termination = by_uid["bsh-termination@improvement-monitor"]
    assert termination["summary"] == "Shared management ends; notice, if given"  # escaping round-trips
    assert termination["start"] == dt.date(2021, 3, 31)
    assert not isinstance(termination["start"], dt.datetime)  # all-day
    assert termination["end"] == dt.date(2021, 4, 1)
    assert "Kind: termination clause" in termination["description"]
    assert "Source: 003 para 60" in termination["description"]
    assert "last day to give notice: 30 Sep 2020" in termination["description"]
    assert termination["dtstamp"] == GENERATED
    assert termination["categories"] == ["termination clause"]
    board = by_uid["bsh-board@improvement-monitor"]
    assert board["start"] == dt.date(2024, 2, 29) and board["end"] == dt.date(2024, 3, 1)
    assert "notice" not in board["description"]
    assert "Source: illustrative" in board["description"]
    assert calendar_name_of(data) == "Improvement Monitor key dates"


def test_ics_notice_deadlines_are_events_with_reminders():
    events = {e["uid"]: e for e in parse_ics(to_ics(KEY_DATES, "Key dates", generated_at=GENERATED))}
    notice = events["bsh-termination-notice@improvement-monitor"]
    # On the last day to give notice itself (the one rule: last_day_to_give_notice).
    assert notice["start"] == last_day_to_give_notice(dt.date(2021, 3, 31), 6) == dt.date(2020, 9, 30)
    assert notice["end"] == dt.date(2020, 10, 1)
    assert notice["summary"] == "Last day to give notice: Shared management ends; notice, if given"
    assert notice["categories"] == ["notice deadline"]
    assert "The last day to give 6 months' notice" in notice["description"] and "31 Mar 2021" in notice["description"]
    assert sorted(notice["alarms"]) == [dt.timedelta(days=-28), dt.timedelta(days=-7)]
    # A DfE report due date is a deadline too; a board or the clause's own date is not.
    assert sorted(events["wsx-q1-report@improvement-monitor"]["alarms"]) == [dt.timedelta(days=-28), dt.timedelta(days=-7)]
    assert events["bsh-board@improvement-monitor"]["alarms"] == []
    assert events["bsh-termination@improvement-monitor"]["alarms"] == []
    # No row_version given: no SEQUENCE.
    assert notice["sequence"] is None


def test_ics_names_the_programme_and_links_to_the_dashboard(monkeypatch):
    monkeypatch.delenv(BASE_URL_ENV, raising=False)
    events = parse_ics(to_ics(NAMED, "Key dates", generated_at=GENERATED))
    for event in events:
        programme_id = next(p for k, p in zip(NAMED["key_date_id"], NAMED["programme_id"]) if event["uid"].startswith(k + "@")
                            or event["uid"].startswith(k + "-notice@"))
        name = NAMED.loc[NAMED["programme_id"] == programme_id, "programme_name"].iloc[0]
        link = f"http://localhost:8501/calendar?programme={programme_id}"
        assert f"Programme: {name}" in event["description"]
        assert f"Dashboard: {link}" in event["description"] and event["url"] == link
        # The id appears in the link only, never as the programme's name.
        assert programme_id not in event["description"].replace(link, "")
    monkeypatch.setenv(BASE_URL_ENV, "https://monitor.example.gov.uk/")
    assert base_url() == "https://monitor.example.gov.uk"
    events = parse_ics(to_ics(NAMED, "Key dates", generated_at=GENERATED))
    assert all(e["url"].startswith("https://monitor.example.gov.uk/calendar?programme=") for e in events)
    assert page_link("a b&c", "https://x.example") == "https://x.example/calendar?programme=a%20b%26c"


def test_ics_uids_are_stable_and_sequence_follows_revisions():
    first = parse_ics(to_ics(NAMED, "Key dates", generated_at=GENERATED))
    later = NAMED.assign(title=["Shared management ends (retitled)", "Quarterly report to DfE", "Joint board"],
                         due_date=pd.to_datetime(["2021-06-30", "2020-06-30", "2024-02-29"]), row_version=[3, 1, 1])
    second = parse_ics(to_ics(later, "Key dates", generated_at=dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc)))
    assert sorted(e["uid"] for e in first) == sorted(e["uid"] for e in second)
    moved = {e["uid"]: e for e in second}
    assert moved["bsh-termination-notice@improvement-monitor"]["start"] == dt.date(2020, 12, 30)
    assert moved["bsh-termination-notice@improvement-monitor"]["sequence"] == 2
    assert moved["wsx-q1-report@improvement-monitor"]["sequence"] == 0


def test_ics_is_reproducible_and_handles_empty():
    first = to_ics(KEY_DATES, "Key dates", generated_at=GENERATED)
    assert to_ics(KEY_DATES, "Key dates", generated_at=GENERATED) == first
    naive = to_ics(KEY_DATES, "Key dates", generated_at=dt.datetime(2020, 6, 1, 9, 30))
    assert naive == first  # naive datetimes are UTC
    empty = to_ics(KEY_DATES.iloc[:0], "Key dates", generated_at=GENERATED)
    assert parse_ics(empty) == []
    assert calendar_name_of(empty) == "Key dates"
    plain = KEY_DATES.assign(due_date=[d.date() for d in KEY_DATES["due_date"]], kind=KEY_DATES["kind"].astype(str))
    assert to_ics(plain, "Key dates", generated_at=GENERATED) == first


# --- the Calendar page's helpers -------------------------------------------------------------


NAMED = KEY_DATES.assign(programme_name=["Breckland – South Holland", "West Sussex commission", "Breckland – South Holland"])


def test_when_words():
    today = dt.date(2020, 6, 30)
    assert when_words(dt.date(2020, 7, 12), today) == "in 12 days"
    assert when_words(today, today) == "today"
    assert when_words(dt.date(2020, 6, 29), today) == "past — 1 day ago"
    assert when_words(today - dt.timedelta(days=90), today) == "past — 90 days ago"
    assert when_words(today - dt.timedelta(days=91), today) == "past"
    assert is_past(KEY_DATES, today).tolist() == [False, False, False]
    assert is_past(KEY_DATES, dt.date(2021, 4, 1)).tolist() == [True, True, False]


def test_notice_words_before_on_and_after_the_deadline():
    clause = KEY_DATES.iloc[0]  # 31 Mar 2021, six months → 30 Sep 2020
    assert notice_words(clause, dt.date(2020, 9, 1)) == "give notice by 30 Sep 2020 (in 29 days)"
    assert notice_words(clause, dt.date(2020, 9, 30)) == "give notice by 30 Sep 2020 (today)"
    assert notice_words(clause, dt.date(2020, 10, 1)) == "deadline passed on 30 Sep 2020 (1 day ago)"
    assert notice_words(KEY_DATES.iloc[1], dt.date(2020, 9, 1)) == ""


def test_filter_key_dates():
    today = dt.date(2021, 1, 1)
    assert filter_key_dates(KEY_DATES)["key_date_id"].tolist() == ["wsx-q1-report", "bsh-termination", "bsh-board"]
    assert filter_key_dates(KEY_DATES, ["breckland-south-holland"])["key_date_id"].tolist() == ["bsh-termination",
                                                                                                "bsh-board"]
    assert filter_key_dates(KEY_DATES, kinds=["board"])["key_date_id"].tolist() == ["bsh-board"]
    assert filter_key_dates(KEY_DATES, upcoming_only=True, today=today)["key_date_id"].tolist() == ["bsh-termination",
                                                                                                   "bsh-board"]
    with pytest.raises(ValueError):
        filter_key_dates(KEY_DATES, upcoming_only=True)


def test_calendar_table():
    today = dt.date(2020, 7, 1)
    table = calendar_table(filter_key_dates(NAMED), today)
    assert list(table.columns) == CALENDAR_COLUMNS
    assert table["Date"].tolist() == ["30 Jun 2020", "31 Mar 2021", "29 Feb 2024"]
    assert table["When"].tolist() == ["past — 1 day ago", "in 273 days", "in 1338 days"]
    clause = table.iloc[1]
    assert (clause["Notice period"], clause["Last day to give notice"]) == ("6 months", "30 Sep 2020")
    assert clause["Notice"] == "give notice by 30 Sep 2020 (in 91 days)"
    assert clause["Programme"] == "Breckland – South Holland"
    assert table.iloc[0]["Notice period"] == "" and table.iloc[0]["Last day to give notice"] == ""
    assert list(calendar_table(NAMED.iloc[:0], today).columns) == CALENDAR_COLUMNS
    one_month = NAMED.assign(notice_period_months=pd.array([1, None, None], dtype="Int64"))
    assert calendar_table(one_month, today).iloc[0]["Notice period"] == "1 month"


def test_notice_deadlines_only_for_clauses_still_ahead():
    lines = notice_deadlines(NAMED, dt.date(2020, 7, 1))
    assert lines == ["**Shared management ends; notice, if given** (31 Mar 2021, Breckland – South Holland): "
                     "give notice by 30 Sep 2020 (in 91 days) — 6 months' notice."]
    assert notice_deadlines(NAMED, dt.date(2021, 4, 1)) == []  # the clause date itself has passed
    assert "deadline passed" in notice_deadlines(NAMED, dt.date(2020, 10, 1))[0]
    assert notice_deadlines(NAMED.iloc[:0], dt.date(2020, 7, 1)) == []


def test_timeline_figure():
    fig = timeline_figure(NAMED, dt.date(2021, 1, 1), "Key dates")
    assert fig.layout.title.text == "Key dates"
    assert fig.layout.xaxis.title.text == "Date" and fig.layout.yaxis.title.text == "Kind of date"
    assert [t.name for t in fig.data] == ["Past", "Today and after"]
    assert len(fig.data[0].x) == 1 and len(fig.data[1].x) == 2
    assert fig.data[0].marker.symbol != fig.data[1].marker.symbol  # shape, not colour alone
    assert "Today, 1 Jan 2021" in fig.layout.annotations[0].text
    empty = timeline_figure(NAMED.iloc[:0], dt.date(2021, 1, 1), "None")
    assert empty.layout.xaxis.title.text == "Date"


def test_ics_file_name():
    assert ics_file_name("East Sussex – West Sussex partnership") == "key-dates-east-sussex-west-sussex-partnership.ics"
    assert ics_file_name("5 programmes") == "key-dates-5-programmes.ics"
    assert ics_file_name("–") == "key-dates-all.ics"


def test_timeline_opens_on_the_past_year_and_what_is_ahead():
    from monitor.calendar.rules import earlier_than_window

    long = NAMED.assign(due_date=pd.to_datetime(["2011-02-08", "2026-12-02", "2027-03-31"]))
    today = dt.date(2026, 11, 22)
    fig = timeline_figure(long, today, "Key dates")
    assert [str(v)[:10] for v in fig.layout.xaxis.range] == ["2025-11-22", "2027-05-15"]
    assert earlier_than_window(long, today) == 1
    # Everything past (a closed programme) or everything recent: the whole span, nothing hidden.
    assert timeline_figure(long, dt.date(2028, 1, 1), "Closed").layout.xaxis.range is None
    assert earlier_than_window(long, dt.date(2028, 1, 1)) == 0
    assert earlier_than_window(long.iloc[1:], today) == 0
    assert earlier_than_window(long.iloc[:0], today) == 0
    # A board four days before the year's edge is shown whole rather than cut in half.
    edge = NAMED.assign(due_date=pd.to_datetime(["2011-02-08", "2025-11-18", "2027-03-31"]))
    assert [str(v)[:10] for v in timeline_figure(edge, today, "Key dates").layout.xaxis.range] == [
        "2025-11-08", "2027-05-15"]
    assert earlier_than_window(edge, today) == 1


def test_ics_descriptions_give_each_sources_address(monkeypatch):
    """After 'Source: …' the address the source leads to (monitor.sources.links.source_target): the
    passage in the Sources reader at MONITOR_BASE_URL, or the publisher's page; nothing for a
    source that leads nowhere, and never an address made of text the citation grammar does not read.
    The event's own URL stays the programme's Calendar page."""
    from icalendar import Calendar

    from monitor.sources.links import absolute_url, source_target

    monkeypatch.setenv(BASE_URL_ENV, "https://monitor.example.gov.uk")
    pages = {"dfe_x.csv": "https://explore-education-statistics.service.gov.uk/find-statistics/x"}
    sources = ["003 §15 (derived: bsh-savings-per-year)", "dfe_x.csv", "illustrative", "[Sign in](https://evil.example)"]
    dates = KEY_DATES.assign(source=sources[:3]).iloc[:3]
    dates = pd.concat([dates, dates.iloc[[2]].assign(key_date_id="evil", source=sources[3])], ignore_index=True)
    calendar = Calendar.from_ical(to_ics(dates, "Key dates", generated_at=GENERATED, pages=pages))
    described = {str(e["uid"]).split("@")[0]: str(e["description"]) for e in calendar.walk("VEVENT")}
    reader = "https://monitor.example.gov.uk/sources?paper=003&passage=%C2%A715"
    assert absolute_url(source_target(sources[0]).url) == reader
    assert f"Source: {sources[0]} — {reader}\n" in described["bsh-termination"]
    assert f"Source: {sources[0]} — {reader}\n" in described["bsh-termination-notice"]
    assert f"Source: dfe_x.csv — {pages['dfe_x.csv']}\n" in described["wsx-q1-report"]
    assert "Source: illustrative\n" in described["bsh-board"]
    assert f"Source: {sources[3]}\n" in described["evil"]
    for event in calendar.walk("VEVENT"):
        assert str(event["url"]).startswith("https://monitor.example.gov.uk/calendar?programme=")


def test_view_greys_past_rows_once_and_only_up_to_its_limit():
    from monitor.calendar.view import GREY_UP_TO, PAST_STYLE, build_view, given_styles
    today = dt.date(2021, 1, 1)
    view = build_view(NAMED, (), (), False, today, "all")
    # Made with the view (not on every rerun): the past date's row greyed in every column, the others plain.
    assert view.row_styles is not None
    assert list(view.row_styles.columns) == list(view.table.columns)
    assert view.row_styles.index.equals(view.table.index)
    assert [set(row) for row in view.row_styles.to_numpy()] == [{PAST_STYLE} if p else {""} for p in view.past]
    assert given_styles(view.table, view.row_styles) is view.row_styles  # the Styler reads it, never a copy
    assert build_view(NAMED, ("nope",), (), False, today, "none").row_styles is None
    many = pd.concat([NAMED] * (GREY_UP_TO // len(NAMED) + 1), ignore_index=True)
    many = many.assign(key_date_id=[f"k{i}" for i in range(len(many))])
    assert build_view(many, (), (), False, today, "many").row_styles is None  # words only beyond the limit

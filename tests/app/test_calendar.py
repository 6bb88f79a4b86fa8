"""Calendar page under AppTest: every programme, past dates marked past, "in N days" for the next,
notice deadlines, the .ics download round-trips, and the Overview reads the same dates."""
import datetime as dt

import duckdb
import pytest

import queries
from monitor import clock
from monitor.calendar.ics import calendar_name_of, parse_ics
from monitor.calendar.rules import last_day_to_give_notice
from monitor.permissions import SYSTEM
from monitor.sources.links import absolute_url, source_target
from queries.write import Change, write
from monitor.formatting import format_date
from tests.apptest import open_app, texts
from tests.dbutil import fetch

PROGRAMMES = ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood", "breckland-south-holland",
              "south-somerset-sedgemoor"]


def calendar_frame(at):
    return at.dataframe[-1].value


def ics_of(downloads):
    """The last .ics the page offered, as (file name, bytes)."""
    files = [(name, data) for name, mime, data in downloads if mime == "text/calendar"]
    assert files, "no .ics download on the page"
    return files[-1]


VESTING = ("SELECT DISTINCT pp.programme_id, r.ons_code, r.vesting_date, CAST(r.status AS VARCHAR) AS status "
           "FROM reorganisation AS r JOIN programme_party AS pp ON pp.ons_code = r.ons_code "
           "JOIN programme AS p ON p.programme_id = pp.programme_id "
           "WHERE p.end_date IS NULL OR r.vesting_date <= p.end_date + INTERVAL 1 DAY")


@pytest.mark.parametrize("programme_id", PROGRAMMES)
def test_every_programme_lists_all_its_dates(demo_db, programme_id, downloads):
    """Its key dates, and the vesting day of each party council that ends while it runs (or the day
    after it ends)."""
    today = clock.today()
    at = open_app("pages/calendar.py", query={"programme": programme_id})
    assert not at.exception, at.exception
    expected = fetch(demo_db, "SELECT key_date_id, due_date, notice_period_months FROM key_date WHERE programme_id = $p "
                              "ORDER BY due_date", {"p": programme_id})
    vesting = fetch(demo_db, f"SELECT * FROM ({VESTING}) WHERE programme_id = $p ORDER BY vesting_date",
                    {"p": programme_id})
    table = calendar_frame(at)
    assert len(table) == len(expected) + len(vesting)
    own = table[table["Kind"] != "vesting day"]
    assert own["Date"].tolist() == [format_date(d) for d in expected["due_date"]]
    days = table[table["Kind"] == "vesting day"]
    assert days["Date"].tolist() == [format_date(d) for d in vesting["vesting_date"]]
    assert all(t.startswith("Vesting day (proposed)") == (s == "proposed") for t, s in zip(days["Title"], vesting["status"]))
    past = [d.date() < today for d in expected["due_date"]]
    assert all(w.startswith("past") for w, p in zip(own["When"], past) if p)
    assert all(w == "today" or w.startswith("in ") for w, p in zip(own["When"], past) if not p)
    assert not table.astype(str).apply(lambda c: c.str.contains("00:00:00")).any().any()
    # The .ics holds exactly the dates shown, and the last day to give notice of each clause.
    name, data = ics_of(downloads)
    assert name.endswith(".ics")
    events = parse_ics(data)
    clauses = expected.loc[expected["notice_period_months"].notna(), "key_date_id"]
    own = {f"{k}@improvement-monitor" for k in expected["key_date_id"]} | {f"{k}-notice@improvement-monitor"
                                                                             for k in clauses}
    assert own <= {e["uid"] for e in events}
    assert len(events) == len(table) + len(clauses)  # a vesting day is an event of its own


def test_vesting_days_of_the_councils_are_key_dates_and_proposed_ones_say_so(demo_db):
    at = open_app("pages/calendar.py", query={"programme": "east-west-sussex"})
    table = calendar_frame(at)
    days = table[table["Kind"] == "vesting day"]
    assert days["Title"].tolist() == [
        "Vesting day (proposed): East Sussex to be abolished (reorganisation of East Sussex and Brighton and Hove)",
        "Vesting day (proposed): West Sussex to be abolished (reorganisation of West Sussex)"]
    assert set(days["Date"]) == {"1 Apr 2028"}
    assert "2 marked (proposed) are proposals the government has consulted on" in texts(at)
    somerset = calendar_frame(open_app("pages/calendar.py", query={"programme": "south-somerset-sedgemoor"}))
    assert "Vesting day: Sedgemoor abolished; Somerset takes over" in set(somerset["Title"])


def test_the_next_dates_say_how_far_away_they_are(demo_db):
    today = clock.today()
    at = open_app("pages/calendar.py", query={"programme": "east-west-sussex"})
    nxt = fetch(demo_db, "SELECT due_date FROM key_date WHERE programme_id = 'east-west-sussex' AND due_date >= $t "
                         "ORDER BY due_date LIMIT 1", {"t": today})["due_date"].iloc[0].date()
    days = (nxt - today).days
    table = calendar_frame(at)
    row = table[table["Date"] == format_date(nxt)].iloc[0]
    assert row["When"] == ("today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}")
    metric = next(m for m in at.metric if m.label == "Next date")
    assert metric.value == format_date(nxt)


def test_clauses_show_the_last_day_to_give_notice(demo_db):
    today = clock.today()
    at = open_app("pages/calendar.py", query={"programme": "essex-braintree-brentwood"})
    table = calendar_frame(at)
    clause = table[table["Kind"] == "break clause"].iloc[0]
    # 31 Mar 2027 less three calendar months.
    assert (clause["Notice period"], clause["Last day to give notice"]) == ("3 months", "31 Dec 2026")
    days = (dt.date(2026, 12, 31) - today).days
    if days >= 0:
        assert clause["Notice"].startswith("give notice by 31 Dec 2026")
        assert "give notice by 31 Dec 2026" in texts(at)
    else:
        assert clause["Notice"].startswith("deadline passed on 31 Dec 2026")
    assert table[table["Kind"] != "break clause"]["Last day to give notice"].eq("").all()


def test_breckland_termination_clause_six_months(demo_db):
    at = open_app("pages/calendar.py", query={"programme": "breckland-south-holland"})
    table = calendar_frame(at)
    clause = table[table["Kind"] == "termination clause"].iloc[0]
    assert clause["Last day to give notice"] == "30 Sep 2020"
    assert clause["When"] == "past"
    assert "No break or termination clause ahead" in texts(at)


def test_ics_download_round_trips(demo_db, downloads):
    at = open_app("pages/calendar.py", query={"programme": "essex-braintree-brentwood", "show": "upcoming"})
    assert not at.exception
    table = calendar_frame(at)
    name, data = ics_of(downloads)
    assert name == "key-dates-working-better-together-essex-braintree-and-brentwood.ics"
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    events = [e for e in parse_ics(data) if e["categories"] != ["notice deadline"]]
    assert len(events) == len(table) > 0
    assert [format_date(e["start"]) for e in events] == table["Date"].tolist()
    assert [e["summary"] for e in events] == table["Title"].tolist()
    for event in events:
        assert isinstance(event["start"], dt.date) and not isinstance(event["start"], dt.datetime)
        assert event["end"] - event["start"] == dt.timedelta(days=1)
    clauses = [e for e in events if e["categories"] == ["break clause"]]
    assert len(clauses) == (clock.today() <= dt.date(2027, 3, 31))  # the break point, while it is ahead
    for clause in clauses:
        assert "last day to give notice: 31 Dec 2026" in clause["description"]
        # The deadline itself is an event on that day, with reminders four weeks and one week before.
        deadline = next(e for e in parse_ics(data) if e["uid"] == "ebb-k12-notice@improvement-monitor")
        assert deadline["start"] == dt.date(2026, 12, 31) and deadline["summary"].startswith("Last day to give notice: ")
        assert sorted(deadline["alarms"]) == [dt.timedelta(days=-28), dt.timedelta(days=-7)]
    assert calendar_name_of(data).startswith("Improvement Monitor key dates — Working Better Together")
    # Outlook needs CRLF line ends and lines of at most 75 octets.
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_filters_upcoming_and_kind(demo_db, downloads):
    today = clock.today()
    at = open_app("pages/calendar.py", query={"show": "upcoming", "date_kind": "board"})
    assert not at.exception
    table = calendar_frame(at)
    expected = fetch(demo_db, "SELECT count(*) AS n FROM key_date WHERE kind = 'board' AND due_date >= $t",
                     {"t": today})["n"].iloc[0]
    assert len(table) == expected
    assert set(table["Kind"]) == {"board"}
    assert not table["When"].str.startswith("past").any()
    assert len(parse_ics(ics_of(downloads)[1])) == expected  # boards: no notice deadlines
    at.multiselect(key="calendar_kinds").set_value(["DfE report due"]).run()
    assert "No key date matches these filters." in texts(at)


def test_all_programmes_by_default(demo_db):
    at = open_app("pages/calendar.py")
    total = fetch(demo_db, "SELECT count(*) AS n FROM key_date")["n"].iloc[0] + len(fetch(demo_db, VESTING))
    assert len(calendar_frame(at)) == total
    assert "5 programmes" in texts(at)


def test_overview_next_key_dates_match_the_calendar(demo_db):
    """One query feeds both: the Overview's next key dates are the calendar's first upcoming ones."""
    overview = open_app("pages/overview.py")
    overview_text = texts(overview)
    at = open_app("pages/calendar.py", query={"programme": "east-west-sussex", "show": "upcoming"})
    first = calendar_frame(at).head(3)
    for row in first.itertuples():
        assert f"{row.Title} — {row.Date} ({row.When})" in overview_text


def test_a_chief_executive_sees_only_their_programme(demo_db):
    at = open_app("pages/calendar.py", email="ceo.hampshire@example.gov.uk")
    assert not at.exception
    assert at.multiselect(key="calendar_programmes").options == [
        "Hampshire – West Sussex children's services commission (DfE)"]
    expected = fetch(demo_db, "SELECT count(*) AS n FROM key_date WHERE programme_id = 'hampshire-west-sussex'")
    assert len(calendar_frame(at)) == expected["n"].iloc[0]


def test_many_notice_deadlines_list_the_soonest_and_fold_the_rest(fresh_db):
    """At national scale there are 90 and more clauses ahead: the soonest ten are listed, the rest
    are one click away."""
    today = clock.today()
    con = duckdb.connect(str(fresh_db))
    for i in range(14):
        con.execute("INSERT INTO key_date (key_date_id, programme_id, due_date, kind, title, notice_period_months, "
                    "source) VALUES ($id, 'east-west-sussex', $due, 'break clause', $title, 3, 'test')",
                    {"id": f"t-break-{i:02d}", "due": today + dt.timedelta(days=200 + i), "title": f"Test break {i:02d}"})
    con.close()
    at = open_app("pages/calendar.py", query={"programme": "east-west-sussex"})
    assert not at.exception, at.exception
    listed = next(m.value for m in at.markdown if m.value.startswith("- **"))
    assert listed.count("\n- ") + 1 == 10
    folded = [e for e in at.expander if e.label.startswith("The other ")]
    assert len(folded) == 1
    total = next(m for m in at.metric if m.label == "Break or termination clauses ahead").value
    assert folded[0].label == f"The other {int(total) - 10} notice deadlines"
    assert "Test break 13" in folded[0].markdown[0].value


def test_ics_warns_before_every_deadline_by_programme_name_with_a_link(demo_db, downloads, monkeypatch):
    """Every notice deadline and DfE report due date of every programme is an event with reminders
    28 and 7 days before; every description names the programme (never its id) and links to its
    page on the dashboard (MONITOR_BASE_URL)."""
    monkeypatch.setenv("MONITOR_BASE_URL", "https://monitor.example.gov.uk")
    at = open_app("pages/calendar.py")
    assert not at.exception
    events = parse_ics(ics_of(downloads)[1])
    rows = queries.run("calendar/key_dates", db=demo_db)  # what the calendar draws: key dates and vesting days
    by_uid = {e["uid"]: e for e in events}
    clauses = rows[rows["notice_period_months"].notna()]
    assert len(clauses) >= 3
    for r in clauses.itertuples():
        deadline = by_uid[f"{r.key_date_id}-notice@improvement-monitor"]
        assert deadline["start"] == last_day_to_give_notice(r.due_date.date(), int(r.notice_period_months))
        assert sorted(deadline["alarms"]) == [dt.timedelta(days=-28), dt.timedelta(days=-7)]
    reports = rows[rows["kind"] == "DfE report due"]
    assert len(reports) > 10
    for r in reports.itertuples():
        assert sorted(by_uid[f"{r.key_date_id}@improvement-monitor"]["alarms"]) == [dt.timedelta(days=-28),
                                                                                   dt.timedelta(days=-7)]
    names = dict(zip(rows["key_date_id"], zip(rows["programme_id"], rows["programme_name"])))
    for event in events:
        programme_id, name = names[event["uid"].split("@")[0].removesuffix("-notice")]
        link = f"https://monitor.example.gov.uk/calendar?programme={programme_id}"
        assert f"Programme: {name}" in event["description"] and event["url"] == link
        assert programme_id not in event["description"].replace(link, "")
    # Each event's source is followed by the address of the passage it cites, opened in the reader.
    sources = dict(zip(rows["key_date_id"], rows["source"]))
    linked = 0
    for event in events:
        source = sources[event["uid"].split("@")[0].removesuffix("-notice")]
        found = source_target(source)
        line = next(x for x in event["description"].split("\n") if x.startswith("Source: "))
        if found.url:
            linked += 1
            assert line == f"Source: {source} — {absolute_url(found.url)}"
            assert absolute_url(found.url).startswith(("https://monitor.example.gov.uk/sources?paper=", "https://www.gov.uk/"))
        else:
            assert line == f"Source: {source or 'not recorded'}"
    assert linked > 20


def test_ics_uids_are_stable_across_downloads_and_data_versions(fresh_db, downloads):
    at = open_app("pages/calendar.py", query={"programme": "essex-braintree-brentwood"})
    first = parse_ics(ics_of(downloads)[1])
    open_app("pages/calendar.py", query={"programme": "essex-braintree-brentwood"})
    again = parse_ics(ics_of(downloads)[1])
    assert [e["uid"] for e in again] == [e["uid"] for e in first]
    # A new data version: the clause is renamed and moved a month; its events keep their UIDs, one
    # revision on, and the notice deadline moves with it.
    row = fetch(fresh_db, "SELECT row_version FROM key_date WHERE key_date_id = 'ebb-k12'").iloc[0]
    write([Change("key_date", "update", {"key_date_id": "ebb-k12"},
                  {"title": "MOU break point (renamed)", "due_date": dt.date(2027, 4, 30)},
                  expected_version=int(row["row_version"]), programme_id="essex-braintree-brentwood")],
          actor=SYSTEM, db=fresh_db)
    open_app("pages/calendar.py", query={"programme": "essex-braintree-brentwood"})
    changed = {e["uid"]: e for e in parse_ics(ics_of(downloads)[1])}
    assert sorted(changed) == sorted(e["uid"] for e in first)
    before = {e["uid"]: e for e in first}
    notice = "ebb-k12-notice@improvement-monitor"
    assert changed[notice]["start"] == dt.date(2027, 1, 30) != before[notice]["start"]
    assert changed[notice]["sequence"] == before[notice]["sequence"] + 1
    assert changed["ebb-k12@improvement-monitor"]["summary"] == "MOU break point (renamed)"
    assert not at.exception

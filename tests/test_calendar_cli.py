"""`make calendar [PROGRAMME=id] OUT=file.ics`: the Calendar page's .ics from the command line, read
back with icalendar."""
import datetime as dt
import os
import subprocess

import queries
from monitor.calendar.ics import calendar_name_of, parse_ics
from monitor.calendar.rules import last_day_to_give_notice
from queries.db import ROOT


def make(*args, **env) -> subprocess.CompletedProcess:
    # -o: the virtualenv counts as made (tests must not install anything).
    return subprocess.run(["make", "-s", "-o", ".venv/.runtime", "calendar", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **env})


def test_make_calendar_of_every_programme_and_of_one(fresh_db, tmp_path):
    from queries.db import close

    rows = queries.run("calendar/key_dates", db=fresh_db)  # key dates, and the vesting days of councils that end
    close(fresh_db)  # the command line opens the file itself
    out = tmp_path / "all.ics"
    done = make(f"OUT={out}", f"DB={fresh_db}", MONITOR_BASE_URL="https://monitor.example.gov.uk")
    assert done.returncode == 0, done.stderr
    events = parse_ics(out.read_bytes())
    clauses = rows[rows["notice_period_months"].notna()]
    assert len(events) == len(rows) + len(clauses)
    assert calendar_name_of(out.read_bytes()) == "Improvement Monitor key dates — 5 programmes"
    by_uid = {e["uid"]: e for e in events}
    for r in clauses.itertuples():
        deadline = by_uid[f"{r.key_date_id}-notice@improvement-monitor"]
        assert deadline["start"] == last_day_to_give_notice(r.due_date.date(), int(r.notice_period_months))
        assert sorted(deadline["alarms"]) == [dt.timedelta(days=-28), dt.timedelta(days=-7)]
        assert deadline["url"] == f"https://monitor.example.gov.uk/calendar?programme={r.programme_id}"
    # A source citing a paper is followed by its passage's address in the reader.
    cited = [e for e in events if "— https://monitor.example.gov.uk/sources?paper=" in e["description"]]
    assert len(cited) > 20
    # Downloaded again: the same events under the same UIDs.
    again = tmp_path / "again.ics"
    assert make(f"OUT={again}", f"DB={fresh_db}").returncode == 0
    assert [e["uid"] for e in parse_ics(again.read_bytes())] == [e["uid"] for e in events]

    one = tmp_path / "essex.ics"
    done = make(f"OUT={one}", f"DB={fresh_db}", "PROGRAMME=essex-braintree-brentwood")
    assert done.returncode == 0, done.stderr
    mine = parse_ics(one.read_bytes())
    ids = set(rows.loc[rows["programme_id"] == "essex-braintree-brentwood", "key_date_id"])
    assert {e["uid"].split("@")[0].removesuffix("-notice") for e in mine} == ids
    assert all("Programme: Working Better Together: Essex, Braintree and Brentwood" in e["description"] for e in mine)
    assert calendar_name_of(one.read_bytes()).startswith("Improvement Monitor key dates — Working Better Together")


def test_make_calendar_refuses_what_it_cannot_do(fresh_db, tmp_path):
    from queries.db import close

    close(fresh_db)
    wrong = make(f"OUT={tmp_path / 'x.ics'}", f"DB={fresh_db}", "PROGRAMME=nowhere")
    assert wrong.returncode != 0 and "there is no programme 'nowhere'" in wrong.stderr
    assert not (tmp_path / "x.ics").exists()
    usage = make()
    assert usage.returncode != 0 and "usage: make calendar OUT=file.ics" in usage.stderr
    unwritable = make(f"OUT={tmp_path / 'missing' / 'x.ics'}", f"DB={fresh_db}")
    assert unwritable.returncode != 0 and "cannot write the calendar there" in unwritable.stderr

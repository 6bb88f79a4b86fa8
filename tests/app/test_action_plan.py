"""Action plan under AppTest: every programme renders; the summary line and the slipped list match
an independent SQL reading of the snapshots; filters change them and live in the URL; the edge cases
(no milestones, no reports, no forecast, dropped, a missing quarter, a closed programme) read plainly."""
import json

import pandas as pd
import pytest

from monitor.permissions import SYSTEM
from queries.write import Change, write
from tests.apptest import open_app, texts
from tests.dbutil import fetch

PAGE = "pages/action_plan.py"
EWS = "east-west-sussex"
PROGRAMMES = ["east-west-sussex", "hampshire-west-sussex", "essex-braintree-brentwood", "breckland-south-holland",
              "south-somerset-sedgemoor"]
# The state of each milestone as last reported on or before $r (a missing quarter carries forward).
AS_AT = """
    SELECT m.milestone_id, m.milestone_title, m.workstream_id, CAST(s.status AS VARCHAR) AS status,
           s.forecast_due_date, coalesce(s.forecast_due_date, m.baseline_due_date) AS due
    FROM milestone AS m
    JOIN (SELECT *, row_number() OVER (PARTITION BY milestone_id ORDER BY reporting_date DESC) AS k
          FROM milestone_snapshot WHERE reporting_date <= $r) AS s ON s.milestone_id = m.milestone_id AND s.k = 1
    WHERE m.programme_id = $p
"""


def as_at(db, programme_id, date):
    return fetch(db, AS_AT, {"p": programme_id, "r": date})


def expected_summary(db, programme_id, date, previous, streams=None):
    now, before = as_at(db, programme_id, date), as_at(db, programme_id, previous)
    if streams:
        now = now[now["workstream_id"].isin(streams)]
    live = now[now["status"] != "dropped"]
    complete = int((live["status"] == "complete").sum())
    overdue = int(((live["due"] < pd.Timestamp(date)) & (live["status"] != "complete")).sum())
    both = now.merge(before, on="milestone_id", suffixes=("", "_before"))
    slipped = both[both["forecast_due_date"] > both["forecast_due_date_before"]]
    dropped = len(now) - len(live)
    line = f"{complete} of {len(live)} milestones complete" + (f" ({dropped} dropped)" if dropped else "")
    return line + f"; {overdue} overdue; {len(slipped)} slipped since", slipped


def table_with(at, column):
    """The first table on the page with this column."""
    for frame in (d.value for d in at.dataframe):
        if column in frame.columns:
            return frame
    return None


def slipped_list(at):
    for frame in (d.value for d in at.dataframe):
        if "Days slipped" in frame.columns:
            return frame
    return pd.DataFrame(columns=["Milestone", "Days slipped"])


@pytest.mark.parametrize("programme_id", PROGRAMMES)
def test_every_programme_renders(demo_db, programme_id):
    at = open_app(PAGE, query={"programme": programme_id})
    assert not at.exception, at.exception
    text = texts(at)
    assert "As reported at" in text and "milestones complete" in text
    assert len(at.get("plotly_chart")) == 3
    assert "00:00:00" not in text
    assert at.selectbox(key="programme").value == programme_id
    status = fetch(demo_db, "SELECT CAST(status AS VARCHAR) AS s FROM programme WHERE programme_id = $p",
                   {"p": programme_id})["s"].iloc[0]
    assert ("This programme closed on" in text) == (status == "closed")
    assert ("on the current plan" in text) == (status != "closed")


def test_summary_line_and_slipped_list_for_east_west_sussex(demo_db):
    at = open_app(PAGE, query={"programme": EWS})
    assert at.selectbox(key="url_reporting_date").value == "2026-09-30"  # the latest report by default
    line, slipped = expected_summary(demo_db, EWS, "2026-09-30", "2026-06-30")
    text = texts(at)
    assert f"**As reported at 30 Sep 2026:** {line} 30 Jun 2026." in text
    assert line.startswith("12 of 20 milestones complete (1 dropped); 1 overdue")
    shown = slipped_list(at)
    assert shown["Milestone"].tolist() == slipped["milestone_title"].tolist()
    assert shown["Milestone"].tolist() == ["West Sussex corporate improvement plan refreshed for 2027–2029"]
    assert shown["Days slipped"].tolist() == [90]
    changes = table_with(at, "Status change")
    assert changes["Status change"].tolist() == ["on track → at risk"]


def test_an_earlier_reporting_date_with_two_slips(demo_db):
    at = open_app(PAGE, query={"programme": EWS, "reporting_date": "2026-06-30"})
    line, slipped = expected_summary(demo_db, EWS, "2026-06-30", "2026-03-31")
    assert f"{line} 31 Mar 2026." in texts(at)
    shown = slipped_list(at)
    assert sorted(shown["Milestone"]) == sorted(slipped["milestone_title"]) and len(shown) == 2
    assert (shown["Days slipped"] > 0).all()
    assert shown["Days slipped"].is_monotonic_decreasing  # biggest slip first


def test_work_stream_filter_changes_summary_and_list(demo_db):
    at = open_app(PAGE, query={"programme": EWS})
    assert len(slipped_list(at)) == 1
    at.multiselect(key="url_workstream").set_value(["ews-joint"]).run()
    assert not at.exception
    line, slipped = expected_summary(demo_db, EWS, "2026-09-30", "2026-06-30", streams=["ews-joint"])
    text = texts(at)
    assert f"{line} 30 Jun 2026." in text
    assert line.startswith("2 of 5 milestones complete; 1 overdue")
    assert slipped.empty and slipped_list(at).empty
    assert "No milestone's forecast moved later since 30 Jun 2026." in text
    assert at.query_params["workstream"] == ["ews-joint"] or at.query_params["workstream"] == "ews-joint"


def test_filters_come_from_the_url(demo_db):
    at = open_app(PAGE, query={"programme": EWS, "workstream": "ews-joint,ews-improvement",
                               "milestone_status": "at risk", "owner": "Chief Executive"})
    assert at.multiselect(key="url_workstream").value == ["ews-joint", "ews-improvement"]
    assert at.multiselect(key="url_milestone_status").value == ["at risk"]
    register = table_with(at, "Derived RAG (from dates)")
    assert register["Milestone"].tolist() == ["West Sussex corporate improvement plan refreshed for 2027–2029"]
    assert set(register["Owner"]) == {"Chief Executive"}


def test_filters_matching_nothing_say_so(demo_db):
    at = open_app(PAGE, query={"programme": EWS, "workstream": "ews-joint", "milestone_status": "dropped"})
    assert not at.exception
    assert "No milestone matches these filters" in texts(at)
    assert not at.get("plotly_chart")


def test_missing_quarter_carries_the_last_report_forward(demo_db):
    at = open_app(PAGE, query={"programme": EWS, "reporting_date": "2025-06-30"})
    text = texts(at)
    assert ("**Missing report:** 1 milestone was not reported at 30 Jun 2025, so the last reported position is used: "
            "Joint commissioning of the social care provider market (last reported 31 Mar 2025).") in text
    # The quarter after, it is neither "added" nor "removed": it simply carries on.
    at = open_app(PAGE, query={"programme": EWS, "reporting_date": "2025-09-30"})
    text = texts(at)
    assert "Missing report" not in text and "Added to the plan" not in text


def test_no_forecast_and_dropped_milestones_are_explained(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    text = texts(at)
    title = fetch(demo_db, "SELECT milestone_title FROM milestone WHERE milestone_id = 'hws-m20'").iloc[0, 0]
    assert "**No forecast:**" in text and title in text
    assert "**Dropped:**" in text
    register = table_with(at, "Derived RAG (from dates)")
    dropped = register[register["Reported status"] == "dropped"]
    assert len(dropped) == 1 and dropped["Derived RAG (from dates)"].iloc[0] == "Dropped"
    overdue = table_with(at, "Days overdue")
    assert overdue is None or "dropped" not in set(overdue["Reported status"])


def test_closed_programme_reads_closed(demo_db):
    at = open_app(PAGE, query={"programme": "hampshire-west-sussex"})
    text = texts(at)
    assert "**This programme closed on 30 Sep 2023.**" in text
    assert at.selectbox(key="url_reporting_date").value == "2023-09-30"
    assert "on the current plan" not in text


def test_overdue_lists_at_the_reporting_date_and_today(demo_db):
    at = open_app(PAGE, query={"programme": EWS})
    frames = [d.value for d in at.dataframe if "Days overdue" in d.value.columns]
    at_report, today = frames
    assert at_report["ID"].tolist() == ["ews-m13"]
    assert at_report["Days overdue"].tolist() == [92]  # 30 Jun → 30 Sep 2026
    assert set(today["ID"]) >= {"ews-m13", "ews-m14"}  # ews-m14 fell due on 31 Oct 2026


def test_charts_have_titles_and_tables(demo_db):
    at = open_app(PAGE, query={"programme": "essex-braintree-brentwood"})
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    titles = [s["layout"]["title"]["text"].replace("<br>", " ") for s in specs]  # wrapped on screen
    assert titles == ["Milestones: baseline against forecast", "Milestone completion against plan (burn-up)",
                      "Milestone trend: forecast dates as reported"]
    for spec in specs:
        assert spec["layout"]["xaxis"]["title"]["text"] and spec["layout"]["yaxis"]["title"]["text"]
    trend = specs[2]
    # A few traces whatever the number of milestones: one per trend group, stars, crosses, diagonal.
    assert len(trend["data"]) <= 6
    trend_table = table_with(at, "Forecast date as reported")
    assert trend_table["ID"].nunique() == 12
    assert not trend_table["Reporting date"].str.contains("00:00").any()


def test_a_restricted_user_sees_only_their_programme(demo_db):
    at = open_app(PAGE, email="ceo.eastsussex@example.gov.uk", query={"programme": "hampshire-west-sussex"})
    assert not at.exception
    assert at.selectbox(key="programme").options == ["East Sussex – West Sussex corporate improvement partnership"]
    assert at.selectbox(key="programme").value == EWS


def add_programme(db, programme_id):
    write([
        Change("programme", "insert", {"programme_id": programme_id},
               {"programme_name": "New partnership (test)", "kind": "corporate improvement", "legal_basis": None,
                "start_date": "2026-10-01", "end_date": None, "status": "active", "summary": "A new programme.",
                "source": "illustrative"}),
        Change("programme_party", "insert", {"programme_id": programme_id, "ons_code": "E10000011",
                                             "role": "supported council"}, {"is_lending": False, "source": "illustrative"}),
    ], actor=SYSTEM, db=db)


def test_programme_with_no_milestones(fresh_db):
    add_programme(fresh_db, "new-partnership")
    at = open_app(PAGE, query={"programme": "new-partnership"})
    assert not at.exception
    assert "No milestones are recorded for this programme yet" in texts(at)
    assert not at.get("plotly_chart")


def test_milestones_without_any_report(fresh_db):
    add_programme(fresh_db, "new-partnership")
    write([
        Change("workstream", "insert", {"workstream_id": "np-w1"},
               {"programme_id": "new-partnership", "workstream_name": "Governance", "is_primary": True,
                "source": "illustrative"}),
        Change("milestone", "insert", {"milestone_id": "np-m1"},
               {"programme_id": "new-partnership", "workstream_id": "np-w1", "milestone_title": "Board set up",
                "owner": "Chief Executive", "baseline_due_date": "2026-11-01", "status": "not started",
                "source": "illustrative"}),
    ], actor=SYSTEM, db=fresh_db)
    at = open_app(PAGE, query={"programme": "new-partnership"})
    assert not at.exception
    text = texts(at)
    assert "No quarterly reports are recorded for this programme yet" in text
    assert "0 of 1 milestone complete; 1 overdue; no earlier report to compare" in text
    assert "**No forecast:**" in text
    assert len(at.get("plotly_chart")) == 3

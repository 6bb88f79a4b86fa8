"""The Action plan page's tables and sentences (monitor.action_plan) on hand-made frames."""
import pandas as pd
from monitor.milestones.reported import TREND_HELD, TREND_SLIPPED_NOW
from monitor.milestones.rules import RAG_COMPLETE, RAG_DROPPED, RAG_GREEN, RAG_RED, changes_between
from monitor.milestones.tables import ALL_OWNERS, added_table, burn_up_as_at, burn_up_chart, burn_up_summary, burn_up_table, completed_table, day_text, disagreements, edge_notes, filter_milestones, listing, overdue_table, owners, rag_counts, register_table, slipped_table, status_change_table, timeline_rows, timeline_summary, trend_focus


def plan(*rows) -> pd.DataFrame:
    """(id, work stream, owner, baseline, forecast, completed, status) as the page has them."""
    frame = pd.DataFrame(rows, columns=["milestone_id", "workstream_id", "owner", "baseline_due_date",
                                        "forecast_due_date", "completed_date", "status"])
    for column in ("baseline_due_date", "forecast_due_date", "completed_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame["workstream_name"] = frame["workstream_id"].map({"W1": "Governance", "W2": "Workforce"})
    frame["milestone_title"] = "Title " + frame["milestone_id"]
    frame["evidence"] = None
    frame["source"] = "illustrative"
    frame["reported_on"] = pd.Timestamp("2020-06-30")
    frame["carried_forward"] = False
    return frame


PLAN = plan(
    ("M1", "W1", "Chief Executive", "2020-03-31", "2020-04-30", "2020-04-28", "complete"),
    ("M2", "W1", "Director, Finance", "2020-06-29", None, None, "on track"),   # overdue, no forecast
    ("M3", "W2", "Chief Executive", "2020-06-30", None, None, "on track"),     # due on the day
    ("M4", "W2", "Director, Finance", "2020-03-31", "2020-06-01", None, "at risk"),  # overdue 29 days
    ("M5", "W2", "Chief Executive", "2020-05-01", None, None, "dropped"),
)
REPORTING = pd.Timestamp("2020-06-30")


def test_filters():
    assert len(filter_milestones(PLAN, [], [], ALL_OWNERS)) == 5
    assert filter_milestones(PLAN, ["W1"], [], None)["milestone_id"].tolist() == ["M1", "M2"]
    assert filter_milestones(PLAN, [], ["on track", "dropped"], "Chief Executive")["milestone_id"].tolist() == ["M3", "M5"]
    # An owner with a comma in the name is one owner.
    assert filter_milestones(PLAN, [], [], "Director, Finance")["milestone_id"].tolist() == ["M2", "M4"]
    assert owners(PLAN) == ["Chief Executive", "Director, Finance"]


def test_overdue_table_boundary_and_order():
    table = overdue_table(PLAN, REPORTING)
    assert table["ID"].tolist() == ["M4", "M2"]  # longest overdue first; M3 due on the day is not overdue
    assert table["Days overdue"].tolist() == [29, 1]
    assert table["Due date from"].tolist() == ["forecast", "baseline (no forecast)"]
    assert table["Due"].tolist() == [pd.Timestamp("2020-06-01"), pd.Timestamp("2020-06-29")]
    assert overdue_table(PLAN.iloc[:0], REPORTING).empty
    assert overdue_table(pd.DataFrame(), REPORTING).empty


def test_lists_from_changes():
    before = pd.DataFrame({"milestone_id": ["M1", "M3", "M4"], "status": ["on track", "on track", "on track"],
                           "forecast_due_date": pd.to_datetime(["2020-04-30", "2020-06-30", "2020-04-30"])})
    after = pd.DataFrame({"milestone_id": ["M1", "M3", "M4", "M2"], "status": ["complete", "on track", "at risk", "on track"],
                          "forecast_due_date": pd.to_datetime(["2020-04-30", "2020-06-30", "2020-06-01", None])})
    changes = changes_between(before, after)
    slipped = slipped_table(changes, PLAN, "2020-03-31")
    assert slipped.columns[:4].tolist() == ["Milestone", "Days slipped", "Forecast at 31 Mar 2020", "Forecast now reported"]
    assert slipped["Milestone"].tolist() == ["Title M4"] and slipped["Days slipped"].tolist() == [32]
    assert slipped["Work stream"].tolist() == ["Workforce"]
    done = completed_table(changes, PLAN)
    assert done["ID"].tolist() == ["M1"] and done["Completed on"].tolist() == [pd.Timestamp("2020-04-28")]
    assert status_change_table(changes, PLAN)["Status change"].tolist() == ["on track → complete", "on track → at risk"]
    assert added_table(changes, PLAN)["ID"].tolist() == ["M2"]
    empty = changes_between(after, after)
    assert slipped_table(empty, PLAN, "2020-03-31").empty and completed_table(empty, PLAN).empty


def test_register_shows_reported_beside_derived():
    table = register_table(PLAN, REPORTING).set_index("ID")
    assert table.loc["M2", "Reported status"] == "on track"
    assert table.loc["M2", "Derived RAG (from dates)"] == RAG_RED
    assert table.loc["M2", "Agree?"] == "NO — check"
    assert table.loc["M4", "Agree?"] == "NO — check"  # reported at risk, overdue by the dates
    assert table.loc["M3", "Agree?"] == "yes" and table.loc["M5", "Agree?"] == "yes"
    assert disagreements(PLAN, REPORTING) == 2
    assert rag_counts(PLAN, REPORTING) == [(RAG_COMPLETE, 1), (RAG_DROPPED, 1), (RAG_RED, 2), (RAG_GREEN, 1)]


def test_timeline_rows_limit():
    many = pd.concat([PLAN.assign(milestone_id=PLAN["milestone_id"] + f"-{i}") for i in range(20)], ignore_index=True)
    rows, note = timeline_rows(many, limit=30)
    assert len(rows) == 30 and not rows["status"].isin(["complete", "dropped"]).any()
    assert note.startswith("The timeline shows 30 of the 100 milestones")
    assert timeline_rows(PLAN)[1] == ""


def test_timeline_and_burn_up_sentences():
    assert timeline_summary(PLAN, REPORTING) == (
        "Baseline (hollow circle) against forecast (diamond) for 5 milestones in 2 work streams as reported at "
        "30 Jun 2020: 1 complete, 1 dropped, 2 Red — off track, 1 Green — on track.")
    assert burn_up_summary(PLAN, REPORTING) == (
        "By 30 Jun 2020, 1 of 4 milestones complete against 4 planned by their baseline dates — "
        "behind the baseline plan by 3.")


def test_burn_up_stops_completions_at_the_reporting_date():
    later = PLAN.assign(baseline_due_date=PLAN["baseline_due_date"] + pd.Timedelta(days=200))
    burn = burn_up_as_at(later, REPORTING)
    assert REPORTING in set(burn["date"])
    assert burn.loc[burn["date"] > REPORTING, "completed_cumulative"].isna().all()
    assert burn.loc[burn["date"] == REPORTING, "completed_cumulative"].tolist() == [1]
    fig, _ = burn_up_chart(later, REPORTING)
    assert "Reporting date: 30 Jun 2020" in [a.text for a in fig.layout.annotations]
    table = burn_up_table(burn)
    assert "30 Jun 2020" in table["Date"].tolist()
    assert table["Completed (cumulative)"].isna().sum() == (burn["date"] > REPORTING).sum()


def test_trend_focus_keeps_the_slipped_first():
    rows = []
    for i in range(10):
        group = TREND_SLIPPED_NOW if i < 2 else TREND_HELD
        for q, date in enumerate(["2020-03-31", "2020-06-30"]):
            rows.append((f"M{i}", f"T{i}", pd.Timestamp(date), pd.Timestamp("2021-01-01") + pd.Timedelta(days=q * i),
                         "on track", group))
    points = pd.DataFrame(rows, columns=["milestone_id", "milestone_title", "reporting_date", "forecast_due_date",
                                         "status", "trend_group"])
    shown, note = trend_focus(points, limit=3)
    assert sorted(shown["milestone_id"].unique())[:2] == ["M0", "M1"] and shown["milestone_id"].nunique() == 3
    assert note.startswith("The trend chart shows 3 of the 10 milestones")
    assert trend_focus(points, limit=10) == (points, "")


def test_day_text():
    assert day_text(pd.Series(pd.to_datetime(["2020-02-03", None])), "none") == ["3 Feb 2020", "none"]


def test_edge_notes():
    carried = PLAN.assign(carried_forward=[False, True, False, False, False],
                          reported_on=pd.to_datetime(["2020-06-30", "2020-03-31", "2020-06-30", "2020-06-30", "2020-06-30"]))
    notes = edge_notes(carried, PLAN.iloc[:1], REPORTING)
    assert notes[0] == ("**Missing report:** 1 milestone was not reported at 30 Jun 2020, so the last reported "
                        "position is used: Title M2 (last reported 31 Mar 2020).")
    assert notes[1].startswith("**No forecast:** 2 open milestones have no forecast date")
    assert notes[2].startswith("**Dropped:** 1 milestone has been dropped from the plan; it is listed")
    assert notes[3].startswith("**Not yet reported:** 1 milestone in the plan has no report on or before 30 Jun 2020")
    assert edge_notes(PLAN.iloc[:1], None, REPORTING) == []


def test_long_lists_in_notes_are_cut_short():
    assert listing(["A", "B"]) == "A; B"
    assert listing([f"M{i}" for i in range(13)]) == "M0; M1; M2; M3; M4; and 8 more"
    many = pd.concat([PLAN.iloc[[4]].assign(milestone_id=f"D{i}", milestone_title=f"Dropped {i}") for i in range(9)])
    note = edge_notes(many, None, REPORTING)[0]
    assert note.endswith("Dropped 0; Dropped 1; Dropped 2; Dropped 3; Dropped 4; and 4 more.")

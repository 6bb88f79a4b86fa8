import datetime as dt

import pandas as pd
import pytest
from monitor.milestones.charts import burn_up_figure, timeline_figure, trend_figure, _nice_step, trend_overview_figure
from monitor.milestones.reported import REPORTED_AS_RAG, TREND_HELD, TREND_NO_FORECAST, TREND_SLIPPED_BEFORE, TREND_SLIPPED_NOW, as_reported, not_yet_reported, previous_reporting_date, rag_comparison, reported_by, reporting_dates, trend_points, trend_summary
from monitor.milestones.rules import RAG_AMBER, RAG_COLOURS, RAG_COMPLETE, RAG_DROPPED, RAG_GREEN, RAG_RED, RAG_RULES, burn_up, derived_rag, due_date, is_overdue, newly_completed, slippage_days, slipped_since, snapshot_diff, status_changes, summary_line, DIFF_COLUMNS, changes_between

STATUS = pd.CategoricalDtype(["not started", "on track", "at risk", "off track", "complete", "dropped"], ordered=True)
REPORTING = pd.Timestamp("2020-06-30")


def plan(*rows) -> pd.DataFrame:
    """Milestones as DuckDB hands them over: DATE as datetime64, status as an ordered Categorical.
    Each row: (id, workstream, baseline, forecast, completed, status)."""
    frame = pd.DataFrame(rows, columns=["milestone_id", "workstream_id", "baseline_due_date", "forecast_due_date",
                                        "completed_date", "status"])
    for column in ("baseline_due_date", "forecast_due_date", "completed_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame["status"] = frame["status"].astype(STATUS)
    frame["milestone_title"] = "Milestone " + frame["milestone_id"]
    frame["owner"] = "Director of Children's Services"
    frame["evidence"] = "Board minutes"
    frame["source"] = "001 para 8"
    return frame


PLAN = plan(
    ("M1", "W1", "2020-03-31", "2020-04-30", "2020-04-28", "complete"),   # slipped 30 days, done
    ("M2", "W1", "2020-06-29", None, None, "on track"),                   # due yesterday, no forecast → overdue
    ("M3", "W1", "2020-06-30", None, None, "on track"),                   # due ON the reporting date → not overdue
    ("M4", "W2", "2020-06-30", "2020-08-31", None, "at risk"),            # slipped 62 days, not overdue
    ("M5", "W2", "2020-09-30", "2020-09-15", None, "on track"),           # forecast earlier: −15
    ("M6", "W2", "2020-05-01", None, None, "dropped"),                    # dropped, would be overdue
)


def test_slippage_days():
    assert slippage_days(PLAN).tolist()[:1] == [30]
    slip = slippage_days(PLAN)
    assert slip.name == "slippage_days"
    assert slip.iloc[3] == 62 and slip.iloc[4] == -15
    assert slip.isna().tolist() == [False, True, True, False, False, True]


def test_due_date_prefers_forecast():
    assert due_date(PLAN.iloc[0]) == pd.Timestamp("2020-04-30")
    assert due_date(PLAN.iloc[1]) == pd.Timestamp("2020-06-29")
    assert due_date({"baseline_due_date": dt.date(2020, 1, 2), "forecast_due_date": None}) == pd.Timestamp("2020-01-02")


def test_overdue_boundary_day():
    overdue = is_overdue(PLAN, REPORTING)
    assert overdue.tolist() == [False, True, False, False, False, False]
    # The day after, M3 (due 30 Jun) is overdue too; M4's later forecast keeps it off the list.
    assert is_overdue(PLAN, "2020-07-01").tolist() == [False, True, True, False, False, False]
    # Complete and dropped are never overdue, however late.
    assert not is_overdue(PLAN, "2030-01-01").iloc[[0, 5]].any()


def test_overdue_accepts_plain_strings_and_dates():
    frame = pd.DataFrame({"baseline_due_date": [dt.date(2020, 6, 29), dt.date(2020, 6, 30)],
                          "forecast_due_date": [None, None], "status": ["on track", "Complete"]})
    assert is_overdue(frame, dt.date(2020, 7, 1)).tolist() == [True, False]


def test_derived_rag():
    rag = derived_rag(PLAN, REPORTING).tolist()
    assert rag == [RAG_COMPLETE, RAG_RED, RAG_GREEN, RAG_AMBER, RAG_GREEN, RAG_DROPPED]
    assert [word for word, _rule in RAG_RULES] == [RAG_COMPLETE, RAG_DROPPED, RAG_RED, RAG_AMBER, RAG_GREEN]
    assert set(RAG_COLOURS) == {word for word, _rule in RAG_RULES}
    assert all(rule for _word, rule in RAG_RULES)
    assert RAG_RED == "Red — off track" and RAG_AMBER == "Amber — at risk" and RAG_GREEN == "Green — on track"
    # Slipped AND overdue is red, not amber.
    late = plan(("X", "W", "2020-01-01", "2020-02-01", None, "at risk"))
    assert derived_rag(late, REPORTING).tolist() == [RAG_RED]


def snap(*rows, reporting_date="2020-06-30") -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["milestone_id", "status", "forecast_due_date"])
    frame["forecast_due_date"] = pd.to_datetime(frame["forecast_due_date"])
    frame["status"] = frame["status"].astype(STATUS)
    frame["reporting_date"] = pd.Timestamp(reporting_date)
    frame["source"] = "illustrative"
    return frame


PREVIOUS = snap(
    ("M1", "on track", "2020-04-30"),
    ("M2", "on track", "2020-06-29"),   # unchanged
    ("M3", "on track", "2020-06-30"),   # date moved 61 days later
    ("M4", "on track", "2020-06-30"),   # status and date
    ("M5", "at risk", None),            # forecast appears
    ("M7", "on track", "2020-07-01"),   # removed
    reporting_date="2020-03-31",
)
CURRENT = snap(
    ("M1", "complete", "2020-04-30"),   # status only
    ("M2", "on track", "2020-06-29"),
    ("M3", "on track", "2020-08-30"),
    ("M4", "at risk", "2020-07-10"),
    ("M5", "at risk", "2020-09-15"),
    ("M8", "complete", "2020-05-01"),   # added
)


def test_snapshot_diff():
    diff = snapshot_diff(PREVIOUS, CURRENT)
    assert list(diff.columns) == ["milestone_id", "change", "status_before", "status_after", "forecast_before",
                                  "forecast_after", "days_moved"]
    by_id = diff.set_index("milestone_id")
    assert by_id["change"].to_dict() == {
        "M1": "status changed",
        "M3": "date moved",
        "M4": "status changed and date moved",
        "M5": "date moved",
        "M7": "removed",
        "M8": "added",
    }
    assert "M2" not in by_id.index  # unchanged rows are left out
    assert by_id.loc["M3", "days_moved"] == 61
    assert by_id.loc["M4", "days_moved"] == 10
    assert pd.isna(by_id.loc["M5", "days_moved"])  # no date before
    assert pd.isna(by_id.loc["M8", "status_before"]) and by_id.loc["M8", "status_after"] == "complete"
    assert by_id.loc["M7", "status_before"] == "on track" and pd.isna(by_id.loc["M7", "status_after"])
    assert by_id.loc["M1", "status_before"] == "on track" and by_id.loc["M1", "status_after"] == "complete"


def test_snapshot_diff_date_moved_earlier_is_negative():
    diff = snapshot_diff(snap(("M1", "on track", "2020-08-31")), snap(("M1", "on track", "2020-08-01")))
    assert diff["days_moved"].tolist() == [-30]


def test_snapshot_diff_keeps_latest_of_several_reporting_dates():
    history = pd.concat([snap(("M1", "on track", "2020-01-01"), reporting_date="2019-12-31"), PREVIOUS])
    diff = snapshot_diff(history, CURRENT).set_index("milestone_id")
    assert diff.loc["M1", "forecast_before"] == pd.Timestamp("2020-04-30")


def test_newly_completed_slipped_and_status_changes():
    assert newly_completed(PREVIOUS, CURRENT)["milestone_id"].tolist() == ["M1", "M8"]
    slipped = slipped_since(PREVIOUS, CURRENT)
    assert slipped["milestone_id"].tolist() == ["M3", "M4"]  # 61 days, then 10
    assert slipped["days_moved"].tolist() == [61, 10]
    changes = status_changes(PREVIOUS, CURRENT)
    assert changes["status_change"].tolist() == ["on track → complete", "on track → at risk"]
    assert changes["milestone_id"].tolist() == ["M1", "M4"]


@pytest.mark.parametrize("previous, current", [
    (pd.DataFrame(), pd.DataFrame()),
    (None, None),
    (PREVIOUS.iloc[:0], CURRENT.iloc[:0]),
])
def test_empty_snapshots(previous, current):
    assert snapshot_diff(previous, current).empty
    assert list(snapshot_diff(previous, current).columns) == DIFF_COLUMNS
    assert newly_completed(previous, current).empty
    assert slipped_since(previous, current).empty
    assert status_changes(previous, current).empty


def test_first_quarter_everything_added():
    diff = snapshot_diff(pd.DataFrame(), CURRENT)
    assert set(diff["change"]) == {"added"}
    assert len(diff) == len(CURRENT)


def test_summary_line_text():
    rows = (
        [(f"C{i}", "W", "2020-01-01", None, "2020-01-01", "complete") for i in range(12)]
        + [(f"O{i}", "W", "2020-05-01", None, None, "on track") for i in range(4)]
        + [(f"F{i}", "W", "2020-12-01", None, None, "not started") for i in range(15)]
    )
    frame = plan(*rows)
    line = summary_line(frame, pd.Timestamp("2020-09-30"), pd.Timestamp("2020-06-30"), 3)
    assert line == "12 of 31 milestones complete; 4 overdue; 3 slipped since 30 Jun 2020"
    # Dates as date objects or strings read the same; the day has no leading zero.
    assert summary_line(frame, "2020-09-30", dt.date(2020, 2, 3), 0).endswith("0 slipped since 3 Feb 2020")


def test_summary_line_dropped_single_and_first_report():
    assert summary_line(PLAN, REPORTING, None, 0) == "1 of 5 milestones complete (1 dropped); 1 overdue; no earlier report to compare"
    one = plan(("M1", "W", "2020-01-01", None, None, "on track"))
    assert summary_line(one, REPORTING, "2020-03-31", 1) == "0 of 1 milestone complete; 1 overdue; 1 slipped since 31 Mar 2020"
    assert summary_line(PLAN.iloc[:0], REPORTING, None, 0) == "No milestones recorded."


def test_burn_up():
    burn = burn_up(PLAN)
    assert list(burn.columns) == ["date", "planned_cumulative", "completed_cumulative"]
    # Dropped M6 (baseline 1 May) is in neither line.
    assert burn["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-03-31", "2020-04-28", "2020-06-29", "2020-06-30", "2020-09-30"]
    assert burn["planned_cumulative"].tolist() == [1, 1, 2, 4, 5]
    assert burn["completed_cumulative"].tolist() == [0, 1, 1, 1, 1]
    empty = burn_up(PLAN.iloc[:0])
    assert empty.empty and list(empty.columns) == list(burn.columns)
    assert burn_up(pd.DataFrame()).empty


def assert_titled(fig):
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text
    assert fig.layout.yaxis.title.text


def test_timeline_figure():
    fig = timeline_figure(PLAN.assign(workstream_name=PLAN["workstream_id"].map({"W1": "Practice", "W2": "Workforce"})),
                          REPORTING, dt.date(2020, 7, 8))
    assert_titled(fig)
    names = [trace.name for trace in fig.data]
    assert "Baseline due date" in names and "Completed (★)" in names
    assert f"Due date — {RAG_RED}" in names and f"Due date — {RAG_AMBER}" in names  # words in the legend
    baseline = next(t for t in fig.data if t.name == "Baseline due date")
    assert list(baseline.y[0]).count("Practice") == 3  # grouped by workstream
    assert "Owner: Director of Children's Services" in baseline.text[0]
    assert "Evidence: Board minutes" in baseline.text[0] and "Source: 001 para 8" in baseline.text[0]
    assert "Reported status: complete" in baseline.text[0]
    notes = [a.text for a in fig.layout.annotations]
    assert "Today: 8 Jul 2020" in notes and "Reporting date: 30 Jun 2020" in notes
    same_day = timeline_figure(PLAN, REPORTING, REPORTING)
    assert [a.text for a in same_day.layout.annotations] == ["Today and reporting date: 30 Jun 2020"]


def test_timeline_figure_edge_cases():
    assert_titled(timeline_figure(PLAN.iloc[:0], REPORTING, REPORTING))
    assert_titled(timeline_figure(pd.DataFrame(), REPORTING, None))
    no_forecasts = PLAN.assign(forecast_due_date=pd.NaT, completed_date=pd.NaT, status="on track")
    fig = timeline_figure(no_forecasts, REPORTING, REPORTING)
    assert_titled(fig)
    assert "Slip (baseline → forecast)" not in [t.name for t in fig.data]


def test_burn_up_figure():
    fig = burn_up_figure(burn_up(PLAN))
    assert_titled(fig)
    assert [t.name for t in fig.data] == ["Planned (by baseline due date)", "Completed"]
    assert_titled(burn_up_figure(burn_up(PLAN.iloc[:0])))


def test_trend_figure_with_a_missing_quarter():
    q1 = snap(("M1", "on track", "2020-09-30"), ("M2", "on track", "2020-12-31"), reporting_date="2020-03-31")
    q2 = snap(("M1", "at risk", "2020-10-31"), reporting_date="2020-06-30")            # M2 not reported
    q3 = snap(("M1", "complete", "2020-10-31"), ("M2", "on track", None), reporting_date="2020-09-30")
    fig = trend_figure(pd.concat([q1, q2, q3], ignore_index=True))
    assert_titled(fig)
    m1, m2, diagonal = fig.data
    assert m1.name == "M1" and len(m1.x) == 3
    assert m2.name == "M2" and len(m2.x) == 2  # the missing quarter is simply absent
    assert list(m1.marker.symbol) == ["circle", "circle", "star"]
    assert "Status: at risk" in m1.text[1]
    assert diagonal.name == "Due at reporting date"
    assert list(diagonal.x) == list(diagonal.y)
    assert_titled(trend_figure(q1.iloc[:0]))
    assert_titled(trend_figure(pd.DataFrame()))


# --------------------------------------------------------------------------------------------
# The plan as reported at a reporting date; the trend chart at scale


HISTORY = pd.concat([
    snap(("M1", "on track", "2020-09-30"), ("M2", "on track", "2020-12-31"), ("M3", "on track", "2021-03-31"),
         reporting_date="2020-03-31"),
    snap(("M1", "at risk", "2020-10-31"), ("M3", "on track", "2021-03-31"),            # M2 missing this quarter
         reporting_date="2020-06-30"),
    snap(("M1", "complete", "2020-10-31"), ("M2", "on track", "2021-01-31"), ("M3", "at risk", "2021-05-31"),
         ("M4", "on track", None), reporting_date="2020-09-30"),                      # M4 first reported
], ignore_index=True)
MILESTONES = plan(
    ("M1", "W1", "2020-09-30", "2020-10-31", "2020-10-20", "complete"),
    ("M2", "W1", "2020-12-31", "2021-01-31", None, "on track"),
    ("M3", "W2", "2021-03-31", "2021-05-31", None, "at risk"),
    ("M4", "W2", "2021-06-30", None, None, "on track"),
    ("M5", "W2", "2021-09-30", None, None, "not started"),                           # never reported
)


def test_reporting_dates_and_previous():
    dates = reporting_dates(HISTORY)
    assert dates == [pd.Timestamp("2020-09-30"), pd.Timestamp("2020-06-30"), pd.Timestamp("2020-03-31")]
    assert previous_reporting_date(dates, "2020-09-30") == pd.Timestamp("2020-06-30")
    assert previous_reporting_date(dates, "2020-07-15") == pd.Timestamp("2020-06-30")
    assert previous_reporting_date(dates, "2020-03-31") is None
    assert reporting_dates(pd.DataFrame()) == [] and reporting_dates(None) == []


def test_as_reported_carries_a_missing_quarter_forward():
    at = as_reported(MILESTONES, HISTORY, "2020-06-30").set_index("milestone_id")
    assert list(at.index) == ["M1", "M2", "M3"]  # M4 and M5 not yet reported; plan order kept
    assert at.loc["M2", "carried_forward"] and at.loc["M2", "reported_on"] == pd.Timestamp("2020-03-31")
    assert at.loc["M2", "forecast_due_date"] == pd.Timestamp("2020-12-31")  # as reported then, not now
    assert not at.loc["M1", "carried_forward"] and at.loc["M1", "status"] == "at risk"
    assert pd.isna(at.loc["M1", "completed_date"])  # complete only later
    assert at.loc["M1", "milestone_title"] == "Milestone M1" and at.loc["M1", "owner"]
    later = as_reported(MILESTONES, HISTORY, "2020-09-30").set_index("milestone_id")
    assert later.loc["M1", "completed_date"] == pd.Timestamp("2020-10-20")
    assert not later["carried_forward"].any()
    assert not_yet_reported(MILESTONES, HISTORY, "2020-06-30")["milestone_id"].tolist() == ["M4", "M5"]


def test_as_reported_edge_cases():
    assert as_reported(MILESTONES, HISTORY, "2019-12-31").empty  # before the first report
    assert as_reported(MILESTONES, pd.DataFrame(), "2020-06-30").empty
    assert as_reported(MILESTONES.iloc[:0], HISTORY, "2020-06-30").empty
    assert as_reported(None, None, "2020-06-30").empty
    assert len(not_yet_reported(MILESTONES, None, "2020-06-30")) == 5


def test_missing_quarter_is_not_removed_then_added():
    at_q2 = changes_between(reported_by(HISTORY, "2020-03-31"), reported_by(HISTORY, "2020-06-30"))
    assert "removed" not in set(at_q2["diff"]["change"])
    at_q3 = changes_between(reported_by(HISTORY, "2020-06-30"), reported_by(HISTORY, "2020-09-30"))
    assert at_q3["added"]["milestone_id"].tolist() == ["M4"]
    assert at_q3["slipped"]["milestone_id"].tolist() == ["M3", "M2"]  # 61 days, then 31
    assert at_q3["slipped"]["days_moved"].tolist() == [61, 31]
    assert at_q3["newly_completed"]["milestone_id"].tolist() == ["M1"]
    assert at_q3["status_changes"]["status_change"].tolist() == ["at risk → complete", "on track → at risk"]


def test_changes_between_agrees_with_the_single_functions():
    changes = changes_between(PREVIOUS, CURRENT)
    pd.testing.assert_frame_equal(changes["slipped"], slipped_since(PREVIOUS, CURRENT))
    pd.testing.assert_frame_equal(changes["newly_completed"], newly_completed(PREVIOUS, CURRENT))
    pd.testing.assert_frame_equal(changes["status_changes"], status_changes(PREVIOUS, CURRENT))
    assert changes["added"]["milestone_id"].tolist() == ["M8"]
    empty = changes_between(None, None)
    assert all(frame.empty for frame in empty.values())


def test_rag_comparison_flags_disagreement():
    frame = plan(("A", "W", "2020-01-01", None, None, "on track"),      # reported on track, overdue by the dates
                 ("B", "W", "2020-12-01", "2021-02-01", None, "at risk"),
                 ("C", "W", "2020-01-01", None, "2020-01-01", "complete"))
    rag = rag_comparison(frame, REPORTING)
    assert rag["derived_rag"].tolist() == [RAG_RED, RAG_AMBER, RAG_COMPLETE]
    assert rag["reported_rag"].tolist() == [RAG_GREEN, RAG_AMBER, RAG_COMPLETE]
    assert rag["rag_agrees"].tolist() == [False, True, True]
    assert set(REPORTED_AS_RAG.values()) <= {word for word, _rule in RAG_RULES}


def test_trend_points_groups_and_stops_at_completion():
    points = trend_points(HISTORY.assign(milestone_title="T " + HISTORY["milestone_id"]), "2020-09-30", "2020-06-30")
    groups = points.drop_duplicates("milestone_id").set_index("milestone_id")["trend_group"].to_dict()
    assert groups == {"M1": TREND_SLIPPED_BEFORE, "M2": TREND_SLIPPED_NOW, "M3": TREND_SLIPPED_NOW,
                      "M4": TREND_NO_FORECAST}
    assert len(points[points["milestone_id"] == "M2"]) == 2  # the missing quarter is simply absent
    # Up to the reporting date only, and the previous report decides "since".
    early = trend_points(HISTORY, "2020-06-30", "2020-03-31")
    assert early["reporting_date"].max() == pd.Timestamp("2020-06-30")
    assert early.drop_duplicates("milestone_id").set_index("milestone_id")["trend_group"].to_dict() == {
        "M1": TREND_SLIPPED_NOW, "M2": TREND_HELD, "M3": TREND_HELD}
    done = pd.concat([HISTORY, snap(("M1", "complete", "2020-10-31"), reporting_date="2020-12-31")])
    m1 = trend_points(done, "2020-12-31", "2020-09-30").query("milestone_id == 'M1'")
    assert m1["status"].tolist() == ["on track", "at risk", "complete"]  # stops at the first "complete"
    assert trend_points(pd.DataFrame(), "2020-09-30", None).empty


def test_trend_summary():
    points = trend_points(HISTORY, "2020-09-30", "2020-06-30")
    assert trend_summary(points, "2020-06-30") == (
        "4 milestones across 3 reporting dates (31 Mar 2020 to 30 Sep 2020): 2 slipped since 30 Jun 2020, "
        "1 slipped at an earlier report, 0 held their dates, 1 with no forecast reported (not drawn).")
    assert trend_summary(points.iloc[:0], None).startswith("No forecasts")


def test_trend_overview_figure_is_a_few_traces_with_gaps():
    points = trend_points(HISTORY.assign(milestone_title="<b>T</b> " + HISTORY["milestone_id"]), "2020-09-30", "2020-06-30")
    fig = trend_overview_figure(points, "2020-09-30")
    assert_titled(fig)
    names = [t.name for t in fig.data]
    assert names == [f"{TREND_SLIPPED_BEFORE} (1)", f"{TREND_SLIPPED_NOW} (2)", "Reported complete (★)",
                     "Due at reporting date (diagonal)"]
    now = fig.data[1]
    assert list(now.x) == ["2020-03-31", "2020-09-30", None, "2020-03-31", "2020-06-30", "2020-09-30", None]
    assert "&lt;b&gt;T&lt;/b&gt; M2" in now.text[0]  # titles escaped
    assert now.line.dash != fig.data[0].line.dash  # told apart by line style, not colour alone
    assert [a.text for a in fig.layout.annotations] == ["Reporting date: 30 Sep 2020"]
    assert_titled(trend_overview_figure(points.iloc[:0]))


def test_trend_overview_figure_scales():
    rows = [(f"M{i:04d}", "on track" if q < 39 else "at risk", (pd.Timestamp("2024-01-01") + pd.Timedelta(days=q * (i % 3))).date())
            for i in range(300) for q in range(40)]
    frame = pd.DataFrame(rows, columns=["milestone_id", "status", "forecast_due_date"])
    frame["reporting_date"] = [pd.Timestamp("2016-12-31") + pd.offsets.QuarterEnd(q) for _i in range(300) for q in range(40)]
    points = trend_points(frame, "2026-09-30", "2026-06-30")
    fig = trend_overview_figure(points, "2026-09-30")
    assert len(fig.data) <= 5
    assert fig.data[0].type == "scattergl"  # 12,000 points: WebGL


def test_timeline_wraps_long_labels_but_hovers_whole():
    long_title = "A very long milestone title that would otherwise take most of the width of the chart"
    frame = PLAN.assign(milestone_title=[long_title] + list(PLAN["milestone_title"].iloc[1:]))
    fig = timeline_figure(frame, REPORTING, REPORTING)
    baseline = next(t for t in fig.data if t.name == "Baseline due date")
    label = baseline.y[1][0]
    assert "<br>" in label and len(label.split("<br>")) <= 2
    assert long_title in baseline.text[0]


def test_burn_up_ticks_at_round_numbers():
    assert [_nice_step(n) for n in (1, 9, 10, 11, 31, 99, 990, 1001)] == [1, 1, 1, 2, 5, 10, 100, 200]
    fig = burn_up_figure(burn_up(PLAN))
    assert fig.layout.yaxis.dtick == 1

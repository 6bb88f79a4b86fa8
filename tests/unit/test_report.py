"""Report assembly as pure functions over hand-made frames: each section, the proposed delivery
confidence, freezing, comparison with the previous quarter and the annual report."""
import datetime as dt
import json

import pandas as pd

from monitor.report.facts import report_facts
from monitor.report.sections import ReportDate
import pytest
from monitor.periods import next_quarter, previous_quarter, programme_quarters, quarter_bounds, quarter_of
from monitor.report.annual import annual_report, financial_year_quarters, programme_financial_years
from monitor.report.audience import Audience, audience_of
from monitor.report.indicators import IMPROVEMENT, NO_DETRIMENT, indicator_section
from monitor.report.assemble import assemble_report, section
from monitor.report.charts import chart_figure, chart_table
from monitor.report.compare import compare, compare_confidence, compare_narrative, on_screen
from monitor.report.confidence import CONFIDENCE_DEFINITIONS, CONFIDENCE_LEVELS, confidence_label, propose_confidence, submission_problems
from monitor.report.delivery import key_dates_section, milestones_section, risks_section
from monitor.report.outcomes import latest_grade_facts, latest_grade_words, ofsted_section, savings_section
from monitor.report.record import annual_file_name, docx_file_name, dump_narrative, freeze, new_report_id, parse_narrative, thaw
from monitor.report.sections import live_count
from monitor.report.view import compare_rows
from monitor.tidy import read_tidy_csv, tidy_csv

Q = "2023-Q3"  # 1 Jul – 30 Sep 2023; previous quarter ends 30 Jun 2023


TODAY = dt.date(2026, 12, 4)


def facts_for(quarter: str, **frames):
    """The report's facts for these frames (the others empty), as assemble_report computes them."""
    names = ["milestones", "snapshots", "indicator_values", "inspections", "savings", "risks", "risk_snapshots",
             "key_dates"]
    return report_facts({"programme_id": "p", "programme_name": "Programme"}, at(quarter),
                        **{n: frames.get(n, pd.DataFrame()) for n in names})


def at(quarter: str) -> ReportDate:
    """The report's date for a quarter of an active programme, the day after today's pinned date."""
    return ReportDate.of({"programme_id": "p", "status": "active", "end_date": None}, quarter, TODAY)


def milestones_frame():
    return pd.DataFrame({
        "milestone_id": ["m1", "m2", "m3", "m4", "m5"],
        "workstream_id": ["w"] * 5, "workstream_name": ["Practice"] * 5,
        "milestone_title": ["Done in Q3", "Slipped in Q3", "Overdue", "Due next quarter", "Done long ago"],
        "owner": ["DCS"] * 5,
        "baseline_due_date": pd.to_datetime(["2023-08-31", "2023-09-15", "2023-06-30", "2023-11-30", "2022-01-31"]),
        "forecast_due_date": pd.to_datetime(["2023-08-31", "2023-12-15", "2023-07-31", "2023-11-30", "2022-01-31"]),
        "completed_date": pd.to_datetime(["2023-08-20", None, None, None, "2022-01-20"]),
        "status": ["complete", "at risk", "off track", "on track", "complete"],
        "source": ["illustrative"] * 5,
    })


def snapshots_frame():
    rows = []
    for m, status_before, fc_before, status_after, fc_after in [
        ("m1", "on track", "2023-08-31", "complete", "2023-08-31"),
        ("m2", "on track", "2023-09-15", "at risk", "2023-12-15"),
        ("m3", "at risk", "2023-07-31", "off track", "2023-07-31"),
        ("m4", "on track", "2023-11-30", "on track", "2023-11-30"),
        ("m5", "complete", "2022-01-31", "complete", "2022-01-31"),
    ]:
        rows.append({"milestone_id": m, "reporting_date": "2023-06-30", "status": status_before, "forecast_due_date": fc_before})
        rows.append({"milestone_id": m, "reporting_date": "2023-09-30", "status": status_after, "forecast_due_date": fc_after})
    frame = pd.DataFrame(rows)
    frame["reporting_date"] = pd.to_datetime(frame["reporting_date"])
    frame["forecast_due_date"] = pd.to_datetime(frame["forecast_due_date"])
    frame["source"] = "illustrative"
    return frame


def table(section, title):
    return next(t for t in section["tables"] if t["title"].startswith(title))


# --- quarters -------------------------------------------------------------------------------


def test_quarter_bounds_and_neighbours():
    assert quarter_bounds("2023-Q3") == (dt.date(2023, 7, 1), dt.date(2023, 9, 30))
    assert quarter_bounds("2020-Q1") == (dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    assert quarter_bounds("2019-Q4") == (dt.date(2019, 10, 1), dt.date(2019, 12, 31))
    assert previous_quarter("2020-Q1") == "2019-Q4"
    assert next_quarter("2019-Q4") == "2020-Q1"
    assert quarter_of(pd.Timestamp("2021-05-03")) == "2021-Q2"
    # A financial year's quarters: Q1 2022/23 (Apr–Jun 2022) to Q4 2022/23 (Jan–Mar 2023).
    assert financial_year_quarters("2022/23") == ["2022-Q2", "2022-Q3", "2022-Q4", "2023-Q1"]
    assert programme_financial_years(["2023-Q3", "2023-Q2", "2023-Q1", "2022-Q4"]) == ["2023/24", "2022/23"]
    with pytest.raises(ValueError):
        quarter_bounds("2023-Q5")
    with pytest.raises(ValueError):
        quarter_bounds("Q3 2023")


def test_programme_quarters_newest_first_and_capped_by_end_or_today():
    assert programme_quarters("2019-05-01", "2019-12-31", dt.date(2024, 1, 1)) == ["2019-Q4", "2019-Q3", "2019-Q2"]
    assert programme_quarters("2023-08-01", None, dt.date(2023, 11, 2)) == ["2023-Q4", "2023-Q3"]
    assert programme_quarters("2023-08-01", pd.NaT, dt.date(2023, 8, 2)) == ["2023-Q3"]


# --- milestones -----------------------------------------------------------------------------


def test_milestones_completed_slipped_overdue_and_due_next():
    sec = milestones_section(milestones_frame(), snapshots_frame(), Q, at(Q), facts_for(Q, milestones=milestones_frame(), snapshots=snapshots_frame()).milestones)
    f = sec["facts"]
    assert f["milestones_total"] == 5
    assert f["milestones_complete"] == 2
    assert f["milestones_completed_this_quarter"] == 1
    assert f["milestones_slipped"] == 1
    assert f["milestones_overdue"] == 1          # m3: due 31 Jul, off track at 30 Sep
    assert f["milestones_due_next_quarter"] == 2  # m2 (15 Dec, slipped) and m4 (30 Nov)
    assert table(sec, "Completed")["rows"] == [["Done in Q3", "Practice", "DCS", "20 Aug 2023"]]
    slipped = table(sec, "Slipped")["rows"]
    assert slipped == [["Slipped in Q3", "DCS", "15 Sep 2023", "15 Dec 2023", 91, 91]]
    assert table(sec, "Overdue")["rows"] == [["Overdue", "DCS", "31 Jul 2023", "off track", 61]]
    assert "1 slipped since 30 Jun 2023" in sec["summary"]
    assert sec["illustrative"] is True
    chart = sec["charts"][0]
    assert dict(chart["rows"])["complete"] == 2


def test_a_dropped_milestone_is_not_in_the_of_n_anywhere_in_the_section():
    """The summary line, the chart's summary and the annual report agree with the Action plan:
    "2 of 4 milestones complete (1 dropped)", never "2 of 5"."""
    frame = milestones_frame()
    frame.loc[frame["milestone_id"] == "m4", "status"] = "dropped"
    sec = milestones_section(frame, pd.DataFrame(), Q, at(Q), facts_for(Q, milestones=frame, snapshots=pd.DataFrame()).milestones)
    assert sec["facts"]["milestones_total"] == 5 and sec["facts"]["milestones_dropped"] == 1
    assert sec["summary"].startswith("2 of 4 milestones complete (1 dropped)")
    assert sec["charts"][0]["summary"].startswith("2 of 4 milestones complete at 30 Sep 2023")
    assert live_count({"milestones_total": 20, "milestones_complete": 4}) == 20  # frozen before the count was kept


def test_milestones_without_snapshots_use_the_milestone_table_as_at_the_date():
    frame = milestones_frame()
    sec = milestones_section(frame, pd.DataFrame(), "2022-Q1", at("2022-Q1"), facts_for("2022-Q1", milestones=frame, snapshots=pd.DataFrame()).milestones)
    # m1 completed in Aug 2023 is not complete at 31 Mar 2022; m5 (Jan 2022) is.
    assert sec["facts"]["milestones_complete"] == 1
    assert "as it stood (no report by then)" in sec["summary"]


def test_milestones_empty_programme():
    sec = milestones_section(pd.DataFrame(), pd.DataFrame(), Q, at(Q), facts_for(Q, milestones=pd.DataFrame(), snapshots=pd.DataFrame()).milestones)
    assert sec["facts"]["milestones_total"] == 0
    assert sec["summary"] == "No milestones recorded for this programme."


# --- indicators -----------------------------------------------------------------------------


def indicator_frame(values, improvement="decrease", baseline_end="2020-12-31", purpose="improvement",
                    council="West Sussex", source="illustrative", indicator="ind", name="Re-referrals"):
    ends = pd.date_range("2019-03-31", periods=len(values), freq="QE")
    return pd.DataFrame({
        "indicator_id": indicator, "indicator_name": name, "purpose": purpose, "ons_code": "E1",
        "authority_name": council, "unit": "%", "improvement": improvement, "baseline_period": "2019–20",
        "baseline_end_date": pd.Timestamp(baseline_end), "target_value": None,
        "period_label": [f"{d.year} Q{(d.month - 1) // 3 + 1}" for d in ends], "period_end_date": ends,
        "value": values, "source": source,
    })


def test_indicator_special_cause_of_concern_in_the_quarter():
    # Baseline of 8 steady points, then a big rise (lower is better): the latest point is a concern.
    values = [20, 21, 20, 21, 20, 21, 20, 21, 22, 23, 24, 25, 26, 27, 28, 40, 41, 42]
    frame = indicator_frame(values)
    assert frame["period_end_date"].iloc[-1] == pd.Timestamp("2023-06-30")
    sec = indicator_section(frame, "2023-Q2", at("2023-Q2"), facts_for("2023-Q2", indicator_values=frame).no_detriment)
    f = sec["facts"]
    assert f["indicators"] == 1 and f["indicators_concern"] == 1 and f["indicators_new_data"] == 1
    assert f["special_causes_in_quarter"] >= 1
    table = sec["tables"][0]
    row = dict(zip(table["columns"], table["rows"][0]))
    assert row["Value"] == "42.0%" and row["Change since last quarter"] == "+1.0" and row["Unit"] == "%"
    assert "concern" in row["Variation (SPC)"] and "▲" in row["Variation (SPC)"]
    assert row["Provenance"] == "illustrative" and sec["illustrative"] is True
    assert sec["charts"][0]["kind"] == "spc"
    # The section, its table and its chart name the council; the chart names each indicator's unit.
    assert sec["title"] == "Improvement indicators: West Sussex"
    assert table["title"].startswith("West Sussex: improvement indicators")
    assert sec["charts"][0]["council"] == "West Sussex" and sec["charts"][0]["units"] == {"Re-referrals": "%"}
    assert table["source"].startswith("Source: West Sussex's improvement indicators") and "illustrative" in table["source"]


def test_indicator_values_after_the_quarter_are_ignored():
    values = [20, 21, 20, 21, 20, 21, 20, 21, 22, 23, 24, 25, 26, 27, 28, 40, 41, 42]
    sec = indicator_section(indicator_frame(values), "2022-Q2", at("2022-Q2"), facts_for("2022-Q2", indicator_values=indicator_frame(values)).no_detriment)  # only points to 30 Jun 2022
    row = sec["tables"][0]["rows"][0]
    assert row[3] == "27.0%"  # the 14th quarter, 30 Jun 2022
    assert all(r[1] <= "2022-06-30" for r in sec["charts"][0]["rows"])


def test_indicator_with_no_data_by_the_quarter_end():
    sec = indicator_section(indicator_frame([20.0, 21.0]), "2018-Q1", at("2018-Q1"), facts_for("2018-Q1", indicator_values=indicator_frame([20.0, 21.0])).no_detriment)
    assert sec["tables"][0]["rows"][0][2] == "no data by the quarter end"
    assert sec["charts"] == []


def test_improvement_and_no_detriment_indicators_are_separate_sections_each_naming_its_council():
    """The supported council's improvement indicators and the lending council's no-detriment
    indicators never share a section, a table or a chart; "illustrative" marks only the section
    whose figures are illustrative; the no-detriment verdict is monitor.no_detriment.facts'."""
    steady = [20, 21, 20, 21, 20, 21, 20, 21, 22, 23, 24, 25, 26, 27, 28, 40, 41, 42]
    frame = pd.concat([indicator_frame(steady, council="West Sussex", indicator="wsx"),
                       indicator_frame(steady, purpose="no_detriment", council="Hampshire", source="dfe_c1.csv",
                                       indicator="hants", name="Re-referrals (Hampshire)")], ignore_index=True)
    facts = facts_for("2023-Q2", indicator_values=frame)
    improvement = indicator_section(frame, "2023-Q2", at("2023-Q2"), facts.no_detriment, IMPROVEMENT)
    lending = indicator_section(frame, "2023-Q2", at("2023-Q2"), facts.no_detriment, NO_DETRIMENT)
    assert (improvement["key"], lending["key"]) == ("indicators", "no_detriment")
    assert [r[0] for r in improvement["tables"][0]["rows"]] == ["Re-referrals"]
    assert [r[0] for r in lending["tables"][0]["rows"]] == ["Re-referrals (Hampshire)"]
    assert {r[0] for r in lending["charts"][0]["rows"]} == {"Re-referrals (Hampshire)"}
    assert lending["title"] == "No-detriment indicators: Hampshire" and lending["charts"][0]["council"] == "Hampshire"
    assert improvement["illustrative"] is True and lending["illustrative"] is False
    verdict = dict(zip(lending["tables"][0]["columns"], lending["tables"][0]["rows"][0]))["No-detriment verdict"]
    assert verdict == facts.no_detriment.indicators[0].word
    assert lending["facts"]["no_detriment_concerns"] == facts.no_detriment.concerns
    assert lending["facts"]["no_detriment_verdict"] == facts.no_detriment.sentence()
    # The proposal reads the supported council's evidence only: Hampshire's concern adds nothing.
    figures = assemble_report({"programme_id": "p", "programme_name": "Programme", "kind": "DfE commission"}, "2023-Q2",
                              today=TODAY, milestones=pd.DataFrame(), snapshots=pd.DataFrame(),
                              indicator_values=frame.loc[frame["purpose"] == "no_detriment"], inspections=pd.DataFrame(),
                              directions=pd.DataFrame(), savings=pd.DataFrame(), risks=pd.DataFrame(),
                              risk_snapshots=pd.DataFrame(), key_dates=pd.DataFrame())
    assert section(figures, "no_detriment")["facts"]["no_detriment_indicators"] == 1
    assert figures["proposed_confidence"]["level"] == "Green"


# --- Ofsted ---------------------------------------------------------------------------------


def test_ofsted_activity_and_directions_in_the_quarter():
    inspections = pd.DataFrame({
        "inspection_id": ["i1", "i2", "i3"], "ons_code": ["E1"] * 3, "authority_name": ["West Sussex"] * 3,
        "framework": ["ILACS"] * 3, "inspection_type": ["Standard inspection", "Focused visit", "Monitoring visit"],
        "kind": ["full inspection", "focused visit", "monitoring visit"],
        "inspection_date": pd.to_datetime(["2023-03-13", "2023-08-01", "2024-01-10"]),
        "published_date": pd.to_datetime(["2023-05-11", "2023-09-05", "2024-02-01"]),
        "visit_theme": [None, "Care leavers", None], "web_link": [None] * 3,
        "overall_grade": ["Requires improvement to be good", None, None], "source": ["ofsted.csv"] * 3,
    })
    directions = pd.DataFrame({"direction_id": ["d1"], "ons_code": ["E1"], "authority_name": ["West Sussex"],
                               "direction_date": pd.to_datetime(["2023-07-01"]), "action": ["lifted"],
                               "summary": ["Direction lifted"], "source": ["DfE"]})
    sec = ofsted_section(inspections, directions, Q, at(Q), facts_for(Q, inspections=inspections).ofsted)
    assert sec["facts"]["ofsted_events_in_quarter"] == 1
    assert sec["facts"]["directions_in_quarter"] == 1
    assert sec["facts"]["latest_overall_grade"] == "Requires improvement to be good"  # grade, council, date apart
    assert sec["facts"]["latest_overall_grade_council"] == "West Sussex"
    assert sec["facts"]["latest_overall_grade_date"] == "2023-03-13"
    assert "latest overall grade: Requires improvement to be good (13 Mar 2023, West Sussex)" in sec["summary"]
    assert table(sec, "Ofsted")["rows"][0][3] == "inspected and published"
    assert table(sec, "DfE statutory direction")["rows"] == [["1 Jul 2023", "West Sussex", "lifted", "Direction lifted", "yes"]]
    assert sec["title"] == "Ofsted and DfE activity"
    board = ofsted_section(inspections, directions, Q, at(Q), facts_for(Q, inspections=inspections).ofsted, dfe=False)
    assert board["title"] == "Ofsted activity" and len(board["tables"]) == 1
    assert "DfE" not in board["summary"] + str(board["facts"]) + str(board["tables"])
    q2 = ofsted_section(inspections, directions, "2023-Q2", at("2023-Q2"), facts_for("2023-Q2", inspections=inspections).ofsted)
    assert table(q2, "Ofsted")["rows"][0][3] == "report published"


# --- savings --------------------------------------------------------------------------------


def test_savings_for_the_year_and_to_date():
    savings = pd.DataFrame({"financial_year": ["2021/22", "2022/23", "2023/24", "2024/25"],
                            "planned_gbp": [100_000.0, 200_000.0, 300_000.0, 300_000.0],
                            "forecast_gbp": [90_000.0, 150_000.0, 250_000.0, 300_000.0],
                            "delivered_gbp": [90_000.0, 150_000.0, None, None],
                            "source": ["illustrative"] * 4})
    sec = savings_section(savings, Q, at(Q), facts_for(Q, savings=savings).savings)  # 30 Sep 2023 → 2023/24
    f = sec["facts"]
    assert f["savings_year"] == "2023/24"
    assert f["savings_planned_year"] == 300_000 and f["savings_delivered_year"] is None
    assert f["savings_planned_to_date"] == 300_000 and f["savings_delivered_to_date"] == 240_000
    assert f["savings_delivery_pct"] == 80.0
    assert [r[0] for r in sec["tables"][0]["rows"]] == ["2021/22", "2022/23", "2023/24"]
    assert sec["tables"][0]["rows"][0] == ["2021/22", "£100,000", "£90,000", "£90,000", "90%"]
    assert "nothing delivered" in sec["summary"]
    assert sec["illustrative"]


# --- risks ----------------------------------------------------------------------------------


def test_risks_top_and_movement_since_last_quarter():
    risks = pd.DataFrame({"risk_id": ["r1", "r2", "r3", "r4"], "description": ["Workforce", "Funding", "Old", "New"],
                          "category": ["x"] * 4, "owner": ["DCS", "S151", "DCS", "CEX"],
                          "likelihood": [4, 2, 1, 3], "impact": [5, 3, 1, 3], "mitigation": [None] * 4,
                          "status": ["open", "open", "closed", "open"],
                          "raised_date": pd.to_datetime(["2020-01-01"] * 3 + ["2023-08-01"]),
                          "closed_date": pd.to_datetime([None, None, "2023-08-01", None]), "source": ["illustrative"] * 4})
    snaps = pd.DataFrame({"risk_id": ["r1", "r2", "r3", "r1", "r2", "r3", "r4"],
                          "reporting_date": pd.to_datetime(["2023-06-30"] * 3 + ["2023-09-30"] * 4),
                          "likelihood": [3, 2, 1, 4, 2, 1, 3], "impact": [5, 3, 1, 5, 3, 1, 3],
                          "status": ["open", "open", "open", "open", "open", "closed", "open"], "source": "x"})
    sec = risks_section(risks, snaps, Q, at(Q), facts_for(Q, risks=risks, risk_snapshots=snaps).risks)
    f = sec["facts"]
    assert f["risks_open"] == 3 and f["risks_very_high"] == 1 and f["risks_high"] == 1
    assert (f["risks_up"], f["risks_new"], f["risks_closed"], f["risks_down"]) == (1, 1, 1, 0)
    top = table(sec, "Top open risks")["rows"]
    assert top[0] == ["Workforce", "DCS", 4, 5, "20 (Very high)", "▲ up"]
    changes = {r[0]: r[1] for r in table(sec, "Changes")["rows"]}
    assert changes == {"Workforce": "▲ up", "Old": "closed", "New": "new"}


def test_risks_already_closed_are_not_reported_closed_again():
    risks = pd.DataFrame({"risk_id": ["r1"], "description": ["Gone"], "category": ["x"], "owner": ["o"],
                          "likelihood": [2], "impact": [2], "mitigation": [None], "status": ["closed"],
                          "raised_date": pd.to_datetime(["2020-01-01"]), "closed_date": pd.to_datetime(["2021-01-01"]),
                          "source": ["x"]})
    sec = risks_section(risks, pd.DataFrame(), Q, at(Q), facts_for(Q, risks=risks, risk_snapshots=pd.DataFrame()).risks)
    assert sec["facts"]["risks_closed"] == 0 and sec["facts"]["risks_open"] == 0


# --- key dates ------------------------------------------------------------------------------


def test_key_dates_ahead_with_notice_deadline():
    kd = pd.DataFrame({"key_date_id": ["k1", "k2", "k3", "k4"],
                       "due_date": pd.to_datetime(["2023-09-30", "2023-10-31", "2024-03-31", "2024-04-01"]),
                       "kind": ["board", "DfE report due", "break clause", "review"],
                       "title": ["Board", "Q3 report", "Break", "Too late"],
                       "notice_period_months": [None, None, 6, None], "source": ["illustrative"] * 4})
    sec = key_dates_section(kd, Q)
    rows = sec["tables"][0]["rows"]
    assert [r[2] for r in rows] == ["Q3 report", "Break"]
    assert rows[1][3] == "give notice by 30 Sep 2023"
    assert sec["facts"] == {"key_dates_ahead": 2, "next_dfe_report_due": "31 Oct 2023", "meeting_date": "2023-10-31",
                            "meeting_illustrative": True}
    board = key_dates_section(kd, "2023-Q2", meeting_kind="board", audience="the Joint Leaders' Board")
    assert board["facts"]["next_board_meeting"] == "30 Sep 2023"
    assert board["summary"].endswith("next meeting of the Joint Leaders' Board: 30 Sep 2023.")


# --- delivery confidence --------------------------------------------------------------------


@pytest.mark.parametrize("facts, level", [
    ({}, "Green"),
    ({"milestones": {"milestones_overdue": 1, "milestones_due_by_reporting_date": 10}}, "Amber/Green"),
    ({"milestones": {"milestones_overdue": 3, "milestones_due_by_reporting_date": 10}}, "Amber"),
    ({"milestones": {"milestones_overdue": 3, "milestones_due_by_reporting_date": 10, "milestones_slipped": 4},
      "indicators": {"indicators_concern": 2}}, "Amber/Red"),
    ({"milestones": {"milestones_overdue": 3, "milestones_due_by_reporting_date": 10, "milestones_slipped": 4},
      "indicators": {"indicators_concern": 2}, "risks": {"risks_very_high": 1}, "savings": {"savings_delivery_pct": 50}},
     "Red"),
])
def test_proposed_confidence_levels(facts, level):
    proposed = propose_confidence(facts)
    assert proposed["level"] == level
    assert proposed["reasons"]


def test_every_level_has_a_definition_and_a_symbol():
    assert CONFIDENCE_LEVELS == ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")
    for level in CONFIDENCE_LEVELS:
        assert len(CONFIDENCE_DEFINITIONS[level]) > 50
        assert confidence_label(level).endswith(level) and confidence_label(level) != level
    assert confidence_label(None) == ""


def test_submission_needs_a_level_and_a_reason():
    assert len(submission_problems(None, "")) == 2
    assert submission_problems("Amber", "  ") == ["Give the reason for the delivery confidence; it is kept with the report."]
    assert submission_problems("Amber", "Because") == []


# --- the whole report, freezing, comparison --------------------------------------------------


RISING = [20, 21, 20, 21, 20, 21, 20, 21, 22, 23, 24, 25, 26, 27, 28, 40, 41, 42, 43]
DFE_AUDIENCE = {"audience": "DfE", "report_to": "Department for Education", "author_role": "commissioner",
                "author_title": "DfE Commissioner", "annual_to": "Hampshire County Council Cabinet",
                "annual_ons_code": "E10000014", "annual_council_name": "Hampshire", "source": "001 §1, para 8, 9"}
BOARD_AUDIENCE = {"audience": "board", "report_to": "Joint Leaders' Board", "author_role": "programme officer",
                  "author_title": "Programme lead", "source": "002 §12–13 (author illustrative)"}


def whole(quarter=Q, kind="DfE commission", audience=None):
    """A whole report: the supported council's improvement indicator (illustrative) and the lending
    council's no-detriment indicator (published), for a DfE commission unless said otherwise."""
    indicators = pd.concat([indicator_frame(RISING, council="West Sussex", indicator="wsx", name="Assessments late"),
                            indicator_frame(RISING, purpose="no_detriment", council="Hampshire", source="dfe_c1.csv",
                                            indicator="hants", name="Re-referrals")], ignore_index=True)
    row = audience or (DFE_AUDIENCE if kind == "DfE commission" else BOARD_AUDIENCE)
    return assemble_report({"programme_id": "p", "programme_name": "Programme", "kind": kind}, quarter, today=TODAY,
                           milestones=milestones_frame(), snapshots=snapshots_frame(), indicator_values=indicators,
                           inspections=pd.DataFrame(), directions=pd.DataFrame(), savings=pd.DataFrame(),
                           risks=pd.DataFrame(), risk_snapshots=pd.DataFrame(), key_dates=pd.DataFrame(),
                           assembled_at=dt.datetime(2023, 10, 5, 9, 30), audience=audience_of(kind, row))


def test_assembled_report_has_every_section_and_freezes_losslessly():
    figures = whole()
    assert [s["key"] for s in figures["sections"]] == ["milestones", "indicators", "no_detriment", "ofsted", "savings",
                                                       "risks", "key_dates"]
    assert figures["reporting_date"] == "2023-09-30" and figures["previous_quarter"] == "2023-Q2"
    assert figures["council_quarter"] == "Q2 2023/24"
    assert figures["title"] == "Commissioner's quarterly report to the Department for Education: Q2 2023/24"
    assert figures["illustrative"] is True
    # Every table and chart carries its source note.
    for sec in figures["sections"]:
        for item in sec["tables"] + sec["charts"]:
            assert item["source"].startswith("Source: "), (sec["key"], item["title"])
    text = freeze(figures)
    assert thaw(text) == json.loads(text) == figures
    assert freeze(figures) == text  # stable


def test_a_board_programme_reports_to_its_board_in_its_own_words():
    figures = whole(kind="MOU collaboration")
    assert figures["title"] == "Quarterly progress report to the Joint Leaders' Board: Q2 2023/24"
    assert "DfE" not in json.dumps(figures)
    audience = Audience.from_dict(figures["audience"])
    assert audience.submit_label == "Submit to the Joint Leaders' Board"
    assert audience.confidence_label == "Programme lead's delivery confidence"
    assert audience.author_role == "programme officer"
    assert audience.source_line().endswith("the author are illustrative.")
    dfe = Audience.from_dict(whole()["audience"])
    assert (dfe.submit_label, dfe.confidence_label) == ("Submit to DfE", "Commissioner's delivery confidence")
    # Without a row of its own, a programme gets its kind's audience (and its kind's author).
    assert audience_of("strategic alliance", None).author_role == "programme officer"
    assert audience_of("DfE commission", None).report_to == "Department for Education"


def test_legacy_frozen_figures_come_back_as_milestone_counts():
    legacy = thaw('{"milestones_total": 20, "milestones_complete": 4}')
    assert legacy["legacy"] is True
    assert section(legacy, "milestones")["facts"] == {"milestones_total": 20, "milestones_complete": 4}
    assert thaw(None) is None and thaw("") is None


def test_narrative_round_trip_keeps_report_order_and_drops_empty_boxes():
    text = dump_narrative({"risks": "Workforce", "summary": " Good quarter ", "ofsted": ""})
    assert list(json.loads(text)) == ["summary", "risks"]
    assert parse_narrative(text) == {"summary": "Good quarter", "risks": "Workforce"}
    assert parse_narrative(None) == {}


def test_compare_with_previous_quarter():
    now, before = whole("2023-Q3"), whole("2023-Q2")
    rows = compare(now, before)
    by = {(r["section"], r["figure"]): r for r in rows}
    done = by[("Milestones", "Milestones complete")]
    assert (done["previous"], done["current"], done["unit"], done["change"], done["direction"]) == (1, 2, "count", 1, "better")
    shown = {(r["section"], r["figure"]): r for r in on_screen(rows)}  # the page's friendly form
    assert [shown[("Milestones", "Milestones complete")][k] for k in ("previous", "current", "change")] == ["1", "2", "▲ +1"]
    assert by[("Milestones", "Milestones in the plan")]["direction"] == "no change"
    assert compare(now, None)[0]["direction"] == "new"
    conf = compare_confidence({"proposed_confidence": "Amber", "confidence": "Amber", "council_confidence": None},
                                {"proposed_confidence": "Red", "confidence": "Amber", "council_confidence": "Green"})
    assert [c["direction"] for c in conf] == ["better", "no change", "not set"]
    assert [c["change"] for c in on_screen(conf)] == ["▲ better", "no change", "not set"]


def _with_facts(key: str, facts: dict) -> dict:
    return {"sections": [{"key": key, "title": key.capitalize(), "facts": facts}]}


def test_the_comparison_downloads_as_tidy_data():
    previous = {"sections": [
        {"key": "savings", "title": "Savings", "facts": {"savings_year": "2023/24", "savings_planned_year": 10_000.0,
                                                         "savings_delivery_pct": 80.0, "savings_delivered_year": None}},
        {"key": "risks", "title": "Risks", "facts": {"risks_open": 7, "risks_high": 3}}]}
    current = {"sections": [
        {"key": "savings", "title": "Savings", "facts": {"savings_year": "2023/24", "savings_planned_year": 12_500.5,
                                                         "savings_delivery_pct": 72.5, "savings_delivered_year": 9_000.0}},
        {"key": "risks", "title": "Risks", "facts": {"risks_open": 9, "risks_high": 1}}]}
    shown, tidy = compare_rows(current, {"confidence": "Green"}, "Amber", {"confidence": "Amber"}, previous)
    assert "£10,000" in shown["Previous"].tolist() and "▲ +2" in shown["Change"].tolist()
    back = read_tidy_csv(tidy_csv(tidy, source="two reports", as_at=dt.date(2023, 12, 31)))
    assert list(back.columns) == ["Section", "Figure", "Previous", "Current", "Unit", "Change", "Change in words"]
    row = back.set_index("Figure")
    planned = row.loc["Savings planned (year)"]
    assert (float(planned["Previous"]), float(planned["Current"]), planned["Unit"]) == (10_000, 12_500.5, "GBP")
    assert planned["Change"] == 2_500.5 and planned["Change in words"] == "higher"
    pct = row.loc["Savings delivered as % of plan"]
    assert (pct["Unit"], pct["Change"], pct["Change in words"]) == ("%", -7.5, "worse")
    assert (row.loc["Open risks scoring 10+", "Change"], row.loc["Open risks scoring 10+", "Change in words"]) == (-2, "better")
    assert row.loc["Savings delivered (year)", "Change in words"] == "new"
    assert pd.isna(row.loc["Financial year", "Unit"]) and row.loc["Financial year", "Change in words"] == "no change"
    assert row.loc["Commissioner's assessment", "Change in words"] == "better"
    text = tidy_csv(tidy, source="two reports", as_at=dt.date(2023, 12, 31)).decode("utf-8-sig")
    assert "£" not in text and "▲" not in text and "7.0," not in text and ",2.0," not in text


def test_an_old_frozen_record_with_the_grade_joined_still_compares():
    old = _with_facts("ofsted", {"ofsted_events_in_quarter": 1,
                                 "latest_overall_grade": "Requires improvement to be good (13 Mar 2023, West Sussex)"})
    new = _with_facts("ofsted", {"ofsted_events_in_quarter": 0, "latest_overall_grade": "Good",
                                 "latest_overall_grade_council": "West Sussex", "latest_overall_grade_date": "2024-06-20"})
    assert latest_grade_facts(old["sections"][0]["facts"]) == {
        "latest_overall_grade": "Requires improvement to be good", "latest_overall_grade_council": "West Sussex",
        "latest_overall_grade_date": "2023-03-13"}
    assert latest_grade_words(new["sections"][0]["facts"]) == "Good (20 Jun 2024, West Sussex)"
    assert latest_grade_words({"latest_overall_grade": "none published"}) == "none published"
    frozen = json.dumps(old)
    by = {r["figure"]: r for r in compare(new, old)}
    assert json.dumps(old) == frozen  # the record is read, never rewritten
    grade = by["Latest Ofsted overall grade"]
    assert (grade["previous"], grade["current"], grade["direction"]) == ("Requires improvement to be good", "Good", "better")
    assert by["Latest Ofsted overall grade: council"]["direction"] == "no change"
    assert (by["Latest Ofsted overall grade: inspection date"]["previous"],
            by["Latest Ofsted overall grade: inspection date"]["current"]) == ("2023-03-13", "2024-06-20")
    both_old = {r["figure"]: r for r in compare(old, old)}
    assert both_old["Latest Ofsted overall grade"]["direction"] == "no change"


def test_compare_narrative_statuses():
    rows = compare_narrative({"summary": "New words", "risks": "Same", "ofsted": "Added"},
                               {"summary": "Old words", "risks": "Same", "savings": "Gone"})
    assert {r["section"]: r["status"] for r in rows} == {
        "Summary and delivery confidence": "rewritten", "Ofsted and DfE activity": "new",
        "Savings against plan": "removed", "Risks": "unchanged"}


def test_annual_report_by_financial_year_opens_with_the_partners_own_no_detriment_position():
    year = "2022/23"
    quarters = [whole(q) for q in financial_year_quarters(year)]
    records = [None, None, {"status": "submitted", "confidence": "Amber", "confidence_reason": "r",
                            "narrative_json": '{"summary": "Q3 summary"}'},
               {"status": "draft", "confidence": None, "narrative_json": "{}"}]
    audience = audience_of("DfE commission", DFE_AUDIENCE).to_dict()
    annual = annual_report(year, quarters, records, audience)
    assert annual["kind"] == "annual" and annual["financial_year"] == year
    assert annual["council_quarters"] == ["Q1 2022/23", "Q2 2022/23", "Q3 2022/23", "Q4 2022/23"]
    assert (annual["period_start"], annual["reporting_date"]) == ("2022-04-01", "2023-03-31")
    assert annual["draft"] is True  # two quarters were never submitted
    first = annual["sections"][0]
    assert first["key"] == "no_detriment" and first["title"].startswith("No detriment to Hampshire: position at 31 Mar 2023")
    assert first["facts"]["no_detriment_verdict"] == section(quarters[-1], "no_detriment")["facts"]["no_detriment_verdict"]
    conf = section(annual, "summary")["tables"][0]["rows"]
    assert [r[0] for r in conf] == annual["council_quarters"]
    assert conf[2][1] == "submitted" and conf[2][3].endswith("Amber") and conf[0][1] == "no report"
    assert section(annual, "summary")["tables"][1]["rows"][2] == ["Q3 2022/23", "Q3 summary"]
    ms = section(annual, "milestones")
    assert ms["facts"]["milestones_completed_in_year"] == sum(
        section(q, "milestones")["facts"]["milestones_completed_this_quarter"] for q in quarters)
    assert {s["key"] for s in annual["sections"]} >= {"summary", "milestones", "indicators", "ofsted", "savings", "risks"}
    json.loads(freeze(annual))
    by_quarter = ms["tables"][0]
    assert by_quarter["columns"][-1] == "In the plan (not dropped)"
    assert by_quarter["rows"][-1][-1] == live_count(section(quarters[-1], "milestones")["facts"])
    completed = ms["facts"]["milestones_completed_in_year"]
    assert ms["summary"].startswith(f"{completed} milestone{'' if completed == 1 else 's'} completed and ")
    for sec in annual["sections"]:
        for item in sec["tables"] + sec["charts"]:
            assert str(item.get("source", "")).startswith("Source: "), (sec["key"], item["title"])


def test_file_names_say_programme_quarter_and_status():
    assert docx_file_name("hampshire-west-sussex", "2023-Q3", "draft", 1) == \
        "quarterly-report_hampshire-west-sussex_2023-Q3_draft-v1.docx"
    assert docx_file_name("p", "2023-Q3", "submitted", 2).endswith("_2023-Q3_submitted-v2.docx")
    assert annual_file_name("p", "2022-Q4", "2023-Q3") == "annual-report_p_2022-Q4-to-2023-Q3.docx"
    assert new_report_id("p", "2023-Q3", 2) == "p-2023-Q3-v2"


def test_small_counts_are_ticked_in_whole_numbers_on_screen():
    chart = {"kind": "bar", "title": "Milestones completed and slipped each quarter", "x_title": "Quarter",
             "y_title": "Milestones", "columns": ["Quarter", "Completed", "Slipped"],
             "rows": [["2022-Q4", 0, 0], ["2023-Q1", 1, 1], ["2023-Q2", 0, 1]]}
    assert chart_figure(chart).layout.yaxis.dtick == 1
    pounds = dict(chart, rows=[["2022/23", 310_000, 300_000]])
    assert chart_figure(pounds).layout.yaxis.dtick is None  # Plotly's own steps for large figures


def test_chart_figures_have_titles_and_axis_titles():
    figures = whole()
    charts = [c for s in figures["sections"] for c in s["charts"]]
    assert {c["kind"] for c in charts} == {"bar", "spc"}
    for chart in charts:
        fig = chart_figure(chart)
        assert fig.layout.title.text == chart["title"]
        assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
        table = chart_table(chart)
        assert list(table.columns)[:len(chart["columns"])] == chart["columns"]
        if chart.get("money") or chart.get("units"):  # the unit of the values beside them
            assert list(table.columns)[-1] == "Unit" and table["Unit"].ne("").any()


def test_a_submission_freezes_the_figures_who_when_and_the_word_files_hash():
    from monitor.report.docx import build_docx
    from monitor.report.submission import SUBMISSION_COLUMNS, first_row, form_values, submission
    import hashlib
    figures = whole()
    values = form_values({"n_summary": " Done. ", "n_risks": "", "confidence": "Amber", "reason": " Because ",
                          "council": None, "council_reason": "  "}, ["summary", "risks"], "Green")
    assert values == {"narrative_json": '{"summary": "Done."}', "confidence": "Amber", "confidence_reason": "Because",
                      "council_confidence": None, "council_confidence_reason": None, "proposed_confidence": "Green"}
    row = first_row("p", "2023-Q3", "A. Person", "West Sussex paper 1")
    assert (row["report_id"], row["status"], row["version"]) == ("p-2023-Q3-v1", "draft", 1)
    done = submission(row, values, figures, email="a@x.gov.uk", name="A. Person", role="commissioner",
                      now=dt.datetime(2023, 10, 20, 10, 0, 5, 123))
    assert set(SUBMISSION_COLUMNS) <= set(done) and done["submitted_at"] == dt.datetime(2023, 10, 20, 10, 0, 5)
    assert thaw(done["figures_json"]) == figures
    # The hash is the Word file's as the stored row will render it.
    assert done["docx_sha256"] == hashlib.sha256(build_docx(figures, {**row, **done})).hexdigest()


def test_a_save_is_one_write_and_a_correction_a_new_draft_that_names_what_it_corrects():
    from monitor.report.submission import correction, first_row, next_version, save_changes

    row = first_row("p", "2023-Q3", "A. Person", "001 para 2")
    values = {"narrative_json": '{"summary": "Done."}', "status": "submitted", "figures_json": "{}"}
    first = save_changes(row, values, None, submit=True, programme_id="p")
    assert [c.action for c in first] == ["insert", "update"] and "figures_json" not in first[0].values
    assert first[0].values["status"] == "draft"  # a report arrives as a draft, then is submitted
    later = save_changes(row, values, {"row_version": 3}, submit=False, programme_id="p")
    assert [(c.action, c.expected_version) for c in later] == [("update", 3)]
    seen = {**row, "status": "submitted", "confidence": "Amber", "narrative_json": '{"summary": "Done."}'}
    fix = correction(seen, version=next_version([1]), author="B. Person", proposed="Green")
    assert fix.key == {"report_id": "p-2023-Q3-v2"}
    assert (fix.values["corrects_report_id"], fix.values["status"], fix.values["confidence"]) == ("p-2023-Q3-v1",
                                                                                                 "draft", "Amber")

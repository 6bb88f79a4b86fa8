"""monitor.no_detriment on hand-made frames: baselines, verdicts, sentences, the neighbour and
England comparison, and the charts and tables the page draws."""
from __future__ import annotations

import datetime as dt

import math

import numpy as np
import pandas as pd
import pytest
from monitor.no_detriment.charts import context_figure, xmr_figure
from monitor.no_detriment.context import compare_with_neighbours, context_series
from monitor.no_detriment.assessment import assess, headline
from monitor.no_detriment.tables import SUMMARY_COLUMNS, chart_table, context_table, summary_table, year_labels
from monitor.no_detriment.verdicts import baseline_rows, verdict_of
from monitor.no_detriment.wording import format_change, format_value, legend, list_labels, period_word
from monitor.no_detriment.spc_icons import MDC_COLOURS

NAN = float("nan")


def indicator(values, *, improvement="decrease", baseline_years=7, first_year=2013, annual_cin=True,
              target=None, tolerance=None, name="Re-referral rate", unit="%", council="Hampshire"):
    """One indicator's rows as the query returns them: annual periods ending 31 March (CIN style)
    or 30 September (workforce style); the baseline ends with year first_year + baseline_years - 1."""
    years = [first_year + i for i in range(len(values))]
    if annual_cin:
        ends = [pd.Timestamp(y, 3, 31) for y in years]
        labels = [f"{y - 1}-{str(y)[2:]}" for y in years]
        baseline_end = pd.Timestamp(first_year + baseline_years - 1, 3, 31)
    else:
        ends = [pd.Timestamp(y, 9, 30) for y in years]
        labels = [f"Sep {y}" for y in years]
        baseline_end = pd.Timestamp(first_year + baseline_years - 1, 9, 30)
    return pd.DataFrame({
        "indicator_id": "ind-1", "indicator_name": name, "authority_name": council, "unit": unit,
        "improvement": improvement, "baseline_period": f"{first_year}–{first_year + baseline_years - 1}",
        "baseline_end_date": baseline_end, "target_value": target, "tolerance_value": tolerance,
        "period_label": labels, "period_end_date": ends, "value": values,
        "note": [("DfE suppression marker 'u' (not published)" if v is None or (isinstance(v, float) and math.isnan(v))
                  else None) for v in values],
        "source": "dfe_c1_file.csv",
    })


STEADY = [20.0, 22.0] * 3 + [20.0]  # 7 baseline years, mean 20.857, every moving range 2


# --------------------------------------------------------------------------- baseline


def test_baseline_is_every_period_up_to_the_baseline_end_date():
    assert baseline_rows(indicator(STEADY + [21.0, 20.0])) == 7


def test_baseline_without_end_date_is_the_whole_series():
    frame = indicator(STEADY + [21.0]).assign(baseline_end_date=pd.NaT)
    assert baseline_rows(frame) == 8


def test_baseline_has_at_least_two_points_and_at_most_all():
    early = indicator([20.0, 21.0, 22.0, 25.0]).assign(baseline_end_date=pd.Timestamp(2000, 1, 1))
    assert baseline_rows(early) == 2
    late = indicator([20.0, 21.0, 22.0]).assign(baseline_end_date=pd.Timestamp(2099, 1, 1))
    assert baseline_rows(late) == 3


def test_limits_come_from_the_baseline_only():
    a = assess(indicator(STEADY + [40.0, 41.0]))
    assert a.n_baseline == 7
    assert a.baseline_mean == pytest.approx(np.mean(STEADY))
    assert a.frame["upper_limit"].iloc[-1] == pytest.approx(np.mean(STEADY) + 2.66 * 2)
    assert list(a.frame["in_baseline"]) == [True] * 7 + [False] * 2


# --------------------------------------------------------------------------- sentences (verdicts: test_no_detriment_verdicts.py)


def test_a_concern_now_names_the_latest_point_and_the_rule():
    a = assess(indicator(STEADY + [21.0, 40.0]))
    assert a.verdict == "concern_now"
    assert a.verdict_label == "◆ Concern now"
    assert a.sentence.startswith("Re-referral rate: concern now — latest 2020-21 40.0%: above the upper process "
                                 "limit (26.2%) in 2020-21; against the 2013–2019 baseline")


def test_the_same_point_is_an_improvement_when_higher_is_better():
    a = assess(indicator(STEADY + [21.0, 40.0], improvement="increase"))
    assert a.verdict == "improved"
    assert a.sentence.startswith("Re-referral rate: improved — above the upper process limit (26.2%) in 2020-21; "
                                 "latest 2020-21 40.0%, a special cause of improvement")


def test_common_cause_only_reads_no_significant_change():
    a = assess(indicator(STEADY + [21.0, 20.0, 22.0]))
    assert a.verdict == "no_change"
    assert a.variation == "common_cause"
    assert ("no significant change — all 3 years since the partnership began within the process limits, with no "
            "run or trend (common cause variation), against the 2013–2019 baseline; latest 2021-22 22.0%") in a.sentence


def test_a_special_cause_inside_the_baseline_does_not_count():
    # A shift of 7 high points inside a 9-point baseline, then ordinary years.
    values = [30.0, 31.0, 30.0, 31.0, 30.0, 31.0, 30.0, 10.0, 11.0, 21.0, 22.0]
    a = assess(indicator(values, baseline_years=9))
    assert (a.frame.loc[a.frame["in_baseline"], "point_type"] != "common_cause").any()
    assert a.verdict == "no_change"


def test_a_rising_trend_since_the_partnership_is_named_as_such():
    values = STEADY + [20.5, 21.0, 21.5, 22.0, 22.5, 23.0, 23.5]
    a = assess(indicator(values, tolerance=None))
    assert a.verdict == "concern_now"
    assert "years in a row each higher than the one before" in a.sentence


def test_a_run_above_the_average_is_named_with_its_periods():
    values = STEADY + [22.0, 21.5, 22.0, 21.5, 22.0, 21.5, 22.0]
    a = assess(indicator(values))
    assert a.verdict == "concern_now"
    assert "7 years in a row above the baseline average (2019-20 to 2025-26)" in a.sentence


def test_concern_then_recovery_says_when_and_what_the_latest_point_is():
    a = assess(indicator(STEADY + [40.0, 21.0]))
    assert a.verdict == "earlier_concern"
    assert a.verdict_label == "◇ Earlier concern, since recovered"
    assert ("earlier concern, since recovered — above the upper process limit (26.2%) in 2019-20, back within "
            "limits since 2020-21; latest 2020-21 21.0%, within the expected variation") in a.sentence


def test_no_points_after_the_baseline_is_no_data():
    a = assess(indicator(STEADY))
    assert a.verdict == "no_data"
    assert a.verdict_word == "No data since the partnership began"
    assert a.variation is None and a.assurance is None
    assert "no data since the partnership began — no published figures since the partnership began" in a.sentence


def test_fewer_than_three_values_is_no_data():
    assert assess(indicator([20.0, 30.0], baseline_years=1)).verdict == "no_data"
    assert verdict_of(indicator([20.0, 30.0], baseline_years=1)) == "no_data"


def test_an_indicator_without_observations_is_no_data():
    empty = indicator([20.0]).assign(period_end_date=pd.NaT, value=NAN, period_label=None)
    a = assess(empty)
    assert a.verdict == "no_data" and len(a.frame) == 0


def test_neutral_direction_never_reads_concern():
    a = assess(indicator(STEADY + [21.0, 40.0], improvement="neutral"))
    assert a.verdict == "no_change"
    assert "special cause variation, neither better nor worse by definition" in a.sentence
    assert a.variation == "special_cause_neutral_high"


def test_short_baselines_are_provisional_and_say_so():
    a = assess(indicator([15.0, 12.5, 10.8, 14.0], baseline_years=2, annual_cin=False, first_year=2017))
    assert a.provisional
    assert "limits provisional: the baseline has only 2 published years" in a.sentence


def test_thirteen_baseline_points_are_not_provisional():
    a = assess(indicator([20.0, 22.0] * 6 + [21.0, 21.0], baseline_years=13))
    assert not a.provisional
    assert "provisional" not in a.sentence


# --------------------------------------------------------------------------- gaps


def test_suppressed_years_are_gaps_not_zero_and_are_named():
    a = assess(indicator(STEADY + [21.0, None, 20.0]))
    assert a.gaps == ["2020-21"]
    assert math.isnan(a.frame["value"].iloc[8])
    assert "2020-21 not published by DfE" in a.sentence
    table = chart_table(a)
    assert math.isnan(table["Value"].iloc[8]) and table["Point"].iloc[8] == "Not published"
    assert "suppression" in table["Note"].iloc[8]


def test_a_gap_in_the_baseline_does_not_enter_the_moving_ranges():
    values = [20.0, 22.0, None, 40.0, 42.0, 20.0, 22.0, 21.0]
    a = assess(indicator(values, baseline_years=7))
    assert a.n_baseline_values == 6
    assert math.isnan(a.frame["moving_range"].iloc[3])


# --------------------------------------------------------------------------- no-detriment line


def test_tolerance_moves_the_baseline_average_in_the_bad_direction():
    down = assess(indicator(STEADY + [21.0], tolerance=3))
    assert down.threshold == pytest.approx(np.mean(STEADY) + 3) and down.threshold_kind == "tolerance"
    up = assess(indicator(STEADY + [21.0], tolerance=3, improvement="increase"))
    assert up.threshold == pytest.approx(np.mean(STEADY) - 3)
    assert assess(indicator(STEADY + [21.0], tolerance=3, improvement="neutral")).threshold is None


def test_a_target_wins_over_the_tolerance():
    a = assess(indicator(STEADY + [21.0], tolerance=3, target=25.0))
    assert a.threshold == 25.0 and a.threshold_kind == "target"


def test_assurance_compares_the_line_with_the_limits():
    # Limits 20.857 ± 5.32 = [15.54, 26.18]
    assert assess(indicator(STEADY + [21.0], tolerance=10)).assurance == "consistent_pass"
    assert assess(indicator(STEADY + [21.0], tolerance=2)).assurance == "hit_or_miss"
    assert assess(indicator(STEADY + [21.0], target=10.0)).assurance == "consistent_fail"
    assert assess(indicator(STEADY + [21.0])).assurance is None


def test_beyond_threshold_reads_the_latest_value():
    assert assess(indicator(STEADY + [30.0], tolerance=3)).beyond_threshold is True
    assert assess(indicator(STEADY + [21.0], tolerance=3)).beyond_threshold is False
    assert assess(indicator(STEADY + [21.0])).beyond_threshold is None


# --------------------------------------------------------------------------- neighbours and England


def stats(council, neighbours, england, years):
    rows = []
    for role, name, series in ([("council", "Hampshire", council)] + [("neighbour", n, s) for n, s in neighbours.items()]
                               + [("England", "England", england)]):
        for year, value in zip(years, series):
            rows.append({"measure": "rereferral_percent", "area_code": name, "area_name": name, "area_role": role,
                         "time_period": year, "value": value,
                         "suppression_marker": "u" if value is None else None})
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype(float)
    return frame


YEARS = list(range(2013, 2022))  # 7 baseline years (2013–2019) + 2020, 2021


def test_a_council_worse_than_every_neighbour_moved_differently():
    a = assess(indicator(STEADY + [21.0, 30.0]))
    s = stats(STEADY + [21.0, 30.0], {"A": [10.0] * 9, "B": [10.0] * 7 + [11.0, 12.0], "C": [30.0] * 7 + [25.0, 24.0]},
              [22.0] * 7 + [22.0, 22.5], YEARS)
    c = compare_with_neighbours(a, s)
    assert c.verdict == "worse_than_all" and c.worse_than == 3
    assert c.council_change == pytest.approx(30.0 - np.mean(STEADY))
    assert c.median_change == pytest.approx(0.0)
    assert c.england_change == pytest.approx(0.5)
    assert "Hampshire rose by 9.1 points" in c.sentence
    assert "the median change of its 3 statistical neighbours was ±0.0 points (range −6.0 to +2.0 points)" in c.sentence
    assert "England's +0.5 points" in c.sentence
    assert "moved differently from its neighbours: worse than all 3" in c.sentence


def test_a_council_within_the_range_moved_with_its_neighbours():
    a = assess(indicator(STEADY + [21.0, 22.0]))
    s = stats(STEADY + [21.0, 22.0], {"A": [10.0] * 7 + [10.0, 20.0], "B": [10.0] * 9}, [22.0] * 9, YEARS)
    c = compare_with_neighbours(a, s)
    assert c.verdict == "within" and c.worse_than == 1
    assert "moved with its neighbours: its change lies within their range (worse than 1 of 2)" in c.sentence


def test_higher_is_better_flips_worse_and_better():
    a = assess(indicator(STEADY + [21.0, 30.0], improvement="increase"))
    s = stats(STEADY + [21.0, 30.0], {"A": [10.0] * 9, "B": [10.0] * 9}, [22.0] * 9, YEARS)
    assert compare_with_neighbours(a, s).verdict == "better_than_all"


def test_neighbours_without_figures_for_both_periods_are_left_out_and_counted():
    a = assess(indicator(STEADY + [21.0, 30.0]))
    s = stats(STEADY + [21.0, 30.0], {"A": [10.0] * 9, "New unitary": [None] * 7 + [12.0, 12.0],
                                      "B": [10.0] * 8 + [None]}, [22.0] * 9, YEARS)
    c = compare_with_neighbours(a, s)
    assert list(c.neighbour_changes["area_name"]) == ["A"]
    assert "the 1 of its 3 statistical neighbours with figures for both periods" in c.sentence


def test_no_comparison_without_figures_since_the_partnership():
    a = assess(indicator(STEADY))
    c = compare_with_neighbours(a, stats(STEADY, {"A": [10.0] * 7}, [22.0] * 7, YEARS[:7]))
    assert c.verdict == "no_comparison" and "No comparison" in c.sentence
    named = assess(indicator(STEADY, name="Agency children's social worker rate (FTE)"))
    c = compare_with_neighbours(named, stats(STEADY, {"A": [10.0] * 7}, [22.0] * 7, YEARS[:7]))
    assert "England for agency children's social worker rate (FTE):" in c.sentence  # not "(fte)"


def test_context_series_gives_median_range_count_and_england_per_year():
    s = stats([1.0, 2.0], {"A": [3.0, None], "B": [5.0, 6.0], "C": [7.0, 8.0]}, [4.0, 4.5], [2019, 2020])
    series = context_series(s)
    assert list(series["neighbour_median"]) == [5.0, 7.0]
    assert list(series["neighbour_min"]) == [3.0, 6.0]
    assert list(series["neighbour_max"]) == [7.0, 8.0]
    assert list(series["neighbours_published"]) == [3, 2]
    assert list(series["england"]) == [4.0, 4.5]


# --------------------------------------------------------------------------- charts and tables


def test_xmr_figure_has_title_axes_mdc_colours_and_labelled_provisional_limits():
    a = assess(indicator(STEADY + [21.0, None, 40.0], tolerance=3))
    fig = xmr_figure(a, started=pd.Timestamp(2019, 5, 1))
    assert "XmR chart against the 2013–2019 baseline" in fig.layout.title.text
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    names = {t.name: t for t in fig.data}
    assert names["Upper process limit (provisional)"].line.dash == "dash"
    assert "No-detriment tolerance (illustrative)" in names
    assert names["Special cause of concern"].marker.color == MDC_COLOURS["concern"]
    assert names["Common cause variation"].marker.color == MDC_COLOURS["common_cause"]
    assert names["Special cause of concern"].marker.symbol != names["Common cause variation"].marker.symbol
    assert "Not published (gap)" in names
    concern = names["Special cause of concern"]
    assert "Rule: %{customdata[1]}" in concern.hovertemplate
    assert concern.customdata[0][1] == "above the upper process limit"
    assert fig.layout.shapes[0].x0 == pytest.approx(6.5)  # the baseline break
    texts = " ".join(an.text for an in fig.layout.annotations)
    assert "since the partnership began (1 May 2019)" in texts and "provisional limits" in texts
    assert "not published" in texts  # the suppressed year is marked where the gap is


def test_firm_limits_are_solid_and_not_called_provisional():
    a = assess(indicator([20.0, 22.0] * 7 + [21.0], baseline_years=14))
    names = {t.name: t for t in xmr_figure(a).data}
    assert names["Upper process limit"].line.dash == "solid"


def test_chart_table_shows_dates_without_time_and_words_for_points():
    a = assess(indicator(STEADY + [40.0]))
    table = chart_table(a)
    assert table["Period end"].iloc[0] == "31 Mar 2013"
    assert not table.astype(str).apply(lambda col: col.str.contains("00:00:00")).any().any()
    assert table["Point"].iloc[-1] == "Special cause of concern"
    assert table["Rule that fired"].iloc[-1] == "above the upper process limit"
    assert set(table["Part"]) == {"Baseline", "Since the partnership began"}


def test_context_figure_and_table():
    a = assess(indicator(STEADY + [21.0, 30.0]))
    s = stats(STEADY + [21.0, 30.0], {"A": [10.0] * 9}, [22.0] * 9, YEARS)
    c = compare_with_neighbours(a, s)
    labels = year_labels(a)
    fig = context_figure(a, c, labels)
    assert fig.layout.title.text == "Re-referral rate: Hampshire against its statistical neighbours and England"
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert {t.name for t in fig.data} >= {"Hampshire", "England", "Neighbours' median", "Neighbours' range (lowest–highest)"}
    assert list(fig.data[0].x)[0] == "2012-13"
    table = context_table(a, c, labels)
    assert list(table.columns)[:2] == ["Period", "Hampshire"]


def test_summary_table_and_headline():
    concern = assess(indicator(STEADY + [21.0, 40.0], tolerance=3))
    fine = assess(indicator(STEADY + [21.0, 20.0], name="Turnover"))
    earlier = assess(indicator(STEADY + [40.0, 21.0], name="Caseload", unit="cases per FTE"))
    table = summary_table([concern, fine, earlier])
    assert list(table.columns) == SUMMARY_COLUMNS + ["Source"] and SUMMARY_COLUMNS == [
        "Council", "Indicator", "Unit", "Latest value", "Latest period", "Baseline mean", "Variation", "Assurance",
        "Verdict", "In words"]
    # The source of the latest value, which the page, its CSV and its workbook make a link.
    assert list(table["Source"]) == [str(a.latest["source"]) for a in (concern, fine, earlier)]
    assert list(table["Verdict"]) == ["◆ Concern now", "● No significant change", "◇ Earlier concern, since recovered"]
    assert table["Variation"].iloc[0].startswith("▲ Special cause of concern")
    assert table["Assurance"].iloc[1] == "– no target or tolerance"
    assert list(table["Latest period"]) == ["2020-21", "2020-21", "2020-21"]
    assert table["Latest value"].iloc[0] == 40.0 and table["Baseline mean"].iloc[0] == pytest.approx(20.86)
    assert list(table["Unit"]) == ["%", "%", "cases per FTE"] and set(table["Council"]) == {"Hampshire"}
    assert headline([concern, fine, earlier], "Hampshire") == (
        "1 of 3 indicators of Hampshire is of concern now: Re-referral rate. "
        "Earlier concern, since recovered: Caseload (2019-20).")
    assert headline([fine], "Hampshire").startswith("No indicator of Hampshire is of concern now")


def test_the_legend_explains_every_symbol_in_words():
    table = legend()
    symbols = set(table["Symbol"])
    assert {"◆", "◇", "✓", "●", "–", "▲", "▼", "✗", "?", "○", "◌", "✕"} <= symbols
    assert all(len(m) > 20 for m in table["Meaning"])
    verdicts = table.loc[table["What"] == "Verdict", "Meaning"].tolist()
    assert [m.split(":")[0] for m in verdicts] == ["Concern now", "Earlier concern, since recovered", "Improved",
                                                  "No significant change", "No data since the partnership began"]


def test_list_labels():
    assert list_labels(["Sep 2020"]) == "Sep 2020"
    assert list_labels(["Sep 2020", "Sep 2021"]) == "Sep 2020 and Sep 2021"
    assert list_labels([f"Sep {y}" for y in range(2018, 2025)]) == "Sep 2018 to Sep 2024 (7 points)"


@pytest.mark.parametrize("value, unit, text", [
    (12.46, "%", "+12.5 points"), (-0.04, "%", "±0.0 points"), (-2.9, "cases per FTE", "−2.9 cases per FTE"),
    (None, "%", "–"),
])
def test_format_change(value, unit, text):
    assert format_change(value, unit) == text


def test_format_value():
    assert format_value(41.0, "%") == "41.0%"
    assert format_value(13.5, "cases per FTE") == "13.5 cases per FTE"
    assert format_value(NAN, "%") == "–"


def test_period_word():
    assert period_word(pd.Series(pd.to_datetime(["2019-03-31", "2020-03-31"]))) == "years"
    assert period_word(pd.Series(pd.to_datetime(["2019-03-31", "2019-06-30", "2019-09-30"]))) == "quarters"


# --------------------------------------------------------------------------- ghosted points, the window, impossible values


def test_a_ghosted_point_is_drawn_hollow_with_its_reason_on_hover_and_in_the_table():
    frame = indicator(STEADY + [21.0, 30.0]).assign(
        excluded_reason=[None] * 3 + ["A <b>recording</b> gap: 0 FTE leavers against 27"] + [None] * 5)
    a = assess(frame)
    names = {t.name: t for t in xmr_figure(a).data}
    ghost = names["Left out of the limits (ghosted)"]
    assert ghost.marker.symbol == "circle-open" and list(ghost.x) == ["2015-16"]
    assert "Reason: %{customdata[0]}" in ghost.hovertemplate
    assert ghost.customdata[0][0] == "A &lt;b&gt;recording&lt;/b&gt; gap: 0 FTE leavers against 27"  # text, not HTML
    assert all("2015-16" not in list(t.x or []) for n, t in names.items() if n.startswith(("Common", "Special")))
    table = chart_table(a)
    assert table["Point"].iloc[3] == "Left out of the limits (ghosted)"
    assert table["Left out of the limits because"].iloc[3].startswith("A <b>recording</b> gap")
    assert table["Value"].iloc[3] == 22.0  # the published value, unchanged


def test_points_after_the_close_are_greyed_on_a_labelled_band():
    a = assess(indicator(STEADY + [21.0, 20.0, 40.0]), closed_on=dt.date(2021, 12, 31))
    fig = xmr_figure(a)
    names = {t.name: t for t in fig.data}
    after = names["After the programme closed (not judged)"]
    assert list(after.x) == ["2021-22"] and after.marker.color == "#9aa0a6"
    assert "not judged" in after.hovertemplate
    assert "Special cause of concern" not in names  # 40.0 is not judged
    band = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(band) == 1 and band[0].x0 == pytest.approx(8.5)
    assert any(an.text == "after the programme closed<br>(31 Dec 2021)" for an in fig.layout.annotations)
    assert chart_table(a)["Part"].iloc[-1] == "After the programme closed (not judged)"


def test_a_lower_limit_below_zero_is_drawn_at_zero_and_said_so():
    # East Sussex's agency rate: 0.3, 0.3, 0.0 — limits 0.2 ± 0.4, the lower one −0.2%.
    a = assess(indicator([0.3, 0.3, 0.0, 0.3, 1.5], baseline_years=3, annual_cin=False, first_year=2017))
    assert a.frame["lower_limit"].iloc[0] == pytest.approx(-0.199, abs=1e-3)
    fig = xmr_figure(a)
    lower = next(t for t in fig.data if t.name.startswith("Lower process limit"))
    assert set(lower.y) == {0.0}
    assert lower.name == "Lower process limit (provisional): −0.2%, drawn at 0"
    assert fig.layout.yaxis.rangemode == "nonnegative"
    assert any("is below 0: drawn at 0" in an.text for an in fig.layout.annotations)
    table = chart_table(a)
    assert table["Lower process limit"].iloc[0] == pytest.approx(-0.2)
    assert table["Lower process limit as drawn"].iloc[0] == 0.0
    # a measure that may be negative keeps its limit as computed
    free = assess(indicator([0.3, 0.3, 0.0, 0.3, 1.5], baseline_years=3, annual_cin=False, first_year=2017,
                            unit="change"))
    assert min(next(t for t in xmr_figure(free).data if t.name.startswith("Lower")).y) < 0

"""monitor.no_detriment on hand-made frames: baselines, verdicts, sentences, the neighbour and
England comparison, and the charts and tables the page draws."""
from __future__ import annotations

import datetime as dt

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from monitor.no_detriment.charts import context_figure, xmr_figure
from monitor.no_detriment.context import compare_with_neighbours, context_series
from monitor.no_detriment.tables import chart_table, context_table, summary_table, year_labels
from monitor.no_detriment.verdicts import assess, baseline_rows, headline, verdict_of, verdicts
from monitor.no_detriment.wording import format_change, format_value, period_word
from monitor.no_detriment.spc_icons import MDC_COLOURS
from monitor.no_detriment.facts import IndicatorVerdict, NoDetrimentFacts

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


# --------------------------------------------------------------------------- verdicts


def test_a_point_above_the_upper_limit_after_the_baseline_is_a_concern_when_lower_is_better():
    a = assess(indicator(STEADY + [21.0, 40.0]))
    assert a.verdict == "concern"
    assert a.verdict_label == "▲ Concern"
    assert "above the upper process limit in 1 of the 2 years since the partnership began (2020-21)" in a.sentence
    assert "special cause of concern since the partnership began" in a.sentence


def test_the_same_point_is_an_improvement_when_higher_is_better():
    a = assess(indicator(STEADY + [21.0, 40.0], improvement="increase"))
    assert a.verdict == "improvement"
    assert a.sentence.startswith("Re-referral rate: no sign of deterioration against the 2013–2019 baseline")
    assert "special cause of improvement" in a.sentence


def test_common_cause_only_reads_no_sign_of_deterioration():
    a = assess(indicator(STEADY + [21.0, 20.0, 22.0]))
    assert a.verdict == "no_change"
    assert a.variation == "common_cause"
    assert "no sign of deterioration against the 2013–2019 baseline — all 3 years since" in a.sentence
    assert "common cause variation" in a.sentence


def test_a_special_cause_inside_the_baseline_does_not_count():
    # A shift of 7 high points inside a 9-point baseline, then ordinary years.
    values = [30.0, 31.0, 30.0, 31.0, 30.0, 31.0, 30.0, 10.0, 11.0, 21.0, 22.0]
    a = assess(indicator(values, baseline_years=9))
    assert (a.frame.loc[a.frame["in_baseline"], "point_type"] != "common_cause").any()
    assert a.verdict == "no_change"


def test_a_rising_trend_since_the_partnership_is_named_as_such():
    values = STEADY + [20.5, 21.0, 21.5, 22.0, 22.5, 23.0, 23.5]
    a = assess(indicator(values, tolerance=None))
    assert a.verdict == "concern"
    assert "years in a row each higher than the one before" in a.sentence


def test_a_run_above_the_average_is_named_with_its_periods():
    values = STEADY + [22.0, 21.5, 22.0, 21.5, 22.0, 21.5, 22.0]
    a = assess(indicator(values))
    assert a.verdict == "concern"
    assert "7 years in a row above the baseline average (2019-20 to 2025-26)" in a.sentence


def test_concern_then_recovery_says_what_the_latest_point_is():
    a = assess(indicator(STEADY + [40.0, 21.0]))
    assert a.verdict == "concern"
    assert "the latest, 2020-21, is within the expected variation" in a.sentence


def test_no_points_after_the_baseline_is_not_enough_data():
    a = assess(indicator(STEADY))
    assert a.verdict == "no_data"
    assert a.variation is None and a.assurance is None
    assert "not enough data" in a.sentence and "no published figures since the partnership began" in a.sentence


def test_fewer_than_three_values_is_not_enough_data():
    assert assess(indicator([20.0, 30.0], baseline_years=1)).verdict == "no_data"
    assert verdict_of(indicator([20.0, 30.0], baseline_years=1)) == "no_data"


def test_an_indicator_without_observations_is_not_enough_data():
    empty = indicator([20.0]).assign(period_end_date=pd.NaT, value=NAN, period_label=None)
    a = assess(empty)
    assert a.verdict == "no_data" and len(a.frame) == 0


def test_neutral_direction_never_reads_concern():
    a = assess(indicator(STEADY + [21.0, 40.0], improvement="neutral"))
    assert a.verdict == "no_change"
    assert "special cause variation" in a.sentence and "neither better nor worse" in a.sentence
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


# --------------------------------------------------------------------------- one rule for the Overview and the page


def test_overview_card_uses_the_pages_rule():
    for values in (STEADY + [21.0, 40.0], STEADY + [21.0, 20.0], STEADY):
        frame = indicator(values)
        verdict = verdicts(frame.assign(programme_id="p"))[("p", "ind-1")]
        facts = NoDetrimentFacts(dt.date(2026, 1, 1), (IndicatorVerdict("ind-1", "Re-referral rate", "Hampshire", verdict),))
        assert (facts.concerns == 1) == (assess(frame).verdict == "concern")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 100, allow_nan=False)), min_size=0, max_size=16),
       st.integers(1, 10), st.sampled_from(["increase", "decrease", "neutral"]))
def test_quick_verdict_equals_the_full_assessment(values, baseline_years, improvement):
    frame = indicator([NAN if v is None else v for v in values] or [1.0], improvement=improvement,
                      baseline_years=baseline_years)
    a = assess(frame)
    assert verdict_of(frame) == a.verdict
    assert a.sentence.startswith("Re-referral rate: ")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(
    st.lists(st.one_of(st.none(), st.floats(0, 100, allow_nan=False)), min_size=1, max_size=16),
    st.integers(1, 10), st.sampled_from(["increase", "decrease", "neutral"])), min_size=1, max_size=5))
def test_every_verdict_at_once_equals_one_at_a_time(specs):
    # The Overview judges all indicators in one pass (monitor.no_detriment.verdicts); each card must
    # say what the No-detriment page says of the same indicator.
    frames = [indicator([NAN if v is None else v for v in values], improvement=improvement,
                        baseline_years=years).assign(indicator_id=f"ind-{k}", programme_id=f"p-{k % 2}")
              for k, (values, years, improvement) in enumerate(specs)]
    shuffled = pd.concat(frames).sample(frac=1, random_state=1)
    judged = verdicts(shuffled)
    for k, frame in enumerate(frames):
        assert judged.get((f"p-{k % 2}", f"ind-{k}"), "no_data") == verdict_of(frame)


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
    table = summary_table([concern, fine])
    assert list(table["Verdict"]) == ["▲ Concern", "● No deterioration"]
    assert table["Variation"].iloc[0].startswith("▲ Special cause of concern")
    assert "illustrative" in table["No-detriment line"].iloc[0] and "latest beyond it" in table["No-detriment line"].iloc[0]
    assert table["Assurance"].iloc[1] == "– no target or tolerance"
    assert headline([concern, fine], "Hampshire") == (
        "1 of 2 indicators of Hampshire shows a special cause of concern since the partnership began: Re-referral rate.")
    assert headline([fine], "Hampshire").startswith("No sign of deterioration in any of the 1 indicators")


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

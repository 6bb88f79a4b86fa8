"""The no-detriment verdict — one rule (monitor.no_detriment.verdicts) — on constructed series: a
spike then recovery, a shift of seven at the end, a trend into concern, an improvement, common cause
throughout, points after the programme closed, a ghosted outlier, the tolerance line; and the same
verdict from the page's assessment, the Overview's bulk judgement and the headline facts."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.no_detriment.assessment import assess
from monitor.no_detriment.facts import IndicatorVerdict, NoDetrimentFacts, concern_now, no_detriment_facts
from monitor.no_detriment.verdicts import VERDICTS, judge, verdict_of, verdicts
from tests.unit.test_no_detriment import NAN, STEADY, indicator

# STEADY: 7 baseline years (2012-13 … 2018-19), mean 20.857, every moving range 2:
# process limits [15.54, 26.18], two-sigma lines [17.31, 24.40]. Lower is better unless stated.
REASON = "DfE recorded 0 leavers by FTE against 27 by headcount: a recording gap"


def test_the_verdicts_are_the_issues_words():
    assert [w for w, _ in VERDICTS.values()] == ["Concern now", "Earlier concern, since recovered", "Improved",
                                                 "No significant change", "No data since the partnership began"]
    assert len({s for _, s in VERDICTS.values()}) == 5  # a distinct symbol each: never colour alone


def test_a_spike_then_recovery_is_an_earlier_concern_not_a_concern_now():
    a = assess(indicator(STEADY + [40.0, 21.0, 20.0]))
    assert a.verdict == "earlier_concern"
    assert a.judgement.concern_labels == ("2019-20",)
    assert "back within limits since 2020-21; latest 2021-22 20.0%" in a.sentence


def test_a_shift_of_seven_at_the_end_is_a_concern_now():
    a = assess(indicator(STEADY + [22.0, 21.5, 22.0, 21.5, 22.0, 21.5, 22.0]))  # above the mean, within limits
    assert a.verdict == "concern_now"
    assert a.judgement.concern_at_latest and not a.judgement.beyond_line
    assert a.latest["rules"] == "shift"


def test_a_shift_of_six_is_not_yet_one():
    assert verdict_of(indicator(STEADY + [22.0, 21.5, 22.0, 21.5, 22.0, 21.5])) == "no_change"


def test_a_trend_into_concern_is_a_concern_now():
    a = assess(indicator(STEADY + [17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0]))
    assert a.verdict == "concern_now"
    assert "7 years in a row each higher than the one before (2019-20 to 2025-26)" in a.sentence


def test_a_worse_trend_counts_even_when_the_point_also_meets_a_rule_for_improvement():
    # Rising (worse) for 7 years while below the average and the lower limit (better): MDC draws the
    # point as an improvement, but a trend in the worse direction includes the latest point.
    a = assess(indicator(STEADY + [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0]))
    assert a.latest["point_type"] == "special_cause_improvement" and a.latest["signal_side"] == "both"
    assert a.verdict == "concern_now"


def test_an_improvement_is_improved():
    a = assess(indicator(STEADY + [21.0, 10.0]))
    assert a.verdict == "improved"
    assert a.verdict_label == "✓ Improved"
    assert "below the lower process limit (15.5%) in 2020-21" in a.sentence


def test_an_earlier_improvement_then_ordinary_years_is_no_significant_change():
    a = assess(indicator(STEADY + [10.0, 21.0]))
    assert a.verdict == "no_change"
    assert "earlier below the lower process limit (15.5%) in 2019-20 (a special cause of improvement)" in a.sentence


def test_common_cause_throughout_is_no_significant_change():
    assert verdict_of(indicator(STEADY + [21.0, 20.0, 22.0, 19.0])) == "no_change"


def test_the_tolerance_line_alone_makes_a_concern_now():
    # 25.0 is within the limits (26.18) but beyond the average + tolerance (23.86).
    a = assess(indicator(STEADY + [21.0, 25.0], tolerance=3))
    assert a.verdict == "concern_now"
    assert a.judgement.beyond_line and not a.judgement.concern_at_latest
    assert "beyond the no-detriment tolerance line (23.9%)" in a.sentence
    assert verdict_of(indicator(STEADY + [21.0, 25.0])) == "no_change"  # no line: nothing says concern


def test_points_after_the_programme_closed_are_drawn_but_never_judged():
    frame = indicator(STEADY + [21.0, 20.0, 40.0, 45.0])  # the last two end after 31 Dec 2021
    a = assess(frame, closed_on=dt.date(2021, 12, 31))
    assert a.verdict == "no_change"
    assert list(a.frame["part"].iloc[-2:]) == ["after", "after"]
    assert list(a.frame["point_type"].iloc[-2:]) == ["", ""] and a.frame["value"].iloc[-1] == 45.0
    assert a.latest["period_label"] == "2020-21"
    assert "2021-22 and 2022-23 after the programme closed (31 Dec 2021): not judged" in a.sentence
    assert assess(frame).verdict == "concern_now"  # judged when the programme runs on
    # and the Overview's facts, as at the closing date, say the same
    facts = no_detriment_facts(frame.assign(programme_id="p"), {"p": dt.date(2021, 12, 31)})["p"]
    assert facts.indicators[0].verdict == "no_change"


def test_points_after_the_close_take_no_part_in_the_runs():
    # Six high points in the programme, then two more after it closed: no shift of seven is judged.
    frame = indicator(STEADY + [22.0, 21.5, 22.0, 21.5, 22.0, 21.5, 22.0, 21.5])
    assert assess(frame, closed_on=dt.date(2025, 1, 1)).verdict == "no_change"


def ghosted(values, at: int, **kw):
    frame = indicator(values, **kw)
    return frame.assign(excluded_reason=[REASON if i == at else None for i in range(len(frame))])


def test_a_ghosted_outlier_leaves_the_limits_and_the_sentence_says_why():
    values = [20.0, 22.0, 20.0, 0.0, 22.0, 20.0, 22.0, 21.0, 27.0]
    plain, ghost = assess(indicator(values)), assess(ghosted(values, 3))
    # With the 0: mean 18, limits up to 40.2 — nothing special. Without it: mean 21, every moving
    # range 2 (none across the gap it leaves), limits up to 26.3.
    assert plain.verdict == "no_change"
    assert ghost.verdict == "concern_now"
    assert ghost.baseline_mean == pytest.approx(21.0)
    assert ghost.frame["upper_limit"].iloc[0] == pytest.approx(21.0 + 2.66 * 2)
    assert ghost.frame["value"].iloc[3] == 0.0 and ghost.frame["excluded"].iloc[3]  # still as published
    assert ghost.frame["point_type"].iloc[3] == ""  # and never judged itself
    assert ghost.n_baseline_values == 6
    assert f"2015-16 left out of the limits (ghosted): {REASON}" in ghost.sentence
    assert verdict_of(ghosted(values, 3)) == "concern_now"


def test_a_ghosted_latest_point_is_not_the_latest_judged():
    values = STEADY + [21.0, 40.0]
    a = assess(ghosted(values, len(values) - 1))
    assert a.verdict == "no_change" and a.latest["period_label"] == "2019-20"


def test_points_before_the_programme_began_are_not_judged():
    frame = indicator(STEADY + [40.0, 21.0]).assign(programme_start=pd.Timestamp(2020, 6, 1))
    a = assess(frame)
    assert a.frame["part"].iloc[7] == "before"
    assert a.verdict == "no_change"
    assert "2019-20 before the programme began: not judged" in a.sentence


def test_judge_on_plain_arrays():
    x = np.array(STEADY + [21.0, 40.0])
    ends = pd.date_range("2013-03-31", periods=len(x), freq="12ME").to_numpy()
    columns, n_base, part, j = judge(x, ends, pd.Timestamp(2019, 3, 31), "decrease", labels=[str(i) for i in range(9)])
    assert n_base == 7 and list(part[-2:]) == ["judged", "judged"]
    assert j.verdict == "concern_now" and j.latest == 8 and j.concern_labels == ("8",)


# --------------------------------------------------------------------------- one rule everywhere


def test_facts_count_only_concern_now_and_name_earlier_concerns():
    facts = NoDetrimentFacts(dt.date(2026, 1, 1), (
        IndicatorVerdict("a", "Re-referrals", "Hampshire", "concern_now", ("2022-23",)),
        IndicatorVerdict("b", "Average caseload", "Hampshire", "earlier_concern", ("Sep 2020",)),
        IndicatorVerdict("c", "Turnover", "Hampshire", "improved"),
    ))
    assert facts.concerns == 1 and facts.concerns_of == "1 of 3"
    assert [i.name for i in concern_now(facts)] == ["Re-referrals"]
    assert facts.sentence() == ("Concern now: 1 of 3 indicators of Hampshire (Re-referrals); earlier concern, "
                                "since recovered: Average caseload (Sep 2020)")
    calm = NoDetrimentFacts(dt.date(2026, 1, 1), facts.indicators[1:])
    assert calm.concerns == 0
    assert calm.sentence() == ("No concern now in any of the 2 indicators of Hampshire; earlier concern, since "
                               "recovered: Average caseload (Sep 2020)")


def test_overview_card_uses_the_pages_rule():
    for values in (STEADY + [21.0, 40.0], STEADY + [40.0, 21.0], STEADY + [21.0, 20.0], STEADY):
        frame = indicator(values)
        facts = no_detriment_facts(frame.assign(programme_id="p"), {"p": dt.date(2030, 1, 1)})["p"]
        a = assess(frame)
        assert facts.indicators[0].verdict == a.verdict
        assert facts.concerns == (a.verdict == "concern_now")


def _frame(values, baseline_years, improvement, tolerance, ghost):
    frame = indicator([NAN if v is None else v for v in values] or [1.0], improvement=improvement,
                      baseline_years=baseline_years, tolerance=tolerance)
    if ghost is not None and ghost < len(frame):
        frame = frame.assign(excluded_reason=[REASON if i == ghost else None for i in range(len(frame))])
    return frame


SERIES = st.tuples(st.lists(st.one_of(st.none(), st.floats(0, 100, allow_nan=False)), min_size=0, max_size=16),
                   st.integers(1, 10), st.sampled_from(["increase", "decrease", "neutral"]),
                   st.one_of(st.none(), st.floats(0, 10, allow_nan=False)), st.one_of(st.none(), st.integers(0, 15)))


@settings(max_examples=60, deadline=None)
@given(SERIES)
def test_quick_verdict_equals_the_full_assessment(spec):
    frame = _frame(*spec)
    a = assess(frame)
    assert verdict_of(frame) == a.verdict
    assert a.sentence.startswith("Re-referral rate: ")


@settings(max_examples=60, deadline=None)
@given(st.lists(SERIES, min_size=1, max_size=5))
def test_every_verdict_at_once_equals_one_at_a_time(specs):
    # The Overview judges all indicators in one pass (monitor.no_detriment.verdicts); each card must
    # say what the No-detriment page says of the same indicator.
    frames = [_frame(*spec).assign(indicator_id=f"ind-{k}", programme_id=f"p-{k % 2}") for k, spec in enumerate(specs)]
    shuffled = pd.concat(frames).sample(frac=1, random_state=1)
    judged = verdicts(shuffled)
    for k, frame in enumerate(frames):
        found = judged.get((f"p-{k % 2}", f"ind-{k}"))
        assert (found.verdict if found else "no_data") == verdict_of(frame)


def test_a_running_programme_is_judged_as_at_the_same_day_as_its_facts():
    frame = indicator(STEADY + [21.0, 20.0, 40.0])  # 40.0 is published for the year to 31 Mar 2022
    day = dt.date(2021, 6, 30)
    a = assess(frame, as_at=day)
    facts = no_detriment_facts(frame.assign(programme_id="p"), {"p": day})["p"]
    assert a.verdict == facts.indicators[0].verdict == "no_change"
    assert "2021-22 after the date the figures are as at (30 Jun 2021): not judged" in a.sentence
    assert assess(frame, as_at=dt.date(2022, 6, 30)).verdict == "concern_now"

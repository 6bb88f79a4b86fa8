"""Unit and property tests for monitor.spc (Making Data Count XmR engine)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.no_detriment.spc import POINT_TYPES, RULE_NAMES, xmr
from monitor.no_detriment.spc_icons import ICON_LABELS, MDC_COLOURS, assurance_icon, describe, variation_icon

NAN = float("nan")

# A clean 14-point baseline: mean 12 exactly, every moving range 4, no signals.
# Limits 12 +/- 2.66*4 = [1.36, 22.64]; two-sigma 12 +/- 7.0933 = [4.9067, 19.0933].
# It ends on 10 (below the mean) so a run above the mean starts with the new points.
BASE = [14.0, 10.0] * 7
NB = len(BASE)


def after_base(extra, improvement="increase", **kwargs):
    """Chart of BASE + extra with limits fixed on BASE; returns only the extra rows."""
    frame = xmr(BASE + list(extra), improvement, baseline_points=NB, **kwargs)
    return frame.iloc[NB:].reset_index(drop=True)


def rules(frame):
    return list(frame["rules"])


def types(frame):
    return list(frame["point_type"])


IMP, CON = "special_cause_improvement", "special_cause_concern"
CC = "common_cause"


# --------------------------------------------------------------------------- limits


def test_baseline_limits_and_columns():
    frame = xmr(BASE)
    for column in (
        "value", "mean", "lower_limit", "upper_limit", "lower_two_sigma", "upper_two_sigma",
        "point_type", "rules", "provisional", "section", "moving_range",
    ):
        assert column in frame.columns
    assert frame["mean"].eq(12.0).all()
    assert frame["upper_limit"].iloc[0] == pytest.approx(22.64)
    assert frame["lower_limit"].iloc[0] == pytest.approx(1.36)
    assert frame["upper_two_sigma"].iloc[0] == pytest.approx(12 + 2 / 3 * 2.66 * 4)
    assert frame["lower_two_sigma"].iloc[0] == pytest.approx(12 - 2 / 3 * 2.66 * 4)
    assert math.isnan(frame["moving_range"].iloc[0])
    assert frame["moving_range"].iloc[1:].eq(4.0).all()
    assert set(frame["point_type"]) == {CC}
    assert set(frame["rules"]) == {""}
    assert not frame["provisional"].any()
    assert frame["section"].eq(0).all()


def test_baseline_points_fixes_limits_and_extends_them():
    frame = xmr(BASE + [40.0, 41.0, 39.0], baseline_points=NB)
    assert frame["mean"].eq(12.0).all()
    assert frame["upper_limit"].iloc[-1] == pytest.approx(22.64)
    assert list(frame["used_for_limits"]) == [True] * NB + [False] * 3
    # Without a fixed baseline the later points move the mean.
    assert xmr(BASE + [40.0, 41.0, 39.0])["mean"].iloc[0] > 12.0


def test_series_index_is_kept_and_one_row_per_value():
    index = pd.period_range("2020-01", periods=5, freq="M")
    frame = xmr(pd.Series([1.0, 2.0, None, 3.0, 4.0], index=index))
    assert list(frame.index) == list(index)
    assert len(frame) == 5


def test_empty_input_gives_empty_frame():
    frame = xmr([])
    assert len(frame) == 0
    assert "point_type" in frame.columns


# --------------------------------------------------------------------------- rule a


def test_point_exactly_on_upper_limit_is_not_special():
    upper = xmr(BASE)["upper_limit"].iloc[0]
    frame = after_base([upper])
    assert frame["value"].iloc[0] == frame["upper_limit"].iloc[0]
    assert types(frame) == [CC]
    assert rules(frame) == [""]


def test_point_exactly_on_lower_limit_is_not_special():
    lower = xmr(BASE)["lower_limit"].iloc[0]
    frame = after_base([lower])
    assert types(frame) == [CC]


def test_point_just_beyond_limits():
    frame = after_base([22.65, 12.0, 1.35])
    assert rules(frame) == ["beyond_limits", "", "beyond_limits"]
    assert types(frame) == [IMP, CC, CON]
    assert types(after_base([22.65, 12.0, 1.35], "decrease")) == [CON, CC, IMP]


# --------------------------------------------------------------------------- rule b


def test_shift_of_seven_flags_all_seven():
    frame = after_base([13.0] * 7)
    assert rules(frame) == ["shift"] * 7
    assert types(frame) == [IMP] * 7
    assert list(frame["signal_side"]) == ["high"] * 7


def test_six_in_a_row_is_not_a_shift_by_default():
    assert set(types(after_base([13.0] * 6))) == {CC}


def test_shift_points_six_vs_seven():
    assert rules(after_base([13.0] * 6, shift_points=6)) == ["shift"] * 6
    assert set(rules(after_base([13.0] * 6, shift_points=7))) == {""}


def test_point_exactly_on_mean_breaks_a_shift():
    broken = after_base([13.0, 13.0, 13.0, 12.0, 13.0, 13.0, 13.0, 13.0])
    assert set(types(broken)) == {CC}
    unbroken = after_base([13.0] * 8)
    assert rules(unbroken) == ["shift"] * 8


def test_low_shift_includes_earlier_points_of_the_run():
    # BASE ends on 10 (below the mean): 10 + six 11s = seven points below.
    frame = xmr(BASE + [11.0] * 6, baseline_points=NB)
    assert rules(frame.iloc[NB - 1 :]) == ["shift"] * 7
    assert types(frame.iloc[NB - 1 :]) == [CON] * 7
    assert rules(frame.iloc[: NB - 1]) == [""] * (NB - 1)


# --------------------------------------------------------------------------- rule c

RISING7 = [10.0, 10.5, 11.0, 11.5, 12.5, 13.0, 13.5]  # first 10.0 ties BASE's last 10.0


def test_trend_of_seven_flags_all_seven():
    frame = after_base(RISING7)
    # The tie with the last baseline point stops the run there: 10.0 .. 13.5 is 7 points.
    assert rules(frame) == ["trend"] * 7
    assert types(frame) == [IMP] * 7
    assert types(after_base(RISING7, "decrease")) == [CON] * 7


def test_falling_trend():
    falling = [14.0, 13.5, 13.0, 12.5, 11.5, 11.0, 10.5]  # 10 -> 14 rises, then 7 falling
    frame = after_base(falling)
    assert rules(frame) == ["trend"] * 7
    assert list(frame["signal_side"]) == ["low"] * 7
    assert types(frame) == [CON] * 7


def test_tie_breaks_a_trend():
    frame = after_base([10.0, 10.5, 11.0, 11.5, 11.5, 12.5, 13.0, 13.5])
    assert set(types(frame)) == {CC}


def test_trend_points_six_vs_seven():
    six = RISING7[:6]
    assert set(rules(after_base(six))) == {""}
    assert rules(after_base(six, trend_points=6)) == ["trend"] * 6


# --------------------------------------------------------------------------- rule d


def test_two_of_three_flags_only_the_two_beyond_two_sigma():
    frame = after_base([20.0, 13.0, 20.0])
    assert rules(frame) == ["two_of_three", "", "two_of_three"]
    assert types(frame) == [IMP, CC, IMP]


def test_two_of_three_low_side():
    frame = after_base([4.0, 11.0, 4.5])
    assert rules(frame) == ["two_of_three", "", "two_of_three"]
    assert types(frame) == [CON, CC, CON]


def test_two_of_three_on_opposite_sides_is_not_flagged():
    frame = after_base([20.0, 4.0, 13.0])
    assert set(types(frame)) == {CC}


def test_two_of_three_needs_all_three_on_the_same_side():
    frame = after_base([20.0, 11.0, 20.0])  # 11 is below the mean
    assert set(types(frame)) == {CC}


def test_point_beyond_process_limit_does_not_count_for_two_of_three():
    frame = after_base([20.0, 13.0, 23.0])
    assert rules(frame) == ["", "", "beyond_limits"]
    assert types(frame) == [CC, CC, IMP]
    # Same shape with the third point inside the limit: both count.
    assert rules(after_base([20.0, 13.0, 19.5])) == ["two_of_three", "", "two_of_three"]


# --------------------------------------------------------------------------- precedence

CLASH = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 30.0, 10.0, 30.0, 10.0, 30.0, 10.0, 30.0]


def test_improvement_beats_concern_and_rules_are_kept():
    # First 7 points rise (trend up) while sitting below the mean (shift low).
    up = xmr(CLASH, "increase")
    assert up["mean"].iloc[0] == pytest.approx(178 / 14)
    assert rules(up)[:7] == ["shift,trend"] * 7
    assert list(up["signal_side"])[:8] == ["both"] * 7 + ["high"]
    assert types(up)[:8] == [IMP] * 8
    down = xmr(CLASH, "decrease")
    assert types(down)[:8] == [IMP] * 7 + [CON]
    assert rules(down) == rules(up)


def test_neutral_clash_takes_the_side_of_the_mean():
    frame = xmr(CLASH, "neutral")
    assert types(frame)[:8] == ["special_cause_neutral_low"] * 7 + ["special_cause_neutral_high"]


# --------------------------------------------------------------------------- neutral


def test_neutral_point_types_and_no_assurance():
    high = after_base([13.0] * 7, "neutral")
    assert types(high) == ["special_cause_neutral_high"] * 7
    low = after_base([1.0], "neutral")
    assert types(low) == ["special_cause_neutral_low"]
    frame = xmr(BASE + [13.0] * 7, "neutral", baseline_points=NB)
    assert variation_icon(frame, "neutral") == "special_cause_neutral_high"
    assert assurance_icon(frame, "neutral", 30.0) is None
    assert not frame["point_type"].isin([IMP, CON]).any()


# --------------------------------------------------------------------------- screening


SPIKE = [10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 200.0, 10.0, 11.0, 10.0, 11.0, 10.0, 11.0]


def test_screening_changes_limits_on_a_huge_jump():
    mean = sum(SPIKE) / len(SPIKE)
    off = xmr(SPIKE)
    on = xmr(SPIKE, screen_outliers=True)
    amr_off = (11 * 1 + 2 * 190) / 13
    assert off["upper_limit"].iloc[0] == pytest.approx(mean + 2.66 * amr_off)
    # 190 >= 3.267 * 30.08: both moving ranges of the spike are dropped, mean MR = 1.
    assert on["upper_limit"].iloc[0] == pytest.approx(mean + 2.66 * 1.0)
    assert on["mean"].iloc[0] == off["mean"].iloc[0]
    assert on["upper_limit"].iloc[0] < off["upper_limit"].iloc[0]
    # The moving-range column itself is not screened.
    assert on["moving_range"].iloc[7] == 190.0
    assert "beyond_limits" in on["rules"].iloc[7]


def test_screening_has_no_effect_without_outlying_ranges():
    assert xmr(BASE, screen_outliers=True)["upper_limit"].equals(xmr(BASE)["upper_limit"])


# --------------------------------------------------------------------------- rebasing


def test_rebase_gives_each_section_its_own_mean():
    values = [10.0, 12.0] * 7 + [20.0, 22.0] * 7
    frame = xmr(values, rebase_at=[14])
    assert list(frame["section"]) == [0] * 14 + [1] * 14
    assert frame["mean"].iloc[:14].eq(11.0).all()
    assert frame["mean"].iloc[14:].eq(21.0).all()
    assert frame["upper_limit"].iloc[14] == pytest.approx(21 + 2.66 * 2)
    assert math.isnan(frame["moving_range"].iloc[14])  # no moving range across a rebase
    assert set(frame["point_type"]) == {CC}
    # Without the rebase the step is special cause.
    assert (xmr(values)["point_type"] != CC).any()


def test_runs_do_not_cross_a_rebase():
    first = [10.0, 12.0] * 5 + [13.0] * 4  # mean 11.57: four 13s above
    second = [13.0] * 3 + [0.0, 20.0] * 3  # mean 11: three 13s above
    frame = xmr(first + second, rebase_at=[len(first)])
    assert set(frame["point_type"]) == {CC}
    assert (xmr(first + second)["rules"].str.contains("shift")).any()


def test_baseline_points_applies_to_first_section_only():
    values = [10.0, 12.0] * 7 + [50.0] + [20.0, 22.0] * 7
    frame = xmr(values, baseline_points=4, rebase_at=[15])
    assert frame["mean"].iloc[0] == 11.0
    assert list(frame["used_for_limits"].iloc[:15]) == [True] * 4 + [False] * 11
    assert frame["used_for_limits"].iloc[15:].all()
    assert frame["mean"].iloc[15] == 21.0
    assert frame["provisional"].iloc[:15].all()  # 4 points
    assert not frame["provisional"].iloc[15:].any()  # 14 points


# --------------------------------------------------------------------------- gaps


def test_gaps_are_not_zero_and_have_no_moving_range():
    frame = xmr([10.0, 12.0, None, 11.0, 13.0])
    assert math.isnan(frame["value"].iloc[2])
    assert frame["mean"].iloc[0] == 11.5  # gap excluded, not counted as 0
    mr = list(frame["moving_range"])
    assert math.isnan(mr[0]) and mr[1] == 2.0 and math.isnan(mr[2]) and math.isnan(mr[3]) and mr[4] == 2.0
    assert frame["upper_limit"].iloc[0] == pytest.approx(11.5 + 2.66 * 2.0)  # mean MR of 2 and 2
    assert frame["point_type"].iloc[2] == ""
    assert frame["rules"].iloc[2] == ""
    # The gap row carries its section's limits like its neighbours.
    assert frame["upper_limit"].iloc[2] == frame["upper_limit"].iloc[1]
    assert frame["provisional"].iloc[2]


def test_nan_and_none_are_the_same_gap():
    a = xmr([10.0, 12.0, None, 11.0, 13.0])
    b = xmr(np.array([10.0, 12.0, np.nan, 11.0, 13.0]))
    pd.testing.assert_frame_equal(a, b)


def test_gap_neither_counts_nor_breaks_a_shift():
    seven = after_base([13.0, 13.0, 13.0, None, 13.0, 13.0, 13.0, 13.0])
    assert rules(seven) == ["shift"] * 3 + [""] + ["shift"] * 4
    assert types(seven) == [IMP] * 3 + [""] + [IMP] * 4
    six = after_base([13.0, 13.0, 13.0, None, 13.0, 13.0, 13.0])
    assert set(types(six)) == {CC, ""}


def test_gap_neither_counts_nor_breaks_a_trend():
    frame = after_base([10.0, 10.5, 11.0, None, 11.5, 12.5, 13.0, 13.5])
    assert rules(frame) == ["trend"] * 3 + [""] + ["trend"] * 4


def test_gaps_reduce_the_points_used_for_limits():
    values = [10.0, 12.0] * 6 + [11.0]  # 13 values
    assert not xmr(values)["provisional"].any()
    values[5] = None
    assert xmr(values)["provisional"].all()


# --------------------------------------------------------------------------- zero spread


def test_zero_spread_series_is_all_common_cause():
    for screen in (False, True):
        frame = xmr([5.0] * 20, screen_outliers=screen)
        assert frame["upper_limit"].eq(5.0).all() and frame["lower_limit"].eq(5.0).all()
        assert frame["upper_two_sigma"].eq(5.0).all() and frame["lower_two_sigma"].eq(5.0).all()
        assert set(frame["point_type"]) == {CC}


def test_zero_spread_baseline_then_points_off_the_mean():
    # Limits collapse onto 5: a point off the mean is strictly beyond them (rule a);
    # seven in a row are also a shift; two-of-three can never fire.
    seven = xmr([5.0] * 13 + [6.0] * 7, baseline_points=13).iloc[13:]
    assert rules(seven) == ["beyond_limits,shift"] * 7
    six = xmr([5.0] * 13 + [6.0] * 6, baseline_points=13).iloc[13:]
    assert rules(six) == ["beyond_limits"] * 6
    back = xmr([5.0] * 13 + [6.0, 5.0, 5.0], baseline_points=13).iloc[13:]
    assert rules(back) == ["beyond_limits", "", ""]


def test_zero_spread_across_a_gap():
    # Moving ranges 0 and 0 (none across the gap): limits collapse on the mean 6.
    frame = xmr([5.0, 5.0, None, 7.0, 7.0])
    assert frame["upper_limit"].eq(6.0).all()
    assert types(frame) == [CON, CON, "", IMP, IMP]


# --------------------------------------------------------------------------- provisional


def test_provisional_switch_between_12_and_13_points():
    assert xmr([10.0, 12.0] * 6)["provisional"].all()
    assert not xmr([10.0, 12.0] * 6 + [11.0])["provisional"].any()
    long = [10.0, 12.0] * 10
    assert xmr(long, baseline_points=12)["provisional"].all()
    assert not xmr(long, baseline_points=13)["provisional"].any()


def test_provisional_is_per_section():
    frame = xmr([10.0, 12.0] * 7 + [20.0, 22.0] * 3, rebase_at=[14])
    assert not frame["provisional"].iloc[:14].any()
    assert frame["provisional"].iloc[14:].all()


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"improvement": "up"}, "improvement must be one of"),
        ({"shift_points": 8}, "shift_points must be 6 or 7"),
        ({"shift_points": 5}, "shift_points must be 6 or 7"),
        ({"trend_points": 9}, "trend_points must be 6 or 7"),
        ({"baseline_points": 1}, "baseline_points must be at least 2"),
        ({"baseline_points": 0}, "baseline_points must be at least 2"),
        ({"baseline_points": 2.5}, "baseline_points must be a whole number"),
        ({"rebase_at": [5, 3]}, "strictly increasing"),
        ({"rebase_at": [4, 4]}, "strictly increasing"),
        ({"rebase_at": [10]}, "out of range"),
        ({"rebase_at": [0]}, "out of range"),
        ({"rebase_at": [-1]}, "out of range"),
        ({"target": float("nan")}, "target must be a finite number"),
        ({"screen_outliers": "yes"}, "screen_outliers must be True or False"),
    ],
)
def test_invalid_arguments(kwargs, message):
    kwargs = dict(kwargs)
    improvement = kwargs.pop("improvement", "increase")
    with pytest.raises(ValueError, match=message):
        xmr([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], improvement, **kwargs)


@pytest.mark.parametrize("values", [["a", 1.0], [1.0, float("inf")], "12345"])
def test_invalid_values(values):
    with pytest.raises(ValueError, match="values must be"):
        xmr(values)


# --------------------------------------------------------------------------- icons


@pytest.mark.parametrize(
    ("extra", "improvement", "icon"),
    [
        ([13.0] * 7, "increase", "special_cause_improvement_high"),
        ([13.0] * 7, "decrease", "special_cause_concern_high"),
        ([11.0] * 6, "increase", "special_cause_concern_low"),
        ([11.0] * 6, "decrease", "special_cause_improvement_low"),
        ([13.0] * 7, "neutral", "special_cause_neutral_high"),
        ([11.0] * 6, "neutral", "special_cause_neutral_low"),
        ([13.0] * 6, "increase", "common_cause"),
    ],
)
def test_variation_icon(extra, improvement, icon):
    frame = xmr(BASE + extra, improvement, baseline_points=NB)
    assert variation_icon(frame, improvement) == icon


def test_variation_icon_uses_last_non_missing_point():
    frame = xmr(BASE + [13.0] * 7 + [None, None], baseline_points=NB)
    assert variation_icon(frame, "increase") == "special_cause_improvement_high"


def test_variation_icon_rejects_wrong_direction_and_no_data():
    frame = xmr(BASE + [13.0] * 7, "increase", baseline_points=NB)
    with pytest.raises(ValueError):
        variation_icon(frame, "decrease")
    with pytest.raises(ValueError, match="no non-missing value"):
        variation_icon(xmr([None, None]), "increase")


@pytest.mark.parametrize(
    ("improvement", "target", "icon"),
    [
        ("increase", 25.0, "consistent_fail"),
        ("increase", 0.0, "consistent_pass"),
        ("increase", 12.0, "hit_or_miss"),
        ("decrease", 25.0, "consistent_pass"),
        ("decrease", 0.0, "consistent_fail"),
        ("decrease", 12.0, "hit_or_miss"),
        ("increase", None, None),
        ("decrease", None, None),
        ("neutral", 25.0, None),
    ],
)
def test_assurance_icon(improvement, target, icon):
    frame = xmr(BASE, improvement)
    assert assurance_icon(frame, improvement, target) == icon


def test_assurance_target_exactly_on_limit_is_hit_or_miss():
    frame = xmr(BASE)
    assert assurance_icon(frame, "increase", frame["upper_limit"].iloc[-1]) == "hit_or_miss"
    assert assurance_icon(frame, "increase", frame["lower_limit"].iloc[-1]) == "hit_or_miss"


def test_assurance_uses_latest_section_limits():
    frame = xmr([10.0, 12.0] * 7 + [40.0, 42.0] * 7, rebase_at=[14])
    assert assurance_icon(frame, "increase", 30.0) == "consistent_pass"


def test_target_column():
    assert xmr(BASE, target=15)["target"].eq(15.0).all()
    assert xmr(BASE)["target"].isna().all()


def test_icon_labels_cover_every_icon_with_symbol_and_words():
    icons = {
        "common_cause",
        "special_cause_improvement_high", "special_cause_improvement_low",
        "special_cause_concern_high", "special_cause_concern_low",
        "special_cause_neutral_high", "special_cause_neutral_low",
        "consistent_pass", "consistent_fail", "hit_or_miss",
    }
    assert icons <= set(ICON_LABELS)
    for name in icons:
        symbol, words = ICON_LABELS[name]
        assert symbol and len(words) > 10
    assert ICON_LABELS["special_cause_concern_high"][0] != ICON_LABELS["special_cause_concern_low"][0]
    assert MDC_COLOURS["improvement"].lower() == "#289de0"
    assert MDC_COLOURS["concern"].lower() == "#fab428"
    assert MDC_COLOURS["neutral"].lower() == "#361475"
    assert MDC_COLOURS["common_cause"].lower() == "#7b7d7d"


# --------------------------------------------------------------------------- describe


def test_describe_shift_of_concern():
    frame = xmr(BASE + [13.0] * 7, "decrease", baseline_points=NB)
    text = describe(frame, "decrease", "Re-referral rate", "2013–2019 baseline", since="the partnership began")
    assert text == (
        "Re-referral rate: 7 points in a row above the 2013–2019 baseline mean "
        "since the partnership began — special cause of concern"
    )


def test_describe_common_cause_only():
    frame = xmr(BASE, "decrease")
    assert describe(frame, "decrease", "Re-referral rate", "2013–2019 baseline") == (
        "Re-referral rate: no sign of deterioration against the 2013–2019 baseline "
        "(common cause variation only)"
    )


def test_describe_mentions_provisional_limits():
    frame = xmr([10.0, 12.0] * 5, "increase")
    assert "provisional limits (fewer than 13 points)" in describe(frame, "increase", "X", "baseline")


def test_describe_does_not_hide_earlier_concern():
    frame = xmr(BASE + [22.0, 5.0, 1.0, 12.0], "increase", baseline_points=NB)
    assert frame["point_type"].iloc[-1] == CC
    text = describe(frame, "increase", "X", "2013–2019 baseline")
    assert "common cause variation only" not in text
    assert "1 earlier point showed special cause of concern" in text


def test_describe_other_rules_and_neutral():
    trend = xmr(BASE + RISING7, "increase", baseline_points=NB)
    assert "7 points in a row rising" in describe(trend, "increase", "X", "b")
    beyond = xmr(BASE + [30.0], "neutral", baseline_points=NB)
    text = describe(beyond, "neutral", "X", "2019 baseline")
    assert "above the upper process limit" in text and "higher than expected" in text
    two = xmr(BASE + [20.0, 13.0, 20.0], "increase", baseline_points=NB)
    assert "2 of the last 3 points close to the upper process limit" in describe(two, "increase", "X", "b")
    assert "no data" in describe(xmr([None]), "increase", "X", "b")


# --------------------------------------------------------------------------- properties

scattered = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=12).map(float),
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
        st.none(),
    ),
    min_size=0,
    max_size=40,
)


@st.composite
def structured(draw):
    """Random walks and level steps with occasional gaps: many runs, trends and clashes."""
    level = draw(st.integers(min_value=-20, max_value=20))
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        kind = draw(st.sampled_from(["walk", "flat", "jump"]))
        length = draw(st.integers(min_value=1, max_value=10))
        for _ in range(length):
            if kind == "walk":
                level += draw(st.integers(min_value=-1, max_value=3))
            elif kind == "jump":
                level += draw(st.integers(min_value=-15, max_value=15))
            out.append(None if draw(st.integers(min_value=0, max_value=12)) == 0 else float(level))
    return out


values_strategy = st.one_of(scattered, structured())


@settings(max_examples=100, deadline=None)
@given(values=values_strategy, screen=st.booleans())
def test_limits_are_symmetric_about_the_mean(values, screen):
    frame = xmr(values, screen_outliers=screen)
    assert len(frame) == len(values)
    for row in frame.itertuples():
        if math.isnan(row.upper_limit):
            continue
        scale = max(1.0, abs(row.mean), row.upper_limit - row.mean)
        assert math.isclose(row.upper_limit - row.mean, row.mean - row.lower_limit, abs_tol=1e-9 * scale)
        assert math.isclose(
            row.upper_two_sigma - row.mean, row.mean - row.lower_two_sigma, abs_tol=1e-9 * scale
        )
        assert row.lower_limit <= row.lower_two_sigma <= row.mean <= row.upper_two_sigma <= row.upper_limit


@st.composite
def chart_arguments(draw):
    values = draw(values_strategy)
    n = len(values)
    rebase = sorted(draw(st.sets(st.integers(min_value=1, max_value=max(1, n - 1)), max_size=3))) if n > 1 else []
    return {
        "values": values,
        "baseline_points": draw(st.one_of(st.none(), st.integers(min_value=2, max_value=30))),
        "rebase_at": rebase,
        "shift_points": draw(st.sampled_from([6, 7])),
        "trend_points": draw(st.sampled_from([6, 7])),
        "screen_outliers": draw(st.booleans()),
    }


@settings(max_examples=100, deadline=None)
@given(arguments=chart_arguments())
def test_reversing_direction_swaps_improvement_and_concern_only(arguments):
    values = arguments.pop("values")
    up = xmr(values, "increase", **arguments)
    down = xmr(values, "decrease", **arguments)
    # Nothing but point_type may differ.
    others = [c for c in up.columns if c != "point_type"]
    pd.testing.assert_frame_equal(up[others], down[others])
    swap = {IMP: CON, CON: IMP, CC: CC, "": ""}
    for side, a, b in zip(up["signal_side"], up["point_type"], down["point_type"]):
        if side == "both":  # improvement shown either way (MDC precedence)
            assert a == b == IMP
        else:
            assert b == swap[a]


@settings(max_examples=100, deadline=None)
@given(arguments=chart_arguments(), improvement=st.sampled_from(["increase", "decrease", "neutral"]))
def test_frame_invariants(arguments, improvement):
    values = arguments.pop("values")
    frame = xmr(values, improvement, **arguments)
    missing = frame["value"].isna()
    assert (frame.loc[missing, "point_type"] == "").all()
    assert frame.loc[~missing, "point_type"].isin(POINT_TYPES).all()
    for text, kind in zip(frame["rules"], frame["point_type"]):
        fired = text.split(",") if text else []
        assert set(fired) <= set(RULE_NAMES)
        assert (kind in (CC, "")) == (not fired)
    if improvement == "neutral":
        assert not frame["point_type"].isin([IMP, CON]).any()
    else:
        assert not frame["point_type"].str.startswith("special_cause_neutral").any()
    if (~missing).any():
        variation_icon(frame, improvement)
        describe(frame, improvement, "X", "baseline")

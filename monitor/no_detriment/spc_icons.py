"""The Making Data Count icons and sentence for an XmR result: the variation icon (latest point),
the assurance icon (target against the process limits) and `describe`, in words, symbols and colours."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from monitor.formatting import counted
from monitor.no_detriment.spc import POINT_TYPES
from monitor.no_detriment.spc_inputs import _check_direction, _check_target

MDC_COLOURS: dict[str, str] = {
    "improvement": "#289de0",
    "concern": "#fab428",
    "neutral": "#361475",
    "common_cause": "#7B7D7D",
}


POINT_TYPE_COLOURS: dict[str, str] = {
    "common_cause": MDC_COLOURS["common_cause"],
    "special_cause_improvement": MDC_COLOURS["improvement"],
    "special_cause_concern": MDC_COLOURS["concern"],
    "special_cause_neutral_high": MDC_COLOURS["neutral"],
    "special_cause_neutral_low": MDC_COLOURS["neutral"],
}


# Symbol + plain words for every icon, so screens never rely on colour alone.
ICON_LABELS: dict[str, tuple[str, str]] = {
    "common_cause": ("●", "Common cause variation — no significant change"),
    "special_cause_improvement_high": ("▲", "Special cause of improvement — higher than expected"),
    "special_cause_improvement_low": ("▼", "Special cause of improvement — lower than expected"),
    "special_cause_concern_high": ("▲", "Special cause of concern — higher than expected"),
    "special_cause_concern_low": ("▼", "Special cause of concern — lower than expected"),
    "special_cause_neutral_high": ("▲", "Special cause variation — higher than expected"),
    "special_cause_neutral_low": ("▼", "Special cause variation — lower than expected"),
    "consistent_pass": ("✓", "Will consistently meet the target — the target is outside the process limits"),
    "consistent_fail": ("✗", "Will consistently miss the target — the target is outside the process limits"),
    "hit_or_miss": ("?", "Will hit or miss the target by chance — the target is within the process limits"),
}


def _check_frame_direction(frame: pd.DataFrame, improvement: str) -> None:
    made_with = frame.attrs.get("improvement")
    if made_with is not None and made_with != improvement:
        raise ValueError(
            f"this frame was computed with improvement={made_with!r}, not {improvement!r}"
        )


def _last_present(frame: pd.DataFrame) -> int | None:
    present = np.flatnonzero(frame["value"].notna().to_numpy())
    return int(present[-1]) if present.size else None


def _icon_side(point_type: str, improvement: str) -> str:
    if point_type in ("special_cause_neutral_high", "special_cause_neutral_low"):
        return point_type.rsplit("_", 1)[1]
    good = {"increase": "high", "decrease": "low"}[improvement]
    bad = {"increase": "low", "decrease": "high"}[improvement]
    return good if point_type == "special_cause_improvement" else bad


def variation_icon(frame: pd.DataFrame, improvement: str) -> str:
    """MDC variation icon name from the last non-missing point of an :func:`xmr` frame.

    Raises ValueError when the frame has no non-missing value or its point types do
    not fit ``improvement``.
    """
    improvement = _check_direction(improvement)
    _check_frame_direction(frame, improvement)
    last = _last_present(frame)
    if last is None:
        raise ValueError("no non-missing value to take a variation icon from")
    kind = frame["point_type"].iloc[last]
    if kind == "common_cause":
        return "common_cause"
    neutral_type = kind.startswith("special_cause_neutral")
    if kind not in POINT_TYPES or neutral_type != (improvement == "neutral"):
        raise ValueError(f"point type {kind!r} does not fit improvement={improvement!r}")
    if neutral_type:
        return kind
    return f"{kind}_{_icon_side(kind, improvement)}"


def assurance_icon(frame: pd.DataFrame, improvement: str, target: float | None) -> str | None:
    """MDC assurance icon: the target against the latest process limits.

    "consistent_fail" when the target is strictly beyond the limit on the bad side
    (above the upper limit when higher is better), "consistent_pass" when strictly
    beyond the good side, "hit_or_miss" otherwise (a target exactly on a limit is
    hit or miss).  None when there is no target, the direction is neutral, or the
    latest limits could not be computed.
    """
    improvement = _check_direction(improvement)
    target_value = _check_target(target)
    if target_value is None or improvement == "neutral" or len(frame) == 0:
        return None
    _check_frame_direction(frame, improvement)
    lower = float(frame["lower_limit"].iloc[-1])
    upper = float(frame["upper_limit"].iloc[-1])
    if math.isnan(lower) or math.isnan(upper):
        return None
    if target_value > upper:
        return "consistent_fail" if improvement == "increase" else "consistent_pass"
    if target_value < lower:
        return "consistent_pass" if improvement == "increase" else "consistent_fail"
    return "hit_or_miss"


def describe(
    frame: pd.DataFrame,
    improvement: str,
    indicator_name: str,
    baseline_label: str,
    *,
    since: str | None = None,
) -> str:
    """One plain-English sentence on the latest position of an :func:`xmr` frame.

    ``baseline_label`` names what the limits were drawn from, e.g.
    "2013–2019 baseline"; ``since`` optionally names the monitoring period, e.g.
    "the partnership began".  Example outputs::

        Re-referral rate: 7 points in a row above the 2013–2019 baseline mean
        since the partnership began — special cause of concern

        Re-referral rate: no sign of deterioration against the 2013–2019
        baseline (common cause variation only)

    When the latest point is common cause but earlier points were special cause
    the sentence says so rather than claiming common cause variation only.
    """
    improvement = _check_direction(improvement)
    _check_frame_direction(frame, improvement)
    when = f" since {since}" if since else ""
    last = _last_present(frame)
    if last is None:
        return f"{indicator_name}: no data available to assess against the {baseline_label}{when}"

    row = frame.iloc[last]
    kind = row["point_type"]
    caveat = "; provisional limits (fewer than 13 points)" if bool(row["provisional"]) else ""

    if kind == "common_cause":
        earlier = frame["point_type"].iloc[:last]
        if improvement == "neutral":
            count = int(earlier.str.startswith("special_cause").sum())
            if count == 0:
                return (
                    f"{indicator_name}: no sign of change against the {baseline_label}{when} "
                    f"(common cause variation only){caveat}"
                )
            found = f"{counted(count, 'earlier point')} showed special cause variation"
        else:
            concern = int((earlier == "special_cause_concern").sum())
            better = int((earlier == "special_cause_improvement").sum())
            mixed = int(
                ((earlier == "special_cause_improvement") & (frame["signal_side"].iloc[:last] == "both")).sum()
            )
            if concern == 0 and better == 0:
                return (
                    f"{indicator_name}: no sign of deterioration against the {baseline_label}{when} "
                    f"(common cause variation only){caveat}"
                )
            parts = []
            if concern:
                parts.append(f"{counted(concern, 'earlier point')} showed special cause of concern")
            if better:
                parts.append(
                    f"{better} of improvement" if concern
                    else f"{counted(better, 'earlier point')} showed special cause of improvement"
                )
            found = " and ".join(parts)
            if mixed:
                found += f" ({mixed} of them also meeting a rule for concern)"
        return (
            f"{indicator_name}: latest point within expected variation against the "
            f"{baseline_label}{when}, but {found}{caveat}"
        )

    if kind not in POINT_TYPES or kind.startswith("special_cause_neutral") != (improvement == "neutral"):
        raise ValueError(f"point type {kind!r} does not fit improvement={improvement!r}")
    side = _icon_side(kind, improvement)
    word = "above" if side == "high" else "below"
    limit = "upper" if side == "high" else "lower"
    sign = 1 if side == "high" else -1

    # Non-missing values of the latest point's section, up to and including it.
    keep = (frame["section"].to_numpy() == row["section"]) & frame["value"].notna().to_numpy()
    keep[last + 1 :] = False
    values = frame["value"].to_numpy()[keep]
    centre = float(row["mean"])
    fired = set(row["rules"].split(","))

    if "shift" in fired and np.sign(values[-1] - centre) == sign:
        run = 0
        for value in values[::-1]:
            if np.sign(value - centre) != sign:
                break
            run += 1
        phrase = f"{run} points in a row {word} the {baseline_label} mean"
    elif "trend" in fired and len(values) >= 2 and np.sign(values[-1] - values[-2]) == sign:
        run = 1
        for later, before in zip(values[::-1], values[-2::-1]):
            if np.sign(later - before) != sign:
                break
            run += 1
        phrase = f"{run} points in a row {'rising' if sign > 0 else 'falling'}"
    elif "beyond_limits" in fired and np.sign(values[-1] - centre) == sign:
        phrase = f"latest point {word} the {limit} process limit of the {baseline_label}"
    elif "two_of_three" in fired:
        lower, upper = float(row["lower_limit"]), float(row["upper_limit"])
        lower2, upper2 = float(row["lower_two_sigma"]), float(row["upper_two_sigma"])
        last3 = values[-3:]
        near = (last3 > upper2) & (last3 <= upper) if sign > 0 else (last3 < lower2) & (last3 >= lower)
        phrase = (
            f"{int(near.sum())} of the last 3 points close to the {limit} process limit "
            f"of the {baseline_label}"
        )
    else:  # pragma: no cover - every special-cause point matches one branch above
        phrase = f"latest point {word} what the {baseline_label} predicts"

    if kind == "special_cause_improvement":
        verdict = "special cause of improvement"
        if row["signal_side"] == "both":
            verdict += " (the same point also meets a rule for concern)"
    elif kind == "special_cause_concern":
        verdict = "special cause of concern"
    else:
        verdict = f"special cause variation ({'higher' if side == 'high' else 'lower'} than expected)"
    return f"{indicator_name}: {phrase}{when} — {verdict}{caveat}"

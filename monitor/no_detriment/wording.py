"""How the No-detriment page words values, changes, periods and the SPC rules, and its method note."""
from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.values import number

MINUS = "\u2212"
METHOD = (
    "Each chart is an XmR chart following NHS England's *Making Data Count*.",
    "**Baseline:** the years up to the end of the indicator's baseline period, before the "
    "partnership began. The centre line is their average; the limits are fixed on them and extended "
    "across the years since, never recalculated.",
    "**Process limits:** average ± 2.66 × the average moving range (the difference between one year "
    "and the next) of the baseline. Moving-range outliers are not screened out (as in MDC's Excel tool). "
    "A measure that cannot be negative (a percentage, a caseload) has a lower limit below 0 drawn at 0, "
    "and the chart says so.",
    "**Left out of the limits (ghosted):** an officer may leave a published figure out of the limits "
    "with a stated reason (the Data page's table *Indicator values left out of SPC limits*): the figure "
    "stays as published, is drawn hollow with the reason on hover and in the table, and the verdict "
    "says so. Taking the row away brings the point back.",
    "**Special causes:** a point beyond a process limit; 7 points in a row on one side of the average "
    "(a point on the average breaks the run); 7 points in a row each higher, or each lower, than the one "
    "before (a tie breaks it); 2 of 3 points beyond two-thirds of the way to a limit, all three on "
    "that side. Whether a special cause is good or bad follows the indicator's direction.",
    "**What is judged:** the points from the programme's start to its end. Points after the programme "
    "closed are drawn apart, greyed, and never judged.",
    "**Verdict, on the current state:** *Concern now* when the latest point is a special cause of concern "
    "(beyond a limit in the worse direction, or part of a run, trend or 2-of-3 in the worse direction that "
    "includes it) or beyond the no-detriment line; *Earlier concern, since recovered* when an earlier point "
    "was a special cause of concern but the latest is not; *Improved* when the latest point is a special "
    "cause of improvement; *No significant change* otherwise; *No data since the partnership began* when "
    "there is no point to judge. Only *Concern now* counts as a concern, on this page, the Overview, the "
    "overall status and the reports.",
    "**Provisional limits:** limits from fewer than 13 baseline points are provisional (dashed on the "
    "chart). The workforce series start in 2017, so their baselines have only two or three points: "
    "read their limits as a first estimate.",
    "**Gaps:** years DfE did not publish (suppressed) are gaps — never zero, never filled in; no moving "
    "range spans a gap.",
    "**Icons:** the variation icon describes the latest point; the assurance icon compares the "
    "no-detriment line (the target, or the baseline average moved by the tolerance in the bad "
    "direction) with the process limits.",
    "**Context:** the same DfE measure for the council's 10 statistical neighbours (DfE 2025 model) and "
    "England: each area's change from its own average over the baseline years to the latest year. The "
    "council moved differently from its neighbours when its change is beyond all of theirs.",
)

# Chart marks that are not icons, in words (the legend).
CHART_MARKS = (
    ("●", "Chart point: common cause variation (grey circle)"),
    ("■", "Chart point: special cause of improvement (blue square)"),
    ("◆", "Chart point: special cause of concern (orange diamond)"),
    ("▲ / ▼", "Chart point: special cause variation, higher / lower, for a measure with no better direction (purple)"),
    ("○", "Chart point: left out of the limits by an officer (hollow), the reason on hover and in the table"),
    ("◌", "Chart point: after the programme closed (greyed, on a shaded band): drawn, never judged"),
    ("✕", "Chart mark: a year DfE did not publish (a gap, never zero)"),
    ("- - -", "Dashed process limits: provisional (fewer than 13 baseline points)"),
)


def legend() -> "pd.DataFrame":
    """Every symbol on the page in words: the verdicts, the MDC variation and assurance icons, the
    chart's marks."""
    from monitor.no_detriment.spc_icons import ICON_LABELS
    from monitor.no_detriment.verdicts import VERDICT_MEANINGS, VERDICTS

    rows = [("Verdict", symbol, f"{word}: {VERDICT_MEANINGS[key]}") for key, (word, symbol) in VERDICTS.items()]
    rows += [("Variation (latest point)" if not name.startswith(("consistent", "hit")) else "Assurance (no-detriment line)",
              symbol, words) for name, (symbol, words) in ICON_LABELS.items()]
    rows += [("Chart", symbol, words) for symbol, words in CHART_MARKS]
    return pd.DataFrame(rows, columns=["What", "Symbol", "Meaning"])


RULE_WORDS = {
    "beyond_limits": {"high": "above the upper process limit", "low": "below the lower process limit",
                      "both": "beyond a process limit"},
    "shift": {"high": "in a run of {n}+ points above the average", "low": "in a run of {n}+ points below the average",
              "both": "in a run of {n}+ points on one side of the average"},
    "trend": {"high": "in {n}+ points in a row rising", "low": "in {n}+ points in a row falling",
              "both": "in {n}+ points in a row rising or falling"},
    "two_of_three": {"high": "2 of 3 points close to the upper limit", "low": "2 of 3 points close to the lower limit",
                     "both": "2 of 3 points close to a limit"},
}


def format_value(value, unit: str = "") -> str:
    """'41.0%' / '16.1 cases per FTE' / '–' for a gap."""
    v = number(value)
    if v is None:
        return "–"
    text = f"{v:,.1f}".replace("-", MINUS)
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".rstrip()


def format_change(change, unit: str = "") -> str:
    """'+12.5 points' (percentages change by percentage points), '−0.4 cases per FTE'."""
    v = number(change)
    if v is None:
        return "–"
    v = round(v, 1) + 0.0  # no '−0.0'
    sign = "+" if v > 0 else MINUS if v < 0 else "±"
    word = "points" if unit == "%" else unit
    return f"{sign}{abs(v):,.1f} {word}".rstrip()


def period_word(dates: pd.Series) -> str:
    """'years' for annual data, 'quarters', 'months', else 'points'."""
    d = pd.to_datetime(pd.Series(dates)).dropna().to_numpy(dtype="datetime64[ns]")
    if len(d) < 2:
        return "points"
    # Whole days between consecutive dates (as pandas' .dt.days counts them), without a Series each.
    days = float(np.median(np.diff(np.sort(d)) // np.timedelta64(1, "D")))
    if days >= 300:
        return "years"
    if 80 <= days <= 100:
        return "quarters"
    if 27 <= days <= 32:
        return "months"
    return "points"


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") else word


def _list(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def list_labels(labels) -> str:
    """Periods named in a sentence: 'Sep 2020', 'Sep 2020 and Sep 2021', or 'Sep 2018 to Sep 2024
    (7 years)' when there are more than three."""
    labels = [str(v) for v in labels]
    if len(labels) > 3:
        return f"{labels[0]} to {labels[-1]} ({len(labels)} points)"
    return _list(labels)


def rule_text(rules: str, side: str, shift_points: int = 7) -> str:
    """The rules that fired on a point, in words: 'above the upper process limit; in a run of 7+ ...'."""
    if not rules:
        return ""
    side = side if side in ("high", "low", "both") else "both"
    return "; ".join(RULE_WORDS[r][side].format(n=shift_points) for r in rules.split(",") if r in RULE_WORDS)

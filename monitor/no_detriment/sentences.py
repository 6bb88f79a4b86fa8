"""Each indicator's verdict in one sentence a chief executive can read out: the verdict's words, what
the latest point is and why, the earlier concern and when it ended, and the caveats (provisional
limits, years DfE did not publish, points an officer left out of the limits and why, points after
the programme closed)."""
from __future__ import annotations

import numpy as np

from monitor.no_detriment.verdicts import (AFTER, BEFORE, CONCERN_NOW, EARLIER_CONCERN, IMPROVED, NO_DATA,
                                           POINT_WORDS, SINCE, VERDICTS, WORSE_SIDE)
from monitor.no_detriment.wording import _list, _singular, format_value, list_labels

BETTER_SIDE = {"increase": "high", "decrease": "low"}


def _side_words(side: str) -> tuple[str, str, str]:
    """(above/below, upper/lower, higher/lower) for a high or low side."""
    return ("above", "upper", "higher") if side == "high" else ("below", "lower", "lower")


def _run(frame, flags: np.ndarray, k: int) -> tuple[int, int, int]:
    """(first, last, count) of the run of flagged published points holding row k (gaps skipped)."""
    values = frame["value"].to_numpy(dtype=float)
    present = np.flatnonzero(~np.isnan(values) & ~frame["excluded"].to_numpy())
    pos = int(np.searchsorted(present, k))
    lo = hi = pos
    while lo > 0 and flags[present[lo - 1]]:
        lo -= 1
    while hi < len(present) - 1 and flags[present[hi + 1]]:
        hi += 1
    return int(present[lo]), int(present[hi]), hi - lo + 1


def _rule_flags(frame, rule: str) -> np.ndarray:
    return np.array([rule in str(r).split(",") for r in frame["rules"]])


def _why(a, rows: list[int], side: str, only: set[str] | None = None) -> list[str]:
    """Why the points ``rows`` are special causes on ``side`` (high or low), rule by rule (``only``
    those rules, when given)."""
    f = a.frame
    labels = f["period_label"].astype(str).tolist()
    word, limit, way = _side_words(side)
    fired, sides = f["rules"].to_numpy(), f["signal_side"].to_numpy()
    rules = [set(str(fired[i]).split(",")) & (only if only is not None else {"beyond_limits", "shift",
                                                                             "trend", "two_of_three"})
             for i in rows]
    phrases = []
    beyond = [i for i, r in zip(rows, rules) if "beyond_limits" in r and sides[i] in (side, "both")]
    if beyond:
        bound = f["upper_limit" if side == "high" else "lower_limit"].iloc[beyond[0]]
        phrases.append(f"{word} the {limit} process limit ({format_value(bound, a.unit)}) in "
                       f"{list_labels([labels[i] for i in beyond])}")
    for rule in ("shift", "trend"):
        at = [i for i, r in zip(rows, rules) if rule in r]
        if not at:
            continue
        first, last, count = _run(f, _rule_flags(f, rule), at[-1])
        periods = a.periods if count != 1 else _singular(a.periods)
        what = (f"{word} the baseline average" if rule == "shift" else f"each {way} than the one before")
        phrases.append(f"{count} {periods} in a row {what} ({labels[first]} to {labels[last]})")
    close = [i for i, r in zip(rows, rules) if "two_of_three" in r]
    if close:
        phrases.append(f"2 of 3 {a.periods} close to the {limit} process limit ({_list([labels[i] for i in close])})")
    return phrases


def _latest(a) -> str:
    """'latest Sep 2025 13.5 cases per FTE'."""
    row = a.latest
    return f"latest {row['period_label']} {format_value(row['value'], a.unit)}"


def _latest_kind(a) -> str:
    kind = a.latest["point_type"]
    if kind == "special_cause_improvement":
        return "a special cause of improvement"
    if kind == "common_cause":
        return "within the expected variation"
    return POINT_WORDS.get(kind, "").lower().replace("special cause", "a special cause") or "not judged"


def _line(a) -> str:
    word = "target" if a.threshold_kind == "target" else "no-detriment tolerance line"
    return f"beyond the {word} ({format_value(a.threshold, a.unit)})"


def _caveats(a) -> str:
    # The frame's columns as arrays, masked once: a frame's filter costs more than these few rows do.
    f = a.frame
    labels = f["period_label"].to_numpy()
    part = f["part"].to_numpy()
    excluded = f["excluded"].to_numpy(dtype=bool)
    out = []
    if a.provisional and a.verdict != NO_DATA:
        n = a.n_baseline_values
        out.append(f"limits provisional: the baseline has only {n} published "
                   f"{a.periods if n != 1 else _singular(a.periods)}")
    for label, reason in zip(labels[excluded], f["excluded_reason"].to_numpy()[excluded]):
        out.append(f"{label} left out of the limits (ghosted): {reason.strip().rstrip('.')}")
    if a.gaps:
        out.append(f"{_list(a.gaps)} not published by DfE")
    before = labels[part == BEFORE].tolist()
    if before:
        out.append(f"{_list(before)} before the programme began: not judged")
    after = labels[part == AFTER].tolist()
    if after:
        words, when = a.after_words
        out.append(f"{list_labels(after)} {words}{f' ({when})' if when else ''}: not judged")
    return f" ({'; '.join(out)})" if out else ""


def sentence(a) -> str:
    """The verdict sentence of an Assessment (monitor.no_detriment.assessment)."""
    word = VERDICTS[a.verdict][0]
    base = f"against the {a.baseline_label}"
    head = f"{a.name}: {word[0].lower() + word[1:]}"
    tail = _caveats(a)
    j = a.judgement
    if a.verdict == NO_DATA:
        why = (f"no published figures since {SINCE}" if not a.monitoring["value"].notna().any()
               else "too few published figures to set limits")
        return f"{head} — {why}, so nothing to judge {base}{tail}."
    worse = WORSE_SIDE.get(a.improvement)
    better = BETTER_SIDE.get(a.improvement)
    if a.verdict == CONCERN_NOW:
        reasons, earlier = [], list(j.concern_rows)
        if j.concern_at_latest:
            first, *_ = _run(a.frame, np.isin(np.arange(len(a.frame)), j.concern_rows), j.latest)
            fired = set(str(a.frame["rules"].iloc[j.latest]).split(","))
            reasons += _why(a, [i for i in j.concern_rows if i >= first], worse, only=fired)
            earlier = [i for i in j.concern_rows if i < first]
        if j.beyond_line:
            reasons.append(_line(a))
        then = f"; earlier, {'; '.join(_why(a, earlier, worse))}" if earlier else ""
        return f"{head} — {_latest(a)}: {'; '.join(reasons)}{then}; {base}{tail}."
    if a.verdict == EARLIER_CONCERN:
        last = j.concern_rows[-1]
        after = a.monitoring.index[a.monitoring.index > last]
        after = [i for i in after if not np.isnan(a.frame["value"].iloc[i]) and not a.frame["excluded"].iloc[i]]
        only_beyond = all(set(str(a.frame["rules"].iloc[i]).split(",")) <= {"beyond_limits"} for i in j.concern_rows)
        since = (f", {'back within limits' if only_beyond else 'no special cause of concern'} since "
                 f"{a.frame['period_label'].iloc[after[0]]}" if after else "")
        return (f"{head} — {'; '.join(_why(a, list(j.concern_rows), worse))}{since}; {_latest(a)}, "
                f"{_latest_kind(a)}; {base}{tail}.")
    if a.verdict == IMPROVED:
        first, *_ = _run(a.frame, np.isin(np.arange(len(a.frame)), j.improvement_rows), j.latest)
        rows = [i for i in j.improvement_rows if i >= first]
        return (f"{head} — {'; '.join(_why(a, rows, better))}; {_latest(a)}, a special cause of improvement; "
                f"no special cause of concern since {SINCE}, {base}{tail}.")
    # No significant change
    m = a.monitoring
    n = int(m["value"].notna().sum())
    neutral = m["point_type"].astype(str).str.startswith("special_cause_neutral")
    if a.improvement not in WORSE_SIDE and neutral.any():
        high = (m["point_type"] == "special_cause_neutral_high").any()
        return (f"{head} — {'higher' if high else 'lower'} than the {a.baseline_label} predicts since {SINCE}: "
                f"special cause variation, neither better nor worse by definition; {_latest(a)}{tail}.")
    if j.improvement_rows:
        return (f"{head} now — {_latest(a)}, within the expected variation; earlier "
                f"{'; '.join(_why(a, list(j.improvement_rows), better))} (a special cause of improvement); "
                f"no special cause of concern since {SINCE}, {base}{tail}.")
    return (f"{head} — all {n} {a.periods if n != 1 else _singular(a.periods)} since {SINCE} within the process "
            f"limits, with no run or trend (common cause variation), {base}; {_latest(a)}{tail}.")

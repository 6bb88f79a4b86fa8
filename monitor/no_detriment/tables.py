"""Exactly what the No-detriment charts show, as tables: each XmR chart, the neighbour context and
the summary of every indicator."""
from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.formatting import format_date
from monitor.no_detriment.context import Context
from monitor.no_detriment.spc_icons import ICON_LABELS
from monitor.no_detriment.verdicts import POINT_WORDS, SINCE, Assessment
from monitor.no_detriment.wording import format_value, rule_text


def chart_table(a: Assessment) -> pd.DataFrame:
    """Exactly what the XmR chart shows, one row per period."""
    f = a.frame
    return pd.DataFrame({
        "Period": f["period_label"],
        "Period end": f["period_end_date"].map(format_date),
        "Part": np.where(f["in_baseline"], "Baseline", f"Since {SINCE}"),
        "Value": f["value"].round(2),
        "Average": f["mean"].round(2),
        "Lower process limit": f["lower_limit"].round(2),
        "Upper process limit": f["upper_limit"].round(2),
        "Limits provisional": np.where(f["provisional"], "yes", "no"),
        "Point": f["point_type"].map(POINT_WORDS),
        "Rule that fired": [rule_text(r, s) for r, s in zip(f["rules"], f["signal_side"])],
        "Note": [n if isinstance(n, str) else "" for n in f["note"]],
        "Source": [n if isinstance(n, str) else "" for n in f["source"]],
    })


def context_table(a: Assessment, c: Context, label_of_year: dict[int, str] | None = None) -> pd.DataFrame:
    s = c.series
    labels = label_of_year or {}
    return pd.DataFrame({
        "Period": s["time_period"].map(lambda y: labels.get(int(y), str(y))),
        a.council or "Council": s["council"].round(2),
        "Neighbours' median": s["neighbour_median"].round(2),
        "Neighbours' lowest": s["neighbour_min"].round(2),
        "Neighbours' highest": s["neighbour_max"].round(2),
        "Neighbours published": s["neighbours_published"],
        "England": s["england"].round(2),
    })


def summary_table(assessments: list[Assessment], contexts: dict[str, Context] | None = None) -> pd.DataFrame:
    """The council's indicators with their icons and one sentence each."""
    contexts = contexts or {}
    rows = []
    for a in assessments:
        latest = a.latest
        variation = ICON_LABELS.get(a.variation or "", None)
        assurance = ICON_LABELS.get(a.assurance or "", None)
        c = contexts.get(a.indicator_id)
        line = "–"
        if a.threshold is not None:
            where = {True: " — latest beyond it", False: " — latest within it", None: ""}[a.beyond_threshold]
            line = f"{format_value(a.threshold, a.unit)} ({a.threshold_kind}, illustrative){where}"
        rows.append({
            "Indicator": a.name,
            "Verdict": a.verdict_label,
            "Variation": f"{variation[0]} {variation[1]}" if variation else "–",
            "Assurance": f"{assurance[0]} {assurance[1]}" if assurance else "– no target or tolerance",
            "Latest": f"{format_value(latest['value'], a.unit)} ({latest['period_label']})" if latest is not None else "–",
            "Baseline average": f"{format_value(a.baseline_mean, a.unit)} ({a.baseline_label})",
            "No-detriment line": line,
            "Limits": "provisional" if a.provisional else "firm",
            "What it says": a.sentence,
            "Against neighbours and England": c.sentence if c else "–",
        })
    return pd.DataFrame(rows)


def year_labels(a: Assessment) -> dict[int, str]:
    """The indicator's own period labels by DfE year ('2019-20' for 2020, 'Sep 2019' for 2019)."""
    f = a.frame
    return {int(pd.Timestamp(d).year): str(label) for d, label in zip(f["period_end_date"], f["period_label"])}

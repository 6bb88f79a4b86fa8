"""Exactly what the No-detriment charts show, as tables: each XmR chart, the neighbour context and
the summary of every indicator (one row each, the table people download)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.formatting import format_date
from monitor.no_detriment.context import Context
from monitor.no_detriment.spc_icons import ICON_LABELS
from monitor.no_detriment.assessment import Assessment
from monitor.no_detriment.verdicts import POINT_WORDS, SINCE
from monitor.no_detriment.charts import drawn_limit
from monitor.no_detriment.wording import rule_text


PART_WORDS = {"baseline": "Baseline", "before": "Before the programme began (not judged)",
              "judged": f"Since {SINCE}", "after": "After the programme closed (not judged)"}


def chart_table(a: Assessment) -> pd.DataFrame:
    """Exactly what the XmR chart shows, one row per period; the value, average and limits are in the
    indicator's unit (its Unit column)."""
    f = a.frame
    lower = f["lower_limit"].round(2)
    drawn = [drawn_limit(v, a.unit) if not np.isnan(v) else v for v in f["lower_limit"].to_numpy(dtype=float)]
    points = [("Left out of the limits (ghosted)" if ex else "Not judged" if part == "after" else POINT_WORDS[k])
              for k, ex, part in zip(f["point_type"], f["excluded"], f["part"])]
    table = pd.DataFrame({
        "Period": f["period_label"],
        "Period end": f["period_end_date"].map(format_date),
        "Part": f["part"].map(PART_WORDS),
        "Value": f["value"].round(2),
        "Unit": a.unit or "",
        "Average": f["mean"].round(2),
        "Lower process limit": lower,
        "Upper process limit": f["upper_limit"].round(2),
        "Limits provisional": np.where(f["provisional"], "yes", "no"),
        "Point": points,
        "Rule that fired": [rule_text(r, s) for r, s in zip(f["rules"], f["signal_side"])],
        "Left out of the limits because": f["excluded_reason"],
        "Note": [n if isinstance(n, str) else "" for n in f["note"]],
        "Source": [n if isinstance(n, str) else "" for n in f["source"]],
    })
    if any(d != v for d, v in zip(drawn, f["lower_limit"]) if not np.isnan(v)):
        table.insert(7, "Lower process limit as drawn", np.round(drawn, 2))
    return table


def context_table(a: Assessment, c: Context, label_of_year: dict[int, str] | None = None) -> pd.DataFrame:
    """The council beside its neighbours and England, one row per year, every value in the
    indicator's unit (the Unit column)."""
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
        "Unit": a.unit or "",
    })


SUMMARY_COLUMNS = ["Council", "Indicator", "Unit", "Latest value", "Latest period", "Baseline mean", "Variation",
                   "Assurance", "Verdict", "In words"]


def icon_words(name: str | None, missing: str = "–") -> str:
    """'● Common cause variation — no significant change': an icon as symbol and words."""
    found = ICON_LABELS.get(name or "")
    return f"{found[0]} {found[1]}" if found else missing


def summary_table(assessments: list[Assessment], contexts: dict[str, Context] | None = None) -> pd.DataFrame:
    """One row per indicator, in the words and symbols the page shows (and the CSV and Excel files
    hold): council, indicator, unit, the latest value judged and its period, the baseline mean, the
    variation and assurance icons, the verdict and its sentence (and the neighbours' comparison), and
    the source of the latest value (a link on the page and in the files: ui.sources, monitor.sources)."""
    contexts = contexts or {}
    rows = []
    for a in assessments:
        latest = a.latest
        c = contexts.get(a.indicator_id)
        row = {
            "Council": a.council,
            "Indicator": a.name,
            "Unit": a.unit,
            "Latest value": round(float(latest["value"]), 2) if latest is not None else None,
            "Latest period": str(latest["period_label"]) if latest is not None else "–",
            "Baseline mean": round(a.baseline_mean, 2) if a.baseline_mean is not None else None,
            "Variation": icon_words(a.variation, "– not enough data"),
            "Assurance": icon_words(a.assurance, "– no target or tolerance"),
            "Verdict": a.verdict_label,
            "In words": a.sentence,
        }
        if contexts:
            row["Against neighbours and England"] = c.sentence if c else "–"
        source = latest.get("source") if latest is not None else None
        row["Source"] = source if isinstance(source, str) else ""
        rows.append(row)
    columns = SUMMARY_COLUMNS + (["Against neighbours and England"] if contexts else []) + ["Source"]
    return pd.DataFrame(rows, columns=columns)


def year_labels(a: Assessment) -> dict[int, str]:
    """The indicator's own period labels by DfE year ('2019-20' for 2020, 'Sep 2019' for 2019)."""
    f = a.frame
    return {int(pd.Timestamp(d).year): str(label) for d, label in zip(f["period_end_date"], f["period_label"])}

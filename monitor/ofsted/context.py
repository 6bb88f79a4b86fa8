"""How a council's latest Ofsted grade compares: its statistical neighbours' latest grades in DfE's
order, and the share of each grade among its neighbours and across England (a latest inspection with
no overall judgement counted as such, never given a grade)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import format_date
from monitor.ofsted.grades import GRADES, no_overall_text
from monitor.ofsted.trajectory import NO_OVERALL
from monitor.values import rows_of


def neighbours_latest(neighbours: pd.DataFrame, latest: pd.DataFrame, code: str) -> pd.DataFrame:
    """The council's statistical neighbours in DfE's order with their latest overall grade (or that
    their latest inspection had no overall judgement)."""
    mine = rows_of(neighbours[neighbours["ons_code"] == code])
    versions = latest["framework_version"].tolist() if "framework_version" in latest else [None] * len(latest)
    known = dict(zip(latest["ons_code"].tolist(), zip(latest["grade"].tolist(), latest["date"].tolist(), versions)))
    rows = []
    for r in sorted(mine, key=lambda r: r["neighbour_rank"]):  # a rank is a council's neighbour once (the key)
        grade, date, version = known.get(r["neighbour_ons_code"], (None, None, None))
        if not isinstance(grade, str):
            grade = no_overall_text(version) if date is not None and version else "no graded inspection"
        rows.append({"Neighbour (DfE order)": r["neighbour_rank"], "Council": r["neighbour_name"],
                     "Closeness": r["closeness"] if isinstance(r["closeness"], str) else "",
                     "Latest overall effectiveness": grade, "Inspected": format_date(date)})
    return pd.DataFrame(rows, columns=["Neighbour (DfE order)", "Council", "Closeness", "Latest overall effectiveness",
                                       "Inspected"])


def grade_distribution(latest: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """For each group of councils (label -> codes): how many have each latest overall grade, and the
    share; councils whose latest inspection had no overall judgement counted apart (a row of their
    own only when there are any)."""
    rows = []
    everyone = list(zip(latest["ons_code"].tolist(), latest["grade"].tolist()))
    none_anywhere = any(pd.isna(g) for _, g in everyone)
    for label, codes in groups.items():
        wanted = set(codes)
        grades = [g for c, g in everyone if c in wanted]
        total = len(grades)
        for grade in [*GRADES, *([NO_OVERALL] if none_anywhere else [])]:
            n = sum(pd.isna(g) for g in grades) if grade == NO_OVERALL else sum(g == grade for g in grades)
            rows.append({"Group": label, "Grade": grade, "Councils": n,
                         "Per cent": round(100 * n / total, 1) if total else 0.0})
    return pd.DataFrame(rows, columns=["Group", "Grade", "Councils", "Per cent"])


def context_figure(dist: pd.DataFrame, name: str) -> go.Figure:
    """Share of councils at each latest grade: statistical neighbours beside England. Context, not
    a ranking: no council is placed above another."""
    data = []
    rows = rows_of(dist)
    for label, colour, pattern in zip(dict.fromkeys(r["Group"] for r in rows), ("#1d70b8", "#6f777b"), ("", "/")):
        part = [r for r in rows if r["Group"] == label]
        data.append({
            "type": "bar", "orientation": "h", "name": label, "y": [r["Grade"] for r in part],
            "x": [r["Per cent"] for r in part], "text": [f"{r['Per cent']:.0f}% ({r['Councils']})" for r in part],
            "textposition": "outside",
            "marker": {"color": colour, "pattern": {"shape": pattern}},
            "hovertemplate": "%{y}: %{x:.1f}% of " + label + "<extra></extra>"})
    shown = {r["Grade"] for r in rows}
    categories = [c for c in [NO_OVERALL, *reversed(GRADES)] if c in shown] or list(reversed(GRADES))
    categories = [c for c in categories if c != NO_OVERALL] + ([NO_OVERALL] if NO_OVERALL in categories else [])
    words = {"Requires improvement to be good": "Requires improvement<br>to be good",
             NO_OVERALL: "No overall<br>judgement"}
    layout = {
        "title": {"text": f"Latest grades beside {name}"}, "barmode": "group", "height": 470,
        "legend": {"orientation": "h", "y": -0.2}, "margin": {"t": 60, "l": 10, "r": 10},
        "xaxis": {"title": {"text": "Per cent of councils"}, "range": [0, 100]},
        "yaxis": {"title": {"text": "Latest overall effectiveness"}, "categoryorder": "array",
                  "categoryarray": categories, "tickvals": categories, "ticktext": [words.get(c, c) for c in categories]},
    }
    return go.Figure({"data": data, "layout": layout})


def context_summary(name: str, own: pd.DataFrame, dist: pd.DataFrame) -> str:
    """E.g. 'West Sussex's latest grade is Requires improvement to be good; 6 of its 10 statistical
    neighbours and 58% of councils in England are Good or better.'"""
    parts = []
    if own.empty:
        parts.append(f"{name} has no overall effectiveness grade")
    elif not isinstance(own["grade"].iloc[0], str):
        version = own["framework_version"].iloc[0] if "framework_version" in own else None
        parts.append(f"{name}'s latest inspection ({format_date(own['date'].iloc[0])}) has "
                     + (no_overall_text(version).lower() if isinstance(version, str) else "no overall judgement"))
    else:
        parts.append(f"{name}'s latest overall effectiveness is {own['grade'].iloc[0]} ({format_date(own['date'].iloc[0])})")
    rows = rows_of(dist)
    for label in dict.fromkeys(r["Group"] for r in rows):
        part = [r for r in rows if r["Group"] == label]
        good = sum(r["Councils"] for r in part if r["Grade"] in GRADES[:2])
        total = sum(r["Councils"] for r in part)
        if total:
            parts.append(f"{good} of {total} {label.split(' (')[0]} are Good or Outstanding")
    if sum(r["Councils"] for r in rows if r["Grade"] == NO_OVERALL):
        parts.append("councils whose latest inspection has no overall judgement are counted apart")
    return "; ".join(parts) + "."

"""The trajectory of a council's headline judgement over time with its visits on the same axis, and
the neighbours' and England's latest grades as context."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import format_date
from monitor.loaders.ofsted import GRADED_KINDS
from monitor.ofsted.grades import GRADE_COLOUR, GRADE_SCORE, GRADE_SYMBOL, GRADES, VISIT_KINDS, _when, headline_area


def trajectory(inspections: pd.DataFrame, judgements: pd.DataFrame, code: str) -> pd.DataFrame:
    """The headline grade of every graded inspection of a council, oldest first: Overall
    effectiveness (SLAC: safeguarding overall effectiveness) on the four-point scale."""
    recs = [r for r in inspections[inspections["ons_code"] == code].to_dict("records") if r["kind"] in GRADED_KINDS]
    ids = {r["inspection_id"] for r in recs}
    mine = judgements[judgements["inspection_id"].isin(ids)]
    grade = dict(zip(zip(mine["inspection_id"], mine["judgement_area"]), mine["grade"]))
    rows = []
    for r in recs:
        area = headline_area(r["framework"])
        g = grade.get((r["inspection_id"], area))
        if g is None:
            continue
        rows.append({"date": _when(r), "date_basis": "inspected" if pd.notna(r["inspection_date"]) else "published",
                     "framework": r["framework"], "inspection_type": r["inspection_type"], "judgement_area": area,
                     "grade": g, "score": GRADE_SCORE[g], "inspection_id": r["inspection_id"]})
    cols = ["date", "date_basis", "framework", "inspection_type", "judgement_area", "grade", "score", "inspection_id"]
    out = pd.DataFrame(rows, columns=cols)
    out["date"] = pd.to_datetime(out["date"])
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def trajectory_table(traj: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Date": [format_date(d) for d in traj["date"]],
        "Date is": list(traj["date_basis"]),
        "Framework": list(traj["framework"]),
        "Inspection": list(traj["inspection_type"]),
        "Judgement": list(traj["judgement_area"]),
        "Grade": list(traj["grade"]),
    })


def trajectory_summary(traj: pd.DataFrame, name: str) -> str:
    if traj.empty:
        return f"{name} has no graded Ofsted inspection in the published files."
    first, last = traj.iloc[0], traj.iloc[-1]
    if len(traj) == 1:
        return f"{name}: one graded inspection, {last['grade']} ({format_date(last['date'])}, {last['framework']})."
    return (f"{name}: {len(traj)} graded inspections since {first['date'].year}, from {first['grade']} "
            f"({format_date(first['date'])}, {first['framework']}) to {last['grade']} "
            f"({format_date(last['date'])}, {last['framework']}).")


def visits(inspections: pd.DataFrame, code: str) -> pd.DataFrame:
    """Monitoring and focused visits of a council (ungraded), oldest first."""
    v = inspections[(inspections["ons_code"] == code) & inspections["kind"].isin(VISIT_KINDS)]
    return v.sort_values("inspection_date").reset_index(drop=True)


def visits_table(v: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Visited": [format_date(d) for d in v["inspection_date"]],
        "Published": [format_date(d) for d in v["published_date"]],
        "Visit": [k.capitalize() for k in v["kind"]],
        "Theme": [t if isinstance(t, str) else "" for t in v["visit_theme"]],
        "Report": [w if isinstance(w, str) else None for w in v["web_link"]],
    })


def visits_coverage(inspections: pd.DataFrame) -> str:
    """The period Ofsted's published visit list covers (it is one year's list)."""
    v = inspections[inspections["kind"].isin(VISIT_KINDS)]
    if v.empty:
        return "Ofsted's files loaded here list no monitoring or focused visits."
    return (f"Ofsted's published list of monitoring and focused visits loaded here runs from "
            f"{format_date(v['inspection_date'].min())} to {format_date(v['inspection_date'].max())}; "
            "earlier visits are not in it.")


def trajectory_figure(traj: pd.DataFrame, visit_rows: pd.DataFrame, name: str) -> go.Figure:
    """Overall effectiveness over time on the four-point scale, visits below on the same time axis.
    (Two stacked y-axes sharing one x-axis, laid out by hand: make_subplots is slow.)"""
    data: list[dict] = []
    if not traj.empty:
        data.append({"type": "scatter", "x": list(traj["date"]), "y": list(traj["score"]), "mode": "lines",
                     "line": {"color": "#8a8a8a", "width": 1.5}, "hoverinfo": "skip", "showlegend": False})
    for grade in GRADES:
        pts = traj[traj["grade"] == grade]
        if pts.empty:
            continue
        data.append({
            "type": "scatter", "x": list(pts["date"]), "y": list(pts["score"]), "mode": "markers+text",
            "name": grade, "text": list(pts["framework"]), "textposition": "top center",
            "marker": {"color": GRADE_COLOUR[grade], "symbol": GRADE_SYMBOL[grade], "size": 13,
                       "line": {"color": "#0b0c0c", "width": 1}},
            "customdata": [list(t) for t in zip([format_date(d) for d in pts["date"]], pts["date_basis"],
                                                pts["inspection_type"], pts["judgement_area"])],
            "hovertemplate": "%{customdata[2]}<br>%{customdata[1]} %{customdata[0]}<br>%{customdata[3]}: "
                             + grade + "<extra></extra>"})
    for kind, symbol in zip(VISIT_KINDS, ("triangle-up-open", "square-open")):
        pts = visit_rows[visit_rows["kind"] == kind]
        if pts.empty:
            continue
        data.append({
            "type": "scatter", "x": list(pts["inspection_date"]), "y": [kind.capitalize()] * len(pts),
            "xaxis": "x2", "yaxis": "y2", "mode": "markers", "name": f"{kind.capitalize()} (not graded)",
            "marker": {"color": "#1d70b8", "symbol": symbol, "size": 12, "line": {"width": 2}},
            "customdata": [list(t) for t in zip([format_date(d) for d in pts["inspection_date"]],
                                                [t if isinstance(t, str) else "no theme given" for t in pts["visit_theme"]])],
            "hovertemplate": kind.capitalize() + " %{customdata[0]}<br>Theme: %{customdata[1]}<extra></extra>"})
    annotations = []
    if visit_rows.empty:
        annotations.append({"text": "No monitoring or focused visits listed", "xref": "x2 domain", "yref": "y2 domain",
                            "x": 0.5, "y": 0.5, "showarrow": False, "font": {"color": "#505a5f"}})
    layout = {
        "title": {"text": f"Ofsted overall effectiveness over time: {name}"}, "height": 470,
        "legend": {"orientation": "h", "y": -0.28}, "margin": {"t": 60, "l": 10, "r": 10},
        "xaxis": {"domain": [0, 1], "anchor": "y", "matches": "x2", "showticklabels": False, "type": "date"},
        "yaxis": {"domain": [0.3, 1], "anchor": "x", "title": {"text": "Overall effectiveness"}, "range": [0.5, 4.6],
                  "tickvals": [4, 3, 2, 1],
                  "ticktext": ["Outstanding", "Good", "Requires improvement<br>to be good", "Inadequate"]},
        "xaxis2": {"domain": [0, 1], "anchor": "y2", "type": "date",
                   "title": {"text": "Date inspected or visited (publication date before 2018)"}},
        "yaxis2": {"domain": [0, 0.2], "anchor": "x2", "title": {"text": "Visits"}, "type": "category",
                   "categoryorder": "array", "categoryarray": [k.capitalize() for k in VISIT_KINDS],
                   "range": [-0.5, 1.5]},
        "annotations": annotations,
    }
    return go.Figure({"data": data, "layout": layout})


def neighbours_latest(neighbours: pd.DataFrame, latest: pd.DataFrame, code: str) -> pd.DataFrame:
    """The council's statistical neighbours in DfE's order with their latest overall grade."""
    mine = neighbours[neighbours["ons_code"] == code].sort_values("neighbour_rank")
    known = dict(zip(latest["ons_code"], zip(latest["grade"], latest["date"])))
    rows = []
    for r in mine.to_dict("records"):
        grade, date = known.get(r["neighbour_ons_code"], (None, None))
        rows.append({"Neighbour (DfE order)": r["neighbour_rank"], "Council": r["neighbour_name"],
                     "Closeness": r["closeness"] if isinstance(r["closeness"], str) else "",
                     "Latest overall effectiveness": grade or "no graded inspection", "Inspected": format_date(date)})
    return pd.DataFrame(rows, columns=["Neighbour (DfE order)", "Council", "Closeness", "Latest overall effectiveness",
                                       "Inspected"])


def grade_distribution(latest: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """For each group of councils (label -> codes): how many have each latest grade, and the share."""
    rows = []
    for label, codes in groups.items():
        grades = latest[latest["ons_code"].isin(codes)]["grade"]
        total = len(grades)
        for grade in GRADES:
            n = int((grades == grade).sum())
            rows.append({"Group": label, "Grade": grade, "Councils": n,
                         "Per cent": round(100 * n / total, 1) if total else 0.0})
    return pd.DataFrame(rows, columns=["Group", "Grade", "Councils", "Per cent"])


def context_figure(dist: pd.DataFrame, name: str) -> go.Figure:
    """Share of councils at each latest grade: statistical neighbours beside England. Context, not
    a ranking: no council is placed above another."""
    data = []
    for label, colour, pattern in zip(dist["Group"].unique(), ("#1d70b8", "#6f777b"), ("", "/")):
        part = dist[dist["Group"] == label]
        data.append({
            "type": "bar", "orientation": "h", "name": label, "y": list(part["Grade"]), "x": list(part["Per cent"]),
            "text": [f"{p:.0f}% ({n})" for p, n in zip(part["Per cent"], part["Councils"])], "textposition": "outside",
            "marker": {"color": colour, "pattern": {"shape": pattern}},
            "hovertemplate": "%{y}: %{x:.1f}% of " + label + "<extra></extra>"})
    layout = {
        "title": {"text": f"Latest grades beside {name}"}, "barmode": "group", "height": 470,
        "legend": {"orientation": "h", "y": -0.2}, "margin": {"t": 60, "l": 10, "r": 10},
        "xaxis": {"title": {"text": "Per cent of councils"}, "range": [0, 100]},
        "yaxis": {"title": {"text": "Latest overall effectiveness"}, "categoryorder": "array",
                  "categoryarray": list(reversed(GRADES)), "tickvals": list(reversed(GRADES)),
                  "ticktext": ["Inadequate", "Requires improvement<br>to be good", "Good", "Outstanding"]},
    }
    return go.Figure({"data": data, "layout": layout})


def context_summary(name: str, own: pd.DataFrame, dist: pd.DataFrame) -> str:
    """E.g. 'West Sussex's latest grade is Requires improvement to be good; 6 of its 10 statistical
    neighbours and 58% of councils in England are Good or better.'"""
    parts = []
    if own.empty:
        parts.append(f"{name} has no overall effectiveness grade")
    else:
        parts.append(f"{name}'s latest overall effectiveness is {own['grade'].iloc[0]} ({format_date(own['date'].iloc[0])})")
    for label in dist["Group"].unique():
        part = dist[dist["Group"] == label]
        good = part[part["Grade"].isin(GRADES[:2])]
        total = int(part["Councils"].sum())
        if total:
            parts.append(f"{int(good['Councils'].sum())} of {total} {label.split(' (')[0]} are Good or Outstanding")
    return "; ".join(parts) + "."

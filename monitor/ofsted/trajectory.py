"""A council's Ofsted judgements over time, one panel per judgement area, with its visits on the same
axis and any comparator council beside it (the neighbours' and England's latest grades as context:
monitor.ofsted.context).

Like with like: the headline panel draws each inspection's headline judgement (overall
effectiveness; SLAC's safeguarding judgement), and each judgement area the framework in force grades
has its own panel, drawn only from inspections that graded that very area. An inspection under a
version with no overall judgement (ILACS 2026) is marked on the headline panel, never given a grade.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import format_date
from monitor.loaders.frameworks import Frameworks, reference_frameworks
from monitor.loaders.ofsted import GRADED_KINDS, OVERALL
from monitor.ofsted.grades import (GRADE_COLOUR, GRADE_SCORE, GRADE_SYMBOL, GRADES, VISIT_KINDS, _when, area_label,
                                   area_title, headline_of, no_overall_text, version_of)
from monitor.values import rows_of

HEADLINE_PANEL = OVERALL
NO_OVERALL = "No overall judgement"
TICKS = {"tickvals": [4, 3, 2, 1], "ticktext": ["Outstanding", "Good", "Requires improvement<br>to be good", "Inadequate"]}
COLUMNS = ["ons_code", "council", "date", "date_basis", "framework", "framework_version", "inspection_type", "panel",
           "judgement_area", "grade", "score", "inspection_id"]


def trajectory_panels(frameworks: Frameworks) -> tuple[str, ...]:
    """The headline panel, then each judgement area the versions in force grade (from the framework
    reference table), in Ofsted's order."""
    out = [HEADLINE_PANEL]
    for v in frameworks.versions.values():
        if v.status == "in force":
            out += [a for a in v.areas if a not in out and a != v.headline_area]
    return tuple(out)


def trajectory(inspections: pd.DataFrame, judgements: pd.DataFrame, code: str,
               frameworks: Frameworks | None = None) -> pd.DataFrame:
    """Every grade of a council's graded inspections the chart draws, oldest first: one row per
    inspection in the headline panel (its headline judgement; grade None under a version without
    one) and one per judgement area of the framework in force it graded."""
    frameworks = frameworks or reference_frameworks()
    panels = trajectory_panels(frameworks)
    recs = [r for r in rows_of(inspections[inspections["ons_code"] == code]) if r["kind"] in GRADED_KINDS]
    ids = {r["inspection_id"] for r in recs}
    mine = judgements[judgements["inspection_id"].isin(ids)]
    grade = dict(zip(zip(mine["inspection_id"], mine["judgement_area"]), mine["grade"]))
    graded = set(mine["inspection_id"])
    rows = []
    for r in recs:
        if r["inspection_id"] not in graded:
            continue
        version = version_of(r, frameworks)
        base = {"ons_code": code, "council": r["authority_name"], "date": _when(r),
                "date_basis": "inspected" if pd.notna(r["inspection_date"]) else "published",
                "framework": r["framework"], "framework_version": version or r["framework"],
                "inspection_type": r["inspection_type"], "inspection_id": r["inspection_id"]}
        headline = headline_of(version, frameworks)
        if headline is None:
            rows.append({**base, "panel": HEADLINE_PANEL, "judgement_area": OVERALL, "grade": None, "score": None})
        elif (g := grade.get((r["inspection_id"], headline))) is not None:
            rows.append({**base, "panel": HEADLINE_PANEL, "judgement_area": headline, "grade": g,
                         "score": GRADE_SCORE[g]})
        for area in panels[1:]:
            g = grade.get((r["inspection_id"], area))
            if g is not None and area != headline:
                rows.append({**base, "panel": area, "judgement_area": area, "grade": g, "score": GRADE_SCORE[g]})
    # Oldest first, panels in order on a day (a stable sort; an inspection without a date, if any, last).
    place = {p: i for i, p in enumerate(panels)}
    rows.sort(key=lambda r: (pd.isna(r["date"]), r["date"] if pd.notna(r["date"]) else 0, place[r["panel"]]))
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["date"] = pd.to_datetime(out["date"])
    return out


def grade_words(traj: pd.DataFrame) -> list[str]:
    """Each row's grade as the table and hover say it (a version without an overall judgement says so)."""
    return [g if isinstance(g, str) else no_overall_text(v) for g, v in zip(traj["grade"], traj["framework_version"])]


def trajectory_table(traj: pd.DataFrame) -> pd.DataFrame:
    out = {}
    if traj["ons_code"].nunique() > 1:
        out["Council"] = list(traj["council"])
    out.update({
        "Date": [format_date(d) for d in traj["date"]],
        "Date is": list(traj["date_basis"]),
        "Framework": list(traj["framework"]),
        "Framework version": list(traj["framework_version"]),
        "Inspection": list(traj["inspection_type"]),
        "Judgement": list(traj["judgement_area"]),
        "Grade": grade_words(traj),
    })
    return pd.DataFrame(out)


def _headline_sentence(name: str, rows: list[dict]) -> str:
    head = [r for r in rows if r["panel"] == HEADLINE_PANEL and isinstance(r["grade"], str)]
    inspections = len({r["inspection_id"] for r in rows})
    if not head:
        return f"{name}: {inspections} graded inspection{'s' if inspections != 1 else ''}, none with an overall judgement."
    first, last = head[0], head[-1]
    if inspections == 1:
        return f"{name}: one graded inspection, {last['grade']} ({format_date(last['date'])}, {last['framework']})."
    return (f"{name}: {inspections} graded inspections since {rows[0]['date'].year}, from {first['grade']} "
            f"({format_date(first['date'])}, {first['framework']}) to {last['grade']} "
            f"({format_date(last['date'])}, {last['framework']}).")


def _latest(rows: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """The latest inspection's rows (the last row's inspection): all, its headline row (if any), its areas'."""
    last = [r for r in rows if r["inspection_id"] == rows[-1]["inspection_id"]]
    return last, [r for r in last if r["panel"] == HEADLINE_PANEL], [r for r in last if r["panel"] != HEADLINE_PANEL]


def _by_council(rows: list[dict]) -> dict[str, list[dict]]:
    """Comparator rows by council, councils in order of appearance (as a groupby(sort=False))."""
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["ons_code"], []).append(r)
    return out


def latest_without_overall(rows: list[dict]) -> str:
    """' Latest, 11 May 2026 (ILACS 2026): no overall judgement under the 2026 framework; impact of
    leaders Good, …' when the latest inspection (of `rows`, a trajectory's) has no overall judgement,
    else ''."""
    if not rows:
        return ""
    _, head, areas = _latest(rows)
    if not head or any(isinstance(r["grade"], str) for r in head):
        return ""
    grades = ", ".join(f"{area_label(r['judgement_area'])} {r['grade']}" for r in areas)
    version = head[0]["framework_version"]
    return (f" Latest, {format_date(head[0]['date'])} ({version}): {no_overall_text(version).lower()}"
            + (f"; {grades}." if grades else "."))


def latest_line(traj: pd.DataFrame) -> str:
    """The latest graded inspection in a line: 'ILACS Standard Inspection, 13 Mar 2023 (ILACS 2023):
    Requires improvement to be good overall; impact of leaders Good, …' — or, under a framework
    without an overall judgement, 'No overall judgement under the 2026 framework; impact of …'."""
    rows = rows_of(traj)
    if not rows:
        return ""
    last, head, areas = _latest(rows)
    first = last[0]
    grades = ", ".join(f"{area_label(r['judgement_area'])} {r['grade']}" for r in areas)
    if not any(isinstance(r["grade"], str) for r in head):
        verdict = no_overall_text(first["framework_version"])
    else:
        verdict = f"{head[0]['grade']} overall"
    return (f"{first['inspection_type']}, {format_date(first['date'])} ({first['framework_version']}): {verdict}"
            + (f"; {grades}." if grades else "."))


def trajectory_summary(traj: pd.DataFrame, name: str, comparators: pd.DataFrame | None = None) -> str:
    rows = rows_of(traj)
    if not rows:
        text = f"{name} has no graded Ofsted inspection in the published files."
    else:
        text = _headline_sentence(name, rows) + latest_without_overall(rows)
    for council in _by_council(rows_of(comparators) if comparators is not None else []).values():
        text += " Compared with " + _headline_sentence(str(council[0]["council"]), council) \
            + latest_without_overall(council)
    return text


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


# Panel sizes in pixels: the headline panel, each judgement area's, the visits strip; the gap holds
# each panel's title.
HEAD_PX, AREA_PX, VISITS_PX, GAP_PX, TOP_PX, BOTTOM_PX = 150, 112, 64, 36, 70, 120


def _axis(i: int) -> str:
    return "" if i == 1 else str(i)


def trajectory_figure(traj: pd.DataFrame, visit_rows: pd.DataFrame, name: str,
                      comparators: pd.DataFrame | None = None) -> go.Figure:
    """One panel per judgement area on the four-point scale (the headline first), visits below, all on
    one time axis; a comparator council drawn beside in hollow grey markers and a dashed line.
    (Stacked y-axes sharing one x-axis, laid out by hand: make_subplots is slow.)"""
    mine = rows_of(traj)
    others = rows_of(comparators) if comparators is not None else []
    by_council = _by_council(others)
    order = list(dict.fromkeys([HEADLINE_PANEL, *[r["panel"] for r in mine + others if r["panel"] != HEADLINE_PANEL]]))
    sizes = [HEAD_PX] + [AREA_PX] * (len(order) - 1) + [VISITS_PX]
    plot_px = sum(sizes) + GAP_PX * (len(sizes) - 1)
    domains, top = [], 1.0
    for size in sizes:
        domains.append([max(top - size / plot_px, 0.0), top])
        top -= (size + GAP_PX) / plot_px
    n_axes = len(sizes)
    data: list[dict] = []
    annotations: list[dict] = []
    shapes: list[dict] = []
    legend_seen: set[str] = set()
    layout: dict = {}
    for i, panel in enumerate(order, start=1):
        ax = _axis(i)
        here = [r for r in mine if r["panel"] == panel]
        pts = [r for r in here if isinstance(r["grade"], str)]
        xy = {"xaxis": f"x{ax}", "yaxis": f"y{ax}"}
        if pts:
            data.append({"type": "scatter", "x": [r["date"] for r in pts], "y": [r["score"] for r in pts],
                         "mode": "lines", "line": {"color": "#8a8a8a", "width": 1.5}, "hoverinfo": "skip",
                         "showlegend": False, **xy})
        for grade in GRADES:
            g = [r for r in pts if r["grade"] == grade]
            if not g:
                continue
            trace = {
                "type": "scatter", "x": [r["date"] for r in g], "y": [r["score"] for r in g], "name": grade,
                "legendgroup": grade, "showlegend": grade not in legend_seen,
                "mode": "markers+text" if panel == HEADLINE_PANEL else "markers",
                "marker": {"color": GRADE_COLOUR[grade], "symbol": GRADE_SYMBOL[grade], "size": 12,
                           "line": {"color": "#0b0c0c", "width": 1}},
                "customdata": [[format_date(r["date"]), r["date_basis"], r["inspection_type"], r["judgement_area"],
                                r["council"]] for r in g],
                "hovertemplate": "%{customdata[4]}: %{customdata[2]}<br>%{customdata[1]} %{customdata[0]}<br>"
                                 "%{customdata[3]}: " + grade + "<extra></extra>", **xy}
            if panel == HEADLINE_PANEL:
                trace.update({"text": [r["framework"] for r in g], "textposition": "top center"})
            data.append(trace)
            legend_seen.add(grade)
        for code, rows in by_council.items():
            c = [r for r in rows if r["panel"] == panel and isinstance(r["grade"], str)]
            label = f"{rows[0]['council']} (comparator)"
            if not c:
                continue
            data.append({
                "type": "scatter", "x": [r["date"] for r in c], "y": [r["score"] for r in c], "name": label,
                "legendgroup": code, "showlegend": label not in legend_seen, "mode": "lines+markers",
                "line": {"color": "#505a5f", "width": 1.5, "dash": "dash"},
                # An open symbol is drawn in the marker's colour: the grade's shape, hollow, in grey.
                "marker": {"color": "#505a5f", "size": 11, "line": {"color": "#505a5f", "width": 2},
                           "symbol": [GRADE_SYMBOL[r["grade"]] + "-open" for r in c]},
                "customdata": [[format_date(r["date"]), r["inspection_type"], r["judgement_area"], r["grade"]]
                               for r in c],
                "hovertemplate": rows[0]["council"] + ": %{customdata[1]} %{customdata[0]}<br>"
                                 "%{customdata[2]}: %{customdata[3]}<extra></extra>", **xy})
            legend_seen.add(label)
        for r in here:
            if isinstance(r["grade"], str):
                continue
            # No overall judgement: a dotted line where the inspection was, and the words; no grade.
            shapes.append({"type": "line", "xref": f"x{ax}", "yref": f"y{ax} domain", "x0": r["date"],
                           "x1": r["date"], "y0": 0, "y1": 1, "line": {"color": "#505a5f", "width": 1.5, "dash": "dot"}})
            annotations.append({"x": r["date"], "y": 0.5, "xref": f"x{ax}", "yref": f"y{ax} domain",
                                "showarrow": False, "text": f"{NO_OVERALL}<br>({r['framework_version']})",
                                "xanchor": "right", "font": {"color": "#505a5f", "size": 11}, "bgcolor": "#ffffff"})
        title = ("Overall effectiveness (the headline judgement)" if panel == HEADLINE_PANEL else area_title(panel))
        annotations.append({"text": f"<b>{title}</b>", "xref": "paper", "yref": "paper", "x": 0, "y": domains[i - 1][1],
                            "xanchor": "left", "yanchor": "bottom", "showarrow": False, "font": {"size": 13}})
        layout[f"xaxis{ax}"] = {"domain": [0, 1], "anchor": f"y{ax}", "matches": f"x{n_axes}", "showticklabels": False,
                                "type": "date"}
        layout[f"yaxis{ax}"] = {"domain": domains[i - 1], "anchor": f"x{ax}", "range": [0.5, 4.6], **TICKS,
                                "title": {"text": "Grade"}}
    v_ax = _axis(n_axes)
    visited = rows_of(visit_rows)
    for kind, symbol in zip(VISIT_KINDS, ("triangle-up-open", "square-open")):
        pts = [r for r in visited if r["kind"] == kind]
        if not pts:
            continue
        data.append({
            "type": "scatter", "x": [r["inspection_date"] for r in pts], "y": [kind.capitalize()] * len(pts),
            "xaxis": f"x{v_ax}", "yaxis": f"y{v_ax}", "mode": "markers", "name": f"{kind.capitalize()} (not graded)",
            "marker": {"color": "#1d70b8", "symbol": symbol, "size": 12, "line": {"width": 2}},
            "customdata": [[format_date(r["inspection_date"]),
                            r["visit_theme"] if isinstance(r["visit_theme"], str) else "no theme given"] for r in pts],
            "hovertemplate": kind.capitalize() + " %{customdata[0]}<br>Theme: %{customdata[1]}<extra></extra>"})
    if visit_rows.empty:
        annotations.append({"text": "No monitoring or focused visits listed", "xref": f"x{v_ax} domain",
                            "yref": f"y{v_ax} domain", "x": 0.5, "y": 0.5, "showarrow": False,
                            "font": {"color": "#505a5f"}})
    layout[f"xaxis{v_ax}"] = {"domain": [0, 1], "anchor": f"y{v_ax}", "type": "date",
                              "title": {"text": "Date inspected or visited (publication date before 2018)"}}
    layout[f"yaxis{v_ax}"] = {"domain": domains[-1], "anchor": f"x{v_ax}", "title": {"text": "Visits"},
                              "type": "category", "categoryorder": "array",
                              "categoryarray": [k.capitalize() for k in VISIT_KINDS], "range": [-0.5, 1.5]}
    names = list(dict.fromkeys(r["council"] for r in others))
    beside = f" beside {' and '.join(names)}" if names else ""
    layout.update({
        "title": {"text": f"Ofsted judgements over time: {name}{beside}"}, "height": plot_px + TOP_PX + BOTTOM_PX,
        "legend": {"orientation": "h", "y": -BOTTOM_PX / plot_px * 0.55, "yanchor": "top"},
        "margin": {"t": TOP_PX, "l": 10, "r": 10, "b": BOTTOM_PX // 2},
        "annotations": annotations, "shapes": shapes,
    })
    return go.Figure({"data": data, "layout": layout})

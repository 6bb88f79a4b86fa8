"""A programme's intervention timeline: inspections, visits, DfE directions, the commissioner's
reports and key milestones on one time axis."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import format_date
from monitor.loaders.ofsted import OVERALL
from monitor.ofsted.grades import HEADLINE, VISIT_KINDS


def event_date(frame: pd.DataFrame) -> pd.Series:
    """The date an inspection is placed at: when it happened, or when published if that is all we know."""
    return frame["inspection_date"].fillna(frame["published_date"])


LANES = ("Ofsted inspections", "Ofsted visits", "DfE statutory directions", "Commissioner reports", "Key milestones")


def timeline_window(programme: pd.Series, today: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The inspections worth showing: from 18 months before the programme to a year after its end."""
    start = pd.Timestamp(programme["start_date"])
    end = pd.Timestamp(programme["end_date"]) if pd.notna(programme["end_date"]) else pd.Timestamp(today)
    return start - pd.DateOffset(months=18), end + pd.DateOffset(months=12)


def intervention_events(programme: pd.Series, code: str | None, inspections: pd.DataFrame,
                        judgements: pd.DataFrame, directions: pd.DataFrame, reports: pd.DataFrame,
                        milestones: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Every event of a programme's intervention on one axis: the council's inspections and visits
    around the programme, DfE's directions to it, the commissioner's reports and the key milestones.
    Columns: date, lane, event, detail, source."""
    rows: list[dict] = []
    lo, hi = timeline_window(programme, today)
    if code is not None:
        ins = inspections[inspections["ons_code"] == code]
        ins = ins.assign(when=event_date(ins))
        ins = ins[(ins["when"] >= lo) & (ins["when"] <= hi)]
        mine = judgements[judgements["inspection_id"].isin(ins["inspection_id"])]
        overall = mine[mine["judgement_area"].isin([OVERALL, *HEADLINE.values()])]
        grade_of = dict(zip(overall["inspection_id"], overall["grade"]))
        for r in ins.itertuples():
            if r.kind in VISIT_KINDS:
                theme = r.visit_theme if isinstance(r.visit_theme, str) else "no theme given"
                rows.append({"date": r.when, "lane": "Ofsted visits", "event": r.kind.capitalize(),
                             "detail": f"Theme: {theme}; not graded", "source": r.source})
            else:
                grade = grade_of.get(r.inspection_id, "no overall grade")
                rows.append({"date": r.when, "lane": "Ofsted inspections", "event": f"{r.inspection_type}: {grade}",
                             "detail": f"Published {format_date(r.published_date)}", "source": r.source})
        for r in directions[directions["ons_code"] == code].itertuples():
            rows.append({"date": r.direction_date, "lane": "DfE statutory directions",
                         "event": f"Direction {r.action}", "detail": r.summary, "source": r.source})
    for r in reports.itertuples():
        version = f" (version {r.version})" if r.version > 1 else ""
        confidence = f"delivery confidence {r.confidence}" if isinstance(r.confidence, str) else "no confidence given"
        rows.append({"date": r.reporting_date, "lane": "Commissioner reports",
                     "event": f"Quarterly report {r.quarter_label}{version}", "detail": f"{r.status}; {confidence}",
                     "source": r.source})
    for r in milestones.itertuples():
        if pd.notna(r.completed_date):
            when, how = r.completed_date, "completed"
        else:
            when = r.forecast_due_date if pd.notna(r.forecast_due_date) else r.baseline_due_date
            how = f"{r.status}, due"
        rows.append({"date": when, "lane": "Key milestones", "event": r.milestone_title,
                     "detail": f"{how} {format_date(when)} ({r.workstream_name})", "source": r.source})
    out = pd.DataFrame(rows, columns=["date", "lane", "event", "detail", "source"])
    out["date"] = pd.to_datetime(out["date"])
    out["_lane"] = out["lane"].map({lane: i for i, lane in enumerate(LANES)})
    return out.sort_values(["date", "_lane"]).drop(columns="_lane").reset_index(drop=True)


def timeline_table(events: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Date": [format_date(d) for d in events["date"]], "What": list(events["lane"]),
                         "Event": list(events["event"]), "Detail": list(events["detail"]),
                         "Source": list(events["source"])})


LANE_WORDS = {  # (one, several) as a sentence says them
    "Ofsted inspections": ("Ofsted inspection", "Ofsted inspections"),
    "Ofsted visits": ("Ofsted visit", "Ofsted visits"),
    "DfE statutory directions": ("DfE direction (issued, revised or lifted)", "DfE directions (issued, revised or lifted)"),
    "Commissioner reports": ("commissioner's report", "commissioner's reports"),
    "Key milestones": ("key milestone", "key milestones"),
}


LANE_STYLE = {  # marker symbol, colour
    "Ofsted inspections": ("diamond", "#0b0c0c"),
    "Ofsted visits": ("triangle-up-open", "#1d70b8"),
    "DfE statutory directions": ("square", "#912b88"),
    "Commissioner reports": ("circle-open", "#505a5f"),
    "Key milestones": ("star", "#b25e00"),
}


def timeline_figure(events: pd.DataFrame, programme: pd.Series, council_name: str | None) -> go.Figure:
    """Every event on one time axis, one row per kind of event; the programme's period shaded."""
    data: list[dict] = []
    for lane in reversed(LANES):
        pts = events[events["lane"] == lane]
        if pts.empty:
            continue
        symbol, colour = LANE_STYLE[lane]
        labelled = lane == "DfE statutory directions"
        trace = {
            "type": "scatter", "x": list(pts["date"]), "y": [lane] * len(pts), "name": lane,
            "mode": "markers+text" if labelled else "markers", "textposition": "top center",
            "marker": {"symbol": symbol, "color": colour, "size": 12, "line": {"width": 1.5, "color": colour}},
            "customdata": [list(t) for t in zip([format_date(d) for d in pts["date"]], pts["event"],
                                                pts["detail"].str.slice(0, 120))],
            "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"}
        if labelled:
            trace["text"] = [e.replace("Direction ", "") for e in pts["event"]]
        data.append(trace)
    start = pd.Timestamp(programme["start_date"])
    end = pd.Timestamp(programme["end_date"]) if pd.notna(programme["end_date"]) else None
    until = end if end is not None else (max(events["date"].max(), start) if not events.empty else start)
    blue = "#1d70b8"
    shapes = [{"type": "rect", "xref": "x", "yref": "paper", "x0": start, "x1": until, "y0": 0, "y1": 1,
               "fillcolor": blue, "opacity": 0.07, "line": {"width": 0}, "layer": "below"}]
    annotations = []
    for when, label, anchor in ((start, "Programme starts", "left"), (end, "Programme ends", "right")):
        if when is None:
            continue
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": when, "x1": when, "y0": 0, "y1": 1,
                       "line": {"color": blue, "dash": "dash", "width": 1}})
        annotations.append({"x": when, "y": 1.02, "xref": "x", "yref": "paper", "text": label, "showarrow": False,
                            "xanchor": anchor, "yanchor": "bottom", "font": {"color": blue}})
    who = f" ({council_name})" if council_name else ""
    layout = {
        "title": {"text": f"Intervention timeline: {programme['programme_name']}{who}"}, "height": 420,
        "showlegend": False, "margin": {"t": 90, "l": 10, "r": 10}, "shapes": shapes, "annotations": annotations,
        "xaxis": {"title": {"text": "Date"}, "type": "date"},
        "yaxis": {"title": {"text": "Event"}, "type": "category", "categoryorder": "array",
                  "categoryarray": [lane for lane in reversed(LANES) if lane in set(events["lane"])]},
    }
    return go.Figure({"data": data, "layout": layout})


def timeline_summary(events: pd.DataFrame, programme: pd.Series, council_name: str | None) -> str:
    counts = events["lane"].value_counts()
    start = format_date(programme["start_date"])
    span = f"from {start} to {format_date(programme['end_date'])}" if pd.notna(programme["end_date"]) else f"since {start}"
    bits = [f"{int(counts[lane])} {LANE_WORDS[lane][0] if counts[lane] == 1 else LANE_WORDS[lane][1]}"
            for lane in LANES if counts.get(lane, 0)]
    directions = events[events["lane"] == "DfE statutory directions"]
    text = f"{programme['programme_name']} ran {span}" if pd.notna(programme["end_date"]) else \
        f"{programme['programme_name']} has run {span}"
    if council_name:
        text += f" for {council_name}"
    text += ": " + (", ".join(bits) if bits else "no events recorded") + "."
    if not directions.empty:
        text += " DfE's direction: " + "; ".join(f"{e.replace('Direction ', '')} {format_date(d)}"
                                                for d, e in zip(directions["date"], directions["event"])) + "."
    return text

"""A programme's intervention timeline: inspections, visits, DfE's intervention register (improvement
notices, statutory directions issued, revised and lifted, commissioner and adviser appointments,
reviews, revocation — each with its published document), the commissioner's reports and key
milestones on one time axis."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import format_date
from monitor.loaders.frameworks import Frameworks, reference_frameworks
from monitor.ofsted.grades import VISIT_KINDS, area_label, headline_of, no_overall_text, version_of


def event_date(frame: pd.DataFrame) -> pd.Series:
    """The date an inspection is placed at: when it happened, or when published if that is all we know."""
    return frame["inspection_date"].fillna(frame["published_date"])


DFE = "DfE intervention"
LANES = ("Ofsted inspections", "Ofsted visits", DFE, "Commissioner reports", "Key milestones")

# Each kind of intervention event as the timeline labels its marker (a word, never the symbol alone)
# and the symbol it is drawn with.
KIND_LABEL = {
    "improvement notice issued": ("notice issued", "triangle-up"), "improvement notice revoked": ("notice revoked",
                                                                                                 "triangle-up-open"),
    "statutory direction issued": ("issued", "square"), "statutory direction revised": ("revised", "square"),
    "statutory direction lifted": ("lifted", "square-open"), "commissioner appointed": ("commissioner", "circle"),
    "improvement adviser appointed": ("adviser", "circle"), "review at 6 months": ("6-month review", "diamond-open"),
    "review at 12 months": ("12-month review", "diamond-open"), "quarterly report": ("report", "circle-open"),
}


def timeline_window(programme: pd.Series, today: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The inspections worth showing: from 18 months before the programme to a year after its end."""
    start = pd.Timestamp(programme["start_date"])
    end = pd.Timestamp(programme["end_date"]) if pd.notna(programme["end_date"]) else pd.Timestamp(today)
    return start - pd.DateOffset(months=18), end + pd.DateOffset(months=12)


def _register(interventions: pd.DataFrame) -> pd.DataFrame:
    """The intervention register's rows (query ofsted/interventions); a frame of statutory directions
    in the older shape (direction_date, action) read as the register's direction events."""
    if "direction_date" in interventions:
        return interventions.rename(columns={"direction_date": "event_date"}).assign(
            kind="statutory direction " + interventions["action"].astype(str),
            document_url=interventions["document_url"] if "document_url" in interventions else None)
    return interventions


def _inspection_event(r, grades: dict, frameworks: Frameworks) -> tuple[str, str]:
    """('ILACS Standard Inspection: Good', detail) — or, under a version with no overall judgement,
    ('ILACS Standard Inspection: no overall judgement (ILACS 2026)', 'Published …; impact of leaders Good, …')."""
    rec = r._asdict()
    version = version_of(rec, frameworks)
    headline = headline_of(version, frameworks)
    detail = f"Published {format_date(r.published_date)}"
    if headline is None:
        mine = grades.get(r.inspection_id, {})
        areas = ", ".join(f"{area_label(a)} {g}" for a, g in mine.items())
        return (f"{r.inspection_type}: {no_overall_text(version).lower()}",
                detail + (f"; {areas}" if areas else ""))
    return f"{r.inspection_type}: {grades.get(r.inspection_id, {}).get(headline, 'no overall grade')}", detail


def intervention_events(programme: pd.Series, code: str | None, inspections: pd.DataFrame,
                        judgements: pd.DataFrame, interventions: pd.DataFrame, reports: pd.DataFrame,
                        milestones: pd.DataFrame, today: dt.date, frameworks: Frameworks | None = None) -> pd.DataFrame:
    """Every event of a programme's intervention on one axis: the council's inspections and visits
    around the programme, DfE's intervention register for it, the commissioner's reports and the
    key milestones. Columns: date, lane, event, detail, document (a published document's address or
    None), source."""
    frameworks = frameworks or reference_frameworks()
    rows: list[dict] = []
    lo, hi = timeline_window(programme, today)
    if code is not None:
        ins = inspections[inspections["ons_code"] == code]
        ins = ins.assign(when=event_date(ins))
        ins = ins[(ins["when"] >= lo) & (ins["when"] <= hi)]
        mine = judgements[judgements["inspection_id"].isin(ins["inspection_id"])]
        grades: dict[str, dict[str, str]] = {}
        for i, a, g in zip(mine["inspection_id"], mine["judgement_area"], mine["grade"]):
            grades.setdefault(i, {})[a] = g
        for r in ins.itertuples():
            if r.kind in VISIT_KINDS:
                theme = r.visit_theme if isinstance(r.visit_theme, str) else "no theme given"
                rows.append({"date": r.when, "lane": "Ofsted visits", "event": r.kind.capitalize(),
                             "detail": f"Theme: {theme}; not graded", "document": _https(r.web_link), "source": r.source})
            else:
                event, detail = _inspection_event(r, grades, frameworks)
                rows.append({"date": r.when, "lane": "Ofsted inspections", "event": event, "detail": detail,
                             "document": _https(r.web_link), "source": r.source})
        register = _register(interventions)
        for r in register[register["ons_code"] == code].itertuples():
            rows.append({"date": r.event_date, "lane": DFE, "event": str(r.kind)[:1].upper() + str(r.kind)[1:],
                         "detail": r.summary, "document": _https(r.document_url), "source": r.source})
    for r in reports.itertuples():
        version = f" (version {r.version})" if r.version > 1 else ""
        confidence = f"delivery confidence {r.confidence}" if isinstance(r.confidence, str) else "no confidence given"
        rows.append({"date": r.reporting_date, "lane": "Commissioner reports",
                     "event": f"Quarterly report {r.quarter_label}{version}", "detail": f"{r.status}; {confidence}",
                     "document": None, "source": r.source})
    for r in milestones.itertuples():
        if pd.notna(r.completed_date):
            when, how = r.completed_date, "completed"
        else:
            when = r.forecast_due_date if pd.notna(r.forecast_due_date) else r.baseline_due_date
            how = f"{r.status}, due"
        rows.append({"date": when, "lane": "Key milestones", "event": r.milestone_title,
                     "detail": f"{how} {format_date(when)} ({r.workstream_name})", "document": None, "source": r.source})
    out = pd.DataFrame(rows, columns=["date", "lane", "event", "detail", "document", "source"])
    out["date"] = pd.to_datetime(out["date"])
    # By date (a missing one last), then lane, ties in order: a stable sort of the positions rather
    # than a sort key column added to the frame, sorted on and dropped (~1.5 ms).
    when = out["date"].to_numpy()
    missing, ticks = np.isnat(when), when.view("i8")
    lane = {name: i for i, name in enumerate(LANES)}
    lanes = out["lane"].tolist()
    order = sorted(range(len(out)),
                   key=lambda i: (missing[i], 0 if missing[i] else ticks[i], lane.get(lanes[i], len(LANES))))
    return out.iloc[order].reset_index(drop=True)


def _https(url) -> str | None:
    """A document's address when it is a web address (never a formula or another scheme)."""
    return url if isinstance(url, str) and url.startswith("https://") else None


def timeline_table(events: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Date": [format_date(d) for d in events["date"]], "What": list(events["lane"]),
                         "Event": list(events["event"]), "Detail": list(events["detail"]),
                         "Document": pd.Series([d if isinstance(d, str) else None for d in events["document"]],
                                               dtype=object),
                         "Source": list(events["source"])})


LANE_WORDS = {  # (one, several) as a sentence says them
    "Ofsted inspections": ("Ofsted inspection", "Ofsted inspections"),
    "Ofsted visits": ("Ofsted visit", "Ofsted visits"),
    DFE: ("DfE intervention event", "DfE intervention events"),
    "Commissioner reports": ("commissioner's report", "commissioner's reports"),
    "Key milestones": ("key milestone", "key milestones"),
}


LANE_STYLE = {  # marker symbol, colour
    "Ofsted inspections": ("diamond", "#0b0c0c"),
    "Ofsted visits": ("triangle-up-open", "#1d70b8"),
    DFE: ("square", "#912b88"),
    "Commissioner reports": ("circle-open", "#505a5f"),
    "Key milestones": ("star", "#b25e00"),
}


def timeline_figure(events: pd.DataFrame, programme: pd.Series, council_name: str | None) -> go.Figure:
    """Every event on one time axis, one row per kind of event; the programme's period shaded."""
    data: list[dict] = []
    # The events of each lane from plain lists: a filtered frame per lane costs ~0.5 ms.
    by_lane: dict[str, list[int]] = {}
    for i, lane in enumerate(events["lane"].tolist()):
        by_lane.setdefault(lane, []).append(i)
    dates, names, details = events["date"].tolist(), events["event"].tolist(), events["detail"].tolist()
    for lane in reversed(LANES):
        at = by_lane.get(lane)
        if not at:
            continue
        symbol, colour = LANE_STYLE[lane]
        labelled = lane == DFE
        trace = {
            "type": "scatter", "x": [dates[i] for i in at], "y": [lane] * len(at), "name": lane,
            "mode": "markers+text" if labelled else "markers", "textposition": "top center",
            "marker": {"symbol": symbol, "color": colour, "size": 12, "line": {"width": 1.5, "color": colour}},
            "customdata": [[format_date(dates[i]), names[i],
                            details[i][:120] if isinstance(details[i], str) else details[i]] for i in at],
            "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"}
        if labelled:
            kinds = [KIND_LABEL.get(names[i].lower(), (names[i].lower(), "x-open")) for i in at]
            trace["text"] = [word for word, _ in kinds]
            trace["marker"]["symbol"] = [sym for _, sym in kinds]
            # Above and below in turn: events weeks apart would print their words over each other.
            trace["textposition"] = ["top center" if i % 2 == 0 else "bottom center" for i in range(len(kinds))]
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
    lanes = events["lane"].tolist()
    counts = Counter(lanes)  # plain counts and lists: value_counts and a filtered frame cost ~1 ms
    start = format_date(programme["start_date"])
    span = f"from {start} to {format_date(programme['end_date'])}" if pd.notna(programme["end_date"]) else f"since {start}"
    bits = [f"{int(counts[lane])} {LANE_WORDS[lane][0] if counts[lane] == 1 else LANE_WORDS[lane][1]}"
            for lane in LANES if counts.get(lane, 0)]
    register = [(d, e) for d, e, lane in zip(events["date"].tolist(), events["event"].tolist(), lanes) if lane == DFE]
    text = f"{programme['programme_name']} ran {span}" if pd.notna(programme["end_date"]) else \
        f"{programme['programme_name']} has run {span}"
    if council_name:
        text += f" for {council_name}"
    text += ": " + (", ".join(bits) if bits else "no events recorded") + "."
    if register:
        text += " DfE's intervention: " + "; ".join(f"{e[:1].lower()}{e[1:]} {format_date(d)}" for d, e in register) + "."
    return text

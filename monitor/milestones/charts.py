"""The Action plan's charts: the timeline (baseline against forecast), the completion burn-up and
the milestone trend across reporting dates. Each returns a go.Figure with its title and axis titles."""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.chart_style import escape, status_symbol
from monitor.formatting import counted, format_date
from monitor.milestones.reported import TREND_HELD, TREND_SLIPPED_BEFORE, TREND_SLIPPED_NOW
from monitor.milestones.rules import (
    COMPLETE,
    DROPPED,
    RAG_COLOURS,
    RAG_COMPLETE,
    RAG_RULES,
    derived_rag,
    due_dates,
    slippage_days,
    status_words,
)
from monitor.values import day, day_column, text_column


def _figure(traces: list, layout: dict, marks: list | tuple = (), note: str | None = None) -> go.Figure:
    """The figure built and validated once, from plain dicts: traces, shapes and annotations added
    and the layout updated a call at a time, each a graph object, cost several times as much.
    ``marks``: (shape, annotation) pairs from ``_vertical_line``; ``note``: the words shown across a
    figure with nothing to draw (drawn before the marks' labels)."""
    annotations = ([{"text": note, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "showarrow": False,
                     "font": {"size": 14, "color": "#505a5f"}}] if note is not None else [])
    annotations += [label for _line, label in marks]
    if marks:
        layout["shapes"] = [line for line, _label in marks]
    if annotations:
        layout["annotations"] = annotations
    return go.Figure(data=traces, layout=layout)


def _vertical_line(when, label: str, dash: str, raise_px: int = 0) -> list[tuple[dict, dict]]:
    """A labelled vertical line, as a (shape, annotation) pair (none when there is no date). A
    shape and an annotation rather than add_vline, which has mishandled Timestamp x values with
    annotations."""
    if when is None or pd.isna(day(when)):
        return []
    x = day(when)
    return [({"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "xref": "x", "yref": "paper",
              "line": {"color": "#0b0c0c", "width": 1.5, "dash": dash}},
             {"x": x, "y": 1, "xref": "x", "yref": "paper", "text": f"{label}: {format_date(x)}", "yshift": raise_px,
              "showarrow": False, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 11}})]


def _date_lines(reporting_date, today) -> list[tuple[dict, dict]]:
    """The "Today" and "Reporting date" lines; one line with both names when they fall on the
    same day, and labels staggered when both are drawn, so neither label hides the other."""
    t, r = day(today), day(reporting_date)
    if not pd.isna(t) and not pd.isna(r) and t == r:
        return _vertical_line(r, "Today and reporting date", "dash")
    return _vertical_line(r, "Reporting date", "dash") + _vertical_line(t, "Today", "dot", 0 if pd.isna(r) else 18)


AXIS_LABEL_WIDTH = 44
AXIS_GROUP_WIDTH = 22


def _axis_label(text: str, width: int, lines: int) -> str:
    """A category label wrapped onto at most ``lines`` lines of about ``width`` characters, the
    last cut short with an ellipsis, escaped for Plotly's label markup."""
    parts = textwrap.wrap(str(text), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "<br>".join(escape(p) for p in parts)


def _iso(values: pd.Series) -> list:
    """Dates as ISO strings for Plotly (None where missing): far faster to validate and smaller
    to send than Timestamps."""
    text = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
    return text.astype(object).where(text.notna(), None).tolist()


def _nice_step(top: int, ticks: int = 10) -> int:
    """A whole-number axis step of 1, 2 or 5 × 10ⁿ giving at most about ``ticks`` ticks up to ``top``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * ticks >= top:
                return step * factor
        step *= 10


def _safe(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    return escape(value)


def timeline_figure(frame: pd.DataFrame, reporting_date, today) -> go.Figure:
    """Baseline against forecast for every milestone, grouped by workstream: a hollow circle at
    the baseline date, a marker at the date it is now due whose shape and colour give its derived
    RAG (named in words in the legend and hover: monitor.chart_style.status_symbol), a line
    between them showing the slip, a star where it was completed, and
    vertical "Today" and "Reporting date" lines. Hover gives owner, evidence and source."""
    layout = {
        "title": {"text": "Milestones: baseline against forecast"},
        "xaxis": {"title": {"text": "Date"}, "type": "date"},
        "yaxis": {"title": {"text": "Workstream and milestone"}, "autorange": "reversed"},
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "xref": "container", "x": 0},
        "margin": {"l": 10, "r": 10, "t": 80, "b": 110},
    }
    if frame is None or frame.empty:
        return _figure([], layout, _date_lines(reporting_date, today), note="No milestones to show")

    work = frame.copy()
    work["_baseline"] = day_column(work, "baseline_due_date")
    work["_forecast"] = day_column(work, "forecast_due_date")
    work["_completed"] = day_column(work, "completed_date")
    work["_due"] = due_dates(work)
    work["_rag"] = derived_rag(work, reporting_date)
    work["_slip"] = slippage_days(work)
    work["status_words"] = status_words(work)
    ws_col = next((c for c in ("workstream_name", "workstream_id") if c in work.columns), None)
    work["_ws"] = text_column(work[ws_col]).fillna("No workstream") if ws_col else "All milestones"
    title_col = "milestone_title" if "milestone_title" in work.columns else "milestone_id"
    work["_label"] = text_column(work[title_col]).fillna("(untitled)")
    # Only the columns drawn from, so the sort and the selections below move a few columns, not all.
    work = work[["_baseline", "_forecast", "_completed", "_due", "_rag", "_slip", "status_words", "_ws", "_label"]
                + [c for c in ("milestone_id", "owner", "evidence", "source") if c in work.columns]]
    # Two milestones with one title in one workstream would share a row: tell them apart by id.
    clash = work.duplicated(["_ws", "_label"], keep=False)
    if clash.any() and "milestone_id" in work.columns:
        work.loc[clash, "_label"] = work.loc[clash, "_label"] + " (" + text_column(work.loc[clash, "milestone_id"]) + ")"
    work = work.sort_values(["_ws", "_baseline", "_label"], kind="stable").reset_index(drop=True)
    # Long names would take most of the chart's width on the axis: wrap them (the hover has them whole).
    work["_ws_axis"] = work["_ws"].map(lambda t: _axis_label(t, AXIS_GROUP_WIDTH, 3))
    work["_label_axis"] = work["_label"].map(lambda t: _axis_label(t, AXIS_LABEL_WIDTH, 2))
    clash = work.duplicated(["_ws_axis", "_label_axis"], keep=False)
    if clash.any() and "milestone_id" in work.columns:
        work.loc[clash, "_label_axis"] = work.loc[clash, "_label_axis"] + " (" + text_column(work.loc[clash, "milestone_id"]) + ")"

    # Column by column rather than a row Series each (iterrows): the same values, a fraction of the time.
    def column(name: str) -> list:
        return work[name].tolist() if name in work.columns else [None] * len(work)

    def hover(label, ws, status, rag, baseline, forecast, slip, completed, owner, evidence, source) -> str:
        slip = "no forecast" if pd.isna(slip) else counted(int(slip), 'day')
        return "<br>".join([
            f"<b>{_safe(label)}</b>",
            f"Workstream: {_safe(ws)}",
            f"Reported status: {_safe(status)}",
            f"Derived RAG: {_safe(rag)}",
            f"Baseline: {format_date(baseline) or '—'}",
            f"Forecast: {format_date(forecast) or '—'} (slippage: {slip})",
            f"Completed: {format_date(completed) or '—'}",
            f"Owner: {_safe(owner)}",
            f"Evidence: {_safe(evidence)}",
            f"Source: {_safe(source)}",
        ])

    work["_hover"] = [hover(*r) for r in zip(*(column(c) for c in (
        "_label", "_ws", "status_words", "_rag", "_baseline", "_forecast", "_slip", "_completed", "owner", "evidence",
        "source")))]
    y = lambda part: [part["_ws_axis"].tolist(), part["_label_axis"].tolist()]  # noqa: E731 - multicategory axis

    traces = []
    # Slip lines, baseline → due, one segment per slipped milestone (gaps between them).
    slipped = work.loc[work["_due"].ne(work["_baseline"]) & work["_due"].notna() & work["_baseline"].notna()]
    if len(slipped):
        xs, ws, labels = [], [], []
        for start, due, ws_axis, label_axis in zip(slipped["_baseline"].tolist(), slipped["_due"].tolist(), *y(slipped)):
            xs += [start, due, None]
            ws += [ws_axis, ws_axis, None]
            labels += [label_axis, label_axis, None]
        traces.append(dict(type="scatter", x=xs, y=[ws, labels], mode="lines", name="Slip (baseline → forecast)",
                           line={"color": "#b1b4b6", "width": 4}, hoverinfo="skip", connectgaps=False))
    traces.append(dict(
        type="scatter", x=work["_baseline"], y=y(work), mode="markers", name="Baseline due date",
        marker={"symbol": "circle-open", "size": 11, "color": "#0b0c0c", "line": {"width": 2}},
        text=work["_hover"], hovertemplate="%{text}<extra>Baseline</extra>",
    ))
    for rag, _rule in RAG_RULES:
        part = work.loc[work["_rag"].eq(rag) & work["_due"].notna()]
        if part.empty:
            continue
        traces.append(dict(
            type="scatter", x=part["_due"], y=y(part), mode="markers", name=f"Due date — {rag}",
            # A shape per RAG (square red, triangle amber, circle green, cross dropped), so colour is not the only signal.
            marker={"symbol": "diamond" if rag == RAG_COMPLETE else status_symbol(rag), "size": 12,
                    "color": RAG_COLOURS[rag], "line": {"width": 1, "color": "#0b0c0c"}},
            text=part["_hover"], hovertemplate=f"%{{text}}<extra>Due date — {rag.split(' ')[0]}</extra>",
        ))
    done = work.loc[work["_completed"].notna()]
    if len(done):
        traces.append(dict(
            type="scatter", x=done["_completed"], y=y(done), mode="markers", name="Completed (★)",
            marker={"symbol": "star", "size": 14, "color": RAG_COLOURS[RAG_COMPLETE], "line": {"width": 1, "color": "#0b0c0c"}},
            text=done["_hover"], hovertemplate="%{text}<extra>Completed</extra>",
        ))
    # 34 px a row: room for a label wrapped onto two lines.
    layout["height"] = max(340, 200 + 34 * len(work))
    layout["yaxis"]["tickfont"] = {"size": 11}
    return _figure(traces, layout, _date_lines(reporting_date, today))


def burn_up_figure(burn: pd.DataFrame, reporting_date=None) -> go.Figure:
    """Cumulative milestones completed against the cumulative number the baseline plan expected,
    as step lines (counts change on the day, not gradually); the gap is delivery behind plan.
    ``reporting_date``, when given, is marked by a labelled vertical line."""
    layout = {
        "title": {"text": "Milestone completion against plan (burn-up)"},
        "xaxis": {"title": {"text": "Date"}, "type": "date"},
        "yaxis": {"title": {"text": "Milestones (cumulative)"}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 90},
    }
    marks = _vertical_line(reporting_date, "Reporting date", "dash")
    if burn is None or burn.empty:
        return _figure([], layout, marks, note="No milestones to show")
    x = day_column(burn, "date")
    traces = [
        dict(type="scatter", x=x, y=burn["planned_cumulative"], mode="lines", name="Planned (by baseline due date)",
             line={"dash": "dash", "color": "#505a5f", "width": 2, "shape": "hv"},
             hovertemplate="%{x|%-d %b %Y}: %{y} planned<extra></extra>"),
        dict(type="scatter", x=x, y=burn["completed_cumulative"], mode="lines+markers", name="Completed",
             line={"color": "#1d70b8", "width": 3, "shape": "hv"}, marker={"symbol": "star", "size": 8},
             hovertemplate="%{x|%-d %b %Y}: %{y} completed<extra></extra>"),
    ]
    top = int(max(burn["planned_cumulative"].max(), burn["completed_cumulative"].max(), 1))
    # Whole milestones only, at round numbers.
    layout["yaxis"].update(dtick=_nice_step(top), tickformat="d")
    return _figure(traces, layout, marks)


def trend_figure(snapshots: pd.DataFrame) -> go.Figure:
    """Milestone trend (slip) chart: for each milestone, the forecast date as reported at each
    reporting date. A flat line is a milestone holding its date; a rising line is slipping; the
    diagonal marks "due at the reporting date", so a line reaching it is due now. A reporting
    date with no snapshot is simply absent (the line joins the dates that were reported); a
    snapshot with no forecast leaves a gap. Complete points are stars; status is in the hover."""
    layout = {
        "title": {"text": "Milestone trend: forecast dates as reported"},
        "xaxis": {"title": {"text": "Reporting date"}, "type": "date"},
        "yaxis": {"title": {"text": "Forecast due date (as reported)"}, "type": "date"},
        "legend": {"title": {"text": "Milestone"}},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
    }
    if snapshots is None or snapshots.empty or "milestone_id" not in snapshots.columns:
        return _figure([], layout, note="No reported forecasts to show")
    work = snapshots.copy()
    work["_reported"] = day_column(work, "reporting_date")
    work["_forecast"] = day_column(work, "forecast_due_date")
    work["status_words"] = status_words(work)
    work["_id"] = text_column(work["milestone_id"])
    names = text_column(work["milestone_title"]) if "milestone_title" in work.columns else work["_id"]
    work["_name"] = names.fillna(work["_id"])
    work = work.sort_values(["_id", "_reported"], kind="stable")
    traces = []
    for milestone_id, part in work.groupby("_id", sort=True):
        name = str(part["_name"].iloc[0])
        traces.append(dict(
            type="scatter", x=part["_reported"], y=part["_forecast"], mode="lines+markers", name=name, connectgaps=False,
            marker={"symbol": ["star" if s == COMPLETE else "circle" for s in part["status_words"]], "size": 9},
            text=[f"<b>{_safe(name)}</b><br>Reported {format_date(r)}: forecast {format_date(f) or 'none'}"
                  f"<br>Status: {_safe(s)}" for r, f, s in zip(part["_reported"], part["_forecast"], part["status_words"])],
            hovertemplate="%{text}<extra></extra>",
        ))
    every = pd.concat([work["_reported"], work["_forecast"]]).dropna()
    if len(every):
        lo, hi = every.min(), every.max()
        traces.append(dict(type="scatter", x=[lo, hi], y=[lo, hi], mode="lines", name="Due at reporting date",
                           line={"color": "#0b0c0c", "dash": "dot", "width": 1}, hoverinfo="skip"))
    return _figure(traces, layout)


# Drawn in this order (the quiet majority underneath). Colour, line style and the legend's words
# all differ, so no group is told apart by colour alone.
TREND_GROUPS: list[tuple[str, str, str, float]] = [
    (TREND_HELD, "#505a5f", "dot", 1.5),
    (TREND_SLIPPED_BEFORE, "#a35200", "dash", 2),
    (TREND_SLIPPED_NOW, "#d4351c", "solid", 3.5),
]


# Above this many points the trend chart is drawn with WebGL (an SVG of 40,000 markers is slow).
WEBGL_POINTS = 4_000


def trend_overview_figure(points: pd.DataFrame, reporting_date=None) -> go.Figure:
    """The milestone trend (slip) chart for any number of milestones: one trace per trend group
    (lines of one group separated by gaps), so 1,000 milestones draw as fast as 20; the groups
    differ in colour, line style and legend words. Stars mark reports of "complete", crosses
    "dropped"; a missing quarter is absent (the line joins the reported dates), a report with no
    forecast leaves a gap. The dash-dot diagonal is "due at the reporting date": a line meeting
    it was due at that report. Hover names the milestone. ``points`` comes from ``trend_points``."""
    layout = {
        "title": {"text": "Milestone trend: forecast dates as reported"},
        "xaxis": {"title": {"text": "Reporting date"}, "type": "date"},
        "yaxis": {"title": {"text": "Forecast due date (as reported)"}, "type": "date"},
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "xref": "container", "x": 0},
        "margin": {"l": 10, "r": 10, "t": 80, "b": 100}, "height": 560, "hovermode": "closest",
    }
    if points is None or points.empty:
        return _figure([], layout, note="No reported forecasts to show")
    scatter = "scattergl" if len(points) > WEBGL_POINTS else "scatter"
    # Many lines: thinner lines and smaller markers, so they stay apart.
    crowded = points["milestone_id"].nunique() > 30
    size = 8 if scatter == "scatter" and not crowded else 4
    # Vectorised throughout (a large programme has tens of thousands of points): dates go to Plotly
    # as ISO strings, the hover's dates are formatted by Plotly itself.
    work = points.sort_values(["milestone_id", "reporting_date"], kind="stable").reset_index(drop=True)
    titles = {t: _safe(t) for t in work["milestone_title"].unique()}
    x = np.array(_iso(work["reporting_date"]), dtype=object)
    y = np.array(_iso(work["forecast_due_date"]), dtype=object)
    text = ("<b>" + work["milestone_title"].map(titles) + "</b><br>Status reported: "
            + work["status"].map(lambda v: _safe(v)) + "<br>" + work["trend_group"]).to_numpy(object)
    ids, groups, statuses = (work[c].to_numpy(object) for c in ("milestone_id", "trend_group", "status"))
    hover = "%{text}<br>Reported %{x|%-d %b %Y}: forecast %{y|%-d %b %Y}<extra></extra>"
    traces = []
    for group, colour, dash, width in TREND_GROUPS:
        rows = np.flatnonzero(groups == group)
        if not len(rows):
            continue
        # One trace per group: each milestone's points, then a gap (None) before the next milestone.
        # ``work`` is in milestone order, so a milestone's points are one run and a gap goes where the id changes.
        ends = np.append(np.flatnonzero(ids[rows][1:] != ids[rows][:-1]) + 1, len(rows))
        traces.append(dict(
            type=scatter, x=np.insert(x[rows], ends, None), y=np.insert(y[rows], ends, None),
            text=np.insert(text[rows], ends, ""),
            mode="lines+markers", name=f"{group} ({len(ends)})", connectgaps=False,
            line={"color": colour, "dash": dash, "width": max(1.0, width / 2) if crowded else width},
            marker={"symbol": "circle", "color": colour, "size": size},
            hovertemplate=hover,
        ))
    for status, symbol, colour, name in ((COMPLETE, "star", RAG_COLOURS[RAG_COMPLETE], "Reported complete (★)"),
                                         (DROPPED, "x", "#0b0c0c", "Reported dropped (✕)")):
        rows = np.flatnonzero((statuses == status) & work["forecast_due_date"].notna().to_numpy())
        if not len(rows):
            continue
        traces.append(dict(
            type=scatter, x=x[rows], y=y[rows], text=text[rows],
            mode="markers", name=name, hovertemplate=hover,
            marker={"symbol": symbol, "color": colour, "size": size + 5, "line": {"width": 1, "color": "#0b0c0c"}},
        ))
    every = pd.concat([day_column(points, "reporting_date"), day_column(points, "forecast_due_date")]).dropna()
    lo, hi = every.min(), every.max()
    traces.append(dict(type="scatter", x=_iso(pd.Series([lo, hi])), y=_iso(pd.Series([lo, hi])), mode="lines",
                       name="Due at reporting date (diagonal)",
                       line={"color": "#0b0c0c", "dash": "dashdot", "width": 1}, hoverinfo="skip"))
    return _figure(traces, layout, _vertical_line(reporting_date, "Reporting date", "dash"))

"""The Action plan's charts: the timeline (baseline against forecast), the completion burn-up and
the milestone trend across reporting dates. Each returns a go.Figure with its title and axis titles."""
from __future__ import annotations

import textwrap

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


def _empty_note(fig: go.Figure, text: str) -> None:
    fig.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 14, "color": "#505a5f"})


def _vertical_line(fig: go.Figure, when, label: str, dash: str, raise_px: int = 0) -> None:
    """A labelled vertical line. Drawn as shape + annotation rather than add_vline, which has
    mishandled Timestamp x values with annotations."""
    if when is None or pd.isna(day(when)):
        return
    x = day(when)
    fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, xref="x", yref="paper",
                  line={"color": "#0b0c0c", "width": 1.5, "dash": dash})
    fig.add_annotation(x=x, y=1, xref="x", yref="paper", text=f"{label}: {format_date(x)}", yshift=raise_px,
                       showarrow=False, yanchor="bottom", bgcolor="rgba(255,255,255,0.85)", font={"size": 11})


def _date_lines(fig: go.Figure, reporting_date, today) -> None:
    """The "Today" and "Reporting date" lines; one line with both names when they fall on the
    same day, and labels staggered when both are drawn, so neither label hides the other."""
    t, r = day(today), day(reporting_date)
    if not pd.isna(t) and not pd.isna(r) and t == r:
        _vertical_line(fig, r, "Today and reporting date", "dash")
        return
    _vertical_line(fig, r, "Reporting date", "dash")
    _vertical_line(fig, t, "Today", "dot", 0 if pd.isna(r) else 18)


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


def mark_date(fig: go.Figure, when, label: str, dash: str = "dash") -> None:
    """A labelled vertical line at a date ("Reporting date: 30 Sep 2026") on a date x axis."""
    _vertical_line(fig, when, label, dash)


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
    fig = go.Figure()
    title = "Milestones: baseline against forecast"
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": "Date"}, "type": "date"},
        yaxis={"title": {"text": "Workstream and milestone"}, "autorange": "reversed"},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "xref": "container", "x": 0},
        margin={"l": 10, "r": 10, "t": 80, "b": 110},
    )
    if frame is None or frame.empty:
        _empty_note(fig, "No milestones to show")
        _date_lines(fig, reporting_date, today)
        return fig

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

    def hover(r) -> str:
        slip = "no forecast" if pd.isna(r["_slip"]) else counted(int(r['_slip']), 'day')
        return "<br>".join([
            f"<b>{_safe(r['_label'])}</b>",
            f"Workstream: {_safe(r['_ws'])}",
            f"Reported status: {_safe(r['status_words'])}",
            f"Derived RAG: {_safe(r['_rag'])}",
            f"Baseline: {format_date(r['_baseline']) or '—'}",
            f"Forecast: {format_date(r['_forecast']) or '—'} (slippage: {slip})",
            f"Completed: {format_date(r['_completed']) or '—'}",
            f"Owner: {_safe(r.get('owner'))}",
            f"Evidence: {_safe(r.get('evidence'))}",
            f"Source: {_safe(r.get('source'))}",
        ])

    work["_hover"] = [hover(r) for _, r in work.iterrows()]
    y = lambda part: [part["_ws_axis"].tolist(), part["_label_axis"].tolist()]  # noqa: E731 - multicategory axis

    # Slip lines, baseline → due, one segment per slipped milestone (gaps between them).
    slipped = work.loc[work["_due"].ne(work["_baseline"]) & work["_due"].notna() & work["_baseline"].notna()]
    if len(slipped):
        xs, ws, labels = [], [], []
        for _, r in slipped.iterrows():
            xs += [r["_baseline"], r["_due"], None]
            ws += [r["_ws_axis"], r["_ws_axis"], None]
            labels += [r["_label_axis"], r["_label_axis"], None]
        fig.add_trace(go.Scatter(x=xs, y=[ws, labels], mode="lines", name="Slip (baseline → forecast)",
                                 line={"color": "#b1b4b6", "width": 4}, hoverinfo="skip", connectgaps=False))
    fig.add_trace(go.Scatter(
        x=work["_baseline"], y=y(work), mode="markers", name="Baseline due date",
        marker={"symbol": "circle-open", "size": 11, "color": "#0b0c0c", "line": {"width": 2}},
        text=work["_hover"], hovertemplate="%{text}<extra>Baseline</extra>",
    ))
    for rag, _rule in RAG_RULES:
        part = work.loc[work["_rag"].eq(rag) & work["_due"].notna()]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["_due"], y=y(part), mode="markers", name=f"Due date — {rag}",
            # A shape per RAG (square red, triangle amber, circle green, cross dropped), so colour is not the only signal.
            marker={"symbol": "diamond" if rag == RAG_COMPLETE else status_symbol(rag), "size": 12,
                    "color": RAG_COLOURS[rag], "line": {"width": 1, "color": "#0b0c0c"}},
            text=part["_hover"], hovertemplate=f"%{{text}}<extra>Due date — {rag.split(' ')[0]}</extra>",
        ))
    done = work.loc[work["_completed"].notna()]
    if len(done):
        fig.add_trace(go.Scatter(
            x=done["_completed"], y=y(done), mode="markers", name="Completed (★)",
            marker={"symbol": "star", "size": 14, "color": RAG_COLOURS[RAG_COMPLETE], "line": {"width": 1, "color": "#0b0c0c"}},
            text=done["_hover"], hovertemplate="%{text}<extra>Completed</extra>",
        ))
    _date_lines(fig, reporting_date, today)
    # 34 px a row: room for a label wrapped onto two lines.
    fig.update_layout(height=max(340, 200 + 34 * len(work)), yaxis={"tickfont": {"size": 11}})
    return fig


def burn_up_figure(burn: pd.DataFrame) -> go.Figure:
    """Cumulative milestones completed against the cumulative number the baseline plan expected,
    as step lines (counts change on the day, not gradually); the gap is delivery behind plan."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": "Milestone completion against plan (burn-up)"},
        xaxis={"title": {"text": "Date"}, "type": "date"},
        yaxis={"title": {"text": "Milestones (cumulative)"}, "rangemode": "tozero"},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 60, "b": 90},
    )
    if burn is None or burn.empty:
        _empty_note(fig, "No milestones to show")
        return fig
    x = day_column(burn, "date")
    fig.add_trace(go.Scatter(x=x, y=burn["planned_cumulative"], mode="lines", line_shape="hv",
                             name="Planned (by baseline due date)", line={"dash": "dash", "color": "#505a5f", "width": 2},
                             hovertemplate="%{x|%-d %b %Y}: %{y} planned<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=burn["completed_cumulative"], mode="lines+markers", line_shape="hv",
                             name="Completed", line={"color": "#1d70b8", "width": 3}, marker={"symbol": "star", "size": 8},
                             hovertemplate="%{x|%-d %b %Y}: %{y} completed<extra></extra>"))
    top = int(max(burn["planned_cumulative"].max(), burn["completed_cumulative"].max(), 1))
    fig.update_yaxes(dtick=_nice_step(top), tickformat="d")  # whole milestones only, at round numbers
    return fig


def trend_figure(snapshots: pd.DataFrame) -> go.Figure:
    """Milestone trend (slip) chart: for each milestone, the forecast date as reported at each
    reporting date. A flat line is a milestone holding its date; a rising line is slipping; the
    diagonal marks "due at the reporting date", so a line reaching it is due now. A reporting
    date with no snapshot is simply absent (the line joins the dates that were reported); a
    snapshot with no forecast leaves a gap. Complete points are stars; status is in the hover."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": "Milestone trend: forecast dates as reported"},
        xaxis={"title": {"text": "Reporting date"}, "type": "date"},
        yaxis={"title": {"text": "Forecast due date (as reported)"}, "type": "date"},
        legend={"title": {"text": "Milestone"}},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    if snapshots is None or snapshots.empty or "milestone_id" not in snapshots.columns:
        _empty_note(fig, "No reported forecasts to show")
        return fig
    work = snapshots.copy()
    work["_reported"] = day_column(work, "reporting_date")
    work["_forecast"] = day_column(work, "forecast_due_date")
    work["status_words"] = status_words(work)
    work["_id"] = text_column(work["milestone_id"])
    names = text_column(work["milestone_title"]) if "milestone_title" in work.columns else work["_id"]
    work["_name"] = names.fillna(work["_id"])
    work = work.sort_values(["_id", "_reported"], kind="stable")
    for milestone_id, part in work.groupby("_id", sort=True):
        name = str(part["_name"].iloc[0])
        fig.add_trace(go.Scatter(
            x=part["_reported"], y=part["_forecast"], mode="lines+markers", name=name, connectgaps=False,
            marker={"symbol": ["star" if s == COMPLETE else "circle" for s in part["status_words"]], "size": 9},
            text=[f"<b>{_safe(name)}</b><br>Reported {format_date(r)}: forecast {format_date(f) or 'none'}"
                  f"<br>Status: {_safe(s)}" for r, f, s in zip(part["_reported"], part["_forecast"], part["status_words"])],
            hovertemplate="%{text}<extra></extra>",
        ))
    every = pd.concat([work["_reported"], work["_forecast"]]).dropna()
    if len(every):
        lo, hi = every.min(), every.max()
        fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="Due at reporting date",
                                 line={"color": "#0b0c0c", "dash": "dot", "width": 1}, hoverinfo="skip"))
    return fig


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
    fig = go.Figure()
    fig.update_layout(
        title={"text": "Milestone trend: forecast dates as reported"},
        xaxis={"title": {"text": "Reporting date"}, "type": "date"},
        yaxis={"title": {"text": "Forecast due date (as reported)"}, "type": "date"},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "xref": "container", "x": 0},
        margin={"l": 10, "r": 10, "t": 80, "b": 100}, height=560, hovermode="closest",
    )
    if points is None or points.empty:
        _empty_note(fig, "No reported forecasts to show")
        return fig
    scatter = go.Scattergl if len(points) > WEBGL_POINTS else go.Scatter
    # Many lines: thinner lines and smaller markers, so they stay apart.
    crowded = points["milestone_id"].nunique() > 30
    size = 8 if scatter is go.Scatter and not crowded else 4
    # Vectorised throughout (a large programme has tens of thousands of points): dates go to Plotly
    # as ISO strings, the hover's dates are formatted by Plotly itself.
    work = points.sort_values(["milestone_id", "reporting_date"], kind="stable").reset_index(drop=True)
    titles = {t: _safe(t) for t in work["milestone_title"].unique()}
    work = work.assign(
        _x=_iso(work["reporting_date"]), _y=_iso(work["forecast_due_date"]),
        _hover=("<b>" + work["milestone_title"].map(titles) + "</b><br>Status reported: "
                + work["status"].map(lambda v: _safe(v)) + "<br>" + work["trend_group"]),
    )
    hover = "%{text}<br>Reported %{x|%-d %b %Y}: forecast %{y|%-d %b %Y}<extra></extra>"
    for group, colour, dash, width in TREND_GROUPS:
        part = work.loc[work["trend_group"].eq(group)]
        if part.empty:
            continue
        # One trace per group: each milestone's points, then a gap (None) before the next milestone.
        gaps = part.drop_duplicates("milestone_id", keep="last").assign(_x=None, _y=None, _hover="")
        both = pd.concat([part.assign(_gap=0), gaps.assign(_gap=1)])
        both = both.sort_values(["milestone_id", "_gap", "reporting_date"], kind="stable")
        fig.add_trace(scatter(
            x=both["_x"].to_numpy(object), y=both["_y"].to_numpy(object), text=both["_hover"].to_numpy(object),
            mode="lines+markers", name=f"{group} ({part['milestone_id'].nunique()})", connectgaps=False,
            line={"color": colour, "dash": dash, "width": max(1.0, width / 2) if crowded else width},
            marker={"symbol": "circle", "color": colour, "size": size},
            hovertemplate=hover,
        ))
    for status, symbol, colour, name in ((COMPLETE, "star", RAG_COLOURS[RAG_COMPLETE], "Reported complete (★)"),
                                         (DROPPED, "x", "#0b0c0c", "Reported dropped (✕)")):
        part = work.loc[work["status"].eq(status) & work["forecast_due_date"].notna()]
        if part.empty:
            continue
        fig.add_trace(scatter(
            x=part["_x"].to_numpy(object), y=part["_y"].to_numpy(object), text=part["_hover"].to_numpy(object),
            mode="markers", name=name, hovertemplate=hover,
            marker={"symbol": symbol, "color": colour, "size": size + 5, "line": {"width": 1, "color": "#0b0c0c"}},
        ))
    every = pd.concat([day_column(points, "reporting_date"), day_column(points, "forecast_due_date")]).dropna()
    lo, hi = every.min(), every.max()
    fig.add_trace(go.Scatter(x=_iso(pd.Series([lo, hi])), y=_iso(pd.Series([lo, hi])), mode="lines",
                             name="Due at reporting date (diagonal)",
                             line={"color": "#0b0c0c", "dash": "dashdot", "width": 1}, hoverinfo="skip"))
    _vertical_line(fig, reporting_date, "Reporting date", "dash")
    return fig

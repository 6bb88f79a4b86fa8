"""Action-plan rules: slippage, overdue, a RAG derived from dates, what changed between two
reporting dates, the one-line summary, the burn-up, and the Action plan page's charts.

Frames use the column names of ``milestone`` and ``milestone_snapshot`` in data/schema.sql. Dates
may be pandas datetime64 (as DuckDB hands DATE columns over), ``datetime.date`` objects or ISO
strings; statuses plain strings or DuckDB's ordered Categorical. Every function accepts an empty
frame (even one with no columns) and returns an empty, correctly shaped result rather than raising,
because a new programme has no milestones and a first quarter has no previous snapshot.
"""
from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import counted, format_date

COMPLETE = "complete"
DROPPED = "dropped"
CLOSED_STATUSES = (COMPLETE, DROPPED)

RAG_COMPLETE = "Complete"
RAG_DROPPED = "Dropped"
RAG_RED = "Red — off track"
RAG_AMBER = "Amber — at risk"
RAG_GREEN = "Green — on track"

# Applied in this order: the first rule that matches gives the milestone its RAG. Derived from the
# dates alone, so it can disagree with the status the owner reported — worth showing both.
RAG_RULES: list[tuple[str, str]] = [
    (RAG_COMPLETE, "The milestone is marked complete."),
    (RAG_DROPPED, "The milestone has been dropped from the plan."),
    (RAG_RED, "Overdue: its due date (the forecast date, or the baseline date if there is no forecast) "
              "is before the reporting date and it is not complete."),
    (RAG_AMBER, "Slipped: the forecast date is later than the baseline date, but it is not yet overdue."),
    (RAG_GREEN, "Neither overdue nor slipped."),
]

# GOV.UK Design System colours; always shown beside the word, never instead of it.
RAG_COLOURS: dict[str, str] = {
    RAG_COMPLETE: "#1d70b8",
    RAG_DROPPED: "#505a5f",
    RAG_RED: "#d4351c",
    RAG_AMBER: "#f47738",
    RAG_GREEN: "#00703c",
}

DIFF_COLUMNS = ["milestone_id", "change", "status_before", "status_after", "forecast_before",
                "forecast_after", "days_moved"]


# --------------------------------------------------------------------------------------------
# Small helpers


def _day(value) -> pd.Timestamp:
    """A date-like value as a midnight Timestamp (NaT when missing)."""
    if value is None:
        return pd.NaT
    stamp = pd.Timestamp(value)
    return stamp if pd.isna(stamp) else stamp.normalize()


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    """A date column as datetime64 (all NaT if the column is absent), whatever it arrived as."""
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    values = pd.to_datetime(frame[column])
    if not len(values):
        return values.astype("datetime64[us]")
    return values.dt.normalize()


def _text(values: pd.Series) -> pd.Series:
    """Strings (or None) from str, object or Categorical columns."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    return values.astype("string").astype(object).where(values.notna(), None)


def _status(frame: pd.DataFrame) -> pd.Series:
    if "status" not in frame.columns:
        return pd.Series(None, index=frame.index, dtype=object)
    text = _text(frame["status"])
    return text.astype("string").str.strip().str.lower().astype(object).where(text.notna(), None)


def _days(delta: pd.Series) -> pd.Series:
    """Timedeltas as whole days in a nullable integer column (NA, not NaN, for 'no date')."""
    return delta.dt.days.astype("Int64")


def _display_date(value) -> str:
    return format_date(None if pd.isna(value) else pd.Timestamp(value))


# --------------------------------------------------------------------------------------------
# Dates and status


def slippage_days(frame: pd.DataFrame) -> pd.Series:
    """Forecast − baseline due date in days (positive = later than planned); NA where there is no
    forecast, because "no forecast" is not the same as "on time"."""
    result = _days(_dates(frame, "forecast_due_date") - _dates(frame, "baseline_due_date"))
    return result.rename("slippage_days")


def due_date(row) -> pd.Timestamp:
    """When a milestone is now due: its forecast date if it has one, else its baseline date."""
    get = row.get if isinstance(row, (Mapping, pd.Series)) else (lambda k: getattr(row, k, None))
    forecast = _day(get("forecast_due_date"))
    return forecast if not pd.isna(forecast) else _day(get("baseline_due_date"))


def due_dates(frame: pd.DataFrame) -> pd.Series:
    """``due_date`` for every row at once."""
    return _dates(frame, "forecast_due_date").fillna(_dates(frame, "baseline_due_date")).rename("due_date")


def is_overdue(frame: pd.DataFrame, reporting_date) -> pd.Series:
    """Due strictly before the reporting date and neither complete nor dropped. A milestone due ON
    the reporting date is not overdue: it still has that day."""
    cutoff = _day(reporting_date)
    due = due_dates(frame)
    open_ = ~_status(frame).isin(CLOSED_STATUSES)
    return ((due < cutoff) & open_).fillna(False).astype(bool).rename("is_overdue")


def derived_rag(frame: pd.DataFrame, reporting_date) -> pd.Series:
    """The RAG word for each milestone by ``RAG_RULES`` (first match wins). Words, not colours:
    pair with ``RAG_COLOURS`` for display."""
    status = _status(frame)
    overdue = is_overdue(frame, reporting_date)
    slipped = (slippage_days(frame) > 0).fillna(False).astype(bool)
    rag = np.select(
        [status.eq(COMPLETE).to_numpy(), status.eq(DROPPED).to_numpy(), overdue.to_numpy(), slipped.to_numpy()],
        [RAG_COMPLETE, RAG_DROPPED, RAG_RED, RAG_AMBER],
        default=RAG_GREEN,
    )
    return pd.Series(rag, index=frame.index, dtype=object, name="rag")


# --------------------------------------------------------------------------------------------
# Snapshots: what changed between two reporting dates


def _snapshot(frame: pd.DataFrame | None) -> pd.DataFrame:
    """One row per milestone with id, status and forecast. If a frame holds several reporting
    dates for one milestone, the latest reporting date wins (the state as last reported)."""
    if frame is None or "milestone_id" not in frame.columns:
        return pd.DataFrame({"milestone_id": pd.Series(dtype=object), "status": pd.Series(dtype=object),
                             "forecast_due_date": pd.Series(dtype="datetime64[us]")})
    work = frame.copy()
    if "reporting_date" in work.columns:
        work = work.assign(_rd=_dates(work, "reporting_date")).sort_values("_rd", kind="stable")
    work = work.drop_duplicates("milestone_id", keep="last")
    return pd.DataFrame({
        "milestone_id": _text(work["milestone_id"]).to_numpy(),
        "status": _status(work).to_numpy(),
        "forecast_due_date": _dates(work, "forecast_due_date").to_numpy(),
    })


def snapshot_diff(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> pd.DataFrame:
    """What changed for each milestone between two reporting dates' snapshots: added, removed,
    status changed, date moved, or both. ``days_moved`` is forecast_after − forecast_before in days
    (positive = slipped later; NA when either side has no forecast). Unchanged milestones are left
    out. Sorted by milestone_id."""
    before = _snapshot(previous).rename(columns={"status": "status_before", "forecast_due_date": "forecast_before"})
    after = _snapshot(current).rename(columns={"status": "status_after", "forecast_due_date": "forecast_after"})
    both = before.merge(after, on="milestone_id", how="outer", indicator=True)
    if both.empty:
        return pd.DataFrame({
            "milestone_id": pd.Series(dtype=object), "change": pd.Series(dtype=object),
            "status_before": pd.Series(dtype=object), "status_after": pd.Series(dtype=object),
            "forecast_before": pd.Series(dtype="datetime64[us]"), "forecast_after": pd.Series(dtype="datetime64[us]"),
            "days_moved": pd.Series(dtype="Int64"),
        })
    fb, fa = both["forecast_before"], both["forecast_after"]
    date_moved = ~((fb == fa) | (fb.isna() & fa.isna()))
    sb, sa = both["status_before"].astype(object), both["status_after"].astype(object)
    status_changed = ~((sb == sa) | (sb.isna() & sa.isna()))
    side = both["_merge"].astype(str)
    change = np.select(
        [side.eq("right_only").to_numpy(), side.eq("left_only").to_numpy(),
         (status_changed & date_moved).to_numpy(), status_changed.to_numpy(), date_moved.to_numpy()],
        ["added", "removed", "status changed and date moved", "status changed", "date moved"],
        default="",
    )
    result = both.drop(columns="_merge").assign(change=change, days_moved=_days(fa - fb))
    result = result.loc[result["change"] != "", DIFF_COLUMNS]
    for column in ("milestone_id", "change", "status_before", "status_after"):
        result[column] = result[column].astype(object).where(result[column].notna(), None)
    return result.sort_values("milestone_id", kind="stable").reset_index(drop=True)


def newly_completed(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> pd.DataFrame:
    """Milestones complete now that were not complete at the previous reporting date (including
    ones that first appear already complete: the report has not told anyone about them yet)."""
    return _newly_completed(snapshot_diff(previous, current))


def slipped_since(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> pd.DataFrame:
    """Milestones whose forecast moved later since the previous reporting date, biggest slip
    first (then by milestone_id)."""
    return _slipped(snapshot_diff(previous, current))


def status_changes(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> pd.DataFrame:
    """Milestones present at both reporting dates whose status changed, with the change in words:
    ``status_change`` = "on track → at risk". (Added and removed milestones are in
    ``snapshot_diff``.)"""
    return _status_changes(snapshot_diff(previous, current))


def changes_between(previous: pd.DataFrame | None, current: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """Everything that changed between two reporting dates from one ``snapshot_diff``:
    ``diff``, ``slipped`` (as ``slipped_since``), ``newly_completed``, ``status_changes`` and
    ``added`` (milestones reported for the first time)."""
    diff = snapshot_diff(previous, current)
    return {
        "diff": diff,
        "slipped": _slipped(diff),
        "newly_completed": _newly_completed(diff),
        "status_changes": _status_changes(diff),
        "added": diff.loc[diff["change"].eq("added")].reset_index(drop=True),
    }


def _newly_completed(diff: pd.DataFrame) -> pd.DataFrame:
    mask = diff["status_after"].eq(COMPLETE) & ~diff["status_before"].eq(COMPLETE)
    return diff.loc[mask].reset_index(drop=True)


def _slipped(diff: pd.DataFrame) -> pd.DataFrame:
    slipped = diff.loc[diff["days_moved"].gt(0).fillna(False).astype(bool)]
    return slipped.sort_values(["days_moved", "milestone_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _status_changes(diff: pd.DataFrame) -> pd.DataFrame:
    diff = diff.loc[diff["change"].isin(["status changed", "status changed and date moved"])]
    result = diff[["milestone_id", "status_before", "status_after"]].copy()
    result["status_change"] = [f"{b} → {a}" for b, a in zip(result["status_before"], result["status_after"])]
    return result.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Summary and burn-up


def summary_line(milestones: pd.DataFrame, reporting_date, previous_reporting_date, slipped_count: int) -> str:
    """One sentence for the card and the report: "12 of 31 milestones complete; 4 overdue;
    3 slipped since 30 Jun 2020".

    Dropped milestones are not in the "of 31" (they will never complete, so counting them would
    understate progress) but are mentioned when there are any: "(2 dropped)". With no previous
    reporting date, the slipped clause says there is nothing to compare with.
    """
    if milestones is None or milestones.empty:
        return "No milestones recorded."
    status = _status(milestones)
    live = int((~status.eq(DROPPED)).sum())
    dropped = int(status.eq(DROPPED).sum())
    complete = int(status.eq(COMPLETE).sum())
    overdue = int(is_overdue(milestones, reporting_date).sum())
    text = f"{complete} of {live} milestone{'' if live == 1 else 's'} complete"
    if dropped:
        text += f" ({dropped} dropped)"
    text += f"; {overdue} overdue"
    if previous_reporting_date is None or pd.isna(_day(previous_reporting_date)):
        text += "; no earlier report to compare"
    else:
        text += f"; {int(slipped_count or 0)} slipped since {_display_date(_day(previous_reporting_date))}"
    return text


def burn_up(frame: pd.DataFrame) -> pd.DataFrame:
    """Completion burn-up: on each date where something was due (baseline) or completed, how many
    milestones the baseline plan expected done by then (``planned_cumulative``) and how many were
    actually done (``completed_cumulative``). Dropped milestones are left out of both lines, so the
    completed line can still meet the planned one."""
    empty = pd.DataFrame({"date": pd.Series(dtype="datetime64[us]"), "planned_cumulative": pd.Series(dtype=int),
                          "completed_cumulative": pd.Series(dtype=int)})
    if frame is None or frame.empty:
        return empty
    live = frame.loc[~_status(frame).eq(DROPPED).to_numpy()]
    planned = _dates(live, "baseline_due_date").dropna()
    completed = _dates(live, "completed_date").dropna()
    dates = pd.Series(pd.concat([planned, completed]).unique()).sort_values().reset_index(drop=True)
    if dates.empty:
        return empty
    planned_sorted = np.sort(planned.to_numpy())
    completed_sorted = np.sort(completed.to_numpy())
    points = dates.to_numpy()
    return pd.DataFrame({
        "date": dates.astype("datetime64[us]"),
        "planned_cumulative": np.searchsorted(planned_sorted, points, side="right").astype(int),
        "completed_cumulative": np.searchsorted(completed_sorted, points, side="right").astype(int),
    })


# --------------------------------------------------------------------------------------------
# Charts


def _empty_note(fig: go.Figure, text: str) -> None:
    fig.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 14, "color": "#505a5f"})


def _vertical_line(fig: go.Figure, when, label: str, dash: str, raise_px: int = 0) -> None:
    """A labelled vertical line. Drawn as shape + annotation rather than add_vline, which has
    mishandled Timestamp x values with annotations."""
    if when is None or pd.isna(_day(when)):
        return
    x = _day(when)
    fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, xref="x", yref="paper",
                  line={"color": "#0b0c0c", "width": 1.5, "dash": dash})
    fig.add_annotation(x=x, y=1, xref="x", yref="paper", text=f"{label}: {_display_date(x)}", yshift=raise_px,
                       showarrow=False, yanchor="bottom", bgcolor="rgba(255,255,255,0.85)", font={"size": 11})


def _date_lines(fig: go.Figure, reporting_date, today) -> None:
    """The "Today" and "Reporting date" lines; one line with both names when they fall on the
    same day, and labels staggered when both are drawn, so neither label hides the other."""
    t, r = _day(today), _day(reporting_date)
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
    return "<br>".join(html.escape(p, quote=False) for p in parts)


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
    return html.escape(str(value))


def timeline_figure(frame: pd.DataFrame, reporting_date, today) -> go.Figure:
    """Baseline against forecast for every milestone, grouped by workstream: a hollow circle at
    the baseline date, a diamond at the date it is now due (labelled in the legend by its derived
    RAG in words), a line between them showing the slip, a star where it was completed, and
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
    work["_baseline"] = _dates(work, "baseline_due_date")
    work["_forecast"] = _dates(work, "forecast_due_date")
    work["_completed"] = _dates(work, "completed_date")
    work["_due"] = due_dates(work)
    work["_rag"] = derived_rag(work, reporting_date)
    work["_slip"] = slippage_days(work)
    work["_status"] = _status(work)
    ws_col = next((c for c in ("workstream_name", "workstream_id") if c in work.columns), None)
    work["_ws"] = _text(work[ws_col]).fillna("No workstream") if ws_col else "All milestones"
    title_col = "milestone_title" if "milestone_title" in work.columns else "milestone_id"
    work["_label"] = _text(work[title_col]).fillna("(untitled)")
    # Two milestones with one title in one workstream would share a row: tell them apart by id.
    clash = work.duplicated(["_ws", "_label"], keep=False)
    if clash.any() and "milestone_id" in work.columns:
        work.loc[clash, "_label"] = work.loc[clash, "_label"] + " (" + _text(work.loc[clash, "milestone_id"]) + ")"
    work = work.sort_values(["_ws", "_baseline", "_label"], kind="stable").reset_index(drop=True)
    # Long names would take most of the chart's width on the axis: wrap them (the hover has them whole).
    work["_ws_axis"] = work["_ws"].map(lambda t: _axis_label(t, AXIS_GROUP_WIDTH, 3))
    work["_label_axis"] = work["_label"].map(lambda t: _axis_label(t, AXIS_LABEL_WIDTH, 2))
    clash = work.duplicated(["_ws_axis", "_label_axis"], keep=False)
    if clash.any() and "milestone_id" in work.columns:
        work.loc[clash, "_label_axis"] = work.loc[clash, "_label_axis"] + " (" + _text(work.loc[clash, "milestone_id"]) + ")"

    def hover(r) -> str:
        slip = "no forecast" if pd.isna(r["_slip"]) else counted(int(r['_slip']), 'day')
        return "<br>".join([
            f"<b>{_safe(r['_label'])}</b>",
            f"Workstream: {_safe(r['_ws'])}",
            f"Reported status: {_safe(r['_status'])}",
            f"Derived RAG: {_safe(r['_rag'])}",
            f"Baseline: {_display_date(r['_baseline']) or '—'}",
            f"Forecast: {_display_date(r['_forecast']) or '—'} (slippage: {slip})",
            f"Completed: {_display_date(r['_completed']) or '—'}",
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
            marker={"symbol": "diamond", "size": 11, "color": RAG_COLOURS[rag], "line": {"width": 1, "color": "#0b0c0c"}},
            text=part["_hover"], hovertemplate="%{text}<extra>Due date</extra>",
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
    x = _dates(burn, "date")
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
    work["_reported"] = _dates(work, "reporting_date")
    work["_forecast"] = _dates(work, "forecast_due_date")
    work["_status"] = _status(work)
    work["_id"] = _text(work["milestone_id"])
    names = _text(work["milestone_title"]) if "milestone_title" in work.columns else work["_id"]
    work["_name"] = names.fillna(work["_id"])
    work = work.sort_values(["_id", "_reported"], kind="stable")
    for milestone_id, part in work.groupby("_id", sort=True):
        name = str(part["_name"].iloc[0])
        fig.add_trace(go.Scatter(
            x=part["_reported"], y=part["_forecast"], mode="lines+markers", name=name, connectgaps=False,
            marker={"symbol": ["star" if s == COMPLETE else "circle" for s in part["_status"]], "size": 9},
            text=[f"<b>{_safe(name)}</b><br>Reported {_display_date(r)}: forecast {_display_date(f) or 'none'}"
                  f"<br>Status: {_safe(s)}" for r, f, s in zip(part["_reported"], part["_forecast"], part["_status"])],
            hovertemplate="%{text}<extra></extra>",
        ))
    every = pd.concat([work["_reported"], work["_forecast"]]).dropna()
    if len(every):
        lo, hi = every.min(), every.max()
        fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="Due at reporting date",
                                 line={"color": "#0b0c0c", "dash": "dot", "width": 1}, hoverinfo="skip"))
    return fig


# --------------------------------------------------------------------------------------------
# The plan as reported at a reporting date (the Action plan page and the quarterly report)

# How a reported status reads as a RAG, to set beside the RAG derived from the dates.
REPORTED_AS_RAG: dict[str, str] = {
    "not started": RAG_GREEN,
    "on track": RAG_GREEN,
    "at risk": RAG_AMBER,
    "off track": RAG_RED,
    COMPLETE: RAG_COMPLETE,
    DROPPED: RAG_DROPPED,
}

TREND_SLIPPED_NOW = "Slipped since the previous report"
TREND_SLIPPED_BEFORE = "Slipped at an earlier report"
TREND_HELD = "Held its date (or brought it forward)"
TREND_NO_FORECAST = "No forecast reported"
# Drawn in this order (the quiet majority underneath). Colour, line style and the legend's words
# all differ, so no group is told apart by colour alone.
TREND_GROUPS: list[tuple[str, str, str, float]] = [
    (TREND_HELD, "#505a5f", "dot", 1.5),
    (TREND_SLIPPED_BEFORE, "#a35200", "dash", 2),
    (TREND_SLIPPED_NOW, "#d4351c", "solid", 3.5),
]
# Above this many points the trend chart is drawn with WebGL (an SVG of 40,000 markers is slow).
WEBGL_POINTS = 4_000


def reporting_dates(snapshots: pd.DataFrame | None) -> list[pd.Timestamp]:
    """The distinct reporting dates of a set of snapshots, newest first."""
    if snapshots is None or "reporting_date" not in snapshots.columns or snapshots.empty:
        return []
    return sorted(_dates(snapshots, "reporting_date").dropna().unique(), reverse=True)


def previous_reporting_date(dates, reporting_date) -> pd.Timestamp | None:
    """The latest reporting date strictly before ``reporting_date`` (None for the first report)."""
    cutoff = _day(reporting_date)
    earlier = [pd.Timestamp(d) for d in dates if pd.Timestamp(d) < cutoff]
    return max(earlier) if earlier else None


def reported_by(snapshots: pd.DataFrame | None, reporting_date) -> pd.DataFrame:
    """Snapshots reported on or before ``reporting_date``: pass to ``snapshot_diff`` and friends,
    which take each milestone's latest row — so a milestone missing from one quarter's return keeps
    its last reported position instead of reading as "removed" and then "added" again."""
    if snapshots is None or "reporting_date" not in snapshots.columns:
        return _snapshot(None).assign(reporting_date=pd.Series(dtype="datetime64[us]"))
    return snapshots.loc[(_dates(snapshots, "reporting_date") <= _day(reporting_date)).to_numpy()]


def as_reported(milestones: pd.DataFrame | None, snapshots: pd.DataFrame | None, reporting_date) -> pd.DataFrame:
    """The plan as it stood at a reporting date: each milestone's own row (title, owner, work
    stream, baseline, evidence, source) with the status and forecast date of its latest snapshot on
    or before that date. Added columns: ``reported_on`` (the date of the snapshot used) and
    ``carried_forward`` (True when the milestone was not reported on the reporting date itself and
    an earlier report stands in). ``completed_date`` is kept only for milestones reported complete.
    Milestones with no snapshot on or before the date are left out: they were not yet in the plan."""
    base = milestones if milestones is not None else pd.DataFrame()
    if "milestone_id" not in base.columns:
        base = pd.DataFrame({"milestone_id": pd.Series(dtype=object)})
    picked = reported_by(snapshots, reporting_date)
    latest = _snapshot(picked)
    if len(latest):
        reported_on = _dates(picked, "reporting_date").groupby(_text(picked["milestone_id"]).to_numpy()).max()
        latest["reported_on"] = pd.to_datetime(latest["milestone_id"].map(reported_on)).astype("datetime64[us]")
    else:
        latest["reported_on"] = pd.Series(dtype="datetime64[us]")
    work = base.drop(columns=[c for c in ("status", "forecast_due_date", "reported_on", "carried_forward")
                              if c in base.columns])
    work = work.assign(_key=_text(base["milestone_id"]).to_numpy())
    merged = work.merge(latest.rename(columns={"milestone_id": "_key"}), on="_key", how="inner").drop(columns="_key")
    merged["carried_forward"] = (merged["reported_on"] < _day(reporting_date)).astype(bool)
    if "completed_date" in merged.columns:
        merged["completed_date"] = _dates(merged, "completed_date").where(merged["status"].eq(COMPLETE))
    return merged.reset_index(drop=True)


def not_yet_reported(milestones: pd.DataFrame | None, snapshots: pd.DataFrame | None, reporting_date) -> pd.DataFrame:
    """Milestones of the plan with no snapshot on or before the reporting date (added since)."""
    if milestones is None or "milestone_id" not in milestones.columns:
        return pd.DataFrame({"milestone_id": pd.Series(dtype=object)})
    seen = set(_text(reported_by(snapshots, reporting_date)["milestone_id"]))
    return milestones.loc[~_text(milestones["milestone_id"]).isin(seen).to_numpy()].reset_index(drop=True)


def rag_comparison(frame: pd.DataFrame, reporting_date) -> pd.DataFrame:
    """The frame with ``derived_rag`` (from the dates, ``RAG_RULES``), ``reported_rag`` (the
    reported status read through ``REPORTED_AS_RAG``) and ``rag_agrees`` (False where the owner's
    report and the dates tell different stories)."""
    result = frame.copy()
    result["derived_rag"] = derived_rag(frame, reporting_date).to_numpy()
    result["reported_rag"] = _status(frame).map(lambda s: REPORTED_AS_RAG.get(s, "No status")).to_numpy()
    result["rag_agrees"] = (result["derived_rag"] == result["reported_rag"]).astype(bool)
    return result


# --------------------------------------------------------------------------------------------
# Milestone trend at scale: a few traces, whatever the number of milestones


def trend_points(snapshots: pd.DataFrame | None, reporting_date, previous_reporting_date) -> pd.DataFrame:
    """The points of ``trend_overview_figure``: each milestone's reported forecast at each
    reporting date up to ``reporting_date``, stopping at its first report as complete or dropped
    (after that the line would only run flat), with the milestone's ``trend_group``:
    slipped since the previous report (its forecast now is later than at ``previous_reporting_date``),
    slipped at an earlier report (now later than its first reported forecast), held its date, or
    no forecast reported at all (nothing to draw). Columns: milestone_id, milestone_title, reporting_date, forecast_due_date, status, trend_group."""
    columns = ["milestone_id", "milestone_title", "reporting_date", "forecast_due_date", "status", "trend_group"]
    empty = pd.DataFrame({c: pd.Series(dtype="datetime64[us]" if c in ("reporting_date", "forecast_due_date") else object)
                          for c in columns})
    if snapshots is None or snapshots.empty or "milestone_id" not in snapshots.columns:
        return empty
    work = reported_by(snapshots, reporting_date)
    work = pd.DataFrame({
        "milestone_id": _text(work["milestone_id"]).to_numpy(),
        "milestone_title": (_text(work["milestone_title"]) if "milestone_title" in work.columns
                            else _text(work["milestone_id"])).to_numpy(),
        "reporting_date": _dates(work, "reporting_date").to_numpy(),
        "forecast_due_date": _dates(work, "forecast_due_date").to_numpy(),
        "status": _status(work).to_numpy(),
    })
    if work.empty:
        return empty
    work["milestone_title"] = work["milestone_title"].fillna(work["milestone_id"])
    work = work.sort_values(["milestone_id", "reporting_date"], kind="stable").reset_index(drop=True)
    closed = work["status"].isin(CLOSED_STATUSES)
    ids = work["milestone_id"]
    closed_before = closed.astype(int).groupby(ids).shift(fill_value=0).groupby(ids).cummax()
    work = work.loc[~closed_before.astype(bool).to_numpy()].reset_index(drop=True)

    by_id = work.groupby("milestone_id", sort=False)["forecast_due_date"]
    first = work["milestone_id"].map(by_id.first())  # first and last skip missing forecasts
    last = work["milestone_id"].map(by_id.last())
    if previous_reporting_date is not None and not pd.isna(_day(previous_reporting_date)):
        before = work.loc[work["reporting_date"] <= _day(previous_reporting_date)]
        at_previous = before.groupby("milestone_id")["forecast_due_date"].last()
        previous = work["milestone_id"].map(at_previous)
    else:
        previous = pd.Series(pd.NaT, index=work.index)
    slipped_now = (pd.to_datetime(last) > pd.to_datetime(previous)).fillna(False).astype(bool)
    slipped_before = (pd.to_datetime(last) > pd.to_datetime(first)).fillna(False).astype(bool)
    work["trend_group"] = np.select([last.isna().to_numpy(), slipped_now.to_numpy(), slipped_before.to_numpy()],
                                    [TREND_NO_FORECAST, TREND_SLIPPED_NOW, TREND_SLIPPED_BEFORE], default=TREND_HELD)
    return work[columns]


def trend_summary(points: pd.DataFrame, previous_reporting_date) -> str:
    """One sentence above the trend chart."""
    if points is None or points.empty:
        return "No forecasts have been reported for these milestones yet."
    groups = points.drop_duplicates("milestone_id")["trend_group"].value_counts()
    dates = _dates(points, "reporting_date")
    n, k = points["milestone_id"].nunique(), dates.nunique()
    text = (f"{n} milestone{'' if n == 1 else 's'} across {k} reporting date{'' if k == 1 else 's'} "
            f"({_display_date(dates.min())} to {_display_date(dates.max())}): ")
    parts = []
    if previous_reporting_date is not None and not pd.isna(_day(previous_reporting_date)):
        parts.append(f"{int(groups.get(TREND_SLIPPED_NOW, 0))} slipped since {_display_date(_day(previous_reporting_date))}")
    parts.append(f"{int(groups.get(TREND_SLIPPED_BEFORE, 0))} slipped at an earlier report")
    parts.append(f"{int(groups.get(TREND_HELD, 0))} held their dates")
    if groups.get(TREND_NO_FORECAST, 0):
        parts.append(f"{int(groups[TREND_NO_FORECAST])} with no forecast reported (not drawn)")
    return text + ", ".join(parts) + "."


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
    every = pd.concat([_dates(points, "reporting_date"), _dates(points, "forecast_due_date")]).dropna()
    lo, hi = every.min(), every.max()
    fig.add_trace(go.Scatter(x=_iso(pd.Series([lo, hi])), y=_iso(pd.Series([lo, hi])), mode="lines",
                             name="Due at reporting date (diagonal)",
                             line={"color": "#0b0c0c", "dash": "dashdot", "width": 1}, hoverinfo="skip"))
    _vertical_line(fig, reporting_date, "Reporting date", "dash")
    return fig

"""The Calendar page's timeline of key dates."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.calendar.rules import KINDS, due_dates, is_past, opening_window, when_words
from monitor.formatting import format_date
from monitor.values import as_date


def timeline_figure(key_dates: pd.DataFrame, today, title: str, past=None) -> go.Figure:
    """The key dates on a time axis, one row per kind: past dates as hollow grey circles, those
    from today on as filled dark-blue diamonds (legend 'Past' / 'Today and after' — shape as well
    as colour), and a dashed line at today. `past`: is_past of the dates, when the caller has it."""
    today_d = as_date(today, required=True)
    frame = key_dates if key_dates is not None else pd.DataFrame()
    traces = []
    if not frame.empty:
        past = is_past(frame, today_d).to_numpy() if past is None else np.asarray(past, dtype=bool)
    for is_before, name, marker in (
        (True, "Past", {"symbol": "circle-open", "size": 11, "color": "#505a5f", "line": {"width": 2}}),
        (False, "Today and after", {"symbol": "diamond", "size": 12, "color": "#1d70b8"}),
    ):
        part = frame.loc[past == is_before] if not frame.empty else frame
        if part.empty:
            continue
        dates = due_dates(part)
        names = part["programme_name"] if "programme_name" in part.columns else part["programme_id"]
        hover = [f"{format_date(d)} ({when_words(d, today_d)})<br>{title}<br>{programme}"
                 for d, title, programme in zip(dates, part["title"].astype(str), names.astype(str))]
        # numpy arrays: Plotly validates Python lists element by element (0.5 s for 3,000 dates).
        traces.append({"type": "scatter", "x": np.array(dates, dtype="datetime64[D]"),
                       "y": np.array(part["kind"].astype(str).tolist()), "mode": "markers", "name": name,
                       "marker": marker, "hovertext": np.array(hover), "hovertemplate": "%{hovertext}<extra></extra>"})
    kinds_shown = [k for k in KINDS if not frame.empty and k in set(frame["kind"].astype(str))]
    # Open on the past year and everything ahead when there is anything ahead (a programme that
    # started in 2011 would otherwise squeeze its coming dates into a few pixels); zoom out for the rest.
    window = opening_window(frame, today_d)
    # Built and validated once: traces added and the layout updated a call at a time cost about
    # four times as much.
    return go.Figure(data=traces, layout={
        "shapes": [{"type": "line", "x0": today_d, "x1": today_d, "yref": "paper", "y0": 0, "y1": 1,
                    "line": {"dash": "dash", "color": "#0b0c0c", "width": 1}}],
        "annotations": [{"x": today_d, "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
                         "text": f"Today, {format_date(today_d)}", "font": {"color": "#0b0c0c"}}],
        "title": {"text": title},
        "xaxis": {"title": {"text": "Date"}, "type": "date", **({"range": window} if window else {})},
        "yaxis": {"title": {"text": "Kind of date"}, "categoryorder": "array", "categoryarray": kinds_shown[::-1]},
        "height": max(300, 120 + 40 * max(len(kinds_shown), 1)),
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "margin": {"l": 10, "r": 10, "t": 90, "b": 10},
    })

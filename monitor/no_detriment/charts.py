"""The No-detriment charts: each indicator's XmR chart against its baseline limits and no-detriment
line, and the neighbour context."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from monitor.chart_style import escape
from monitor.formatting import format_date
from monitor.no_detriment.context import Context
from monitor.no_detriment.spc_icons import POINT_TYPE_COLOURS
from monitor.no_detriment.assessment import Assessment
from monitor.no_detriment.verdicts import AFTER, POINT_WORDS, SINCE
from monitor.no_detriment.wording import format_value, rule_text

# Marker shapes as well as MDC colours, so the point types differ without colour.
POINT_SYMBOLS: dict[str, str] = {
    "common_cause": "circle",
    "special_cause_improvement": "square",
    "special_cause_concern": "diamond",
    "special_cause_neutral_high": "triangle-up",
    "special_cause_neutral_low": "triangle-down",
}


# Units whose values cannot fall below 0: a process limit below 0 is drawn at 0, and said so.
def non_negative(unit: str) -> bool:
    unit = (unit or "").strip().lower()
    return unit == "%" or " per " in f" {unit} " or unit.startswith(("cases", "number", "count"))


def drawn_limit(value: float, unit: str) -> float:
    """Where a lower process limit is drawn: at 0 when it would show an impossible negative value."""
    return 0.0 if non_negative(unit) and value < 0 else value


def _hover(text) -> str:
    """Text from data or officers as plain text in a Plotly label (which reads some HTML)."""
    return escape(text or "")


def _axis_title(unit: str) -> str:
    return "Per cent (%)" if unit == "%" else (unit[:1].upper() + unit[1:]) if unit else "Value"


def _hline(x: list[str], y: float, name: str, colour: str, dash: str, width: float = 1.5,
           group: str | None = None, shown: float | None = None) -> dict:
    """A horizontal line at ``y`` (drawn at ``shown`` when the value itself is impossible)."""
    label = f"{name}: %{{y:.1f}}" if shown is None else f"{name}"
    return dict(type="scatter", x=x, y=[y if shown is None else shown] * len(x), mode="lines", name=name,
                legendgroup=group or name, line=dict(color=colour, dash=dash, width=width),
                hovertemplate=f"{_hover(label)}<extra></extra>")


def _vline(x: float) -> dict:
    return dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                line=dict(color="#1f1f1f", dash="dot", width=1))


def _layout(title: str, unit: str, x: list[str], height: int, hovermode: str, shapes: list, annotations: list) -> dict:
    return dict(
        title=dict(text=title, font=dict(size=13)), height=height, plot_bgcolor="white", hovermode=hovermode,
        xaxis=dict(title=dict(text="Period (DfE reporting year)"), type="category", categoryorder="array",
                   categoryarray=x, showgrid=False),
        yaxis=dict(title=dict(text=_axis_title(unit)), gridcolor="#e8eaed", zeroline=False,
                   rangemode="nonnegative" if non_negative(unit) else "normal"),
        legend=dict(orientation="h", yanchor="top", y=-0.25, x=0), margin=dict(t=70, b=40, l=60, r=20),
        shapes=shapes, annotations=annotations,
    )


def _limits(a: Assessment, x: list[str], traces: list, notes: list) -> None:
    f = a.frame
    provisional = " (provisional)" if a.provisional else ""
    dash = "dash" if a.provisional else "solid"
    upper, lower = float(f["upper_limit"].iloc[0]), float(f["lower_limit"].iloc[0])
    traces.append(_hline(x, upper, f"Upper process limit{provisional}", "#5f6368", dash, group="limits"))
    shown = drawn_limit(lower, a.unit)
    if shown != lower:
        name = f"Lower process limit{provisional}: {format_value(lower, a.unit)}, drawn at 0"
        traces.append(_hline(x, lower, name, "#5f6368", dash, group="limits", shown=shown))
        notes.append(dict(x=x[0], y=0, xanchor="left", yanchor="bottom", showarrow=False,
                          text=f"lower process limit {format_value(lower, a.unit)} is below 0: drawn at 0",
                          font=dict(size=11, color="#3c4043")))
    else:
        traces.append(_hline(x, lower, f"Lower process limit{provisional}", "#5f6368", dash, group="limits"))


def xmr_figure(a: Assessment, *, started: object = None) -> go.Figure:
    """The XmR chart: values coloured and shaped by point type (MDC colours), average, process
    limits (dashed and labelled when provisional; a limit below 0 of a measure that cannot be
    negative drawn at 0, and said so), the no-detriment line, the baseline break, points left out of
    the limits hollow with their reason on hover, and points after the programme closed greyed
    apart. Built as plain dicts and validated once (add_trace / add_vline one by one cost several
    times more)."""
    f = a.frame
    x = [_hover(v) for v in f["period_label"].astype(str)]  # category labels are Plotly markup too
    traces: list[dict] = []
    shapes: list[dict] = []
    notes: list[dict] = []
    has_limits = len(f) and not pd.isna(f["upper_limit"].iloc[0])
    if has_limits:
        _limits(a, x, traces, notes)
    if len(f) and not pd.isna(f["mean"].iloc[0]):
        traces.append(_hline(x, float(f["mean"].iloc[0]),
                             f"Baseline average ({a.baseline_label.replace(' baseline', '')})", "#1f1f1f", "dot"))
    if a.threshold is not None:
        word = "Target" if a.threshold_kind == "target" else "No-detriment tolerance"
        traces.append(_hline(x, a.threshold, f"{word} (illustrative)", "#b3261e", "dashdot", width=2))
    values = [None if math.isnan(v) else float(v) for v in f["value"].to_numpy(dtype=float)]
    after = (f["part"] == AFTER).to_numpy()
    within = [None if after[i] else v for i, v in enumerate(values)]
    traces.append(dict(type="scatter", x=x, y=within, mode="lines", name="Value", showlegend=False,
                       connectgaps=False, line=dict(color="#7B7D7D", width=1.5), hoverinfo="skip"))
    rules = [rule_text(r, side) or "no rule fired" for r, side in zip(f["rules"], f["signal_side"])]
    parts = ["baseline" if p == "baseline" else "before the programme began" if p == "before"
             else f"since {SINCE}" for p in f["part"]]
    kinds = f["point_type"].tolist()
    excluded = f["excluded"].to_numpy()
    for kind, colour in POINT_TYPE_COLOURS.items():
        rows = [i for i, k in enumerate(kinds) if k == kind and not excluded[i] and not after[i]]
        if not rows:
            continue
        traces.append(dict(
            type="scatter", x=[x[i] for i in rows], y=[values[i] for i in rows], mode="markers", name=POINT_WORDS[kind],
            marker=dict(color=colour, symbol=POINT_SYMBOLS[kind], size=11, line=dict(color="#1f1f1f", width=1)),
            customdata=[[POINT_WORDS[kind], rules[i], parts[i]] for i in rows],
            hovertemplate="<b>%{x}</b>: %{y:.1f}<br>%{customdata[0]} (%{customdata[2]})"
                          "<br>Rule: %{customdata[1]}<extra></extra>"))
    ghosts = [i for i in range(len(f)) if excluded[i] and values[i] is not None]
    if ghosts:
        traces.append(dict(
            type="scatter", x=[x[i] for i in ghosts], y=[values[i] for i in ghosts], mode="markers",
            name="Left out of the limits (ghosted)",
            marker=dict(color="#1f1f1f", symbol="circle-open", size=13, line=dict(width=2)),
            customdata=[[_hover(f["excluded_reason"].iloc[i])] for i in ghosts],
            hovertemplate="<b>%{x}</b>: %{y:.1f}<br>Left out of the limits (ghosted)<br>Reason: %{customdata[0]}"
                          "<extra></extra>"))
    _after(a, x, values, after, traces, shapes, notes)
    if a.gaps:
        traces.append(dict(type="scatter", x=[_hover(g) for g in a.gaps], y=[None] * len(a.gaps), mode="markers",
                           name="Not published (gap)",
                           marker=dict(color="#5f6368", symbol="x-open"), hoverinfo="skip"))
    if 0 < a.n_baseline < len(f):
        when = f" ({format_date(started)})" if started is not None and not pd.isna(started) else ""
        shapes.append(_vline(a.n_baseline - 0.5))
        notes.append(dict(x=a.n_baseline - 0.5, y=1.0, yref="paper", yanchor="bottom", xanchor="center",
                          showarrow=False, text=f"baseline ◀ ┆ ▶ since the partnership began{when}", font=dict(size=11)))
    for gap in a.gaps:
        notes.append(dict(x=_hover(gap), y=0.02, yref="paper", yanchor="bottom", showarrow=False, textangle=-90,
                          text="not published", font=dict(size=10, color="#3c4043")))
    if a.provisional and has_limits:
        notes.append(dict(x=x[-1], y=float(f["upper_limit"].iloc[0]), xanchor="right", yanchor="bottom",
                          showarrow=False, text="provisional limits (fewer than 13 baseline points)",
                          font=dict(size=11, color="#3c4043")))
    title = f"{_hover(a.name)}, {_hover(a.council)}: XmR chart against the {a.baseline_label}"
    return go.Figure(data=traces, layout=_layout(title, a.unit, x, 470, "closest", shapes, notes))


def _after(a: Assessment, x: list[str], values: list, after, traces: list, shapes: list, notes: list) -> None:
    """Points after the programme closed: greyed, on a shaded band labelled as such, never judged."""
    rows = [i for i in range(len(x)) if after[i]]
    if not rows:
        return
    words, day = a.after_words
    when = f" ({day})" if day else ""
    edge = [v if after[i] or i == rows[0] - 1 else None for i, v in enumerate(values)]
    traces.append(dict(type="scatter", x=x, y=edge, mode="lines", name="Value after the programme closed",
                       showlegend=False, connectgaps=False, line=dict(color="#9aa0a6", width=1.5, dash="dot"),
                       hoverinfo="skip"))
    traces.append(dict(
        type="scatter", x=[x[i] for i in rows], y=[values[i] for i in rows], mode="markers",
        name=f"{words[0].upper()}{words[1:]} (not judged)",
        marker=dict(color="#9aa0a6", symbol="circle", size=10, line=dict(color="#5f6368", width=1)),
        hovertemplate=f"<b>%{{x}}</b>: %{{y:.1f}}<br>{words}{_hover(when)}: not judged<extra></extra>"))
    shapes.append(dict(type="rect", xref="x", yref="paper", x0=rows[0] - 0.5, x1=len(x) - 0.5, y0=0, y1=1,
                       fillcolor="rgba(154,160,166,0.18)", line=dict(width=0), layer="below"))
    notes.append(dict(x=(rows[0] + len(x) - 1) / 2, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                      text=f"{words}<br>{when.strip()}" if when else words,
                      font=dict(size=11, color="#3c4043")))


def context_figure(a: Assessment, c: Context, label_of_year: dict[int, str] | None = None) -> go.Figure:
    """The council against its statistical neighbours' median and range, and England."""
    s = c.series
    labels = label_of_year or {}
    x = [_hover(labels.get(int(y), str(y))) for y in s["time_period"]]

    def ys(column):
        return [None if math.isnan(v) else float(v) for v in s[column].to_numpy(dtype=float)]

    def line(column, name, **style):
        return dict(type="scatter", x=x, y=ys(column), name=name, hovertemplate=f"{name}: %{{y:.1f}}<extra></extra>",
                    **style)

    traces = [
        line("neighbour_max", "Neighbours' highest", mode="lines", line=dict(width=0, color="#9aa0a6"), showlegend=False),
        line("neighbour_min", "Neighbours' range (lowest–highest)", mode="lines", line=dict(width=0, color="#9aa0a6"),
             fill="tonexty", fillcolor="rgba(154,160,166,0.3)"),
        line("neighbour_median", "Neighbours' median", mode="lines+markers", line=dict(color="#5f6368", dash="dash"),
             marker=dict(symbol="square", size=6)),
        line("england", "England", mode="lines+markers", line=dict(color="#361475", dash="dot"),
             marker=dict(symbol="triangle-up", size=7)),
        line("council", _hover(a.council or "Council"), mode="lines+markers", connectgaps=False,
             line=dict(color="#1f1f1f", width=2.5), marker=dict(size=8)),
    ]
    shapes = []
    if c.baseline_years:
        last = _hover(labels.get(c.baseline_years[-1], str(c.baseline_years[-1])))
        if last in x and x.index(last) < len(x) - 1:
            shapes.append(_vline(x.index(last) + 0.5))
    title = f"{_hover(a.name)}: {_hover(a.council)} against its statistical neighbours and England"
    return go.Figure(data=traces, layout=_layout(title, a.unit, x, 420, "x unified", shapes, []))

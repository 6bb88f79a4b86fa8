"""The Savings page's charts: by year, by a dimension, the planned-to-delivered waterfall and the
cost shares. Money axes in pounds; series told apart by pattern and legend as well as colour."""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import format_money
from monitor.savings.ledger import DIMENSIONS, MEASURE_LABELS, MEASURES, TOLERANCE_GBP

# GOV.UK palette: blue, orange, green, purple, then greys; the charts also tell series apart by
# pattern and by their legend, never by colour alone.
PALETTE = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f", "#28a197", "#912b88"]


def money_ticks(high: float, low: float = 0.0, count: int = 5) -> tuple[list[float], list[str]]:
    """Round tick values between low and high, labelled with format_money (£750k, £1.2m)."""
    span = max(high - low, 1.0)
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    values = []
    v = start
    while v <= high + step * 0.999:
        values.append(round(v, 2))
        v += step
    return values, [format_money(v) if v else "£0" for v in values]


def _money_axis(title: str, values: Sequence[float]) -> dict:
    finite = [float(v) for v in values if v is not None and not pd.isna(v)]
    high = max(finite + [0.0])
    low = min(finite + [0.0])
    ticks, labels = money_ticks(high, low)
    return {"title": {"text": title}, "tickvals": ticks, "ticktext": labels,
            "range": [min(ticks[0], low), max(ticks[-1], high) * 1.02 if high > 0 else 1]}


def _money_labels(values: Sequence[float]) -> list[str]:
    return ["not yet reported" if pd.isna(v) else format_money(v) for v in values]


def _figure(traces: list, layout: dict, empty: str | None = None) -> go.Figure:
    """The figure built and validated once, from plain dicts: traces added and the layout updated a
    call at a time, each a graph object, cost about four times as much. `empty`: the words shown
    across a figure with nothing to draw."""
    if empty is not None:
        layout["annotations"] = [{"text": empty, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
                                  "showarrow": False}]
    return go.Figure(data=traces, layout=layout)


def year_figure(yearly: pd.DataFrame, title: str) -> go.Figure:
    """Planned and delivered by financial year as bars, with cumulative delivered (and planned)
    since the programme began as lines on the same pounds axis. Hover names each figure's source."""
    traces = []
    years = yearly["financial_year"].astype(str).tolist()
    sources = yearly["sources"].tolist()
    for measure, colour, pattern in (("planned_gbp", PALETTE[5], "/"), ("forecast_gbp", PALETTE[1], "."),
                                     ("delivered_gbp", PALETTE[0], "")):
        values = yearly[measure].tolist()
        traces.append(dict(
            type="bar", x=years, y=[None if pd.isna(v) else v for v in values], name=MEASURE_LABELS[measure],
            marker={"color": colour, "pattern": {"shape": pattern}},
            customdata=np.column_stack([_money_labels(values), sources]) if len(years) else None,
            hovertemplate=f"{MEASURE_LABELS[measure]} %{{x}}: %{{customdata[0]}}<br>Source: %{{customdata[1]}}<extra></extra>",
        ))
    for column, name, colour, dash in (("cumulative_planned_gbp", "Cumulative planned", PALETTE[5], "dot"),
                                       ("cumulative_delivered_gbp", "Cumulative delivered", PALETTE[3], "solid")):
        values = yearly[column].tolist()
        traces.append(dict(
            type="scatter", x=years, y=[None if pd.isna(v) else v for v in values], name=name,
            mode="lines+markers",
            line={"color": colour, "dash": dash, "width": 3}, marker={"symbol": "diamond", "size": 8},
            customdata=_money_labels(values), yaxis="y2",
            hovertemplate=f"{name} by %{{x}}: %{{customdata}}<extra></extra>",
        ))
    annual = [v for c in MEASURES for v in yearly[c].tolist()]
    running = [v for c in ("cumulative_planned_gbp", "cumulative_delivered_gbp") for v in yearly[c].tolist()]
    return _figure(traces, {
        "title": {"text": title}, "barmode": "group",
        "xaxis": {"title": {"text": "Financial year"}, "type": "category"},
        "yaxis": _money_axis("Savings in the year (£), bars", annual),
        "yaxis2": {**_money_axis("Cumulative since the programme began (£), lines", running),
                   "overlaying": "y", "side": "right", "showgrid": False},
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 90}, "height": 460,
    }, empty=None if len(yearly) else "No savings to show")


def breakdown_figure(frame: pd.DataFrame, by: str, title: str) -> go.Figure:
    """Planned against delivered (and forecast) per work stream, council or category, as
    horizontal bars labelled in pounds; hover names the sources."""
    names = frame[by].astype(str).tolist() if len(frame) else []
    sources = frame["sources"].tolist() if len(frame) else None
    traces = []
    for measure, colour, pattern in (("planned_gbp", PALETTE[5], "/"), ("forecast_gbp", PALETTE[1], "."),
                                     ("delivered_gbp", PALETTE[0], "")):
        values = frame[measure].tolist() if len(frame) else []
        traces.append(dict(
            type="bar", y=names, x=[None if pd.isna(v) else v for v in values], orientation="h",
            name=MEASURE_LABELS[measure],
            marker={"color": colour, "pattern": {"shape": pattern}},
            text=_money_labels(values), textposition="outside", cliponaxis=False,
            customdata=sources,
            hovertemplate=f"%{{y}} — {MEASURE_LABELS[measure].lower()} %{{text}}<br>Source: %{{customdata}}<extra></extra>",
        ))
    values = [v for m in MEASURES for v in frame[m].tolist()] if len(frame) else []
    axis = _money_axis("Savings (£)", values)
    axis["range"] = [axis["range"][0], axis["range"][1] * 1.15]
    return _figure(traces, {
        "title": {"text": title}, "barmode": "group", "xaxis": axis,
        "yaxis": {"title": {"text": DIMENSIONS.get(by, by)}, "autorange": "reversed", "type": "category",
                  "automargin": True},
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 90}, "height": max(320, 170 + 90 * len(names)),
    }, empty=None if len(frame) else "No savings to show")


def waterfall_figure(steps: pd.DataFrame, title: str) -> go.Figure:
    """Planned → each work stream's shortfall (−) or overdelivery (+) → delivered (or forecast)."""
    amounts = steps["amount_gbp"].tolist()
    measures = steps["measure"].tolist()
    labels = [format_money(v) if m != "relative" or abs(v) < TOLERANCE_GBP else ("+" if v > 0 else "") + format_money(v)
              for v, m in zip(amounts, measures)]
    running = np.cumsum([a if m != "total" else 0 for a, m in zip(amounts, measures)]) if amounts else []
    axis = _money_axis("Savings (£)", list(running) + [a for a, m in zip(amounts, measures) if m != "relative"])
    axis["range"] = [axis["range"][0], axis["range"][1] * 1.12]
    return _figure([dict(
        type="waterfall", x=steps["step"].tolist(), y=amounts, measure=measures, text=labels,
        textposition="outside", cliponaxis=False, name="Savings",
        increasing={"marker": {"color": PALETTE[2]}}, decreasing={"marker": {"color": PALETTE[4]}},
        totals={"marker": {"color": PALETTE[0]}}, connector={"line": {"color": "#505a5f"}},
        customdata=steps["sources"].tolist(),
        hovertemplate="%{x}: %{text}<br>Source: %{customdata}<extra></extra>",
    )], {
        "title": {"text": title}, "showlegend": False,
        "xaxis": {"title": {"text": "Step (shortfall − or overdelivery + by work stream)"}, "type": "category"},
        "yaxis": axis, "margin": {"l": 10, "r": 10, "t": 60, "b": 10}, "height": 440,
    })


def cost_share_figure(shares: pd.DataFrame, title: str) -> go.Figure:
    """Each council's part of the shared costs per financial year, stacked; hover gives the cost
    item, the share and the source."""
    traces = []
    years = sorted(shares["financial_year"].astype(str).unique()) if len(shares) else []
    patterns = ["", "/", ".", "x", "-", "+"]
    for i, (council, part) in enumerate(shares.groupby("council_name", sort=True)):
        per_year = part.groupby("financial_year")["amount_gbp"].sum().reindex(years)
        detail = pd.Series({
            year: "<br>".join(f"{item}: {share:g}% = {format_money(amount)} ({source})"
                              for item, share, amount, source in
                              zip(p["cost_item"], p["share_pct"], p["amount_gbp"], p["source"]))
            for year, p in part.groupby("financial_year", sort=True)}).reindex(years).fillna("")
        traces.append(dict(
            type="bar", x=years, y=per_year.fillna(0).tolist(), name=str(council),
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": patterns[i % len(patterns)]}},
            customdata=np.column_stack([_money_labels(per_year.tolist()), detail.tolist()]),
            hovertemplate=f"{council} %{{x}}: %{{customdata[0]}}<br>%{{customdata[1]}}<extra></extra>",
        ))
    stacked = shares.groupby("financial_year")["amount_gbp"].sum().tolist() if len(shares) else []
    return _figure(traces, {
        "title": {"text": title}, "barmode": "stack",
        "xaxis": {"title": {"text": "Financial year"}, "type": "category"},
        "yaxis": _money_axis("Cost borne (£)", stacked),
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "title": {"text": "Council"}},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 90}, "height": 420,
    }, empty=None if len(shares) else "No cost shares to show")

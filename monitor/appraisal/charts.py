"""The Options appraisal's charts: the sensitivity tornado, the weighted totals, each council's totals."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.appraisal.wording import _fmt


def _symmetric_ticks(reach: float) -> list[float]:
    """About five ticks each side of 0 at a round step (1, 2 or 5 × 10^k)."""
    raw = reach / 5
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    count = int(np.floor(reach / step))
    return [float(k * step) for k in range(-count, count + 1)]


def tornado_figure(flips: pd.DataFrame, title: str) -> go.Figure:
    """Sensitivity tornado: per criterion a bar to the left (how far the weight can fall) and to
    the right (how far it can rise) before the preferred option changes. Short bars are the
    weights the result hangs on. Where a direction never changes the result, the bar is absent
    and the words "no change within range" stand in its place, so a missing bar is never read as
    zero. Criteria are shown in the order given, first at the top."""
    criteria = [str(c) for c in flips["criterion"]] if len(flips) else []
    dec = pd.to_numeric(flips["decrease_to_flip"], errors="coerce").to_numpy(dtype=float) if len(flips) else np.array([])
    inc = pd.to_numeric(flips["increase_to_flip"], errors="coerce").to_numpy(dtype=float) if len(flips) else np.array([])
    fig = go.Figure()
    fig.add_trace(go.Bar(
        name="Lower the weight (left)", y=criteria, x=[-v if not np.isnan(v) else None for v in dec],
        orientation="h", marker={"color": "#1d70b8", "pattern": {"shape": "/"}},
        text=[f"−{_fmt(v)}" if not np.isnan(v) else "" for v in dec], textposition="outside", cliponaxis=False,
        customdata=[_fmt(v) if not np.isnan(v) else "no change" for v in dec],
        hovertemplate="%{y}: lower the weight by %{customdata} to change the preferred option<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        name="Raise the weight (right)", y=criteria, x=[v if not np.isnan(v) else None for v in inc],
        orientation="h", marker={"color": "#f47738"},
        text=[f"+{_fmt(v)}" if not np.isnan(v) else "" for v in inc], textposition="outside", cliponaxis=False,
        customdata=[_fmt(v) if not np.isnan(v) else "no change" for v in inc],
        hovertemplate="%{y}: raise the weight by %{customdata} to change the preferred option<extra></extra>",
    ))
    for criterion, d, i in zip(criteria, dec, inc):
        if np.isnan(d):
            fig.add_annotation(x=0, y=criterion, text="no change within range", showarrow=False,
                               xanchor="right", xshift=-4, font={"size": 11, "color": "#505a5f"})
        elif d == 0:
            fig.add_annotation(x=0, y=criterion, text="changes at once (top is tied)", showarrow=False,
                               xanchor="right", xshift=-4, font={"size": 11, "color": "#505a5f"})
        if np.isnan(i):
            fig.add_annotation(x=0, y=criterion, text="no change within range", showarrow=False,
                               xanchor="left", xshift=4, font={"size": 11, "color": "#505a5f"})
        elif i == 0:
            fig.add_annotation(x=0, y=criterion, text="changes at once (top is tied)", showarrow=False,
                               xanchor="left", xshift=4, font={"size": 11, "color": "#505a5f"})
    finite = np.concatenate([dec[~np.isnan(dec)], inc[~np.isnan(inc)]]) if len(criteria) else np.array([])
    reach = max(float(finite.max()) if finite.size else 0.0, 1.0) * 1.15
    ticks = _symmetric_ticks(reach)
    fig.update_layout(
        title={"text": title},
        barmode="overlay",
        xaxis={"title": {"text": "Change in weight before the preferred option changes (weight units)"},
               "range": [-reach, reach], "zeroline": True, "zerolinecolor": "#0b0c0c",
               # Distances, so both sides read as positive amounts: "lower by 2", "raise by 2".
               "tickvals": ticks, "ticktext": [_fmt(abs(t)) for t in ticks]},
        yaxis={"title": {"text": "Criterion"}, "autorange": "reversed", "type": "category"},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        height=max(300, 150 + 48 * len(criteria)),
        margin={"l": 10, "r": 10, "t": 60, "b": 90},
    )
    if not criteria:
        fig.add_annotation(text="No criteria to show", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    return fig


def totals_figure(totals: pd.DataFrame, title: str) -> go.Figure:
    """Weighted totals as horizontal bars, best at the top, each labelled with its total and rank
    (the rank in words, so ties read "Rank 1 (tied)" rather than relying on bar length)."""
    frame = totals.sort_values(["rank", "option"], kind="stable") if len(totals) else totals
    counts = frame["rank"].value_counts() if len(frame) else pd.Series(dtype=int)
    labels = [
        f"{_fmt(t)} — rank {int(r)}{' (tied)' if counts.get(r, 0) > 1 else ''}"
        for t, r in zip(frame["total"], frame["rank"])
    ] if len(frame) else []
    fig = go.Figure(go.Bar(
        x=list(frame["total"]) if len(frame) else [], y=[str(o) for o in frame["option"]] if len(frame) else [],
        orientation="h", text=labels, textposition="auto", marker={"color": "#1d70b8"},
        # White on the blue bar (5.2:1), near-black beside it: readable wherever Plotly puts the label.
        insidetextfont={"color": "#ffffff"}, outsidetextfont={"color": "#0b0c0c"},
        hovertemplate="%{y}: %{text}<extra></extra>", name="Weighted total",
    ))
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": "Weighted total (Σ score × weight)"}, "rangemode": "tozero"},
        yaxis={"title": {"text": "Option"}, "autorange": "reversed", "type": "category"},
        height=max(240, 80 + 48 * len(frame)),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        showlegend=False,
    )
    if not len(frame):
        fig.add_annotation(text="No options to show", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    return fig


COUNCIL_COLOURS = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#505a5f"]
COUNCIL_PATTERNS = ["", "/", ".", "x", "-"]


def council_totals_figure(totals_by_who: Mapping[str, pd.DataFrame], title: str) -> go.Figure:
    """Each option's weighted total under each council's weights (and combined) as grouped
    horizontal bars, each bar labelled with its total and rank; options in the first council's
    ranking order. Councils are told apart by pattern and legend as well as colour."""
    fig = go.Figure()
    order: list[str] = []
    for totals in totals_by_who.values():
        order += [str(o) for o in totals["option"] if str(o) not in order]
    for i, (who, totals) in enumerate(totals_by_who.items()):
        frame = totals.set_index(totals["option"].astype(str)).reindex(order)
        counts = totals["rank"].value_counts()
        labels = [f"{_fmt(t)} — rank {int(r)}{' (tied)' if counts.get(r, 0) > 1 else ''}" if r == r else ""
                  for t, r in zip(frame["total"], frame["rank"])]
        fig.add_trace(go.Bar(
            name=str(who), y=order, x=frame["total"].tolist(), orientation="h", text=labels,
            textposition="outside", cliponaxis=False,
            marker={"color": COUNCIL_COLOURS[i % len(COUNCIL_COLOURS)],
                    "pattern": {"shape": COUNCIL_PATTERNS[i % len(COUNCIL_PATTERNS)]}},
            hovertemplate=f"{who} — %{{y}}: %{{text}}<extra></extra>",
        ))
    high = max([float(t["total"].max()) for t in totals_by_who.values() if len(t)] + [1.0])
    fig.update_layout(
        title={"text": title}, barmode="group",
        xaxis={"title": {"text": "Weighted total (Σ score × weight)"}, "range": [0, high * 1.3]},
        yaxis={"title": {"text": "Option"}, "autorange": "reversed", "type": "category", "automargin": True},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "title": {"text": "Weights of"}},
        height=max(320, 150 + 30 * len(order) * max(1, len(totals_by_who))),
        margin={"l": 10, "r": 10, "t": 60, "b": 80},
    )
    if not order:
        fig.add_annotation(text="No options to show", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    return fig

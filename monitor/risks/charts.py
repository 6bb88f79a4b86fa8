"""The likelihood × impact heat map."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from monitor.risks.rules import BAND_COLOURS, LEVELS, SCORE_BANDS, heat_map_counts, score_band


def _band_colourscale() -> list[list]:
    """A stepped colourscale over scores 1–25, one flat colour per band."""
    scale = []
    for low, high, band in SCORE_BANDS:
        start = (max(low - 0.5, 1) - 1) / 24
        end = (min(high + 0.5, 25) - 1) / 24
        scale += [[start, BAND_COLOURS[band]], [end, BAND_COLOURS[band]]]
    return scale


def heat_map_figure(risks: pd.DataFrame, title: str, include_closed: bool = False, *,
                    clickable: bool = False, highlight: tuple[int, int] | None = None) -> go.Figure:
    """The risk heat map: likelihood across, impact up, each cell coloured by its score band and
    labelled with the number of risks in it AND its score and band in words, so the colour is
    never the only carrier of meaning.

    ``clickable`` lays one invisible square marker over each cell (trace 1, ``customdata``
    "likelihood-impact"): Plotly heatmaps send no selection events, scatter points do, so a click
    on a cell selects its marker. ``highlight`` = (likelihood, impact) outlines that cell."""
    counts = heat_map_counts(risks, include_closed=include_closed)
    # z[impact][likelihood]: rows are the y axis (impact), columns the x axis (likelihood).
    z = [[likelihood * impact for likelihood in LEVELS] for impact in LEVELS]
    text, hover = [], []
    for impact in LEVELS:
        row_text, row_hover = [], []
        for likelihood in LEVELS:
            n = int(counts.loc[likelihood, impact])
            s = likelihood * impact
            band = score_band(s)
            count = f"{n} risk{'' if n == 1 else 's'}"
            row_text.append(f"{f'<b>{count}</b>' if n else count}<br>score {s} ({band})")
            row_hover.append(f"Likelihood {likelihood} × impact {impact} = score {s} ({band})<br>{n} risk{'' if n == 1 else 's'}")
        text.append(row_text)
        hover.append(row_hover)
    # Built and validated once, from plain dicts: a trace, shape or layout update added a call at a
    # time, each a graph object, costs several times as much.
    traces = [dict(
        type="heatmap", x=LEVELS, y=LEVELS, z=z, zmin=1, zmax=25, colorscale=_band_colourscale(),
        text=text, texttemplate="%{text}", textfont={"color": "#0b0c0c", "size": 12},
        customdata=hover, hovertemplate="%{customdata}<extra></extra>", xgap=2, ygap=2,
        colorbar={"title": {"text": "Score band"}, "tickvals": [2.5, 7, 12.5, 20.5],
                  "ticktext": [f"{band} ({low}–{high})" for low, high, band in SCORE_BANDS]},
    )]
    layout = {
        "title": {"text": title},
        "xaxis": {"title": {"text": "Likelihood (1–5)"}, "tickmode": "array", "tickvals": LEVELS, "constrain": "domain"},
        "yaxis": {"title": {"text": "Impact (1–5)"}, "tickmode": "array", "tickvals": LEVELS},
        "height": 480,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
    }
    if clickable:
        cells = [(likelihood, impact) for impact in LEVELS for likelihood in LEVELS]
        traces[0]["hoverinfo"] = "skip"
        traces.append(dict(
            type="scatter", x=[c[0] for c in cells], y=[c[1] for c in cells], mode="markers", showlegend=False,
            name="Cells", customdata=[f"{c[0]}-{c[1]}" for c in cells],
            hovertext=[hover[c[1] - 1][c[0] - 1] + "<br>Click to list these risks" for c in cells],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"symbol": "square", "size": 56, "opacity": 0, "color": "#0b0c0c"},
            selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
        ))
    if highlight is not None:
        likelihood, impact = highlight
        layout["shapes"] = [{"type": "rect", "x0": likelihood - 0.5, "x1": likelihood + 0.5, "y0": impact - 0.5,
                             "y1": impact + 0.5, "line": {"color": "#0b0c0c", "width": 4}, "fillcolor": "rgba(0,0,0,0)"}]
    return go.Figure(data=traces, layout=layout)

"""The report's charts as data (kind, title, columns, rows) and as Plotly figures for the screen."""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from monitor.formatting import format_money
from monitor.report.indicators import unit_words
from monitor.report.sections import counts_only

SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
SERIES_PATTERNS = ["", "/", ".", "x"]
# The plain values are circles: a concern is a diamond (as on the No-detriment page), never told by colour alone.
POINT_STYLE = {"special_cause_concern": ("diamond", "#E69F00", "Special cause of concern"),
               "special_cause_improvement": ("square", "#0072B2", "Special cause of improvement"),
               "special_cause_neutral_high": ("triangle-up", "#6A3D9A", "Special cause (neutral)"),
               "special_cause_neutral_low": ("triangle-down", "#6A3D9A", "Special cause (neutral)")}


def chart_table(chart: Mapping) -> pd.DataFrame:
    """Exactly what a chart shows, as a table (for "View as table" and its CSV), with the unit of its
    values in a Unit column: GBP on a chart of money, each indicator's own on an SPC chart."""
    table = pd.DataFrame(chart["rows"], columns=chart["columns"])
    units = chart.get("units") or {}
    if chart.get("money"):
        table["Unit"] = "GBP"
    elif chart["kind"] == "spc" and units:
        table["Unit"] = [units.get(r[0]) or "" for r in chart["rows"]]
    return table


def chart_figure(chart: Mapping):
    """A Plotly figure of one assembled chart: grouped bars (patterns as well as colours, so the
    series never rely on colour alone), or SPC small multiples (value, mean, process limits, and
    special-cause points marked by shape and named in the legend)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    if chart["kind"] == "spc":
        names = list(dict.fromkeys(r[0] for r in chart["rows"]))
        cols = 3 if len(names) > 4 else 2 if len(names) > 1 else 1
        nrows = -(-len(names) // cols)
        units = chart.get("units") or {}
        full = [f"{n} ({units[n]})" if units.get(n) else n for n in names]
        titles = [t if len(t) <= 48 else t[:46] + "…" for t in full]
        fig = make_subplots(rows=nrows, cols=cols, subplot_titles=titles, vertical_spacing=0.45 / max(nrows, 1))
        shown: set[str] = set()
        for k, name in enumerate(names):
            row, col = k // cols + 1, k % cols + 1
            rows = [r for r in chart["rows"] if r[0] == name]
            x = [r[1] for r in rows]
            for label, idx, style in (("Value", 2, {"color": "#505a5f"}), ("Mean", 3, {"color": "#0b0c0c", "width": 1}),
                                      ("Process limits", 4, {"color": "#0b0c0c", "width": 1, "dash": "dash"}),
                                      ("Upper limit", 5, {"color": "#0b0c0c", "width": 1, "dash": "dash"})):
                legend = label if label != "Upper limit" else "Process limits"
                fig.add_trace(go.Scatter(x=x, y=[r[idx] for r in rows], mode="lines+markers" if idx == 2 else "lines",
                                         name=legend, legendgroup=legend, line=style,
                                         showlegend=legend not in shown and label != "Upper limit",
                                         hovertemplate=f"{name}<br>%{{x}}: %{{y}}<extra>{legend}</extra>"), row=row, col=col)
                if label != "Upper limit":
                    shown.add(legend)
            for kind, (symbol, colour, label) in POINT_STYLE.items():
                pts = [r for r in rows if r[6] == kind and r[2] is not None]
                if pts:
                    fig.add_trace(go.Scatter(x=[r[1] for r in pts], y=[r[2] for r in pts], mode="markers", name=label,
                                             legendgroup=label, showlegend=label not in shown,
                                             marker={"symbol": symbol, "color": colour, "size": 9,
                                                     "line": {"width": 1, "color": "#0b0c0c"}},
                                             hovertemplate=f"{name}<br>%{{x}}: %{{y}}<extra>{label}</extra>"),
                                  row=row, col=col)
                    shown.add(label)
        fig.update_annotations(font_size=11)
        fig.update_xaxes(title_text=chart.get("x_title", ""), title_font_size=10, type="date")
        for k, name in enumerate(names):  # each panel's own unit on its axis
            fig.update_yaxes(title_text=unit_words(units.get(name, "")) if units else chart.get("y_title", ""),
                             title_font_size=10, row=k // cols + 1, col=k % cols + 1)
        fig.update_layout(title={"text": chart["title"]}, height=260 * nrows + 140,
                          legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
                          margin={"l": 10, "r": 10, "t": 90, "b": 80})
        return fig
    fig = go.Figure()
    categories = [str(r[0]) for r in chart["rows"]]
    for i, name in enumerate(chart["columns"][1:]):
        fig.add_trace(go.Bar(x=categories, y=[r[i + 1] for r in chart["rows"]], name=name,
                             marker={"color": SERIES_COLOURS[i % 4], "pattern": {"shape": SERIES_PATTERNS[i % 4]},
                                     "line": {"color": "#0b0c0c", "width": 0.5}},
                             text=[r[i + 1] for r in chart["rows"]] if len(chart["columns"]) == 2 else None,
                             textposition="outside", cliponaxis=False,
                             # Money in the hover as the product writes it (£1.2m), counts with separators.
                             customdata=[format_money(r[i + 1]) for r in chart["rows"]] if chart.get("money") else None,
                             hovertemplate=(f"%{{x}}: %{{customdata}}<extra>{name}</extra>" if chart.get("money")
                                            else f"%{{x}}: %{{y:,}}<extra>{name}</extra>")))
    values = [v for r in chart["rows"] for v in r[1:] if v is not None]
    # Small counts: a tick per whole number (Plotly's own 0.2 or 0.5 steps would print "0 0 1 1").
    whole_steps = {"dtick": 1} if values and counts_only(chart) and max(values) <= 10 else {}
    fig.update_layout(title={"text": chart["title"]}, barmode="group",
                      xaxis={"title": {"text": chart.get("x_title", "")}, "type": "category"},
                      yaxis={"title": {"text": chart.get("y_title", "")}, "rangemode": "tozero", "tickformat": ",d",
                             **({"tickprefix": "£"} if chart.get("money") else {}), **whole_steps},
                      legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
                      margin={"l": 10, "r": 10, "t": 60, "b": 80}, height=380, showlegend=len(chart["columns"]) > 2)
    return fig

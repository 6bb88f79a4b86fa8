"""The report's charts drawn for print by matplotlib (no browser needed): bar charts and XmR charts
as PNG bytes."""
from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Mapping

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from monitor.report.sections import counts_only

DPI = 120


# Colour-blind-safe series colours (Okabe–Ito), always with a legend naming each series.
SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
POINT_MARKERS = {"special_cause_concern": ("o", "#E69F00", "Special cause of concern"),
                 "special_cause_improvement": ("s", "#0072B2", "Special cause of improvement"),
                 "special_cause_neutral_high": ("^", "#6A3D9A", "Special cause (neutral)"),
                 "special_cause_neutral_low": ("v", "#6A3D9A", "Special cause (neutral)")}


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # zlib level 3 rather than 6: a third less encoding time for a PNG a few per cent larger.
    FigureCanvasAgg(fig).print_png(buf, pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def _title_y(ax) -> dict:
    """{"y": 1.0} (the title where matplotlib's automatic placement would put it: ticks and labels
    are at the bottom), unless the y axis shows an offset or ×10ⁿ text the title could collide
    with; then {} leaves the placement to matplotlib. A fixed title skips a second layout of every
    tick at each draw."""
    formatter = ax.yaxis.get_major_formatter()
    if isinstance(formatter, mticker.ScalarFormatter):
        formatter.set_locs(ax.yaxis.get_majorticklocs())
        if formatter.get_offset():
            return {}
    return {"y": 1.0}


def _year_ticks(ax, base: int) -> mticker.FixedLocator:
    """The year ticks YearLocator(base) shows in the axes' (final) view, worked out once rather
    than by a recurrence rule at each of the draw's tick updates, and without the ticks it adds
    just outside the view, which are laid out but never drawn (each year is labelled on its own,
    so dropping them changes no label)."""
    lo, hi = ax.get_xlim()
    slack = (hi - lo) * 1e-9
    years = mdates.YearLocator(base).tick_values(mdates.num2date(lo), mdates.num2date(hi))
    return mticker.FixedLocator([x for x in years if lo - slack <= x <= hi + slack])


def bar_figure(chart: Mapping) -> Figure:
    """A bar chart of the assembled figures: grouped bars, hatched as well as coloured per series."""
    columns, rows = chart["columns"], chart["rows"]
    categories = [str(r[0]) for r in rows]
    series = columns[1:]
    # Constrained layout sizes the margins to the tick labels (seven-figure pounds would push a fixed
    # margin's axis title off the image) and keeps the legend below the axes, clear of the bars.
    fig = Figure(figsize=(7.5, 3.6), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(series))
    for i, name in enumerate(series):
        values = [0 if r[i + 1] is None else float(r[i + 1]) for r in rows]
        xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(rows))]
        bars = ax.bar(xs, values, width=width, label=name, color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                      hatch=["", "//", "..", "xx"][i % 4], edgecolor="#0b0c0c", linewidth=0.5)
        if len(series) == 1:
            ax.bar_label(bars, labels=[f"{v:,.0f}" for v in values], fontsize=8)
    ax.set_xticks(range(len(rows)), categories, fontsize=8, rotation=20 if len(rows) > 6 else 0)
    ax.tick_params(axis="y", labelsize=8)
    fig.suptitle(chart["title"], fontsize=10)
    ax.set_xlabel(chart.get("x_title", ""), fontsize=9)
    ax.set_ylabel(chart.get("y_title", ""), fontsize=9)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    if counts_only(chart):  # no 0.2 steps that would all read "0"
        ax.yaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    if len(series) > 1:
        fig.legend(loc="outside lower center", ncols=len(series), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _spc_png(chart: Mapping) -> bytes:
    names = list(dict.fromkeys(r[0] for r in chart["rows"]))
    cols = 3 if len(names) > 4 else 2 if len(names) > 1 else 1
    nrows = -(-len(names) // cols)
    height = 2.3 * nrows + 0.9
    fig = Figure(figsize=(7.5, height), dpi=DPI)
    fig.subplots_adjust(left=0.08, right=0.98, top=1 - 0.95 / height, bottom=0.6 / height, hspace=0.75, wspace=0.35)
    fig.suptitle(chart["title"], fontsize=10)
    seen: set[str] = set()
    for k, name in enumerate(names):
        ax = fig.add_subplot(nrows, cols, k + 1)
        rows = [r for r in chart["rows"] if r[0] == name]
        xs = [dt.date.fromisoformat(r[1]) for r in rows]
        values = [r[2] for r in rows]
        ax.plot(xs, values, color="#505a5f", marker=".", linewidth=1, label="Value")
        ax.plot(xs, [r[3] for r in rows], color="#0b0c0c", linewidth=0.8, label="Mean")
        ax.plot(xs, [r[4] for r in rows], color="#0b0c0c", linewidth=0.8, linestyle="--", label="Process limits")
        ax.plot(xs, [r[5] for r in rows], color="#0b0c0c", linewidth=0.8, linestyle="--")
        for kind, (marker, colour, label) in POINT_MARKERS.items():
            pts = [(x, v) for x, v, r in zip(xs, values, rows) if r[6] == kind and v is not None]
            if pts:
                ax.scatter(*zip(*pts), marker=marker, color=colour, zorder=3, s=18,
                           label=None if label in seen else label)
                seen.add(label)
        ax.tick_params(labelsize=6)
        span_years = max(1, (max(xs) - min(xs)).days / 365.25)
        ax.xaxis.set_major_locator(_year_ticks(ax, max(1, round(span_years / 4))))
        ax.set_title("\n".join(textwrap.wrap(name, 38)[:2]), fontsize=7, **_title_y(ax))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.set_xlabel(chart.get("x_title", ""), fontsize=6)
        ax.set_ylabel(chart.get("y_title", ""), fontsize=6)
        ax.spines[["top", "right"]].set_visible(False)
    handles, labels = [], []
    for ax in fig.axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncols=min(5, len(labels)), fontsize=7, frameon=False)
    return _png(fig)


def chart_png(chart: Mapping) -> bytes:
    """A chart of the assembled figures as a PNG (matplotlib, no browser: about 0.1 s for bars, 0.4–0.5 s
    for nine SPC panels)."""
    if chart["kind"] == "spc":
        return _spc_png(chart)
    return _png(bar_figure(chart))

"""The report's charts drawn for print by matplotlib (monitor.paper.charts: the printed size, 220
dpi, text of at least 9 pt, the paper's font), with the words a screen reader reads for each."""
from __future__ import annotations

import datetime as dt
import functools
import json
import textwrap
from collections.abc import Mapping

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
from matplotlib.figure import Figure

from monitor.paper import TEXT_WIDTH_CM
from monitor.paper import charts as paper_charts
from monitor.report.indicators import unit_words, value_with_unit
from monitor.report.sections import counts_only

# Colour-blind-safe series colours (Okabe–Ito), always with a legend naming each series and a hatch.
SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
HATCHES = ["", "//", "..", "xx"]
POINT_MARKERS = {"special_cause_concern": ("o", "#E69F00", "Special cause of concern"),
                 "special_cause_improvement": ("s", "#0072B2", "Special cause of improvement"),
                 "special_cause_neutral_high": ("^", "#6A3D9A", "Special cause (neutral)"),
                 "special_cause_neutral_low": ("v", "#6A3D9A", "Special cause (neutral)")}
WIDTH_CM = TEXT_WIDTH_CM
PT = paper_charts.TEXT_PT


def _money(chart: Mapping) -> bool:
    return bool(chart.get("money")) or "£" in str(chart.get("y_title", ""))


def bar_figure(chart: Mapping) -> Figure:
    """Grouped bars, hatched as well as coloured per series; money in pounds on the axis."""
    columns, rows = chart["columns"], chart["rows"]
    categories = [str(r[0]) for r in rows]
    series = columns[1:]
    with paper_charts.printing():
        fig = paper_charts.figure(WIDTH_CM, 8.5)
        ax = fig.add_subplot()
        width = 0.8 / max(1, len(series))
        for i, name in enumerate(series):
            values = [0 if r[i + 1] is None else float(r[i + 1]) for r in rows]
            xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(rows))]
            bars = ax.bar(xs, values, width=width, label=name, color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                          hatch=HATCHES[i % len(HATCHES)], edgecolor="#0b0c0c", linewidth=0.5)
            if len(series) == 1:
                labels = [paper_charts.pounds(v) if _money(chart) else f"{v:,.0f}" for v in values]
                ax.bar_label(bars, labels=labels, fontsize=PT)
        ax.set_xticks(range(len(rows)), categories, rotation=30 if len(rows) > 6 else 0,
                      ha="right" if len(rows) > 6 else "center")
        ax.set_xlabel(chart.get("x_title", ""))
        ax.set_ylabel(chart.get("y_title", ""))
        if _money(chart):
            ax.yaxis.set_major_formatter(mticker.FuncFormatter(paper_charts.pounds))
        else:
            ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
        if counts_only(chart):  # no 0.2 steps that would all read "0"
            ax.yaxis.set_major_locator(mticker.MaxNLocator(integer=True))
        if len(series) > 1:
            fig.legend(loc="outside lower center", ncols=len(series), frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def _year_ticks(ax, base: int) -> mticker.FixedLocator:
    """Year ticks inside the axes' view only (a tick just outside is laid out but never drawn)."""
    lo, hi = ax.get_xlim()
    slack = (hi - lo) * 1e-9
    years = mdates.YearLocator(base).tick_values(mdates.num2date(lo), mdates.num2date(hi))
    return mticker.FixedLocator([x for x in years if lo - slack <= x <= hi + slack])


def spc_figure(chart: Mapping) -> Figure:
    """Small multiples, two to a row: one indicator per panel, titled with its unit, its values with
    the SPC mean and process limits, special causes marked by shape; one legend for all."""
    names = list(dict.fromkeys(r[0] for r in chart["rows"]))
    units = chart.get("units") or {}
    cols = 2 if len(names) > 1 else 1
    nrows = -(-len(names) // cols)
    with paper_charts.printing():
        # A fixed layout in centimetres (a constrained layout of ten panels costs a third of a second):
        # room above each panel for a three-line title, below for the year ticks, left for the unit.
        top, bottom, gap, left, right, between = 2.3, 2.0, 2.1, 1.9, 0.6, 2.2
        height = 3.6 * nrows + gap * (nrows - 1) + top + bottom
        fig = paper_charts.figure(WIDTH_CM, height, constrained=False)
        grid = fig.add_gridspec(nrows, cols, left=left / WIDTH_CM, right=1 - right / WIDTH_CM,
                                top=1 - top / height, bottom=bottom / height, hspace=gap / 3.6,
                                wspace=between / ((WIDTH_CM - left - right - between * (cols - 1)) / cols))
        if chart.get("council"):  # the council the panels belong to, on the image itself
            fig.suptitle(chart.get("heading") or chart["council"], x=left / WIDTH_CM, y=1 - 0.3 / height,
                         ha="left", va="top", fontweight="bold")
        seen: set[str] = set()
        for k, name in enumerate(names):
            ax = fig.add_subplot(grid[k // cols, k % cols])
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
                    ax.scatter(*zip(*pts), marker=marker, color=colour, zorder=3, s=22, edgecolors="#0b0c0c",
                               linewidths=0.4, label=None if label in seen else label)
                    seen.add(label)
            unit = units.get(name, "")
            span_years = max(1, (max(xs) - min(xs)).days / 365.25)
            ax.xaxis.set_major_locator(_year_ticks(ax, max(1, round(span_years / 3))))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
            title = f"{name} ({unit})" if unit else name
            ax.set_title("\n".join(textwrap.wrap(title, 44)[:3]), loc="left")
            ax.set_ylabel(unit_words(unit))
            ax.spines[["top", "right"]].set_visible(False)
        handles, labels = [], []
        for ax in fig.axes:
            for h, lab in zip(*ax.get_legend_handles_labels()):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
        fig.legend(handles, labels, loc="lower center", ncols=min(3, len(labels)), frameon=False,
                   bbox_to_anchor=(0.5, 0.0))
    return fig


# What a chart's picture is drawn from (its title and summary are the caption's, not the picture's).
DRAWN = ("kind", "columns", "rows", "units", "council", "heading", "x_title", "y_title", "money")


def chart_png(chart: Mapping) -> bytes:
    """A chart of the assembled (or frozen) figures as a print-ready PNG. Pictures are kept by what
    they draw: successive quarters often draw the same one (a year's savings, yearly indicators)."""
    return _png(json.dumps({k: chart.get(k) for k in DRAWN}, sort_keys=True, ensure_ascii=False))


@functools.lru_cache(maxsize=48)
def _png(drawn: str) -> bytes:
    chart = json.loads(drawn)
    return paper_charts.png(spc_figure(chart) if chart["kind"] == "spc" else bar_figure(chart))


def alt_text(chart: Mapping) -> str:
    """What a screen reader says for the chart: its kind, what it shows and its figures in words."""
    if chart["kind"] == "spc":
        units = chart.get("units") or {}
        parts = []
        for name in dict.fromkeys(r[0] for r in chart["rows"]):
            rows = [r for r in chart["rows"] if r[0] == name and r[2] is not None]
            if not rows:
                continue
            last = rows[-1]
            special = sum(1 for r in rows if str(r[6]).startswith("special_cause"))
            parts.append(f"{name}: latest {value_with_unit(float(last[2]), units.get(name, ''))} "
                         f"({dt.date.fromisoformat(last[1]):%b %Y}), mean {value_with_unit(float(last[3]), units.get(name, ''))}"
                         f", {special} special-cause point{'s' if special != 1 else ''}")
        return (f"Statistical process control charts, one per indicator{' of ' + chart['council'] if chart.get('council') else ''}. "
                + "; ".join(parts) + ".")
    series = chart["columns"][1:]
    show = (lambda v: paper_charts.pounds(v)) if _money(chart) else (lambda v: f"{v:,.0f}")
    rows = "; ".join(f"{r[0]}: " + ", ".join(f"{s} {'none' if v is None else show(float(v))}" for s, v in zip(series, r[1:]))
                     for r in chart["rows"])
    return f"Bar chart: {chart['title']}. {chart.get('y_title', '')} by {str(chart.get('x_title', '')).lower()}. {rows}."

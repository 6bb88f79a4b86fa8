"""The one look of every chart in the product: a Plotly template registered once (importing this
module registers it and makes it the default), titles that wrap on a narrow screen, a marker
symbol for every status so colour is never the only signal, the chart toolbar reduced to "download
as PNG", and the contrast checks the tests hold every figure to (text >= 4.5:1 against what it
sits on, WCAG 2.2 1.4.3)."""
from __future__ import annotations

import copy
import html
import re
import textwrap
from collections.abc import Iterator, Mapping

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE_NAME = "improvement_monitor"

TEXT = "#0b0c0c"  # 19.8:1 on white
SECONDARY_TEXT = "#505a5f"  # 7.0:1 on white
BACKGROUND = "#ffffff"
GRID = "#e6e8ea"
FONT_FAMILY = '"Source Sans Pro", "Helvetica Neue", Arial, sans-serif'
# Okabe–Ito, darkened where a colour carries a line or marker on white (the product's series colours).
COLOURWAY = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#505a5f", "#8a6d00"]
DATE_HOVER = "%-d %b %Y"  # "3 Feb 2020", as monitor.formatting.format_date writes dates

# Titles wrap at this many characters: a 17 px title stays inside a 320 px wide chart.
TITLE_WIDTH = 36
TITLE_LINE_PX = 23

# Status words → marker symbol, so a status is told by shape as well as colour (and by the word in
# the legend and hover). Matched on the word the status starts with ("Red — off track" → Red).
STATUS_SYMBOLS: dict[str, str] = {
    "Red": "square",
    "Amber": "triangle-up",
    "Green": "circle",
    "Complete": "star",
    "Dropped": "x",
    "Concern": "diamond",
    "Improvement": "square",
    "No data": "circle-open",
}

# Charts draw with a toolbar of one button: "Download plot as a PNG" (the rest added eight Tab
# stops to every chart and duplicate what "View as table" does).
PLOT_CONFIG = {"displaylogo": False, "modeBarButtons": [["toImage"]],
               "toImageButtonOptions": {"format": "png", "scale": 2}}


def status_symbol(status: str) -> str:
    """The marker symbol of a status (its first word when it has a qualifier: "Red — off track")."""
    status = str(status)
    for word, symbol in STATUS_SYMBOLS.items():
        if status == word or status.startswith(word + " ") or status.startswith(word + "—"):
            return symbol
    return "circle"


def _axis() -> dict:
    return {"color": SECONDARY_TEXT, "tickfont": {"color": SECONDARY_TEXT},
            "title": {"font": {"color": TEXT}, "standoff": 12}, "gridcolor": GRID, "linecolor": "#b1b4b6",
            "zerolinecolor": "#b1b4b6", "automargin": True, "hoverformat": None}


def template() -> go.layout.Template:
    """The product's template: plotly_white's quiet grid, with text colours that pass 4.5:1."""
    base = copy.deepcopy(pio.templates["plotly_white"])
    axis = {k: v for k, v in _axis().items() if v is not None}
    base.layout.update(
        font={"color": TEXT, "family": FONT_FAMILY, "size": 13},
        # From the top-left corner down, so a wrapped title's first line is never above the chart.
        title={"font": {"color": TEXT, "size": 17}, "automargin": True, "x": 0, "xanchor": "left",
               "xref": "container", "y": 1, "yanchor": "top", "yref": "container", "pad": {"l": 10, "t": 20}},
        paper_bgcolor=BACKGROUND, plot_bgcolor=BACKGROUND, colorway=COLOURWAY,
        xaxis=axis, yaxis=axis,
        legend={"font": {"color": TEXT}, "title": {"font": {"color": TEXT}}, "bgcolor": "rgba(255,255,255,0)"},
        hoverlabel={"bgcolor": BACKGROUND, "bordercolor": TEXT, "font": {"color": TEXT, "family": FONT_FAMILY},
                    "align": "left"},
        annotationdefaults={"font": {"color": TEXT}},
        coloraxis={"colorbar": {"tickfont": {"color": TEXT}, "title": {"font": {"color": TEXT}}}},
    )
    for trace in ("bar", "scatter", "heatmap", "waterfall"):
        for t in base.data[trace] if trace in base.data else []:
            if trace in ("bar", "waterfall"):
                t.update(textfont={"color": TEXT}, outsidetextfont={"color": TEXT})
            if trace == "heatmap":
                t.update(colorbar={"tickfont": {"color": TEXT}, "title": {"font": {"color": TEXT}}})
    return base


def register() -> None:
    """Register the template and make it the default for every figure made from now on. Streamlit
    makes its own theme the default when it is imported, so the app calls this again after
    importing it (ui/blocks.py); it is harmless to call twice."""
    if TEMPLATE_NAME not in pio.templates:
        pio.templates[TEMPLATE_NAME] = template()
    pio.templates.default = TEMPLATE_NAME


register()


def wrap_title(text: str | None, width: int = TITLE_WIDTH) -> str:
    """A chart title broken onto lines of at most about `width` characters with <br>, so a long
    title wraps on a narrow screen rather than running off the chart. Already-wrapped titles and
    markup are kept as they are."""
    text = "" if text is None else str(text)
    if not text or "<br>" in text or len(text) <= width:
        return text
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def finish(fig: go.Figure) -> go.Figure:
    """What every figure gets as it is drawn: the product's template (again, in case the figure was
    made before it was the default), its title wrapped, and date axes hovering as "3 Feb 2020".
    Changes `fig` in place (only its layout) and returns it."""
    if fig.layout.template is None or fig.layout.template.layout.font.color != TEXT:
        fig.update_layout(template=TEMPLATE_NAME)
    title = fig.layout.title.text
    if title and "<br>" not in title and len(title) > TITLE_WIDTH:
        wrapped = wrap_title(title)
        # Each line the title gains takes its height from the top margin the chart kept for one line.
        top = (fig.layout.margin.t if fig.layout.margin.t is not None else 100) + TITLE_LINE_PX * wrapped.count("<br>")
        fig.update_layout(title_text=wrapped, margin_t=top)
    for name in [k for k in fig.layout if re.fullmatch(r"[xy]axis\d*", k)]:
        axis = fig.layout[name]
        if axis.type == "date" and axis.hoverformat is None:
            axis.hoverformat = DATE_HOVER
    return fig


# ----- contrast ---------------------------------------------------------------------------------

_NAMED = {"white": "#ffffff", "black": "#000000", "transparent": "rgba(0,0,0,0)"}


def rgb(colour: str, over: tuple[float, float, float] = (255, 255, 255)) -> tuple[float, float, float] | None:
    """An (r, g, b) for a CSS colour (#rgb, #rrggbb, rgb(), rgba() composited over `over`, a few
    names); None when it cannot be read."""
    colour = _NAMED.get(str(colour).strip().lower(), str(colour).strip().lower())
    if colour.startswith("#") and len(colour) in (4, 7):
        h = colour[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        try:
            return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            return None
    m = re.fullmatch(r"rgba?\(([^)]*)\)", colour)
    if m:
        parts = [float(p) for p in m.group(1).replace("/", ",").replace(" ", ",").split(",") if p]
        r, g, b = parts[:3]
        a = parts[3] if len(parts) > 3 else 1.0
        return tuple(a * c + (1 - a) * o for c, o in zip((r, g, b), over))
    return None


def luminance(colour: str, over=(255, 255, 255)) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb(colour, over))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours (a translucent foreground over the background)."""
    bg = rgb(background)
    lf, lb = luminance(foreground, bg), luminance(background)
    return (max(lf, lb) + 0.05) / (min(lf, lb) + 0.05)


def _get(d: Mapping | None, *path, default=None):
    for key in path:
        if not isinstance(d, Mapping) or key not in d:
            return default
        d = d[key]
    return d


def text_colours(spec: Mapping) -> Iterator[tuple[str, str, str]]:
    """Every text of a figure (its JSON, template included) as (where, colour, background), the
    colour resolved as Plotly resolves it: the element's own, else the template's, else the
    figure's font colour."""
    layout = spec.get("layout", {})
    tl = _get(layout, "template", "layout", default={}) or {}

    def pick(*candidates, default=None):
        return next((c for c in candidates if c), default)

    base = pick(_get(layout, "font", "color"), _get(tl, "font", "color"), default="#444444")
    paper = pick(layout.get("paper_bgcolor"), tl.get("paper_bgcolor"), default="#ffffff")
    plot = rgb(pick(layout.get("plot_bgcolor"), tl.get("plot_bgcolor"), default="#ffffff"), rgb(paper))
    plot = "#%02x%02x%02x" % tuple(round(c) for c in plot)
    if _get(layout, "title", "text"):
        yield "title", pick(_get(layout, "title", "font", "color"), _get(tl, "title", "font", "color"), base), paper
    cartesian = any(t.get("type", "scatter") in ("scatter", "scattergl", "bar", "heatmap", "waterfall", "box")
                    for t in spec.get("data", []))
    axes = dict.fromkeys(["xaxis", "yaxis"], {}) if cartesian else {}
    axes.update({k: v for k, v in layout.items() if re.fullmatch(r"[xy]axis\d*", k)})
    for name, axis in axes.items():
        kind = re.fullmatch(r"([xy])axis\d*", name)
        if not kind or not isinstance(axis, Mapping) or axis.get("visible") is False:
            continue
        ta = tl.get(f"{kind.group(1)}axis", {})
        axis_colour = pick(axis.get("color"), ta.get("color"))
        if axis.get("showticklabels", True):
            yield f"{name} ticks", pick(_get(axis, "tickfont", "color"), _get(ta, "tickfont", "color"),
                                        axis_colour, base), paper
        if _get(axis, "title", "text"):
            yield f"{name} title", pick(_get(axis, "title", "font", "color"), _get(ta, "title", "font", "color"),
                                        axis_colour, base), paper
    if layout.get("showlegend", True) is not False:
        legend_bg = pick(_get(layout, "legend", "bgcolor"), _get(tl, "legend", "bgcolor"), default=paper)
        legend_bg = paper if rgb(legend_bg) is None or "rgba" in str(legend_bg) else legend_bg
        yield "legend", pick(_get(layout, "legend", "font", "color"), _get(tl, "legend", "font", "color"), base), legend_bg
    for i, note in enumerate(list(layout.get("annotations", [])) + list(tl.get("annotations", []))):
        colour = pick(_get(note, "font", "color"), _get(tl, "annotationdefaults", "font", "color"), base)
        own = note.get("bgcolor")
        for bg in ([own] if own and rgb(own, rgb(plot)) and "rgba" not in own else [plot, paper]):
            yield f"annotation {i} ({str(note.get('text', ''))[:30]})", colour, bg
    hover_bg = pick(_get(layout, "hoverlabel", "bgcolor"), _get(tl, "hoverlabel", "bgcolor"))
    hover_font = pick(_get(layout, "hoverlabel", "font", "color"), _get(tl, "hoverlabel", "font", "color"))
    for i, trace in enumerate(spec.get("data", [])):
        kind = trace.get("type", "scatter")
        tt = (_get(tl, "data", kind, default=[{}]) or [{}])[0]
        label = f"trace {i} {kind} ({trace.get('name', '')})"
        if trace.get("hoverinfo") != "skip" and not trace.get("hovertemplate") == "<extra></extra>":
            bg = pick(_get(trace, "hoverlabel", "bgcolor"), hover_bg, default="(the trace colour)")
            yield f"{label} hover", pick(_get(trace, "hoverlabel", "font", "color"), hover_font,
                                         default="(automatic)"), bg
        has_text = trace.get("text") is not None or trace.get("texttemplate")
        if kind in ("bar", "waterfall") and has_text:
            position = trace.get("textposition", "auto" if kind == "bar" else "auto")
            if position in ("outside", "auto"):
                yield f"{label} text", pick(_get(trace, "outsidetextfont", "color"), _get(trace, "textfont", "color"),
                                            _get(tt, "outsidetextfont", "color"), _get(tt, "textfont", "color"), base), plot
            if position in ("inside", "auto"):
                fill = _get(trace, "marker", "color")
                yield f"{label} text inside", pick(_get(trace, "insidetextfont", "color"), _get(trace, "textfont", "color"),
                                                   default="(automatic)"), fill if isinstance(fill, str) else "(several)"
        elif kind == "heatmap" and has_text:
            colour = pick(_get(trace, "textfont", "color"), default="(automatic)")
            for stop in trace.get("colorscale") or []:
                yield f"{label} cell text", colour, stop[1]
        elif kind == "scatter" and has_text and "text" in str(trace.get("mode", "")):
            yield f"{label} text", pick(_get(trace, "textfont", "color"), _get(tt, "textfont", "color"), base), plot
        colorbar = trace.get("colorbar") if kind == "heatmap" and trace.get("showscale", True) else None
        if colorbar is not None:
            tc = _get(tt, "colorbar", default={})
            yield f"{label} colour bar", pick(_get(colorbar, "tickfont", "color"), _get(tc, "tickfont", "color"), base), paper


def contrast_problems(spec: Mapping, minimum: float = 4.5) -> list[str]:
    """Every text of a figure whose contrast is below `minimum` (or cannot be told), in words."""
    problems = []
    for where, colour, background in text_colours(spec):
        if rgb(colour) is None or rgb(background) is None:
            problems.append(f"{where}: colour {colour} on {background} cannot be checked")
            continue
        ratio = contrast(colour, background)
        if ratio < minimum:
            problems.append(f"{where}: {colour} on {background} is {ratio:.2f}:1")
    return problems


def escape(text) -> str:
    """Data text for Plotly's label markup (titles, hovers): <, > and & escaped."""
    return html.escape(str(text), quote=False)

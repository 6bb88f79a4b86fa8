"""Charts drawn for print: matplotlib figures made at the size they are printed (so a 9 pt label
prints at 9 pt), rendered at 220 dots per inch, in the paper's font family, with every piece of
text at least 9 pt. Money axes read in pounds (£400k, £1.2m)."""
from __future__ import annotations

import contextlib
import functools
import io

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

DPI = 220
TEXT_PT, TITLE_PT = 9, 10.5
CM = 1 / 2.54
TEXT_COLOUR = "#0b0c0c"


@functools.cache
def font_family() -> list[str]:
    """The paper's font for charts: Arial where installed, else its metric twin Liberation Sans,
    else matplotlib's own (no warning for a font that is not there)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    return [n for n in ("Arial", "Liberation Sans") if n in names] + ["DejaVu Sans"]


def rc() -> dict:
    return {"font.family": "sans-serif", "font.sans-serif": font_family(), "font.size": TEXT_PT,
            "axes.titlesize": TEXT_PT, "axes.labelsize": TEXT_PT, "xtick.labelsize": TEXT_PT,
            "ytick.labelsize": TEXT_PT, "legend.fontsize": TEXT_PT, "figure.titlesize": TITLE_PT,
            "text.color": TEXT_COLOUR, "axes.labelcolor": TEXT_COLOUR, "xtick.color": TEXT_COLOUR,
            "ytick.color": TEXT_COLOUR, "axes.edgecolor": TEXT_COLOUR, "svg.fonttype": "none",
            "axes.unicode_minus": True}


@contextlib.contextmanager
def printing():
    """Draw inside this: the print settings apply to every figure made and rendered here."""
    with matplotlib.rc_context(rc()):
        yield


def figure(width_cm: float, height_cm: float, *, constrained: bool = True) -> Figure:
    """A figure the size it prints at (make and render it inside `printing()`)."""
    return Figure(figsize=(width_cm * CM, height_cm * CM), dpi=DPI, layout="constrained" if constrained else None)


def png(fig: Figure) -> bytes:
    """The figure as PNG at DPI (the bytes depend only on the drawing)."""
    buf = io.BytesIO()
    with printing():
        FigureCanvasAgg(fig).print_png(buf, metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def pounds(value: float, _pos=None) -> str:
    """An axis tick in pounds: £0, £400k, £1.2m."""
    v = abs(value)
    sign = "−" if value < 0 else ""
    if v >= 1_000_000:
        return f"{sign}£{v / 1_000_000:,.1f}m".replace(".0m", "m")
    if v >= 1_000:
        return f"{sign}£{v / 1_000:,.0f}k"
    return f"{sign}£{v:,.0f}"


def smallest_text_pt(fig: Figure) -> float:
    """The smallest size of any visible text of a drawn figure, in points (at the printed size)."""
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes) if sizes else float("inf")

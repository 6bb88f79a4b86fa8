"""How wide text prints, and column widths that never break a word.

Widths are measured with the Helvetica metrics matplotlib ships (Adobe's AFM files): Arial, the
paper's font, has the same advance widths as Helvetica by design, and so has Liberation Sans,
which LibreOffice puts in Arial's place. No font file of the machine is needed."""
from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import matplotlib

PT_PER_CM = 72 / 2.54
# Glyph names of the characters outside ASCII that the reports print (the AFM files name glyphs).
_NAMES = {"£": "sterling", "–": "endash", "—": "emdash", "‘": "quoteleft", "’": "quoteright",
          "“": "quotedblleft", "”": "quotedblright", "·": "periodcentered", "•": "bullet", "…": "ellipsis",
          "é": "eacute", "è": "egrave", "ö": "odieresis", "ü": "udieresis", "×": "multiply", "−": "minus",
          "°": "degree", "€": "Euro", "\u00a0": "space"}
_UNKNOWN = 1000  # a character with no metrics (▲, ◕): a whole em, so a column is never too narrow


@functools.cache
def _metrics(bold: bool) -> tuple[dict[int, int], dict[str, int]]:
    path = Path(matplotlib.get_data_path()) / "fonts" / "afm" / ("phvb8a.afm" if bold else "phvr8a.afm")
    by_code, by_name = {}, {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if not line.startswith("C "):
            continue
        fields = dict(part.strip().split(" ", 1) for part in line.split(";") if part.strip())
        width, name = int(float(fields["WX"])), fields.get("N", "")
        by_name[name] = width
        code = int(fields["C"])
        if 32 <= code < 127:
            by_code[code] = width
    by_name.setdefault("minus", by_name.get("hyphen", 333))
    return by_code, by_name


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of `text` in points at `size_pt`."""
    by_code, by_name = _metrics(bold)
    units = 0
    for ch in str(text):
        code = ord(ch)
        if code in by_code:
            units += by_code[code]
        else:
            units += by_name.get(_NAMES.get(ch, ""), _UNKNOWN)
    return units * size_pt / 1000


def longest_word_pt(texts: Sequence[str], size_pt: float, bold: bool = False) -> float:
    return max((text_width_pt(w, size_pt, bold) for t in texts for w in str(t).split()), default=0.0)


def column_widths_cm(columns: Sequence[str], rows: Sequence[Sequence], total_cm: float, size_pt: float,
                     padding_cm: float, cap_cm: float = 6.0) -> list[float] | None:
    """Each column's share of `total_cm`: in proportion to its longest text (capped at `cap_cm`, so a
    column of sentences wraps rather than starving the others), and never narrower than its longest
    word (the header's in bold) — a word is never broken. None when the longest words alone do not fit."""
    want, floor = [], []
    for i, header in enumerate(columns):
        cells = ["" if r[i] is None else str(r[i]) for r in rows]
        words = max(longest_word_pt([header], size_pt, bold=True), longest_word_pt(cells, size_pt))
        floor.append(words / PT_PER_CM * 1.04 + padding_cm)  # 4% for rounding in the layout engines
        longest = max((text_width_pt(c, size_pt) for c in cells), default=0.0) / PT_PER_CM + padding_cm
        want.append(min(max(longest, floor[-1]), cap_cm))
    if sum(floor) > total_cm:
        return None
    widths = [0.0] * len(columns)
    free = set(range(len(columns)))
    while free:  # share out what the fixed columns leave; a column below its floor is fixed at it
        room = total_cm - sum(widths[i] for i in range(len(columns)) if i not in free)
        share = {i: room * want[i] / sum(want[j] for j in free) for i in free}
        starved = {i for i in free if share[i] < floor[i]}
        if not starved:
            for i in free:
                widths[i] = share[i]
            break
        for i in starved:
            widths[i] = floor[i]
        free -= starved
    return widths

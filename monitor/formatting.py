"""How figures read on screen: dates as "3 Feb 2020", money as "£1,234k" / "£0.75m",
financial years as "2020/21". One place, so every page and the Word export agree."""
from __future__ import annotations

import decimal
import math

import pandas as pd

from monitor.sources.citation import ILLUSTRATIVE, provenance
from monitor.values import as_date


def format_date(value) -> str:
    """'3 Feb 2020'; an empty string for a missing date (never 'NaT' or '00:00:00')."""
    d = as_date(value)
    if d is None:
        return ""
    return f"{d.day} {d.strftime('%b')} {d.year}"


def format_money(gbp) -> str:
    """Compact pounds for cards and chart labels: £750, £12k, £96k, £0.75m, £1.23m, £12.5m.

    From £100k we show millions, as council papers do ("savings of almost £0.75m a year"); below
    that, thousands. Tables show full pounds instead (format_pounds).
    """
    if gbp is None or (isinstance(gbp, float) and math.isnan(gbp)) or pd.isna(gbp):
        return "–"
    value = float(gbp)
    sign = "−" if value < 0 else ""
    value = abs(value)
    if value < 1_000:
        return f"{sign}£{value:,.0f}"
    if value < 100_000:
        return f"{sign}£{value / 1_000:,.0f}k"
    # Round half up on the decimal value (binary floats would show £0.745m as £0.74m).
    millions = decimal.Decimal(str(value)) / 1_000_000
    places = decimal.Decimal("0.01") if millions < 10 else decimal.Decimal("0.1")
    text = f"{millions.quantize(places, rounding=decimal.ROUND_HALF_UP):,}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return f"{sign}£{text}m"


def format_pounds(gbp) -> str:
    """Full pounds for tables: £1,234,567."""
    if gbp is None or pd.isna(gbp):
        return "–"
    value = float(gbp)
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.0f}"


def describe_days(days: int) -> str:
    """'today', 'in 1 day', 'in 12 days', '3 days ago'."""
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"{-days} day{'s' if days != -1 else ''} ago"


# Words that keep their capital inside a sentence.
PROPER_NOUNS = frozenset({"Ofsted", "DfE", "ILACS", "SEND", "England"})


def in_sentence(title: str) -> str:
    """A heading as it reads inside a sentence: 'Milestones' → 'milestones', but 'Ofsted and DfE
    activity' keeps its capitals (a proper noun, or a word with a capital after its first letter)."""
    first, _, rest = title.partition(" ")
    if not first or first in PROPER_NOUNS or any(c.isupper() for c in first[1:]):
        return title
    return f"{first[0].lower()}{first[1:]}{' ' if rest else ''}{rest}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 year', '7 years', '1,200 rows': a count with its noun, never 'year(s)'."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def is_illustrative(source) -> bool:
    """A figure is illustrative when its provenance is (monitor.sources.citation, the one rule):
    'illustrative', or a citation whose qualifier says so ('000 para 4.1 (amounts illustrative)')."""
    return provenance(source) == ILLUSTRATIVE

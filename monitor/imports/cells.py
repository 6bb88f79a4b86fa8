"""One cell: the text a person typed, as the typed value its column holds (`parse_cell`), and a
value as the canonical text templates show and SQL casts back (`text_of`)."""
from __future__ import annotations

import datetime as dt
import decimal
import math
import re

from monitor.imports.columns import per_distinct
from monitor.imports.spec import Column
from monitor.imports.text import value_problem
from monitor.loaders.reading import parse_date

# DfE's suppression markers: a gap, never a number (monitor.loaders.dfe).
SUPPRESSION = {"x": "not available", "c": "confidential", "u": "low reliability", "z": "not applicable",
               "low": "rounds to zero", "..": "not available", ":": "not available"}
TRUE_WORDS = {"true", "yes", "y", "1", "t"}
FALSE_WORDS = {"false", "no", "n", "0", "f"}
# ASCII digits only, written out: Python's int() and float() also take "1_000" and other scripts'
# digits ("١٢"), which no spreadsheet means as a number.
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def header_key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def parse_cell(column: Column, text: str):
    """(value, None) or (None, what was expected). Empty text is None (NULL)."""
    if text == "":
        return None, None
    kind = column.kind
    if kind == "text":
        return (None, problem) if (problem := value_problem(column.name, text)) else (text, None)
    if kind == "enum":
        for allowed in column.allowed:
            if allowed.casefold() == text.casefold():
                return allowed, None
        return None, "expected one of: " + ", ".join(column.allowed)
    if kind == "integer":
        if not _INTEGER.fullmatch(text):
            return None, "expected a whole number (digits only: no commas, spaces or underscores)"
        value = int(text)
        low, high = column.bounds or (-math.inf, math.inf)
        if not low <= value <= high:
            return None, f"the number is too large (between {low:,} and {high:,})"
        return value, None
    if kind == "number":
        marker = SUPPRESSION.get(text.casefold())
        if marker:
            return None, (f"'{text}' is a DfE suppression marker ({marker}), not a number: leave the cell empty "
                          "and record the reason in the note")
        if not _NUMBER.fullmatch(text):
            if text.strip("+-").casefold() in ("nan", "inf", "infinity"):
                return None, "expected a finite number"
            return None, ("expected a number (digits, with a decimal point if needed; no commas, spaces, "
                          "underscores, % or £)")
        value = float(text)
        if not math.isfinite(value):
            return None, "expected a finite number"
        return value, None
    if kind == "decimal":
        if not _DECIMAL.fullmatch(text):
            return None, (f"expected an amount such as 1234.50 (digits, up to {column.scale} decimal places; "
                          "no £ sign or commas)")
        value = decimal.Decimal(text)
        exponent = value.as_tuple().exponent
        if -exponent > (column.scale or 0) and value != value.quantize(decimal.Decimal(1).scaleb(-(column.scale or 0))):
            return None, f"expected at most {column.scale} decimal places"
        value = value.quantize(decimal.Decimal(1).scaleb(-(column.scale or 0)))
        if len(value.as_tuple().digits) > (column.precision or 38):
            return None, "the amount is too large"
        return value, None
    if kind == "date":
        if len(text) == 10 and text[4] == "-":
            try:
                return dt.date.fromisoformat(text), None
            except ValueError:
                return None, "expected a date as YYYY-MM-DD (or DD/MM/YYYY)"
        try:
            return parse_date(text), None
        except ValueError:
            pass
        try:  # a spreadsheet date-time at midnight
            stamp = dt.datetime.fromisoformat(text)
            if stamp.time() == dt.time(0):
                return stamp.date(), None
        except ValueError:
            pass
        return None, "expected a date as YYYY-MM-DD (or DD/MM/YYYY)"
    if kind == "timestamp":
        try:
            stamp = dt.datetime.fromisoformat(text)
        except ValueError:
            return None, "expected a date and time as YYYY-MM-DD HH:MM:SS"
        if stamp.tzinfo is not None:
            return None, "expected a local date and time without a time zone"
        return stamp, None
    if kind == "boolean":
        word = text.casefold()
        if word in TRUE_WORDS:
            return True, None
        if word in FALSE_WORDS:
            return False, None
        return None, "expected true or false (or yes / no)"
    return text, None


def text_of(value) -> str | None:
    """The canonical text of a value (what templates show and what SQL casts): ISO dates,
    'true'/'false', exact decimals, shortest round-tripping floats."""
    if type(value) is str:
        return value
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, decimal.Decimal)):
        return text_of(value.item())
    if hasattr(value, "to_pydatetime"):
        return text_of(value.to_pydatetime())
    return str(value)


def texts_of(values: list) -> list:
    """`text_of` of every value of a column."""
    return per_distinct(values, text_of, keeps_text=True)

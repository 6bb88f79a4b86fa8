"""Every table people download, as tidy data a spreadsheet or a script reads without cleaning: one
value per cell, numbers as numbers (ASCII minus, no £ or % signs, no "12.0" for a count of 12),
dates as ISO 8601, the unit of a measure in a column of its own beside it ("Saving", then "Unit"
reading GBP on every row), human column names rather than database names, and a first line naming the
source and the "as at" date. Pure: the download button (ui/blocks.py download_csv) calls `tidy_csv`;
the Excel exports put their units the same way (`with_unit_columns`); `read_tidy_csv` reads one back."""
from __future__ import annotations

import datetime as dt
import decimal
import io
import re
from dataclasses import dataclass

import pandas as pd

from monitor.csv_safe import safe_frame
from monitor.sources.links import SOURCE_COLUMNS

COMMENT = "#"

# Words kept in capitals when a database name is turned into a heading.
_ACRONYMS = {"id": "ID", "ons": "ONS", "gbp": "GBP", "rag": "RAG", "spc": "SPC", "xmr": "XmR", "url": "URL",
             "dfe": "DfE", "ilacs": "ILACS", "send": "SEND", "ics": "ICS", "la": "LA", "fte": "FTE"}
# A database name's last word that is a unit: "planned_gbp" → "Planned (GBP)".
_UNIT_SUFFIXES = {"gbp": "GBP", "pct": "%", "percent": "%", "days": "days"}
# A unit in brackets at the end of a heading written for the screen ("Planned (£)"), and the unit a
# file gives for it.
_UNIT_IN_HEADING = re.compile(r"^(?P<measure>.*\S) \((?P<unit>£|GBP|%|days)\)$")
_UNIT_WORDS = {"£": "GBP", "GBP": "GBP", "%": "%", "days": "days"}

_NUMBER = re.compile(r"^(?P<sign>[-−–+]?)\s*(?P<pound>£?)\s*(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
                     r"\s*(?P<scale>[km]?)\s*(?P<percent>%?)$")
# How tables on screen show a missing value.
_MISSING_TEXT = {"", "–", "—", "-", "n/a", "N/A", "none", "None", "not yet reported"}
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000}


def heading(name) -> str:
    """A column's human name: database names ("increase_to_flip", "ons_code", "planned_gbp") become
    "Increase to flip", "ONS code", "Planned (GBP)"; names already written for people are kept."""
    text = str(name)
    if not re.fullmatch(r"[a-z0-9_]+", text):
        return text
    words = [w for w in text.split("_") if w]
    if not words:
        return text
    unit = _UNIT_SUFFIXES.get(words[-1]) if len(words) > 1 else None
    if unit:
        words = words[:-1]
    words = [_ACRONYMS.get(w, w) for w in words]
    first = words[0] if words[0] in _ACRONYMS.values() else words[0].capitalize()
    out = " ".join([first] + words[1:])
    return f"{out} ({unit})" if unit else out


def split_unit(name) -> tuple[str, str | None]:
    """A heading's measure and unit: "Planned (£)" and "planned_gbp" → ("Planned", "GBP"), "Rate (%)"
    → ("Rate", "%"); a heading without a unit → (it, None)."""
    text = heading(name)
    m = _UNIT_IN_HEADING.match(text)
    return (m["measure"], _UNIT_WORDS[m["unit"]]) if m else (text, None)


def with_unit_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The one rule for units in a file: each measure with its unit in its heading ("Planned (£)")
    keeps its name alone ("Planned") and gains a column beside it giving the unit on every row: "Unit"
    when the table has one such measure (and no Unit column already), else "<measure> unit". Values
    are left as they are. (A table whose rows differ in unit, an indicator's, has a Unit column of
    its own.)"""
    found = []
    for column in frame.columns:
        measure, unit = split_unit(column)
        found.append((column, measure if unit else column, unit))
    with_unit = [f for f in found if f[2]]
    single = len(with_unit) == 1 and "Unit" not in [f[1] for f in found]
    out = {}

    def put(name, values):
        while name in out:
            name = f"{name} "
        out[name] = values

    for i, (column, name, unit) in enumerate(found):
        values = frame.iloc[:, i].reset_index(drop=True)
        put(name, values)
        if unit:
            put("Unit" if single else f"{name} unit", pd.Series([unit] * len(values), dtype=object))
    return pd.DataFrame(out)


def parse_number(text) -> tuple[float, str] | None:
    """A number written for people ("£1.2m", "−3", "1,234", "45%", "£750") as (value, unit), the
    unit "GBP", "%" or ""; None when the text is not such a number."""
    m = _NUMBER.match(str(text).strip())
    if not m:
        return None
    digits = m["digits"].replace(",", "")
    value = decimal.Decimal(digits) * _SCALE[m["scale"]]
    if m["sign"] and m["sign"] != "+":
        value = -value
    unit = "GBP" if m["pound"] else "%" if m["percent"] else ""
    return float(value), unit


def _iso_dates(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values)
    times = stamps.dropna()
    whole_days = bool(len(times) == 0 or (times == times.dt.normalize()).all())
    text = stamps.dt.strftime("%Y-%m-%d" if whole_days else "%Y-%m-%dT%H:%M:%S")
    return text.astype(object).where(stamps.notna(), None)


def _is_date(value) -> bool:
    return isinstance(value, (dt.date, pd.Timestamp))


def _numbers(values: pd.Series, units_beside: bool = False) -> tuple[pd.Series, str] | None:
    """A text column of numbers written for people, as numbers and their one unit; None when any
    value is not such a number, when a value looks like a code ("007"), or when units differ —
    unless the table gives each row's unit in a Unit column (`units_beside`: "42.0%" beside "%"),
    when the numbers are read and the unit left to that column."""
    present = [v for v in values if v is not None and not pd.isna(v) and str(v).strip() not in _MISSING_TEXT]
    if not present or not all(isinstance(v, str) for v in present):
        return None
    parsed = [parse_number(v) for v in present]
    if any(p is None for p in parsed) or (len({p[1] for p in parsed}) > 1 and not units_beside):
        return None
    if any(re.match(r"^0\d", v.strip().lstrip("-−–£")) for v in present):
        return None
    # A column of plain whole numbers as text with no mark of formatting (a year, a code): leave it.
    unit = parsed[0][1] if len({p[1] for p in parsed}) == 1 and not units_beside else ""
    formatted = any(re.search(r"[£%,km−–+]", v) or v.strip().startswith("-") or "." in v for v in present)
    if not unit and not formatted:
        return None
    out = [None if v is None or pd.isna(v) or str(v).strip() in _MISSING_TEXT else parse_number(v)[0] for v in values]
    return pd.Series(out, index=values.index, dtype="float64"), unit


_PEOPLE_DATE = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}( \d{2}:\d{2})?")


def _iso_of_people_date(text: str) -> str:
    if ":" in text:
        return dt.datetime.strptime(text, "%d %b %Y %H:%M").isoformat()
    return dt.datetime.strptime(text, "%d %b %Y").date().isoformat()


def _people_dates(values: pd.Series) -> pd.Series | None:
    """A text column of dates written for people ("3 Feb 2020", monitor.formatting.format_date) as
    ISO dates; None when any value is something else."""
    present = [v for v in values if v is not None and not pd.isna(v) and str(v).strip() not in _MISSING_TEXT]
    if not present or not all(isinstance(v, str) and _PEOPLE_DATE.fullmatch(v.strip()) for v in present):
        return None
    parsed = [None if v is None or pd.isna(v) or str(v).strip() in _MISSING_TEXT
              else _iso_of_people_date(v.strip()) for v in values]
    return pd.Series(parsed, index=values.index, dtype=object)


def _cell_number(text: str, unit) -> float | None:
    """A cell among words that is a number written for people: "−0.4", "1,234", or a value with the
    unit its row's Unit column gives ("41.0%", "16.1 cases per FTE"); None for anything else (a
    plain "2023" among words stays as written)."""
    unit = unit.strip() if isinstance(unit, str) else ""
    bare = text.strip()
    if unit and bare.endswith(unit) and bare != unit:
        bare = bare[:-len(unit)].strip()
    elif not re.search(r"[,−–+.-]", bare):
        return None
    parsed = parse_number(bare)
    if parsed is None or re.match(r"^0\d", bare.lstrip("-−–+£")):
        return None
    if parsed[1] and parsed[1] != _UNIT_WORDS.get(unit):  # "£5" or "45%" without its unit beside it
        return None
    return parsed[0]


def _text_cell(value, unit=None):
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a count among words (a comparison's "Previous"): 12, not 12.0
    if not isinstance(value, str):
        return value
    if _PEOPLE_DATE.fullmatch(value.strip()):
        return _iso_of_people_date(value.strip())
    number = _cell_number(value, unit)
    if number is not None:
        return int(number) if number.is_integer() else number
    return value.replace("\u2212", "-")


def _whole(values: pd.Series) -> pd.Series:
    """Floats that are whole numbers as integers (a count is 12, not 12.0): the column as integers
    when all are, else each whole one written without its ".0"."""
    present = values.dropna()
    if not len(present) or present.abs().max() >= 2 ** 53:
        return values
    if (present == present.round()).all():
        return values.round().astype("Int64")
    return pd.Series([None if pd.isna(v) else int(v) if float(v).is_integer() else float(v) for v in values],
                     index=values.index, dtype=object)


def tidy_frame(frame: pd.DataFrame, names: dict | None = None) -> pd.DataFrame:
    """`frame` as tidy data (see the module): `names` renames columns (else `heading`); every
    measure with a unit (in its heading, or in its cells as "£1,200" or "45%") gains its unit column
    (`with_unit_columns`); dates ISO; numbers numeric. The index is dropped."""
    names = names or {}
    out = {}
    for column in frame.columns:
        values = frame[column].reset_index(drop=True)
        name = names.get(column, heading(column))
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object).where(values.notna(), None)
        if pd.api.types.is_datetime64_any_dtype(values):
            values = _iso_dates(values)
        elif values.dtype == object and len(values.dropna()) and all(_is_date(v) for v in values.dropna()):
            values = _iso_dates(values)
        elif pd.api.types.is_bool_dtype(values):
            pass
        elif pd.api.types.is_float_dtype(values):
            values = _whole(values)
        elif values.dtype == object and len(values.dropna()) and all(
                isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool) for v in values.dropna()):
            values = _whole(pd.to_numeric(values, errors="coerce").astype("float64"))
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            numbers = _numbers(values, units_beside="Unit" in frame.columns and column != "Unit")
            dates = None if numbers is not None else _people_dates(values)
            if dates is not None:
                values = dates
            elif numbers is not None:
                values, unit = numbers
                values = _whole(values)
                if unit and split_unit(name)[1] is None:
                    name = f"{name} ({unit})"
            else:  # text: ASCII minus, and any cell that is a date alone written as ISO
                row_units = (frame["Unit"].tolist() if "Unit" in frame.columns and column != "Unit"
                             else [None] * len(values))
                values = pd.Series([_text_cell(v, u) for v, u in zip(values, row_units)], index=values.index,
                                   dtype=object)
        while name in out:
            name = f"{name} "
        out[name] = values
    return with_unit_columns(pd.DataFrame(out))


@dataclass(frozen=True)
class Origin:
    """What a download's figures come from and the date they are as at: its first line. Each domain
    words its own source (e.g. monitor.savings.facts.SOURCE); the as-at date is the page's."""
    source: str
    as_at: dt.date


def header_line(source: str, as_at, columns=()) -> str:
    """The first line of every downloaded CSV: where the figures come from and when; a table with a
    Source column says that each row's own source is there."""
    when = as_at.isoformat() if isinstance(as_at, (dt.date, dt.datetime)) else str(as_at)
    source = " ".join(str(source).split()).replace('"', "'").rstrip(".")
    named = {str(name).strip() for name in columns}
    column = next((c for c in SOURCE_COLUMNS if c in named), None)
    if column and f"{column} column" not in source:
        source = f"{source} (each row's own source is in its {column} column)"
    return f"{COMMENT} Source: {source}. As at: {when}."


def tidy_csv(frame: pd.DataFrame, *, source: str, as_at, names: dict | None = None) -> bytes:
    """The CSV people download: its source line, then the tidy table (UTF-8 with BOM for Excel, and
    formula-like text neutralised as every file of the product is: monitor.csv_safe)."""
    tidy = tidy_frame(frame, names)
    body = safe_frame(tidy).to_csv(index=False, lineterminator="\n")
    return (header_line(source, as_at, tidy.columns) + "\n" + body).encode("utf-8-sig")


def read_tidy_csv(data: bytes | str) -> pd.DataFrame:
    """A downloaded CSV read back (its source line skipped)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    lines = text.split("\n", 1)
    body = lines[1] if lines[0].startswith(COMMENT) and len(lines) > 1 else ("" if lines[0].startswith(COMMENT) else text)
    if not body.strip():
        return pd.DataFrame()
    return pd.read_csv(io.StringIO(body))


def source_line(data: bytes | str) -> str:
    """The source line of a downloaded CSV ("" when it has none)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    first = text.split("\n", 1)[0]
    return first if first.startswith(COMMENT) else ""

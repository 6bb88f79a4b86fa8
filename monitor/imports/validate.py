"""Checking a file against its table before anything is written: every cell's type, the required
columns and values, ENUM values, keys repeated inside the file, UNIQUE rules, references to rows
that do not exist, the programmes the person may change, submitted reports that can no longer
change, and the business rules the schema cannot state (a forecast before the programme's start).
The schema's CHECK rules are evaluated by the database itself (queries.imports) and reported here
with `check_problems`. Every problem names the file, row, column and value, and says what was
expected.
"""
from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from monitor.imports.reading import Sheet
from monitor.imports.spec import MANAGED_COLUMNS, Check, Column, TableSpec
from monitor.formatting import format_date
from monitor.loaders.problems import Problem
from monitor.loaders.reading import parse_date
from monitor.permissions import Actor, may_write

# DfE's suppression markers: a gap, never a number (monitor.loaders.dfe).
SUPPRESSION = {"x": "not available", "c": "confidential", "u": "low reliability", "z": "not applicable",
               "low": "rounds to zero", "..": "not available", ":": "not available"}
TRUE_WORDS = {"true", "yes", "y", "1", "t"}
FALSE_WORDS = {"false", "no", "n", "0", "f"}
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def header_key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def parse_cell(column: Column, text: str):
    """(value, None) or (None, what was expected). Empty text is None (NULL)."""
    if text == "":
        return None, None
    kind = column.kind
    if kind == "text":
        return text, None
    if kind == "enum":
        for allowed in column.allowed:
            if allowed.casefold() == text.casefold():
                return allowed, None
        return None, "expected one of: " + ", ".join(column.allowed)
    if kind == "integer":
        if not _INTEGER.fullmatch(text):
            return None, "expected a whole number"
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
        try:
            value = float(text)
        except ValueError:
            return None, "expected a number (digits, with a decimal point if needed; no commas, % or £)"
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


@dataclass
class Parsed:
    """A file's rows as typed values for the columns it has, with every problem found."""

    file: str
    table: str
    columns: list[str]  # the table's columns the file provides, in file order
    records: list[dict] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    bad: set[int] = field(default_factory=set)  # indexes of records with a problem
    problems: list[Problem] = field(default_factory=list)

    def add(self, index: int | None, column: str | None, value, message: str) -> None:
        row = None if index is None else self.numbers[index]
        self.problems.append(Problem(self.file, row, column, None if value is None else str(value), message))
        if index is not None:
            self.bad.add(index)


def parse_sheet(sheet: Sheet, spec: TableSpec) -> Parsed:
    """Map headers to columns, then parse every cell."""
    by_key = {header_key(c.name): c for c in spec.columns}
    parsed = Parsed(sheet.file, spec.name, [])
    positions: list[tuple[int, Column]] = []
    for i, header in enumerate(sheet.headers):
        column = by_key.get(header_key(header))
        if column is None:
            parsed.problems.append(Problem(sheet.file, sheet.header_row, header, None,
                                           f"{spec.name} has no column '{header}'; its columns are "
                                           + ", ".join(c.name for c in spec.importable)))
        elif column.name in MANAGED_COLUMNS:
            continue  # the database keeps row_version itself
        else:
            positions.append((i, column))
            parsed.columns.append(column.name)
    for name in spec.required_columns:
        if name not in parsed.columns:
            parsed.problems.append(Problem(sheet.file, sheet.header_row, name, None,
                                           "required column is missing (renamed or removed?)"))
    if parsed.problems:  # wrong headers: reading cells would only repeat the problem on every row
        return parsed
    parsed.numbers = list(sheet.numbers)
    for index, cells in enumerate(sheet.rows):
        record = {}
        for i, column in positions:
            text = cells[i]
            value, expected = parse_cell(column, text)
            if expected:
                parsed.add(index, column.name, text, expected)
            elif value is None and (column.required or column.name in spec.key):
                parsed.add(index, column.name, text, "a value is required")
            record[column.name] = value
        parsed.records.append(record)
    return parsed


@dataclass
class Reference:
    """What validation needs from the database, gathered by queries.imports."""

    existing: dict[tuple, dict]  # this table's rows by key
    keys: dict[tuple[str, tuple[str, ...]], set[tuple]]  # (table, columns) -> values present
    programme_of: dict[str, dict[tuple, str | None]]  # table -> {key: programme_id}
    programme_start: dict[str, dt.date]


@dataclass
class Plan:
    """What an import would do: full rows (the file's values over the existing row) and counts."""

    table: str
    rows: list[dict] = field(default_factory=list)
    programmes: list[str | None] = field(default_factory=list)
    versions: list[int | None] = field(default_factory=list)  # row_version seen, for updates
    actions: list[str] = field(default_factory=list)  # insert / update / unchanged

    def count(self, action: str) -> int:
        return self.actions.count(action)


def _key(record: dict, columns) -> tuple:
    return tuple(record.get(c) for c in columns)


def _same(a, b) -> bool:
    if type(a) is type(b) and a == b:
        return True
    return text_of(a) == text_of(b) or (isinstance(a, float) and isinstance(b, float) and a == b)


def programme_for(spec: TableSpec, row: dict, ref: Reference) -> str | None:
    if spec.has("programme_id"):
        return row.get("programme_id")
    for fk in spec.foreign_keys:
        mapping = ref.programme_of.get(fk.table)
        if mapping:
            return mapping.get(_key(row, fk.columns))
    return None


def merge(parsed: Parsed, spec: TableSpec, ref: Reference) -> Plan:
    """Full rows: the file's values over the existing row (a column the file leaves out keeps its
    value), and whether each row would be inserted, updated or left unchanged."""
    plan = Plan(spec.name)
    names = [c.name for c in spec.importable]
    for record in parsed.records:
        before = ref.existing.get(_key(record, spec.key))
        row = {n: (before or {}).get(n) for n in names}
        row.update(record)
        plan.rows.append(row)
        plan.programmes.append(programme_for(spec, row, ref))
        plan.versions.append(before.get("row_version") if before else None)
        if before is None:
            plan.actions.append("insert")
        elif all(_same(row[n], before.get(n)) for n in names):
            plan.actions.append("unchanged")
        else:
            plan.actions.append("update")
    return plan


def check_rows(parsed: Parsed, spec: TableSpec, ref: Reference, plan: Plan, actor: Actor,
               frozen: dict[str, tuple[str, str]] | None = None) -> None:
    """Row-level rules, added to parsed.problems: duplicate keys, UNIQUE, references, who may change
    what, frozen rows, and the forecast-before-start rule."""
    frozen = frozen or {}
    seen: dict[tuple, int] = {}
    for index, record in enumerate(parsed.records):
        key = _key(record, spec.key)
        if None in key:
            continue
        if key in seen:
            parsed.add(index, ", ".join(spec.key), ", ".join(map(str, key)),
                       f"this key also appears on row {parsed.numbers[seen[key]]}: each row needs its own key")
        else:
            seen[key] = index
    for unique in spec.uniques:
        if not set(unique) <= set(parsed.columns) and not ref.existing:
            continue
        owners = {}
        for pk, row in ref.existing.items():
            values = _key(row, unique)
            if None not in values:
                owners[values] = pk
        in_file: dict[tuple, int] = {}
        for index, row in enumerate(plan.rows):
            values = _key(row, unique)
            if None in values:
                continue
            pk = _key(row, spec.key)
            if values in in_file and _key(plan.rows[in_file[values]], spec.key) != pk:
                parsed.add(index, ", ".join(unique), ", ".join(map(str, values)),
                           f"the same {', '.join(unique)} as row {parsed.numbers[in_file[values]]}: they must be unique")
                continue
            in_file[values] = index
            owner = owners.get(values)
            if owner is not None and owner != pk and owner not in seen:
                parsed.add(index, ", ".join(unique), ", ".join(map(str, values)),
                           f"{spec.name} {', '.join(map(str, owner))} already has this "
                           f"{', '.join(unique)}: they must be unique")
    own_keys: dict[tuple[str, ...], set[tuple]] = {}
    for fk in spec.foreign_keys:
        known = ref.keys.get((fk.table, fk.referenced), set())
        if fk.table == spec.name:
            own_keys.setdefault(fk.referenced, {_key(r, fk.referenced) for r in plan.rows})
            known = known | own_keys[fk.referenced]
        for index, row in enumerate(plan.rows):
            values = _key(row, fk.columns)
            if None in values or values in known:
                continue
            parsed.add(index, ", ".join(fk.columns), ", ".join(map(str, values)),
                       f"there is no {fk.table} with {', '.join(fk.referenced)} "
                       f"'{', '.join(map(str, values))}' (check the spelling, or load the {fk.table} first)")
    denied: dict[str | None, str] = {}
    for index, row in enumerate(plan.rows):
        if plan.actions[index] == "unchanged":
            continue
        before = ref.existing.get(_key(row, spec.key))
        programmes = {plan.programmes[index]}
        if before is not None and spec.has("programme_id"):
            programmes.add(before.get("programme_id"))
        for programme in programmes:
            if programme not in denied:
                allowed, reason = may_write(actor, spec.name, programme)
                denied[programme] = "" if allowed else reason
            if denied[programme]:
                parsed.add(index, "programme_id" if spec.has("programme_id") else None, programme, denied[programme])
        rule = frozen.get(spec.name)
        if rule and before is not None and before.get(rule[0]) == rule[1]:
            parsed.add(index, rule[0], before.get(rule[0]),
                       f"this {spec.name} was {rule[1]} and can no longer be changed; add a corrected version instead")
    if spec.has("forecast_due_date"):
        for index, row in enumerate(plan.rows):
            start = ref.programme_start.get(plan.programmes[index])
            forecast = row.get("forecast_due_date")
            if start and forecast and forecast < start:
                parsed.add(index, "forecast_due_date", forecast.isoformat(),
                           f"the forecast is before the programme started ({format_date(start)})")


def describe_check(check: Check) -> str:
    """A CHECK rule in words, where we know one; otherwise the rule itself."""
    expr = check.expression.strip()
    m = re.fullmatch(r"\(?\(?\"?(\w+)\"? >= 0\)?\)?", expr)
    if m:
        return f"{m[1]} cannot be negative"
    m = re.fullmatch(r"\(?\(?\"?(\w+)\"? >= (\d+)\)?\)?", expr)
    if m:
        return f"{m[1]} must be at least {m[2]}"
    m = re.search(r"\"?(\w+)\"? BETWEEN (\d+) AND (\d+)", expr)
    if m:
        return f"{m[1]} must be between {m[2]} and {m[3]}"
    m = re.fullmatch(r"\(?\(\"?(\w+)\"? = '([^']+)'\) = \(\"?(\w+)\"? IS NOT NULL\)\)?", expr)
    if m:
        return f"{m[3]} must be given exactly when {m[1]} is '{m[2]}'"
    m = re.fullmatch(r"regexp_full_match\((\w+), '(.+)'\)", expr)
    if m:
        return f"{m[1]} must have the form {m[2]}"
    if "financial_year" in expr:
        return "financial_year must be two consecutive years, written like 2024/25"
    return f"breaks the rule {expr}"


def check_problems(parsed: Parsed, plan: Plan, spec: TableSpec, violations: list[tuple[int, int]]) -> None:
    """Add the database's CHECK failures: (record index, index into spec.checks)."""
    for index, check_index in violations:
        check = spec.checks[check_index]
        row = plan.rows[index]
        value = ", ".join(f"{c}={text_of(row.get(c)) or ''}" for c in check.columns)
        parsed.add(index, ", ".join(check.columns), value, describe_check(check))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """In file order: file-level first, then by row."""
    return sorted(problems, key=lambda p: (p.file, p.row or 0))


def problem_rows(problems: list[Problem]) -> list[dict]:
    """Problems as table rows for the page and the CLI."""
    return [{"file": p.file, "row": p.row, "column": p.column or "", "value": p.value or "",
             "problem": p.message} for p in problems]


Validator = Callable[[Parsed, Plan, TableSpec], list[tuple[int, int]]]

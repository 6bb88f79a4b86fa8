"""Checking a file before anything is written: every cell's type, the required columns and values,
ENUM values (here), then keys repeated inside the file, UNIQUE rules, references to rows that do
not exist, the programmes the person may change, submitted reports that can no longer change, and
the business rules the schema cannot state (`monitor.imports.rules`). The schema's CHECK rules are
evaluated by the database itself (queries.imports) and reported here with `check_problems`. Every
problem names the file, row, column and value, and says what was expected.

Rows are held by column (`monitor.imports.columns.Rows`) and each distinct text is parsed once, so a
100,000-row file costs little more than its distinct values; problems still name each row.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, count
from operator import itemgetter, ne

# parse_cell and text_of are imported from here too (templates, edits, tests): cells holds them.
from monitor.imports.cells import header_key, parse_cell, text_of, texts_of
from monitor.imports.columns import Rows, per_distinct
from monitor.imports.reading import Sheet
from monitor.imports.spec import MANAGED_COLUMNS, Check, Column, TableSpec
from monitor.imports.wording import check_sentence
from monitor.loaders.problems import Problem

# What a download of an upload's problems comes from (monitor.tidy.Origin).
SOURCE = "the file you uploaded, as checked against Improvement Monitor's import rules"


@dataclass
class Parsed:
    """A file's rows as typed values for the columns it has, with every problem found."""

    file: str
    table: str
    columns: list[str]  # the table's columns the file provides, in file order
    values: Rows = field(default_factory=lambda: Rows({}, 0))
    numbers: list[int] = field(default_factory=list)
    bad: set[int] = field(default_factory=set)  # indexes of records with a problem
    problems: list[Problem] = field(default_factory=list)

    @property
    def records(self) -> list[dict]:
        return self.values.records()

    def add(self, index: int | None, column: str | None, value, message: str) -> None:
        row = None if index is None else self.numbers[index]
        self.problems.append(Problem(self.file, row, column, None if value is None else str(value), message))
        if index is not None:
            self.bad.add(index)


def parse_sheet(sheet: Sheet, spec: TableSpec) -> Parsed:
    """Map headers to columns, then parse every cell (each distinct text of a column once)."""
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
    values: dict[str, list] = {}
    # Column by column: problems are sorted by row later (a stable sort), so each row's problems
    # still come in column order.
    for i, column in positions:
        texts = list(map(itemgetter(i), sheet.rows))
        outcome = {text: parse_cell(column, text) for text in dict.fromkeys(texts)}
        values[column.name] = list(map({t: v for t, (v, _) in outcome.items()}.__getitem__, texts))
        required = column.required or column.name in spec.key
        wrong = {t: expected or "a value is required" for t, (value, expected) in outcome.items()
                 if expected or (value is None and required)}
        if wrong:
            for index, text in enumerate(texts):
                if text in wrong:
                    parsed.add(index, column.name, text, wrong[text])
    parsed.values = Rows(values, len(sheet.rows))
    return parsed


@dataclass
class Reference:
    """What validation needs from the database, gathered by queries.imports."""

    existing: Rows  # this table's stored rows (those with the file's keys, or all of them)
    keys: dict[tuple[str, tuple[str, ...]], set[tuple]]  # (table, columns) -> values present
    programme_of: dict[str, dict[tuple, str | None]]  # table -> {key: programme_id}
    programme_start: dict[str, dt.date]
    party_councils: dict[str, frozenset[str]] = field(default_factory=dict)  # programme -> its councils
    council_names: dict[str, str] = field(default_factory=dict)  # ons_code -> authority name


@dataclass
class Plan:
    """What an import would do: full rows (the file's values over the existing row) and counts."""

    table: str
    data: Rows = field(default_factory=lambda: Rows({}, 0))  # the full rows, by column
    programmes: list[str | None] = field(default_factory=list)
    versions: list[int | None] = field(default_factory=list)  # row_version seen, for updates
    actions: list[str] = field(default_factory=list)  # insert / update / unchanged
    found: list[int | None] = field(default_factory=list)  # each row's place in Reference.existing

    @cached_property
    def rows(self) -> list[dict]:
        """The full rows as dicts (built on first use: the bulk path never needs them)."""
        return self.data.records()

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


def programmes_of(spec: TableSpec, rows: Rows, ref: Reference) -> list[str | None]:
    """`programme_for` of every row."""
    if spec.has("programme_id"):
        return list(rows.get("programme_id"))
    for fk in spec.foreign_keys:
        mapping = ref.programme_of.get(fk.table)
        if mapping and len(fk.columns) == 1:
            return per_distinct(rows.get(fk.columns[0]), lambda v: mapping.get((v,)))
        if mapping:
            return list(map(mapping.get, rows.keys(fk.columns)))
    return [None] * len(rows)


def merge(parsed: Parsed, spec: TableSpec, ref: Reference) -> Plan:
    """Full rows: the file's values over the existing row (a column the file leaves out keeps its
    value), and whether each row would be inserted, updated or left unchanged."""
    given = parsed.values
    names = [c.name for c in spec.importable]
    found = [None] * len(given)
    if len(ref.existing):
        found = list(map(ref.existing.index(spec.key).get, given.keys(spec.key)))
    columns = {n: given.columns[n] if n in given.columns else ref.existing.at(n, found) for n in names}
    columns.update({n: c for n, c in given.columns.items() if n not in columns})  # as dict.update would
    data = Rows(columns, len(given))
    differs = [False] * len(given)
    if found.count(None) < len(found):  # some rows are stored: compare the file's columns with them
        for name in names:
            if name not in given.columns:
                continue  # the stored value, kept, is the same as itself
            new, old = columns[name], ref.existing.at(name, found)
            # Equal canonical texts are the same value; only where they differ is `_same` asked.
            for i in compress(count(), map(ne, texts_of(new), texts_of(old))):
                if found[i] is not None and not differs[i] and not _same(new[i], old[i]):
                    differs[i] = True
    return Plan(spec.name, data, programmes_of(spec, data, ref), ref.existing.at("row_version", found),
                ["insert" if p is None else "update" if d else "unchanged" for p, d in zip(found, differs)], found)


def describe_check(check: Check, spec: TableSpec | None = None) -> str:
    """A CHECK rule in plain English (monitor.imports.wording: the templates say it the same way)."""
    return check_sentence(check, {c.name: c.kind for c in spec.columns} if spec else None)


def check_problems(parsed: Parsed, plan: Plan, spec: TableSpec, violations: list[tuple[int, int]]) -> None:
    """Add the database's CHECK failures: (record index, index into spec.checks)."""
    for index, check_index in violations:
        check = spec.checks[check_index]
        value = ", ".join(f"{c}={text_of(plan.data.get(c)[index]) or ''}" for c in check.columns)
        parsed.add(index, ", ".join(check.columns), value, describe_check(check, spec))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """In file order: file-level first, then by row."""
    return sorted(problems, key=lambda p: (p.file, p.row or 0))


def problem_rows(problems: list[Problem]) -> list[dict]:
    """Problems as table rows for the page and the CLI."""
    return [{"file": p.file, "row": p.row, "column": p.column or "", "value": p.value or "",
             "problem": p.message} for p in problems]


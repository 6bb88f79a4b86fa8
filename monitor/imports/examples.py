"""Example rows for a template when the programme has none of its own: made for that programme from
the table's rules (monitor.imports.spec), so that they pass every check an import makes — types,
allowed values, required columns, keys no row already has, references to rows that exist, and the
schema's CHECK rules (evaluated by monitor.imports.expressions on each row before it is offered).

A reference to a table the programme has no rows of points at that table's own example rows (made
here the same way, with the same keys): import the parent's template first, as the Data page's
table list runs, parents first. Text says "Example …" and the source is 'illustrative'.
"""
from __future__ import annotations

import datetime as dt
import decimal
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from monitor.imports.evaluation import holds
from monitor.imports.expressions import ExpressionError, Lit, parse
from monitor.imports.patterns import parse_pattern, pattern_example
from monitor.imports.spec import Column, TableSpec
from monitor.periods import financial_year, quarter_of

ATTEMPTS = 40  # keys tried before giving up on a row (each taken key moves on to the next)


@dataclass(frozen=True)
class Context:
    """What the example rows of one programme need from the database (queries.imports gives it)."""

    programme_id: str
    today: dt.date
    # (table, columns) -> the values of those columns in the programme's rows of that table
    references: Callable[[str, tuple[str, ...]], list[tuple]]
    # (table, key) -> whether a row with that key exists
    exists: Callable[[str, tuple], bool]


def example_rows(table: str, specs: dict[str, TableSpec], context: Context, n: int = 2,
                 depth: int = 0, needs: list[str] | None = None) -> list[dict]:
    """Up to `n` rows of `table` for `context.programme_id` that keep the table's rules; [] when a
    required reference has nothing to point at. The tables whose example rows they refer to are
    added to `needs` (their templates are to be imported first)."""
    spec = specs[table]
    choices: dict[tuple[str, ...], list[tuple]] = {}
    for fk in spec.foreign_keys:
        if fk.table == table:
            continue  # a row referring to another of its table (a correction) is left without
        found = list(context.references(fk.table, fk.referenced))
        if not found and fk.table in specs and depth < 4:
            found = [tuple(r[c] for c in fk.referenced)
                     for r in example_rows(fk.table, specs, context, n, depth + 1, needs)]
            if found and needs is not None and fk.table not in needs:
                needs.append(fk.table)
        choices[fk.columns] = found
    keyed = [cols for cols in choices if set(cols) & set(spec.key)]
    combos = list(itertools.product(*(range(len(choices[c])) for c in keyed)))
    if not combos:
        return []
    checks = []
    for check in spec.checks:
        try:
            checks.append(parse(check.expression))
        except ExpressionError:
            return []  # a rule we cannot read: no example rather than one that might break it
    rows: list[dict] = []
    keys: set[tuple] = set()
    for attempt in range(ATTEMPTS):
        if len(rows) == n:
            break
        combo, turn = combos[attempt % len(combos)], attempt // len(combos)
        row = _row(spec, context, choices, dict(zip(keyed, combo)), len(rows) + 1, attempt + 1, turn)
        if row is None:
            return rows
        key = tuple(row[c] for c in spec.key)
        if key in keys or None in key or context.exists(table, key):
            continue
        if _keep_rules(spec, row, checks, context):
            keys.add(key)
            rows.append(row)
    return _as_a_whole(table, rows)


def _as_a_whole(table: str, rows: list[dict]) -> list[dict]:
    """Rows that keep the data rules about rows together (queries/checks/): the shares of one shared
    cost in one year add up to 100%, so the example rows are one cost split between councils."""
    if table == "cost_share" and len(rows) > 1:
        first, share = rows[0], round(100 / len(rows), 2)
        rows = [{**r, "cost_item": first["cost_item"], "financial_year": first["financial_year"],
                 "share_pct": share, "start_date": first.get("start_date"), "end_date": first.get("end_date")}
                for r in rows]
        rows[-1]["share_pct"] = round(100 - share * (len(rows) - 1), 2)
    return rows


def _row(spec: TableSpec, context: Context, choices: dict, keyed: dict, number: int, serial: int,
         turn: int) -> dict | None:
    row: dict = {}
    for cols, found in choices.items():
        if not found:
            if any(spec.column(c).required or c in spec.key for c in cols):
                return None
            continue
        pick = found[keyed[cols]] if cols in keyed else found[(number - 1) % len(found)]
        row.update(zip(cols, pick))
    referring = {c for fk in spec.foreign_keys for c in fk.columns}
    for column in spec.importable:
        if column.name in row:
            continue
        if column.name in referring:
            row[column.name] = None  # a reference with nothing chosen (optional, or to its own table)
        elif column.name in spec.key:
            row[column.name] = _key_value(spec, column, context, serial, turn)
        else:
            row[column.name] = _value(spec, column, context, number)
    return row


def _key_value(spec: TableSpec, column: Column, context: Context, serial: int, turn: int):
    if column.kind == "enum":
        return column.allowed[turn % len(column.allowed)]
    if column.kind == "date":
        return context.today - dt.timedelta(days=turn)
    if column.kind == "integer":
        return serial
    return f"{context.programme_id}-example-{spec.name.replace('_', '-')}-{serial}"


def _value(spec: TableSpec, column: Column, context: Context, number: int):
    """A plain value for a column that is not part of the key: the first allowed value, FALSE,
    today, a small number, "Example …" text; optional dates, times and numbers of checked columns
    left empty (filled in only if a rule asks for them)."""
    name, kind = column.name, column.kind
    if kind == "boolean":
        return False
    if column.has_default:
        return None
    checked = any(name in c.columns for c in spec.checks)
    if kind == "enum":
        return column.allowed[0]
    if kind in ("date", "timestamp", "integer") or (checked and not column.required):
        return _filler(column, context, number) if column.required else None
    return _filler(column, context, number)


def _filler(column: Column, context: Context, number: int):
    name, kind = column.name, column.kind
    if kind == "date":
        return context.today
    if kind == "timestamp":
        return dt.datetime.combine(context.today, dt.time(9, 0))
    if kind == "integer":
        return 1
    if kind == "decimal":
        return decimal.Decimal(1000).quantize(decimal.Decimal(1).scaleb(-(column.scale or 0)))
    if kind == "number":
        return 1.0
    if kind == "enum":
        return column.allowed[0]
    if name == "source":
        return "illustrative"
    if name == "financial_year":
        return financial_year(context.today)
    if name == "quarter_label":
        return quarter_of(context.today)
    if name.endswith("_json"):
        return "{}"
    words = name.removesuffix("_id").removesuffix("_name").replace("_", " ")
    return f"Example {words} {number}"


def _keep_rules(spec: TableSpec, row: dict, checks: list, context: Context) -> bool:
    """Make the row keep every CHECK rule by changing one of the rule's columns (not the key, not a
    reference): to empty, another allowed value, or a value the rule's pattern matches."""
    fixed = set(spec.key) | {c for fk in spec.foreign_keys for c in fk.columns}
    for check, node in zip(spec.checks, checks):
        if holds(node, row):
            continue
        for name in check.columns:
            if name in fixed or not spec.has(name):
                continue
            kept = [other for other in checks if other is not node and holds(other, row)]
            for value in _candidates(spec.column(name), check.expression, context):
                trial = {**row, name: value}
                if holds(node, trial) and all(holds(other, trial) for other in kept):
                    row[name] = value
                    break
            if holds(node, row):
                break
        if not holds(node, row):
            return False
    return all(holds(node, row) for node in checks)


def _candidates(column: Column, expression: str, context: Context) -> list:
    out = [None] if column.nullable else []
    out += list(column.allowed)
    out.append(_filler(column, context, 1))
    if column.kind == "text":
        for pattern in _patterns(expression):
            try:
                parse_pattern(pattern)
                out.append(pattern_example(pattern))
            except (ExpressionError, StopIteration):
                continue
    if column.kind in ("integer", "number", "decimal"):
        out += [0, 1, 5, 50, 100]
    return out


def _patterns(expression: str) -> list[str]:
    """The literal texts of a rule (its patterns among them)."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, Lit) and isinstance(node.value, str):
            found.append(node.value)
        elif isinstance(node, tuple):
            for x in node:
                walk(x)
        elif hasattr(node, "__dataclass_fields__"):
            for field in node.__dataclass_fields__:
                walk(getattr(node, field))

    walk(parse(expression))
    return found

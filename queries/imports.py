"""The Data page's imports and `make import`: read a file, check it against its table (rules from
the live catalogue), and write it through `queries.write` in one transaction.

    validation = validate_upload(name, data, actor=actor)        # nothing written
    if validation.ok: result = run_import(validation, actor=actor)

Also the official files as published: Ofsted's (through queries.ofsted_reload) and DfE's statistics
(through monitor.loaders.dfe). Table and column names come only from the catalogue; values are
bound, never formatted into SQL. On PostgreSQL the rules come from the data model's one definition
(queries.loader.MODEL_QUERIES) and the CHECK rules are evaluated by the model's DuckDB before anything
is written; PostgreSQL enforces the same rules again as the rows go in. The rows the Data page offers
(template examples, the editor's rows) are read by queries.import_rows.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor.formatting import counted
from monitor.changes import Change
from monitor.imports import reading
from monitor.imports.spec import IMPORT_TABLES, TableSpec, infer_table
from monitor.imports.cells import texts_of
from monitor.imports.columns import MISSING, Rows
from monitor.imports.rules import check_rows
from monitor.imports.validate import Parsed, Plan, Reference, check_problems, merge, parse_sheet, sort_problems
from monitor.loaders.d2i import is_d2i_header
from monitor.loaders.problems import LoadError, Problem
from monitor.loaders.reading import header_key
from monitor.permissions import Actor, may_write
from queries import catalog
from queries.db import connect, target
from queries.pg import is_postgres
from queries.schema import model_connection
from queries.rows import quote as _q
from queries.rows import rows_by_keys, table_rows
from queries.import_rows import current_rows, editable_rows, example_context, example_rows  # noqa: F401 - imported from here
from queries.import_rows import programme_maps, table_specs
from queries.write import FROZEN_ROWS, RuleBroken, WriteRefused, WriteResult, write, write_table

DFE_HEADERS = {"time_period", "geographic_level", "new_la_code"}
OFSTED_HEADERS = {"inspection/visit type", "inspection type", "la region"}


@dataclass
class Validation:
    """The outcome of checking one file: its problems (empty when it may be imported) and what the
    import would do."""

    file: str
    table: str | None
    problems: list[Problem] = field(default_factory=list)
    plan: Plan | None = None
    kind: str = "table"  # table, ofsted, dfe
    changes: list[Change] = field(default_factory=list)  # Ofsted re-load
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        if self.kind == "ofsted":
            acts = [c.action for c in self.changes if c.table != "data_source"]
            return {"insert": acts.count("insert"), "update": acts.count("update"),
                    "delete": acts.count("delete"), "unchanged": max(self.rows - len(acts), 0)}
        if self.plan is None:
            return {"insert": 0, "update": 0, "unchanged": 0}
        return {a: self.plan.count(a) for a in ("insert", "update", "unchanged")}

    def summary(self) -> str:
        c = self.counts()
        text = f"{c['insert']:,} to insert, {c['update']:,} to update, {c['unchanged']:,} unchanged"
        return text + (f", {c['delete']:,} to delete" if c.get("delete") else "")


def reference(spec: TableSpec, specs: dict[str, TableSpec], db=None, parsed: Parsed | None = None) -> Reference:
    """What checking a file for `spec.name` needs from the database: the stored rows with the
    file's keys (all rows when `parsed` is None, or when the table has UNIQUE rules to check)."""
    with connect(db).cursor() as cur:
        if parsed is None or spec.uniques:
            existing = table_rows(cur, spec.name)
        else:
            existing = rows_by_keys(cur, spec.name, list(spec.key),
                                    {c: texts_of(parsed.values.get(c)) for c in spec.key})
        keys: dict[tuple[str, tuple[str, ...]], set[tuple]] = {}
        for fk in spec.foreign_keys:
            cols = ", ".join(map(_q, fk.referenced))
            keys[(fk.table, fk.referenced)] = set(cur.execute(f"SELECT DISTINCT {cols} FROM {_q(fk.table)}").fetchall())
        maps = programme_maps(cur, spec, specs)
        starts = dict(cur.execute("SELECT programme_id, start_date FROM programme").fetchall())
        parties: dict[str, set] = {}
        for programme, code in cur.execute("SELECT DISTINCT programme_id, ons_code FROM programme_party").fetchall():
            parties.setdefault(programme, set()).add(code)
        parties = {p: frozenset(codes) for p, codes in parties.items()}
        names = dict(cur.execute("SELECT ons_code, authority_name FROM authority").fetchall())
    return Reference(existing, keys, maps, starts, parties, names)


def check_violations(parsed: Parsed, plan: Plan, spec: TableSpec, db=None) -> list[tuple[int, int]]:
    """The schema's CHECK rules, evaluated by the database on the rows as they would be written:
    [(record index, check index)]. Rows that already have a problem are skipped."""
    if not spec.checks:
        return []
    good = [i for i in range(len(plan.data)) if i not in parsed.bad]
    if not good:
        return []
    columns = [c for c in spec.importable]
    rows = plan.data.subset(good)
    frame = pd.DataFrame({"__i": pd.Series(good, dtype="int64"),
                          **{c.name: pd.Series(texts_of(rows.get(c.name)), dtype=object)
                             for c in columns}})
    casts = ", ".join(f"TRY_CAST(r.{_q(c.name)} AS {c.cast_type}) AS {_q(c.name)}" for c in columns)
    tests = ", ".join(f"NOT coalesce(({check.expression}), true) AS c{n}" for n, check in enumerate(spec.checks))
    any_failed = " OR ".join(f"c{n}" for n in range(len(spec.checks)))
    sql = (f"SELECT * FROM (SELECT __i, {tests} FROM (SELECT r.__i, {casts} FROM _import_rows AS r)) "
           f"WHERE {any_failed} ORDER BY __i")
    # The model's own engine evaluates the rules as written in data/schema.sql, on either database.
    engine = model_connection() if is_postgres(target(db)) else connect(db)
    with engine.cursor() as cur:
        cur.register("_import_rows", frame)
        try:
            found = cur.execute(sql).fetchall()
        finally:
            cur.unregister("_import_rows")
    return [(row[0], n) for row in found for n, failed in enumerate(row[1:]) if failed]


def validate_sheet(sheet: reading.Sheet, spec: TableSpec, specs: dict[str, TableSpec], *, actor: Actor,
                   db=None) -> Validation:
    parsed = parse_sheet(sheet, spec)
    if parsed.problems and not len(parsed.values):
        return Validation(sheet.file, spec.name, sort_problems(parsed.problems), rows=len(sheet.rows))
    ref = reference(spec, specs, db, parsed)
    plan = merge(parsed, spec, ref)
    check_rows(parsed, spec, ref, plan, actor, FROZEN_ROWS)
    check_problems(parsed, plan, spec, check_violations(parsed, plan, spec, db))
    if not parsed.problems:  # the data rules, over the database as the import would leave it
        parsed.problems += rule_problems(sheet.file, plan, parsed.numbers, list(spec.key), actor, db)
    return Validation(sheet.file, spec.name, sort_problems(parsed.problems), plan, rows=len(sheet.rows))


def validate_upload(name: str, data: bytes, *, actor: Actor, table: str | None = None, db=None,
                    max_bytes: int = reading.MAX_BYTES, max_rows: int = reading.MAX_ROWS,
                    max_unpacked: int = reading.MAX_UNPACKED, max_cells: int = reading.MAX_CELLS) -> Validation:
    """Check an uploaded file completely; nothing is written."""
    name = Path(name).name or "upload"
    specs = table_specs(db)
    if table is not None and table not in IMPORT_TABLES and table != "dfe_statistic":
        return Validation(name, None, [Problem(name, None, None, table,
                                               "not a table you can import; the tables are " + ", ".join(IMPORT_TABLES))])
    sheet, problems = reading.read_upload(name, data, max_bytes=max_bytes, max_rows=max_rows, sheet=table,
                                          max_unpacked=max_unpacked, max_cells=max_cells)
    if sheet is None:
        return Validation(name, table, problems)
    keys = {header_key(h) for h in sheet.headers}
    if table is None and ((keys & OFSTED_HEADERS and not name.lower().endswith((".xlsx", ".xlsm")))
                          or (sheet.sheet is not None and is_d2i_header(keys))):  # Data to Insight's workbook
        return _validate_ofsted(name, data, actor, db, len(sheet.rows))
    if (table is None or table == "dfe_statistic") and DFE_HEADERS <= keys:
        return _validate_dfe(name, data, specs, actor, db)
    if table is None:
        table, why = infer_table(sheet.headers, specs)
        if table is None:
            if sheet.sheet:
                why += (f" (sheet '{sheet.sheet}' was read: put the rows on a sheet named "
                        f"'{reading.DATA_SHEET}', or first in the workbook)")
            return Validation(name, None, [*problems, Problem(name, sheet.header_row, None, None, why)])
    result = validate_sheet(sheet, specs[table], specs, actor=actor, db=db)
    result.problems = sort_problems([*problems, *result.problems])
    return result


def _with_file(name: str, data: bytes, load):
    with tempfile.TemporaryDirectory(prefix="monitor-import-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return load(path)


def _validate_ofsted(name: str, data: bytes, actor: Actor, db, rows: int) -> Validation:
    from queries.ofsted_reload import plan_from_files

    try:
        changes = _with_file(name, data, lambda p: plan_from_files([p], db=db))
    except LoadError as exc:
        return Validation(name, "ofsted_inspection", sort_problems(exc.problems), kind="ofsted")
    validation = Validation(name, "ofsted_inspection", [], kind="ofsted", changes=changes, rows=rows)
    refusals = dict.fromkeys(reason for c in changes for ok, reason in [may_write(actor, c.table, None)] if not ok)
    if refusals:  # Ofsted's published outcomes are an official national table: administrators load them
        counts = validation.counts()
        validation.problems = [Problem(name, None, None, None, f"the file would insert {counts['insert']:,}, "
                                       f"update {counts['update']:,} and delete {counts.get('delete', 0):,} rows of "
                                       f"Ofsted's published inspections: {reason}") for reason in refusals]
    return validation


def _validate_dfe(name: str, data: bytes, specs, actor: Actor, db) -> Validation:
    from monitor.loaders.dfe import load_dfe_statistics

    try:
        frame = _with_file(name, data, load_dfe_statistics)
    except LoadError as exc:
        return Validation(name, "dfe_statistic", sort_problems(exc.problems), kind="dfe")
    spec = specs["dfe_statistic"]
    records = [{k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in r.items()}
               for r in frame.to_dict("records")]
    parsed = Parsed(name, spec.name, list(frame.columns), Rows.from_records(records, list(frame.columns)),
                    list(range(2, len(records) + 2)))
    ref = reference(spec, specs, db, parsed)
    plan = merge(parsed, spec, ref)
    check_rows(parsed, spec, ref, plan, actor, FROZEN_ROWS)
    return Validation(name, spec.name, sort_problems(parsed.problems), plan, kind="dfe", rows=len(records))


def run_import(validation: Validation, *, actor: Actor, db=None, note: str | None = None) -> WriteResult:
    """Write a checked file in one transaction (queries.write). Raises WriteRefused (nothing
    written) if the database refuses, or ValueError if the file has problems."""
    if not validation.ok:
        raise ValueError(f"{validation.file} has {counted(len(validation.problems), 'problem')}; nothing was written")
    note = note or f"import of {validation.file}"
    if validation.kind == "ofsted":
        if validation.changes:
            write(validation.changes, actor=actor, note=note, db=db)
        # The counts are the file's inspection rows (not the data_source row that lists the file).
        counts = validation.counts()
        return WriteResult(inserted=counts["insert"], updated=counts["update"], unchanged=counts["unchanged"],
                           deleted=counts["delete"])
    return _write_plan(validation.plan, actor=actor, db=db, note=note)


def _write_plan(plan: Plan, *, actor: Actor, db=None, note: str = "", check_only: bool = False) -> WriteResult:
    """Write the rows of a plan that change something (queries.write.write_table), or with
    `check_only` do it all, data rules included, and roll back."""
    todo = [i for i, a in enumerate(plan.actions) if a != "unchanged"]
    result = WriteResult(unchanged=len(plan.actions) - len(todo))
    if not todo:
        return result
    every = len(todo) == len(plan.actions)  # then the plan's own lists, not copies
    written = write_table(plan.table, plan.data.subset(todo), actor=actor,
                          programmes=plan.programmes if every else [plan.programmes[i] for i in todo],
                          expected_versions=plan.versions if every else [plan.versions[i] for i in todo],
                          note=note, db=db, check_only=check_only)
    written.unchanged += result.unchanged
    return written


def rule_problems(name: str, plan: Plan, numbers: list[int], pk: list[str], actor: Actor, db=None) -> list[Problem]:
    """The data rules (queries/checks/) the file's rows would break, each located at the file's rows
    (and the rule's column) — found by doing the whole write in a transaction and rolling it back."""
    try:
        _write_plan(plan, actor=actor, db=db, check_only=True)
    except RuleBroken as exc:
        columns = set(plan.data.names)
        texts = {c: ["" if v is None or v is MISSING else str(v) for v in plan.data.get(c)] for c in columns}
        keys = {"/".join(texts[c][i] for c in pk): i for i in range(len(plan.data))}
        # The file's rows by the values of the columns a violation names, indexed once per set of
        # columns: looking each violation up among every row was rows × violations (a 100,000-row
        # file breaking a rule on every row would take hours to report).
        by_values: dict[tuple, dict[tuple, list[int]]] = {}

        def rows_with(named: tuple, found) -> list[int]:
            index = by_values.get(named)
            if index is None:
                index = by_values[named] = {}
                for i, values in enumerate(zip(*(texts[c] for c in named))):
                    index.setdefault(values, []).append(i)
            return index.get(tuple(found[c] for c in named), [])

        problems = []
        for broken in exc.broken:
            for found in broken.rows:
                if found.get("row_key") in keys:  # a rule on each row's source
                    rows = [keys[found["row_key"]]]
                else:  # the rows whose own values the violation names (a group rule names several)
                    named = tuple(c for c in found if c in columns)
                    rows = rows_with(named, found) if named else []
                words = (f"breaks the rule “{broken.check.rule}” ({broken.check.name}): "
                         + ", ".join(f"{k} {v}" for k, v in found.items() if v != ""))
                problems += [Problem(name, numbers[i] if i < len(numbers) else None, broken.check.column,
                                     texts.get(broken.check.column, [None] * (i + 1))[i], words) for i in rows] \
                    or [Problem(name, None, broken.check.column, None, words)]
        return problems
    except WriteRefused as exc:  # refused before any rule was reached (the row checks above found none)
        return [Problem(name, None, None, None, str(exc))]
    return []


def import_upload(name: str, data: bytes, *, actor: Actor, table: str | None = None, db=None,
                  note: str | None = None) -> tuple[Validation, WriteResult | None]:
    """Check, then (only when there is no problem) import. Returns (validation, result or None)."""
    validation = validate_upload(name, data, actor=actor, table=table, db=db)
    if not validation.ok:
        return validation, None
    return validation, run_import(validation, actor=actor, db=db, note=note)


def table_checksums(db=None, tables: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """{table: (rows, order-independent hash of every row)}: two databases with the same checksums
    hold the same rows (the crash and corpus tests compare these before and after)."""
    with connect(db).cursor() as cur:
        return {name: catalog.checksum(cur, name) for name in tables or catalog.tables(cur)}

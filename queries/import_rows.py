"""The rows of the importable tables as the Data page offers them, by programme: every table's rules
from the catalogue, which programme a row belongs to (through the parents that say it), the
template's example rows (real rows that import unchanged, else rows made to keep every rule), the
editor's rows as opened, and every row now for the editor's conflict check."""
from __future__ import annotations

import pandas as pd

from monitor import clock
from monitor.imports import examples
from monitor.imports.columns import Rows
from monitor.imports.spec import IMPORT_TABLES, TableSpec, specs_from_catalogue
from monitor.imports.validate import Reference, programme_for
from monitor.permissions import PROGRAMME_TABLES, REPORT_TABLE
from queries.db import connect
from queries.loader import run
from queries.rows import quote as _q


def table_specs(db=None) -> dict[str, TableSpec]:
    """Every table's rules, from the database's own catalogue."""
    return specs_from_catalogue(run("data/import_columns", db=db), run("data/import_constraints", db=db))


def all_rows(cur, table: str) -> list[dict]:
    res = cur.execute(f"SELECT * FROM {_q(table)}")
    names = [d[0] for d in res.description]
    return [dict(zip(names, values)) for values in res.fetchall()]


def programme_maps(cur, spec: TableSpec, specs: dict[str, TableSpec]) -> dict[str, dict[tuple, str | None]]:
    """{parent table: {key: programme_id}} for the parents that tell a row's programme."""
    maps: dict[str, dict[tuple, str | None]] = {}

    def mapping(table: str, depth: int = 0) -> dict[tuple, str | None] | None:
        if table in maps:
            return maps[table]
        parent = specs.get(table)
        if parent is None or depth > 4:
            return None
        rows = all_rows(cur, table)
        if parent.has("programme_id"):
            maps[table] = {tuple(r[c] for c in parent.key): r["programme_id"] for r in rows}
            return maps[table]
        for fk in parent.foreign_keys:
            if fk.table == table:
                continue
            above = mapping(fk.table, depth + 1)
            if above:
                maps[table] = {tuple(r[c] for c in parent.key): above.get(tuple(r[c] for c in fk.columns))
                               for r in rows}
                return maps[table]
        return None

    for fk in spec.foreign_keys:
        if fk.table != spec.name:
            mapping(fk.table)
    return maps


def _programme_rows(spec: TableSpec, specs: dict[str, TableSpec], programme_ids: set[str] | None,
                    db=None) -> list[dict]:
    """Rows of `spec.name` belonging to `programme_ids` (None: every row). Rows with no programme
    (national records: Ofsted, directions) belong to the programmes whose councils they concern."""
    with connect(db).cursor() as cur:
        rows = all_rows(cur, spec.name)
        if programme_ids is None:
            return rows
        maps = programme_maps(cur, spec, specs)
        councils = {r[0] for r in cur.execute(
            "SELECT DISTINCT ons_code FROM programme_party WHERE programme_id IN (SELECT unnest(CAST($p AS VARCHAR[])))",
            {"p": sorted(programme_ids)}).fetchall()}
        inspections = {r[0] for r in cur.execute("SELECT inspection_id FROM ofsted_inspection "
                                                 "WHERE ons_code IN (SELECT unnest(CAST($c AS VARCHAR[])))",
                                                 {"c": sorted(councils)}).fetchall()}
    ref = Reference(Rows({}, 0), {}, maps, {})
    out = []
    for row in rows:
        programme = programme_for(spec, row, ref)
        if programme is not None or spec.has("programme_id"):
            keep = programme in programme_ids
        elif "ons_code" in row:
            keep = row["ons_code"] in councils
        elif "inspection_id" in row:
            keep = row["inspection_id"] in inspections
        else:
            keep = False
        if keep:
            out.append(row)
    return out


def example_rows(table: str, programme_ids: set[str] | None, db=None, n: int = 2) -> pd.DataFrame:
    """The template's example rows, each of which imports with no problem: up to `n` real rows of
    `table` from these programmes (None: all), which an import leaves unchanged; else, for a table a
    programme officer maintains, rows made for the first of them that keep every rule
    (monitor.imports.examples); else real rows of any programme (an official or report table, which
    the officer reads but does not load)."""
    specs = table_specs(db)
    spec = specs[table]
    names = [c.name for c in spec.importable]
    rows = _programme_rows(spec, specs, programme_ids, db)
    if rows:
        return pd.DataFrame(rows[:n], columns=[c.name for c in spec.columns])[names]
    if table in PROGRAMME_TABLES and table != REPORT_TABLE:
        programme = min(programme_ids) if programme_ids else _first_programme(db)
        needs: list[str] = []
        made = examples.example_rows(table, specs, example_context(programme, specs, db), n,
                                     needs=needs) if programme else []
        if made:
            frame = pd.DataFrame(made, columns=names)
            frame.attrs["needs"] = needs  # the tables whose example rows these refer to
            return frame
    rows = _programme_rows(spec, specs, None, db) if programme_ids is not None else rows
    return pd.DataFrame(rows[:n], columns=[c.name for c in spec.columns])[names]


def _first_programme(db=None) -> str | None:
    with connect(db).cursor() as cur:
        row = cur.execute("SELECT min(programme_id) FROM programme").fetchone()
    return row[0] if row else None


def example_context(programme_id: str, specs: dict[str, TableSpec], db=None) -> examples.Context:
    """What made example rows need: the programme's rows each reference may point at, and whether
    a key is taken."""

    def references(table: str, columns: tuple[str, ...]) -> list[tuple]:
        with connect(db).cursor() as cur:
            if table == "programme":
                found = cur.execute("SELECT programme_id FROM programme WHERE programme_id = $p",
                                    {"p": programme_id}).fetchall()
                return [tuple(r[0] for _ in columns) for r in found] if columns == ("programme_id",) else []
            if table == "authority":
                found = cur.execute("SELECT DISTINCT ons_code FROM programme_party WHERE programme_id = $p "
                                    "ORDER BY ons_code", {"p": programme_id}).fetchall()
                return [tuple(r[0] for _ in columns) for r in found] if columns == ("ons_code",) else []
            if table not in IMPORT_TABLES:
                cols = ", ".join(map(_q, columns))
                return [tuple(r) for r in cur.execute(f"SELECT DISTINCT {cols} FROM {_q(table)} ORDER BY {cols}").fetchall()]
        parent = specs[table]
        rows = sorted(_programme_rows(parent, specs, {programme_id}, db),
                      key=lambda r: tuple(str(r[c]) for c in parent.key))
        return list(dict.fromkeys(tuple(r[c] for c in columns) for r in rows))

    def exists(table: str, key: tuple) -> bool:
        spec = specs[table]
        where = " AND ".join(f"{_q(c)} = ?" for c in spec.key)
        with connect(db).cursor() as cur:
            return bool(cur.execute(f"SELECT count(*) FROM {_q(table)} WHERE {where}", list(key)).fetchone()[0])

    return examples.Context(programme_id, clock.today(), references, exists)


def editable_rows(table: str, programme_id: str, db=None) -> pd.DataFrame:
    """The rows of `table` for one programme, as the table editor opens them (row_version included)."""
    specs = table_specs(db)
    spec = specs[table]
    rows = _programme_rows(spec, specs, {programme_id}, db)
    names = [c.name for c in spec.columns]
    frame = pd.DataFrame(rows, columns=names)
    for column in spec.columns:
        if column.kind == "date":
            frame[column.name] = pd.to_datetime(frame[column.name]).dt.date.astype(object)
        elif column.kind == "decimal":
            frame[column.name] = frame[column.name].map(lambda v: None if v is None else float(v)).astype("float64")
    return frame.sort_values(list(spec.key)).reset_index(drop=True) if len(frame) else frame


def current_rows(table: str, db=None) -> dict[tuple, dict]:
    """Every row of `table` by key, as it is now (for the editor's conflict check)."""
    spec = table_specs(db)[table]
    with connect(db).cursor() as cur:
        return {tuple(r[c] for c in spec.key): r for r in all_rows(cur, table)}

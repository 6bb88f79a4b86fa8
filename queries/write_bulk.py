"""The bulk write: one table, many rows (the Data page's imports and `make import`). Same rules as
`queries.write.write` — one transaction, a change_log row per changed row, the data version bumped
only when something changed, roles checked per programme, submitted reports frozen, row versions
compared — with set-based SQL, and Python work per column and per distinct value
(monitor.imports.columns), so 100,000 rows take about a second."""
from __future__ import annotations

import datetime as dt
from functools import partial

from monitor import clock
from monitor.imports import upsert
from monitor.imports.columns import MISSING, Rows, json_objects
from monitor.changes import Change
from monitor.permissions import REPORT_TABLE, Actor
from queries import catalog
from queries.checks import checks_for, violations
from queries.db import connect, forget_data_version
from queries.rows import cast_text, column_types, key_match, registered, stored_rows, text_frame
from queries.rows import quote as _q
from queries.write_rules import Councils, WriteRefused, actor_now, check_reports, check_texts
from queries.write_transaction import FROZEN_ROWS, SYSTEM_TABLES, WriteResult, _keep_the_rules, _rollback, _with_retries
from queries.write_transaction import refusals_recorded

_catalogue = catalog.catalogue
primary_key = catalog.primary_key


def write_table(table: str, rows: list[dict] | Rows, *, actor: Actor, programmes: list[str | None] | None = None,
                expected_versions: list[int | None] | None = None, note: str = "", db=None,
                check_only: bool = False) -> WriteResult:
    """Upsert `rows` (dicts of column -> value, each naming the primary key, or the same held by
    column) into `table` as `actor`, all-or-nothing, by primary key: new keys are inserted, changed
    rows updated (only the columns that differ; row_version + 1), identical rows left alone and
    not logged.

    `programmes[i]` is the programme row i belongs to, for tables that do not say it themselves
    (a milestone snapshot belongs to its milestone's programme). `expected_versions[i]`, when
    given, is the row_version the caller saw: the write is refused if the row changed since.
    A value of None for a column with a default, in a new row, lets the default apply.
    Raises WriteRefused and writes nothing when anything is refused (RuleBroken when the rows would
    break a data rule). With `check_only`, everything is done and checked, then rolled back.
    """
    data = rows if isinstance(rows, Rows) else Rows.from_records(rows)
    return _with_retries(lambda: _write_table(table, data, actor, programmes, expected_versions, note, db, check_only),
                         actor,
                         lambda: _first_change(table, data, primary_key_of(table, db)), db)


def primary_key_of(table: str, db) -> list[str]:
    with connect(db).cursor() as cur:
        return primary_key(cur, table)


def _write_table(table: str, data: Rows, actor: Actor, programmes, expected_versions, note: str, db,
                 check_only: bool) -> WriteResult:
    con = connect(db)
    result = WriteResult()
    with con.cursor() as cur:
        catalogue = _catalogue(cur)
        if table not in catalogue or table in SYSTEM_TABLES:
            raise WriteRefused(f"There is no table {table!r} that can be written.")
        columns = data.names
        unknown = [c for c in columns if c not in catalogue[table]]
        if unknown:
            raise WriteRefused(f"Table {table} has no column {', '.join(map(repr, unknown))}.")
        pk = primary_key(cur, table)
        if not pk or any(c not in columns or (data.sparse and upsert.has_missing(data.get(c))) for c in pk):
            raise WriteRefused(f"Rows of {table} must name its key ({', '.join(pk)}).")
        types = column_types(cur, table)
        has_version = "row_version" in catalogue[table]
        cur.begin()
        with refusals_recorded(cur, lambda: actor, lambda: _first_change(table, data, pk), record_refusal=not check_only):
            actor = actor_now(cur, actor)
            rules = checks_for(catalogue, {table})
            before = violations(cur, rules)
            now = clock.now()
            existing, found = stored_rows(cur, table, pk, data)
            changes = upsert.changed_columns(data, existing, found, pk)
            order = list(range(len(data)))  # the rows to write: new ones, and those that differ
            if len(existing):
                order = [i for i, (at, changed) in enumerate(zip(found, changes)) if at is None or changed]
            result.unchanged = len(data) - len(order)
            check_texts(table, data, order, pk)
            councils = Councils(cur, actor)
            refusal = upsert.first_refusal(table, data, existing, found, changes, order, pk, programmes,
                                           expected_versions, FROZEN_ROWS.get(table), has_version,
                                           partial(councils.refusal, table))
            if refusal:
                raise WriteRefused(refusal)
            if table == REPORT_TABLE:
                befores = [existing.record(found[i]) if found[i] is not None else None for i in order]
                check_reports(cur, actor, [(b, {**(b or {}), **data.record(i)}) for b, i in zip(befores, order)], now)
            inserts = [i for i in order if found[i] is None]
            result.inserted, result.updated = len(inserts), len(order) - len(inserts)
            defaulted = {c for c in data.names if types[c][1]}
            for cols, group in upsert.insert_groups(data, inserts, defaulted).items():
                with registered(cur, "_bulk_rows", text_frame(data.subset(group), list(cols))):
                    values = ", ".join(cast_text(types, c, "r." + _q(c)) for c in cols)
                    cur.execute(f"INSERT INTO {_q(table)} ({', '.join(map(_q, cols))}) "
                                f"SELECT {values} FROM _bulk_rows AS r")
            updates: dict[tuple, list[int]] = {}
            for i in order:
                if found[i] is not None:
                    updates.setdefault(changes[i], []).append(i)
            for changed, group in updates.items():
                sets = [f"{_q(c)} = {cast_text(types, c, 'r.' + _q(c))}" for c in changed]
                if has_version:
                    sets.append('"row_version" = t."row_version" + 1')
                with registered(cur, "_bulk_rows", text_frame(data.subset(group), [*pk, *changed])):
                    cur.execute(f"UPDATE {_q(table)} AS t SET {', '.join(sets)} FROM _bulk_rows AS r "
                                f"WHERE {key_match(types, pk, 't', 'r')}")
            sources = []
            if "source" in columns:
                source_of = data.get("source")
                sources = [(table, "/".join(str(data.get(c)[i]) for c in pk), str(source_of[i])) for i in order
                           if (found[i] is None or "source" in changes[i]) and source_of[i] is not None
                           and source_of[i] is not MISSING]
            _keep_the_rules(cur, catalogue, rules, before, sources)
            if check_only:
                _rollback(cur)
                return result
            if order:
                of = (programmes if programmes is not None else
                      data.get("programme_id") if "programme_id" in columns else [None] * len(data))
                _bulk_log(cur, table, pk, data.subset(order), existing, [found[i] for i in order], actor, note, now,
                          [None if of[i] is MISSING else of[i] for i in order])
                cur.execute("UPDATE data_version SET data_version = data_version + 1 WHERE data_version_id = 1")
            cur.commit()
            forget_data_version(db)  # cached reads refresh at everyone's next rerun
    return result


def _first_change(table: str, data: Rows, pk: list[str]) -> list[Change]:
    """What a refusal's log entry names: the first row's key."""
    if not len(data):
        return []
    return [Change(table, "upsert", {c: None if data.get(c)[0] is MISSING else data.get(c)[0] for c in pk})]


def _bulk_log(cur, table: str, pk: list[str], changed: Rows, existing: Rows, found: list[int | None],
              actor: Actor, note: str, now: dt.datetime, programmes: list[str | None]) -> None:
    """One change_log row per changed row, with the row before and after (read back after the write)
    and the row's programme."""
    import pandas as pd

    after, after_at = stored_rows(cur, table, pk, changed)
    frame = pd.DataFrame({
        "row_key": pd.Series(json_objects(changed, pk), dtype=object),
        "action": pd.Series(["insert" if p is None else "update" for p in found], dtype=object),
        "before_json": pd.Series(upsert.json_at(existing, found), dtype=object),
        "after_json": pd.Series(upsert.json_at(after, after_at), dtype=object),
        "programme_id": pd.Series(programmes, dtype=object),
    })
    with registered(cur, "_bulk_log", frame):  # what every row shares is bound once
        cur.execute("INSERT INTO change_log (changed_at, changed_by, table_name, row_key, action, before_json, "
                    "after_json, note, programme_id) SELECT $at, $by, $table, row_key, CAST(action AS change_action), before_json, "
                    "after_json, $note, programme_id FROM _bulk_log", {"at": now, "by": actor.email, "table": table, "note": note or None})



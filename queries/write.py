"""The one write function: every change to the database goes through `write`.

One transaction writes the rows, appends one `change_log` row per changed row (who, when, table,
key, before, after) and bumps `data_version` so cached reads refresh. Anything wrong — a refused
role, a stale row version, a submitted report, a constraint DuckDB rejects — rolls the whole
transaction back and raises `WriteRefused`; refusals are then logged on their own.

Table and column names come only from the database's own catalogue (checked here), values are
always bound parameters: text from users never becomes SQL.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb

from monitor.permissions import Actor, may_write
from queries.db import connect, forget_data_version

Action = Literal["insert", "update", "upsert", "delete"]

# Rows that can never change once in this state (issue: a submitted report is immutable).
FROZEN_ROWS = {"commissioner_report": ("status", "submitted")}
# Tables only the system writes (through the build or the log itself).
SYSTEM_TABLES = {"change_log", "data_version", "schema_version", "data_source"}


@dataclass(frozen=True)
class Change:
    """One row to write. `key` is the primary key; `values` the other columns to set.

    `expected_version` (optimistic concurrency): the row_version the editor saw; the write is
    refused when the row has changed since.
    """

    table: str
    action: Action
    key: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None
    programme_id: str | None = None


@dataclass
class WriteResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


class WriteRefused(Exception):
    """The write was refused and nothing was written."""


def _plain(value: Any) -> Any:
    """JSON-able, comparable form of a database or pandas value."""
    if type(value) in (str, int, bool):  # the common cases first (bulk imports call this per cell)
        return value
    if type(value) is dt.date:
        return value.isoformat()
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    return value


def _catalogue(cur) -> dict[str, list[str]]:
    rows = cur.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def primary_key(cur, table: str) -> list[str]:
    rows = cur.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE table_name = $t AND constraint_type = 'PRIMARY KEY'",
        {"t": table},
    ).fetchall()
    return list(rows[0][0]) if rows else []


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fetch(cur, table: str, key: dict) -> dict | None:
    where = " AND ".join(f"{_q(c)} = ${c}" for c in key)
    res = cur.execute(f"SELECT * FROM {_q(table)} WHERE {where}", key)
    names = [d[0] for d in res.description]
    row = res.fetchone()
    return dict(zip(names, row)) if row else None


def _check_names(catalogue: dict[str, list[str]], change: Change) -> None:
    if change.table not in catalogue or change.table in SYSTEM_TABLES:
        raise WriteRefused(f"There is no table {change.table!r} that can be written.")
    unknown = [c for c in (*change.key, *change.values) if c not in catalogue[change.table]]
    if unknown:
        raise WriteRefused(f"Table {change.table} has no column {', '.join(map(repr, unknown))}.")


def _log(cur, actor: Actor, table: str, key: dict, action: str, before, after, note: str) -> None:
    cur.execute(
        "INSERT INTO change_log (changed_at, changed_by, table_name, row_key, action, before_json, after_json, note) "
        "VALUES ($at, $by, $table, $key, $action, $before, $after, $note)",
        {
            "at": dt.datetime.now().replace(microsecond=0),
            "by": actor.email,
            "table": table,
            "key": json.dumps({k: _plain(v) for k, v in key.items()}, sort_keys=True),
            "action": action,
            "before": None if before is None else json.dumps({k: _plain(v) for k, v in before.items()}, sort_keys=True),
            "after": None if after is None else json.dumps({k: _plain(v) for k, v in after.items()}, sort_keys=True),
            "note": note or None,
        },
    )


def _apply(cur, catalogue, actor: Actor, change: Change, note: str, result: WriteResult) -> None:
    _check_names(catalogue, change)
    table = change.table
    pk = primary_key(cur, table)
    if sorted(change.key) != sorted(pk):
        raise WriteRefused(f"A change to {table} must name its key ({', '.join(pk)}), not {', '.join(change.key)}.")
    before = _fetch(cur, table, change.key)
    programme = change.programme_id or (before or {}).get("programme_id") or change.values.get("programme_id")
    allowed, reason = may_write(actor, table, programme)
    if not allowed:
        raise WriteRefused(reason)
    frozen = FROZEN_ROWS.get(table)
    if before is not None and frozen and before.get(frozen[0]) == frozen[1]:
        raise WriteRefused(
            f"{table} {json.dumps(change.key)} was {frozen[1]} and can no longer be changed; "
            f"record a correction as a new version instead."
        )
    has_version = "row_version" in catalogue[table]
    if change.expected_version is not None and before is not None and has_version:
        if before["row_version"] != change.expected_version:
            theirs = {k: _plain(before[k]) for k in change.values if k in before}
            raise WriteRefused(
                f"{table} {json.dumps({k: _plain(v) for k, v in change.key.items()})} was changed by someone "
                f"else since you opened it (now version {before['row_version']}, you had "
                f"{change.expected_version}). Their values: {json.dumps(theirs)}. Reload and apply your edit again."
            )

    action = change.action
    if action == "upsert":
        action = "update" if before is not None else "insert"
    if action == "insert":
        if before is not None:
            raise WriteRefused(f"{table} {json.dumps({k: _plain(v) for k, v in change.key.items()})} already exists.")
        row = {**change.key, **change.values}
        cols = list(row)
        cur.execute(
            f"INSERT INTO {_q(table)} ({', '.join(map(_q, cols))}) VALUES ({', '.join('$' + c for c in cols)})",
            row,
        )
        after = _fetch(cur, table, change.key)
        _log(cur, actor, table, change.key, "insert", None, after, note)
        result.inserted += 1
    elif action == "update":
        if before is None:
            raise WriteRefused(f"{table} {json.dumps({k: _plain(v) for k, v in change.key.items()})} does not exist.")
        differs = {c: v for c, v in change.values.items() if _plain(v) != _plain(before.get(c))}
        if not differs:
            result.unchanged += 1
            return
        sets = [f"{_q(c)} = $v_{i}" for i, c in enumerate(differs)]
        params = {f"v_{i}": v for i, v in enumerate(differs.values())}
        if has_version:
            sets.append('"row_version" = "row_version" + 1')
        params.update({f"k_{c}": v for c, v in change.key.items()})
        where = " AND ".join(f"{_q(c)} = $k_{c}" for c in change.key)
        cur.execute(f"UPDATE {_q(table)} SET {', '.join(sets)} WHERE {where}", params)
        after = _fetch(cur, table, change.key)
        _log(cur, actor, table, change.key, "update", before, after, note)
        result.updated += 1
    elif action == "delete":
        if before is None:
            raise WriteRefused(f"{table} {json.dumps({k: _plain(v) for k, v in change.key.items()})} does not exist.")
        where = " AND ".join(f"{_q(c)} = ${c}" for c in change.key)
        cur.execute(f"DELETE FROM {_q(table)} WHERE {where}", change.key)
        _log(cur, actor, table, change.key, "delete", before, None, note)
        result.deleted += 1
    else:
        raise WriteRefused(f"Unknown action {change.action!r}.")


def write(changes: list[Change], *, actor: Actor, note: str = "", db=None) -> WriteResult:
    """Apply `changes` all-or-nothing as `actor`; returns counts of inserted/updated/unchanged/deleted.

    Raises WriteRefused (with a plain message) and writes nothing when any change is refused.
    """
    con = connect(db)
    result = WriteResult()
    with con.cursor() as cur:
        catalogue = _catalogue(cur)
        cur.begin()
        try:
            for change in changes:
                _apply(cur, catalogue, actor, change, note, result)
            if result.changed:
                cur.execute("UPDATE data_version SET data_version = data_version + 1 WHERE data_version_id = 1")
            cur.commit()
            forget_data_version(db)  # cached reads refresh at everyone's next rerun
        except WriteRefused as exc:
            cur.rollback()
            _log_refusal(cur, actor, changes, str(exc))
            raise
        except duckdb.Error as exc:
            cur.rollback()
            message = _constraint_message(exc)
            _log_refusal(cur, actor, changes, message)
            raise WriteRefused(message) from exc
        except BaseException:
            cur.rollback()
            raise
    return result


def _log_refusal(cur, actor: Actor, changes: list[Change], message: str) -> None:
    """A refused write is itself recorded (in its own transaction), so attempts leave a trace."""
    if not changes:
        return
    first = changes[0]
    try:
        cur.begin()
        _log(cur, actor, first.table if first.table not in SYSTEM_TABLES else "?", first.key, "refused",
             None, None, f"{len(changes)} change(s) refused: {message}"[:2000])
        cur.commit()
    except duckdb.Error:
        cur.rollback()


def _constraint_message(exc: duckdb.Error) -> str:
    text = str(exc).split("\n")[0]
    return f"The database refused the change: {text}"


# --- The bulk path: one table, many rows (the Data page's imports and `make import`) -------------
# Same rules as `write` — one transaction, a change_log row per changed row, the data version
# bumped only when something changed, roles checked per programme, submitted reports frozen, row
# versions compared — with set-based SQL so 100,000 rows take seconds, not minutes.


def _text(value: Any) -> str | None:
    """A value as the text DuckDB casts back to the same value (bound via a registered frame)."""
    if type(value) is str:
        return value
    value = _plain(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _column_types(cur, table: str) -> dict[str, str]:
    rows = cur.execute(
        "SELECT column_name, data_type, column_default IS NOT NULL FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = $t", {"t": table}).fetchall()
    return {name: (dtype, has_default) for name, dtype, has_default in rows}


def _cast(types: dict, column: str, expr: str) -> str:
    """`expr` (text) cast to the column's type; ENUM columns compare as text."""
    dtype = types[column][0]
    return expr if dtype.upper().startswith("ENUM") else f"CAST({expr} AS {dtype})"


def _frame(rows: list[dict], columns: list[str]):
    import pandas as pd

    return pd.DataFrame({c: pd.Series([_text(r.get(c)) for r in rows], dtype=object) for c in columns})


def fetch_by_keys(cur, table: str, pk: list[str], keys: list[tuple]) -> dict[tuple, dict]:
    """The rows of `table` whose primary key is among `keys` (tuples in `pk` order), by plain key:
    one join against the keys, not a read of the whole table."""
    if not keys:
        return {}
    types = _column_types(cur, table)
    frame = _frame([dict(zip(pk, k)) for k in set(keys)], pk)
    on = " AND ".join(
        (f"CAST(t.{_q(c)} AS VARCHAR) = k.{_q(c)}" if types[c][0].upper().startswith("ENUM")
         else f"t.{_q(c)} = {_cast(types, c, 'k.' + _q(c))}") for c in pk)
    cur.register("_bulk_keys", frame)
    try:
        res = cur.execute(f"SELECT t.* FROM {_q(table)} AS t SEMI JOIN _bulk_keys AS k ON {on}")
        names = [d[0] for d in res.description]
        rows = [dict(zip(names, values)) for values in res.fetchall()]
    finally:
        cur.unregister("_bulk_keys")
    return {tuple(_plain(r[c]) for c in pk): r for r in rows}


def write_table(table: str, rows: list[dict], *, actor: Actor, programmes: list[str | None] | None = None,
                expected_versions: list[int | None] | None = None, note: str = "", db=None) -> WriteResult:
    """Upsert `rows` (dicts of column -> value, each naming the primary key) into `table` as
    `actor`, all-or-nothing, by primary key: new keys are inserted, changed rows updated (only the
    columns that differ; row_version + 1), identical rows left alone and not logged.

    `programmes[i]` is the programme row i belongs to, for tables that do not say it themselves
    (a milestone snapshot belongs to its milestone's programme). `expected_versions[i]`, when
    given, is the row_version the caller saw: the write is refused if the row changed since.
    A value of None for a column with a default, in a new row, lets the default apply.
    Raises WriteRefused and writes nothing when anything is refused.
    """
    con = connect(db)
    result = WriteResult()
    with con.cursor() as cur:
        catalogue = _catalogue(cur)
        if table not in catalogue or table in SYSTEM_TABLES:
            raise WriteRefused(f"There is no table {table!r} that can be written.")
        columns = list(dict.fromkeys(c for r in rows for c in r))
        unknown = [c for c in columns if c not in catalogue[table]]
        if unknown:
            raise WriteRefused(f"Table {table} has no column {', '.join(map(repr, unknown))}.")
        pk = primary_key(cur, table)
        if not pk or any(c not in columns for c in pk):
            raise WriteRefused(f"Rows of {table} must name its key ({', '.join(pk)}).")
        types = _column_types(cur, table)
        has_version = "row_version" in catalogue[table]
        cur.begin()
        try:
            existing = fetch_by_keys(cur, table, pk, [tuple(_plain(r[c]) for c in pk) for r in rows])
            inserts, updates, logs = [], {}, []
            allowed: dict[str | None, str] = {}
            frozen = FROZEN_ROWS.get(table)
            now = dt.datetime.now().replace(microsecond=0)
            for i, row in enumerate(rows):
                key = {c: row[c] for c in pk}
                before = existing.get(tuple(_plain(row[c]) for c in pk))
                if before is None:
                    new = {c: v for c, v in row.items() if v is not None or not types[c][1]}
                    differs = new
                else:
                    differs = {c: v for c, v in row.items() if c not in pk and _plain(v) != _plain(before.get(c))}
                    if not differs:
                        result.unchanged += 1
                        continue
                programme = ((programmes[i] if programmes else None) or (before or {}).get("programme_id")
                             or row.get("programme_id"))
                for p in {programme, (before or {}).get("programme_id", programme)}:
                    if p not in allowed:
                        ok, reason = may_write(actor, table, p)
                        allowed[p] = "" if ok else (reason or f"{actor.email} may not change {table}.")
                    if allowed[p]:
                        raise WriteRefused(allowed[p])
                key_text = json.dumps({k: _plain(v) for k, v in key.items()}, sort_keys=True)
                if before is None:
                    inserts.append(new)
                    logs.append((key, key_text, "insert", None, new))
                    result.inserted += 1
                    continue
                if frozen and before.get(frozen[0]) == frozen[1]:
                    raise WriteRefused(f"{table} {key_text} was {frozen[1]} and can no longer be changed; "
                                       f"record a correction as a new version instead.")
                expected = expected_versions[i] if expected_versions else None
                if expected is not None and has_version and before["row_version"] != expected:
                    theirs = {k: _plain(before[k]) for k in differs if k in before}
                    raise WriteRefused(
                        f"{table} {key_text} was changed by someone else since you checked it (now version "
                        f"{before['row_version']}, you had {expected}). Their values: {json.dumps(theirs)}. "
                        f"Check the file again.")
                updates.setdefault(tuple(sorted(differs)), []).append({**key, **differs})
                logs.append((key, key_text, "update", before, differs))
                result.updated += 1
            for group in _groups(inserts):
                cols = list(group[0])
                cur.register("_bulk_rows", _frame(group, cols))
                try:
                    cur.execute(f"INSERT INTO {_q(table)} ({', '.join(map(_q, cols))}) "
                                f"SELECT {', '.join(_cast(types, c, 'r.' + _q(c)) for c in cols)} FROM _bulk_rows AS r")
                finally:
                    cur.unregister("_bulk_rows")
            for changed, group in updates.items():
                sets = [f"{_q(c)} = {_cast(types, c, 'r.' + _q(c))}" for c in changed]
                if has_version:
                    sets.append('"row_version" = t."row_version" + 1')
                where = " AND ".join(
                    (f"CAST(t.{_q(c)} AS VARCHAR) = r.{_q(c)}" if types[c][0].upper().startswith("ENUM")
                     else f"t.{_q(c)} = {_cast(types, c, 'r.' + _q(c))}") for c in pk)
                cur.register("_bulk_rows", _frame(group, [*pk, *changed]))
                try:
                    cur.execute(f"UPDATE {_q(table)} AS t SET {', '.join(sets)} FROM _bulk_rows AS r WHERE {where}")
                finally:
                    cur.unregister("_bulk_rows")
            if logs:
                _bulk_log(cur, table, pk, logs, actor, note, now, has_version)
                cur.execute("UPDATE data_version SET data_version = data_version + 1 WHERE data_version_id = 1")
            cur.commit()
            forget_data_version(db)  # cached reads refresh at everyone's next rerun
        except WriteRefused as exc:
            cur.rollback()
            _log_refusal(cur, actor, [Change(table, "upsert", {c: rows[0].get(c) for c in pk})] if rows else [], str(exc))
            raise
        except duckdb.Error as exc:
            cur.rollback()
            message = _constraint_message(exc)
            _log_refusal(cur, actor, [Change(table, "upsert", {c: rows[0].get(c) for c in pk})] if rows else [], message)
            raise WriteRefused(message) from exc
        except BaseException:
            cur.rollback()
            raise
    return result


def _groups(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped by the columns they give (a new row may leave a defaulted column out)."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.values())


def _bulk_log(cur, table, pk, logs, actor: Actor, note: str, now, has_version: bool) -> None:
    """One change_log row per changed row, with the row before and after (read back after the write)."""
    import pandas as pd

    after_rows = fetch_by_keys(cur, table, pk, [tuple(_plain(k[c]) for c in pk) for k, *_ in logs])
    dump = lambda row: json.dumps({k: _plain(v) for k, v in row.items()}, sort_keys=True)  # noqa: E731
    records = []
    for key, key_text, action, before, _ in logs:
        after = after_rows.get(tuple(_plain(key[c]) for c in pk))
        records.append({"changed_at": now, "changed_by": actor.email, "table_name": table, "row_key": key_text,
                        "action": action, "before_json": None if before is None else dump(before),
                        "after_json": None if after is None else dump(after), "note": note or None})
    frame = pd.DataFrame.from_records(records, columns=["changed_at", "changed_by", "table_name", "row_key",
                                                        "action", "before_json", "after_json", "note"])
    frame["before_json"] = frame["before_json"].astype(object)
    frame["note"] = frame["note"].astype(object)
    cur.register("_bulk_log", frame)
    try:
        cur.execute("INSERT INTO change_log (changed_at, changed_by, table_name, row_key, action, before_json, "
                    "after_json, note) SELECT changed_at, changed_by, table_name, row_key, action, before_json, "
                    "after_json, note FROM _bulk_log")
    finally:
        cur.unregister("_bulk_log")

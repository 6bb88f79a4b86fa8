"""The one write function: every change to the database goes through `write`.

One transaction writes the rows, appends one `change_log` row per changed row (who, when, table,
key, before, after) and bumps `data_version` so cached reads refresh. Anything wrong — a refused
role, a council outside the person's programmes, a stale row version, a submitted report, a report
version that breaks the Quarterly report's rules (monitor.permissions.report_problem), a control
character in a text value (monitor.imports.text), a constraint DuckDB rejects, a full disk — rolls
the whole transaction back and raises `WriteRefused`; refusals are then logged on their own.

Table and column names come only from the database's own catalogue (checked here), values are
always bound parameters: text from users never becomes SQL.

On PostgreSQL, where several dashboard processes write one database, each write is one
SERIALIZABLE transaction and the row it changes is locked as it is read (SELECT … FOR UPDATE): two
writes that could not have happened one after the other cannot both commit. The loser is tried
again from the start (RETRIES times), and then meets the rules against what the winner wrote — a
stale row version, a report already submitted — and is refused with the usual message.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import partial

import duckdb
import psycopg

from monitor import clock
from monitor.formatting import counted
from monitor.imports import upsert
from monitor.imports.columns import MISSING, Rows, json_objects
from monitor.imports.columns import plain as _plain
from monitor.changes import Action, Change  # noqa: F401 - the write function's vocabulary, imported from here
from monitor.permissions import REPORT_TABLE, Actor
from queries import catalog
from queries.checks import Broken, checks_for, new_violations, source_violations, violations
from queries.db import DB_ERRORS, connect, dialect, forget_data_version
from queries.pg import RETRYABLE, retrying
from queries.rows import cast_text, column_types, key_match, registered, stored_rows, text_frame
from queries.rows import quote as _q
from queries.write_rules import Councils, WriteRefused, actor_now, check_reports, check_text, check_texts, key_text, row_scopes


# Rows that can never change once in this state (issue: a submitted report is immutable).
FROZEN_ROWS = {"commissioner_report": ("status", "submitted")}
# Tables only the system writes (through the build or the log itself).
# (data_source is an official national table: an administrator's import of a newer file adds its row.)
SYSTEM_TABLES = {"change_log", "data_version", "schema_version", "paper", "paper_passage",
                 "derivation", "published_document", "source_release"}


@dataclass
class WriteResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


RETRIES = 5
CONFLICT = ("Someone else saved a change to the same rows at the same moment, again and again; nothing was "
            "changed. Reload and try again.")
_catalogue = catalog.catalogue
primary_key = catalog.primary_key


class _Conflict(Exception):
    """PostgreSQL refused to commit this write beside a concurrent one: the write is tried again."""


def _fetch(cur, table: str, key: dict, *, lock: bool = False) -> dict | None:
    where = " AND ".join(f"{_q(c)} = ${c}" for c in key)
    locked = " FOR UPDATE" if lock and dialect(cur) == "postgres" else ""
    res = cur.execute(f"SELECT * FROM {_q(table)} WHERE {where}{locked}", key)
    names = [d[0] for d in res.description]
    row = res.fetchone()
    return dict(zip(names, row)) if row else None


def _check_names(catalogue: dict[str, list[str]], change: Change) -> None:
    if change.table not in catalogue or change.table in SYSTEM_TABLES:
        raise WriteRefused(f"There is no table {change.table!r} that can be written.")
    unknown = [c for c in (*change.key, *change.values) if c not in catalogue[change.table]]
    if unknown:
        raise WriteRefused(f"Table {change.table} has no column {', '.join(map(repr, unknown))}.")


def _log(cur, actor: Actor, table: str, key: dict, action: str, before, after, note: str,
         programme: str | None = None) -> None:
    cur.execute(
        "INSERT INTO change_log (changed_at, changed_by, table_name, row_key, action, before_json, after_json, note, "
        "programme_id) VALUES ($at, $by, $table, $key, $action, $before, $after, $note, $programme)",
        {
            "programme": programme,
            "at": clock.now(),
            "by": actor.email,
            "table": table,
            "key": json.dumps({k: _plain(v) for k, v in key.items()}, sort_keys=True),
            "action": action,
            "before": None if before is None else json.dumps({k: _plain(v) for k, v in before.items()}, sort_keys=True),
            "after": None if after is None else json.dumps({k: _plain(v) for k, v in after.items()}, sort_keys=True),
            "note": note or None,
        },
    )


def _apply(cur, catalogue, actor: Actor, change: Change, note: str, result: WriteResult,
           councils: Councils, now: dt.datetime) -> None:
    _check_names(catalogue, change)
    table = change.table
    pk = primary_key(cur, table)
    if sorted(change.key) != sorted(pk):
        raise WriteRefused(f"A change to {table} must name its key ({', '.join(pk)}), not {', '.join(change.key)}.")
    if change.action != "delete":
        check_text(table, change.key, {**change.key, **change.values})
    before = _fetch(cur, table, change.key, lock=True)
    scopes = row_scopes(change, before, "programme_id" in catalogue[table])
    for programme, council in scopes:
        reason = councils.refusal(table, programme, council)
        if reason:
            raise WriteRefused(f"{table} {key_text(change.key)}: {reason}")
    # The change log names the row's programme, so each person reads only their programmes' changes.
    programme = scopes[-1][0] if scopes else None
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
    if table == REPORT_TABLE and action in ("insert", "update"):
        check_reports(cur, actor, [(before, {**(before or {}), **change.key, **change.values})], now)
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
        _log(cur, actor, table, change.key, "insert", None, after, note, programme)
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
        _log(cur, actor, table, change.key, "update", before, after, note, programme)
        result.updated += 1
    elif action == "delete":
        if before is None:
            raise WriteRefused(f"{table} {json.dumps({k: _plain(v) for k, v in change.key.items()})} does not exist.")
        where = " AND ".join(f"{_q(c)} = ${c}" for c in change.key)
        cur.execute(f"DELETE FROM {_q(table)} WHERE {where}", change.key)
        _log(cur, actor, table, change.key, "delete", before, None, note, programme)
        result.deleted += 1
    else:
        raise WriteRefused(f"Unknown action {change.action!r}.")


def _with_retries(attempt, actor: Actor, first_changes, db):
    """`attempt()` until it is not beaten by a concurrent write (PostgreSQL only ever raises _Conflict)."""
    for _ in retrying(RETRIES):
        try:
            return attempt()
        except _Conflict:
            continue
    with connect(db).cursor() as cur:
        _log_refusal(cur, actor, first_changes(), CONFLICT)
    raise WriteRefused(CONFLICT)


def write(changes: list[Change], *, actor: Actor, note: str = "", db=None) -> WriteResult:
    """Apply `changes` all-or-nothing as `actor`; returns counts of inserted/updated/unchanged/deleted.

    Raises WriteRefused (with a plain message) and writes nothing when any change is refused.
    """
    return _with_retries(lambda: _write(changes, actor, note, db), actor, lambda: changes, db)


def _write(changes: list[Change], actor: Actor, note: str, db) -> WriteResult:
    con = connect(db)
    result = WriteResult()
    with con.cursor() as cur:
        catalogue = _catalogue(cur)
        cur.begin()
        try:
            actor = actor_now(cur, actor)
            rules = checks_for(catalogue, {c.table for c in changes if c.table in catalogue})
            before = violations(cur, rules)
            councils, now = Councils(cur, actor), clock.now()
            for change in changes:
                _apply(cur, catalogue, actor, change, note, result, councils, now)
            sources = [(c.table, "/".join(str(v) for v in c.key.values()), str(c.values["source"])) for c in changes
                       if c.action != "delete" and c.values.get("source") is not None]
            _keep_the_rules(cur, catalogue, rules, before, sources)
            if result.changed:
                cur.execute("UPDATE data_version SET data_version = data_version + 1 WHERE data_version_id = 1")
            cur.commit()
            forget_data_version(db)  # cached reads refresh at everyone's next rerun
        except WriteRefused as exc:
            _rollback(cur)
            _log_refusal(cur, actor, changes, str(exc))
            raise
        except RETRYABLE as exc:
            _rollback(cur)
            raise _Conflict() from exc
        except DB_ERRORS as exc:
            _rollback(cur)
            message = _constraint_message(exc)
            _log_refusal(cur, actor, changes, message)
            raise WriteRefused(message) from exc
        except BaseException:
            _rollback(cur)
            raise
    return result


class RuleBroken(WriteRefused):
    """The write would break a data rule (queries/checks/): `broken` says which rows break which."""

    def __init__(self, broken: list[Broken]):
        self.broken = broken
        super().__init__("Not saved: " + "; ".join(b.describe() for b in broken) + ".")


def _keep_the_rules(cur, catalogue, rules, before, sources) -> None:
    """Refuse the write (still in its transaction) if it breaks a data rule it did not find broken,
    or sets a source the rules on sources refuse."""
    broken = new_violations(rules, before, violations(cur, rules)) + source_violations(cur, catalogue, sources)
    if broken:
        raise RuleBroken(broken)


def _rollback(cur) -> None:
    """Roll back, if there is still a transaction: a failed commit (a full disk) has ended it, and
    that must not turn the refusal into a second error."""
    try:
        cur.rollback()
    except DB_ERRORS:
        pass


def _log_refusal(cur, actor: Actor, changes: list[Change], message: str) -> None:
    """A refused write is itself recorded (in its own transaction), so attempts leave a trace."""
    if not changes:
        return
    first = changes[0]
    try:
        cur.begin()
        _log(cur, actor, first.table if first.table not in SYSTEM_TABLES else "?", first.key, "refused",
             None, None, f"{counted(len(changes), 'change')} refused: {message}"[:2000])
        cur.commit()
    except DB_ERRORS:  # the disk is full, or the database closed: the refusal itself still stands
        _rollback(cur)


def _constraint_message(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    if isinstance(exc, psycopg.OperationalError) and not isinstance(exc, psycopg.errors.DiskFull):
        return f"The database could not be reached, so nothing was changed: {text}"
    if (isinstance(exc, (duckdb.IOException, duckdb.FatalException, psycopg.errors.DiskFull))
            or "No space left" in text):
        return f"The database file could not be written, so nothing was changed: {text}"
    return f"The database refused the change: {text}"


# --- The bulk path: one table, many rows (the Data page's imports and `make import`) -------------
# Same rules as `write` — one transaction, a change_log row per changed row, the data version
# bumped only when something changed, roles checked per programme, submitted reports frozen, row
# versions compared — with set-based SQL, and Python work per column and per distinct value
# (monitor.imports.columns), so 100,000 rows take about a second.


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
        try:
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
        except WriteRefused as exc:
            _rollback(cur)
            if not check_only:
                _log_refusal(cur, actor, _first_change(table, data, pk), str(exc))
            raise
        except RETRYABLE as exc:
            _rollback(cur)
            raise _Conflict() from exc
        except DB_ERRORS as exc:
            _rollback(cur)
            message = _constraint_message(exc)
            _log_refusal(cur, actor, _first_change(table, data, pk), message)
            raise WriteRefused(message) from exc
        except BaseException:
            _rollback(cur)
            raise
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



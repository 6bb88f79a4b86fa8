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

from monitor import clock
from monitor.imports.columns import plain as _plain
from monitor.changes import Action, Change  # noqa: F401 - the write function's vocabulary, imported from here
from monitor.permissions import REPORT_TABLE, Actor
from queries import catalog
from queries.checks import checks_for, violations
from queries.db import connect, dialect, forget_data_version
from queries.rows import quote as _q
from queries.write_bulk import primary_key_of, write_table  # noqa: F401 - the bulk path, imported from here
from queries.write_rules import Councils, WriteRefused, actor_now, check_reports, check_text, key_text, row_scopes
from queries.write_transaction import FROZEN_ROWS, RuleBroken, WriteResult  # noqa: F401 - imported from here by callers
from queries.write_transaction import SYSTEM_TABLES, _keep_the_rules, _log, _with_retries, refusals_recorded

_catalogue = catalog.catalogue
primary_key = catalog.primary_key


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
        with refusals_recorded(cur, lambda: actor, lambda: changes):
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
    return result

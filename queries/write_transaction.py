"""What both write paths share (`write`, one change at a time, and `write_table`, one table's rows
in bulk): their result, the rows and tables no write may change, the change log's entry, the data
rules kept in the write's transaction, a refusal rolled back and logged on its own, the database's
own refusal in words, and the retries of a write beaten by a concurrent one on PostgreSQL."""
from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import psycopg

from monitor import clock
from monitor.changes import Change
from monitor.formatting import counted
from monitor.imports.columns import plain as _plain
from monitor.permissions import Actor
from queries.checks import Broken, new_violations, source_violations, violations
from queries.db import DB_ERRORS, connect
from queries.pg import RETRYABLE, retrying
from queries.write_rules import WriteRefused


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


class _Conflict(Exception):
    """PostgreSQL refused to commit this write beside a concurrent one: the write is tried again."""


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


@contextlib.contextmanager
def refusals_recorded(cur, who: Callable[[], Actor], attempted: Callable[[], list[Change]], *,
                      record_refusal: bool = True):
    """Around one write's transaction: whatever stops it rolls everything back. A refusal by the
    rules (unless `record_refusal` is off: a check that writes nothing) and a refusal by the
    database are recorded as the person's attempt; a clash with another writer is retried by
    `_with_retries`. `who` and `attempted` are read only on failure (the write may have re-read
    the person from the database)."""
    try:
        yield
    except WriteRefused as exc:
        _rollback(cur)
        if record_refusal:
            _log_refusal(cur, who(), attempted(), str(exc))
        raise
    except RETRYABLE as exc:
        _rollback(cur)
        raise _Conflict() from exc
    except DB_ERRORS as exc:
        _rollback(cur)
        message = _constraint_message(exc)
        _log_refusal(cur, who(), attempted(), message)
        raise WriteRefused(message) from exc
    except BaseException:
        _rollback(cur)
        raise

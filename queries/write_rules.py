"""The checks `queries.write` makes inside each write's transaction, beyond names and keys: text
values (no control characters, no look-alike sign-in addresses), who may write a row — by its
programme or, for a council's row, by its council (`Councils`: the person's councils as the
database holds them at that moment) — and the Quarterly report's rules for every report row
(monitor.permissions.report_problem). The rules themselves are pure (monitor.permissions,
monitor.imports.text); this module gathers what they need from the transaction and turns a
refusal into `WriteRefused`.
"""
from __future__ import annotations

import datetime as dt
import json

from monitor.imports.columns import Rows, json_object
from monitor.imports.columns import plain as _plain
from monitor.imports.text import value_problem, values_problem
from monitor.permissions import (COUNCIL_TABLES, REPORT_TABLE, USER_TABLES, Actor, email_is_plain, may_write,
                                 report_author_role, report_problem, session_ended)
from queries.loader import sql_text
from queries.rows import rows_by_keys


class WriteRefused(Exception):
    """The write was refused and nothing was written."""


def key_text(key: dict) -> str:
    return json.dumps({k: _plain(v) for k, v in key.items()})


def check_text(table: str, key: dict, row: dict) -> None:
    """Every text value written: no control characters (tab and line breaks apart), and no sign-in
    address that Unicode normalisation would change (it could pass for another person's)."""
    for column, value in row.items():
        problem = value_problem(column, value) or _address_problem(table, column, value)
        if problem:
            raise WriteRefused(f"{table} {key_text(key)}: {column} {problem}")


def check_texts(table: str, data: Rows, order: list[int], pk: list[str]) -> None:
    """`check_text` for the rows of a bulk write that will be written, per column (each distinct
    text once)."""
    rows = data.subset(order)
    for column in data.names:
        found = values_problem(column, rows.get(column))
        if not found and table in USER_TABLES and column == "email":
            found = next(((n, p) for n, v in enumerate(rows.get(column)) if (p := _address_problem(table, column, v))),
                         None)
        if found:
            i = order[found[0]]
            raise WriteRefused(f"{table} {json_object({c: data.get(c)[i] for c in pk})}: {column} {found[1]}")


def _address_problem(table: str, column: str, value) -> str | None:
    if table in USER_TABLES and column == "email" and isinstance(value, str) and not email_is_plain(value):
        return "is an address with characters that stand for other letters (it changes under NFKC normalisation)"
    return None


def row_scopes(change, before: dict | None, has_programme: bool) -> list[tuple[str | None, str | None]]:
    """The (programme, council) a single change must be allowed for: the row as it is now and as it
    would be (a row moved to another programme or council needs both). For a table without a
    programme column, the programme given with the change (its parent's) stands for the row's own;
    the council counts only for tables whose rows may be a council's (COUNCIL_TABLES)."""
    stored = before or {}
    if has_programme:
        old_p = stored.get("programme_id") if before is not None else change.programme_id
        new_p = change.values.get("programme_id", old_p)
    else:
        old_p = new_p = change.programme_id
    by_council = change.table in COUNCIL_TABLES
    old_c = stored.get("ons_code") if by_council else None
    new_c = change.values.get("ons_code", old_c) if by_council else None
    if change.action == "delete":
        return [(old_p, old_c)]
    if before is None:
        return [(new_p, new_c)]
    return list(dict.fromkeys([(old_p, old_c), (new_p, new_c)]))


def actor_now(cur, actor: Actor) -> Actor:
    """The person as they are in the database at the moment of the write, read in its transaction:
    a page drawn before an administrator deactivated them, changed their role or programmes, or before
    they signed out in another tab, writes as they are now (or not at all). The build and the command
    line (machine actors) act as themselves."""
    if actor.machine:
        return actor
    rows = cur.execute("SELECT email, display_name, CAST(role AS VARCHAR), ons_code, is_active, signed_out_at "
                       "FROM app_user WHERE email = $e", {"e": actor.email}).fetchall()
    if not rows or not rows[0][4]:
        raise WriteRefused(f"{actor.email} may no longer change anything: the account is not active. "
                           "Ask an administrator.")
    email, name, role, council, _active, signed_out = rows[0]
    if session_ended(actor.signed_in_at, signed_out):
        raise WriteRefused(f"{email} signed out after this page was opened: sign in again to save.")
    programmes = frozenset(r[0] for r in cur.execute(
        "SELECT programme_id FROM app_user_programme WHERE email = $e", {"e": email}).fetchall())
    return Actor(email, name, role, programmes, council, signed_in_at=actor.signed_in_at)


class Councils:
    """The councils of the actor's programmes (their programme_party rows) and councils' names, read
    in the write's own transaction when a council's row needs them."""

    def __init__(self, cur, actor: Actor):
        self.cur, self.actor = cur, actor
        self._mine: frozenset[str] | None = None
        self._names: dict[str, str | None] = {}
        self._authors: dict[str | None, str] = {}

    def mine(self) -> frozenset[str]:
        if self._mine is None:
            self._mine = frozenset(r[0] for r in self.cur.execute(
                "SELECT DISTINCT ons_code FROM programme_party WHERE programme_id IN (SELECT unnest(CAST($p AS VARCHAR[])))",
                {"p": sorted(self.actor.programme_ids)}).fetchall()) if self.actor.programme_ids else frozenset()
        return self._mine

    def name(self, code: str) -> str | None:
        if code not in self._names:
            found = self.cur.execute("SELECT authority_name FROM authority WHERE ons_code = $c", {"c": code}).fetchall()
            self._names[code] = found[0][0] if found else None
        return self._names[code]

    def report_author(self, programme: str | None) -> str:
        """The role that writes this programme's quarterly reports, as the database says now."""
        if programme not in self._authors:
            found = self.cur.execute(sql_text("report/author_role"), {"programme_id": programme}).fetchall()
            self._authors[programme] = report_author_role(*found[0]) if found else "commissioner"
        return self._authors[programme]

    def refusal(self, table: str, programme: str | None, council: str | None) -> str:
        """may_write's reason for refusing a row of `table` of this programme and council, or ""."""
        if programme is None and council is not None and table in COUNCIL_TABLES and self.actor.role != "administrator":
            ok, reason = may_write(self.actor, table, None, council=council, councils=self.mine(),
                                   council_name=self.name(council))
        elif table == REPORT_TABLE and self.actor.role != "administrator":
            ok, reason = may_write(self.actor, table, programme, report_author=self.report_author(programme))
        else:
            ok, reason = may_write(self.actor, table, programme)
        return "" if ok else (reason or f"{self.actor.email} may not change {table}.")


def check_reports(cur, actor: Actor, rows: list[tuple[dict | None, dict]], now: dt.datetime) -> None:
    """The Quarterly report's rules for report rows to be written: each (stored row or None, the
    whole row as it would be), with the report it corrects as stored now."""
    wanted = sorted({str(after["corrects_report_id"]) for _, after in rows
                     if after.get("corrects_report_id") is not None})
    corrected = {}
    if wanted:
        stored = rows_by_keys(cur, REPORT_TABLE, ["report_id"], {"report_id": wanted})
        corrected = {r["report_id"]: r for r in stored.records()}
    for before, after in rows:
        problem = report_problem(actor, before, after, corrected.get(after.get("corrects_report_id")), now)
        if problem:
            raise WriteRefused(problem[1])

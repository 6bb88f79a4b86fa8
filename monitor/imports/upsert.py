"""What writing many rows of one table would do, worked out per column before any SQL runs
(queries.write.write_table): which rows are new, which columns of the others differ from the
stored row, the first row that may not be written and why, new rows grouped by the columns they
give, and the change log's before/after text."""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from monitor.imports.columns import MISSING, Rows, json_object, json_objects, plain, plains
from monitor.permissions import COUNCIL_TABLES


def has_missing(values: list) -> bool:
    return any(v is MISSING for v in values)


def changed_columns(data: Rows, existing: Rows, found: list[int | None], pk: Sequence[str]) -> list[tuple[str, ...]]:
    """For each row with a stored row, the columns (sorted) whose plain value differs from it; ()
    for new rows. A column a row does not name is not compared."""
    names = sorted(c for c in data.names if c not in pk)
    if not names or found.count(None) == len(found):
        return [()] * len(data)
    flags = []
    for c in names:
        given = data.get(c)
        new, old = plains(given), plains(existing.at(c, found))
        flags.append([at is not None and v is not MISSING and a != b for at, v, a, b in zip(found, given, new, old)])
    named: dict[tuple, tuple[str, ...]] = {}  # each distinct pattern of flags once
    return [named[f] if f in named else named.setdefault(f, tuple(c for c, x in zip(names, f) if x))
            for f in zip(*flags)]


def first_refusal(table: str, data: Rows, existing: Rows, found: list[int | None], changes: list[tuple],
                  order: list[int], pk: Sequence[str], programmes: list | None, expected_versions: list | None,
                  frozen: tuple[str, str] | None, has_version: bool,
                  who: Callable[[str | None, str | None], str]) -> str:
    """Why the first changing row (in row order) may not be written, or "": a programme or council
    the actor may not change, a frozen row, or a row whose row_version moved since it was read.

    `who(programme, council)` is the refusal (or "") for a row of that programme and council: the
    programme given for the row, else the stored row's, else the row's own; the council (for
    tables whose rows may be a council's, COUNCIL_TABLES) the row's ons_code. A stored row is
    asked about as it is now, too."""
    stored = existing.at("programme_id", found) if "programme_id" in existing.columns else [None] * len(data)
    given = data.get("programme_id") if "programme_id" in data.columns else [MISSING] * len(data)
    if table in COUNCIL_TABLES:
        old_c = existing.at("ons_code", found) if "ons_code" in existing.columns else [None] * len(data)
        new_c = [o if c is MISSING else c for c, o in zip(data.get("ons_code"), old_c)]
    else:
        old_c = new_c = [None] * len(data)
    allowed: dict[tuple, str] = {}

    def refusal(scope, also) -> str:
        for s in dict.fromkeys([scope, also]):  # the row as it would be, then as it is
            if s not in allowed:
                allowed[s] = who(*s)
            if allowed[s]:
                return allowed[s]
        return ""

    # Who may change what, per distinct (new scope, stored scope) pair, then the first row refused.
    # The row's programme: the one given for it, else its own programme_id, else the stored row's.
    firsts = [(programmes[i] if programmes else None) or (stored[i] if given[i] is MISSING else given[i])
              for i in order]
    pairs = [((p, new_c[i]), (p, new_c[i]) if found[i] is None else
              (stored[i] if "programme_id" in existing.columns else p, old_c[i])) for p, i in zip(firsts, order)]
    verdicts = {pair: refusal(*pair) for pair in dict.fromkeys(pairs)}
    refused = len(order)  # where the first refused row is in `order`
    if any(verdicts.values()):
        refused = next(n for n, pair in enumerate(pairs) if verdicts[pair])
    # Frozen and stale rows: only stored rows are either, and only rows before the first refusal count.
    frozen_at = existing.get(frozen[0]) if frozen else None
    versions = existing.get("row_version")
    if frozen or (expected_versions and has_version):
        for i in order[:refused]:
            at = found[i]
            if at is None:
                continue
            key = {c: data.get(c)[i] for c in pk}
            if frozen and frozen_at[at] == frozen[1]:
                return (f"{table} {json_object(key)} was {frozen[1]} and can no longer be changed; "
                        f"record a correction as a new version instead.")
            expected = expected_versions[i] if expected_versions else None
            if expected is not None and has_version and versions[at] != expected:
                theirs = {c: plain(existing.get(c)[at]) for c in data.names if c in changes[i]}
                return (f"{table} {json_object(key)} was changed by someone else since you checked it (now version "
                        f"{versions[at]}, you had {expected}). Their values: {json.dumps(theirs)}. "
                        f"Check the file again.")
    if refused < len(order):
        key = {c: data.get(c)[order[refused]] for c in pk}
        return f"{table} {json_object(key)}: {verdicts[pairs[refused]]}"
    return ""


def insert_groups(data: Rows, inserts: list[int], defaulted: set[str]) -> dict[tuple[str, ...], list[int]]:
    """New rows grouped by the columns they give: a None in a column with a default, or a column
    a row does not name, is left out so the default applies."""
    names = data.names
    optional = [c for c in names if c in defaulted or (data.sparse and has_missing(data.get(c)))]
    if not optional:
        return {tuple(names): inserts} if inserts else {}
    groups: dict[tuple[str, ...], list[int]] = {}
    for i in inserts:
        out = {c for c in optional if data.get(c)[i] is MISSING or (data.get(c)[i] is None and c in defaulted)}
        groups.setdefault(tuple(c for c in names if c not in out), []).append(i)
    return groups


def json_at(rows: Rows, positions: list[int | None]) -> list[str | None]:
    """The change log's JSON of the row at each position (None where there is none)."""
    if positions.count(None) == len(positions):
        return [None] * len(positions)
    if len(positions) == len(rows) and positions == list(range(len(rows))):
        return json_objects(rows)  # a row for each position, in order
    texts = iter(json_objects(rows.take([p for p in positions if p is not None])))
    return [None if p is None else next(texts) for p in positions]

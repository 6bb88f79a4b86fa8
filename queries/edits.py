"""Edits made in place on the Data page, saved as one write: the editor's rows checked like an
import, rows someone else changed since they were opened refused, a key changed in place refused,
deletions only when confirmed, then everything (with the deletions) in one transaction."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from monitor.formatting import counted
from monitor.imports import edits
from monitor.imports.spec import TableSpec
from monitor.imports.validate import problem_rows
from monitor.permissions import Actor
from queries import imports
from queries.write import Change, WriteRefused, write


@dataclass(frozen=True)
class Saved:
    """What the page says after a save: `ok`, its message or messages, and any problems as a table."""

    ok: bool
    messages: tuple[str, ...]
    problems: pd.DataFrame | None = None


def save_edits(spec: TableSpec, specs: dict[str, TableSpec], base: pd.DataFrame, state: dict, *, programme: str,
               confirmed: bool, actor: Actor, db=None) -> Saved:
    """Save the data editor's `state` over the rows it opened (`base`) as `actor`."""
    table_name = spec.name
    deleting = edits.deleted_keys(spec, base, state)
    if deleting and not confirmed:
        return Saved(False, ("Tick the box to confirm the deletions, then save again.",))
    sheet, origins = edits.editor_sheet(spec, base, state)
    records = base.to_dict("records")
    opened = [records[i] for i in origins if i >= 0] + [records[i] for i in state.get("deleted_rows") or []]
    stale = edits.conflicts(spec, opened, imports.current_rows(table_name, db=db))
    if stale:
        return Saved(False, tuple(f"Not saved: {m}" for m in stale))
    names = [c.name for c in spec.importable]
    moved = [n for n, i, r in zip(sheet.numbers, origins, sheet.rows)
             if i >= 0 and any(edits.text_of(records[i][k]) != r[names.index(k)] for k in spec.key)]
    if moved:
        rows = f"{'row' if len(moved) == 1 else 'rows'} {', '.join(map(str, moved))}"
        return Saved(False, (f"Not saved: the key ({', '.join(spec.key)}) of editor {rows} was changed. "
                             "Add a new row instead, and delete the old one.",))
    checked = imports.validate_sheet(sheet, spec, specs, actor=actor, db=db) if sheet.rows else None
    if checked is not None and not checked.ok:
        return Saved(False, (f"Not saved: {counted(len(checked.problems), 'problem')}.",),
                     pd.DataFrame(problem_rows(checked.problems)))
    plan = checked.plan if checked else None
    changes = [Change(table_name, act, {k: row[k] for k in spec.key},
                      {k: v for k, v in row.items() if k not in spec.key},
                      expected_version=records[o].get("row_version") if o >= 0 else None, programme_id=prog)
               for row, act, prog, o in zip(plan.rows, plan.actions, plan.programmes, origins)
               if act != "unchanged"] if plan else []
    changes += [Change(table_name, "delete", key, expected_version=version, programme_id=programme)
                for key, version in deleting]
    try:
        done = write(changes, actor=actor, note="edited on the Data page", db=db)
    except WriteRefused as exc:
        return Saved(False, (f"Not saved: {exc}",))
    return Saved(True, (f"Saved: {done.inserted} added, {done.updated} changed, {done.deleted} deleted.",))

"""Re-loading a newer Ofsted publication: what to insert, update or delete, as a pure diff.

`plan_ofsted_reload(inspections, judgements, existing_inspections, existing_judgements)` compares
freshly loaded frames (the loaders in `monitor.loaders.ofsted`) with what the database holds and
returns `monitor.changes.Change`s, which `queries.write.write` applies in one transaction and logs
in `change_log`:

- an inspection not yet stored is inserted, with its judgements;
- a stored inspection whose published details changed (a corrected publication date, link, theme
  or region) is updated — only the columns that changed, plus `source` (the file it now comes from);
- a corrected grade is an update of that judgement; a judgement the newer publication no longer
  gives for an inspection it still lists is deleted; a judgement it adds is inserted;
- nothing else: an inspection stored but absent from the new files is kept (files cover different
  years), and an unchanged row produces no change at all, so re-loading the same files is a no-op.

Never a duplicate: inspections are matched on their stable id (council, framework, kind, date).
When Ofsted corrects an inspection date the id changes, so an unmatched new row is also matched to
a stored row of the same council, framework and kind with the same publication date (or the same
inspection date) that the new files no longer list: that is the same inspection, updated in place
under its stored id.

`load_ofsted_file(path, authorities)` picks the loader from the file's header, so the Data page can
hand it any official upload.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from monitor.loaders import ofsted as ofsted_loaders
from monitor.loaders import tables
from monitor.loaders.problems import LoadError, Problem
from monitor.loaders.reading import header_key
from monitor.changes import Change

INSPECTION_TABLE = "ofsted_inspection"
JUDGEMENT_TABLE = "ofsted_judgement"
DATE_COLUMNS = ("inspection_date", "published_date")
# The columns of an inspection a newer publication may correct (the id is the key, source follows).
INSPECTION_VALUES = tuple(c for c in tables.OFSTED_INSPECTION if c not in ("inspection_id", "source"))

LAYOUTS = {  # a header only this layout has -> (name, loader)
    "inspection/visit type": ("in-year inspections and visits", ofsted_loaders.load_ofsted_in_year),
    "inspection type": ("ILACS inspection history", ofsted_loaders.load_ofsted_ilacs_history),
    "la region": ("2009-2023 wide table", ofsted_loaders.load_ofsted_wide_2009_2023),
}


def _plain(value, *, date: bool = False):
    """A comparable, bindable Python value: None for every kind of missing, dates as dt.date."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if date or isinstance(value, (pd.Timestamp, dt.datetime)):
        return pd.Timestamp(value).date()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _records(frame: pd.DataFrame, columns: Iterable[str]) -> list[dict]:
    columns = list(columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks columns {missing}")
    out = []
    for rec in frame[columns].to_dict("records"):
        out.append({c: _plain(v, date=c in DATE_COLUMNS) for c, v in rec.items()})
    return out


def _by_key(records: list[dict], key: tuple[str, ...], what: str) -> dict[tuple, dict]:
    out: dict[tuple, dict] = {}
    for rec in records:
        k = tuple(rec[c] for c in key)
        if k in out:
            raise ValueError(f"{what} {k} appears twice in the new files: load each inspection once")
        out[k] = rec
    return out


def _match_corrected(new: dict[str, dict], stored: dict[str, dict]) -> dict[str, str]:
    """new inspection_id -> stored inspection_id, for inspections whose id changed because a date
    was corrected (see the module docstring). Only unambiguous one-to-one matches."""
    unmatched_new = [i for i in new if i not in stored]
    orphans = [s for s in stored if s not in new]
    if not unmatched_new or not orphans:
        return {}

    def ident(rec):
        return rec["ons_code"], rec["framework"], rec["kind"]

    candidates: dict[str, list[str]] = {}
    for nid in unmatched_new:
        n = new[nid]
        hits = [sid for sid in orphans if ident(stored[sid]) == ident(n) and any(
            n[c] is not None and stored[sid][c] == n[c] for c in DATE_COLUMNS)]
        if len(hits) == 1:
            candidates[nid] = hits
    claimed: dict[str, list[str]] = {}
    for nid, hits in candidates.items():
        claimed.setdefault(hits[0], []).append(nid)
    return {nids[0]: sid for sid, nids in claimed.items() if len(nids) == 1}


def plan_ofsted_reload(inspections: pd.DataFrame, judgements: pd.DataFrame,
                       existing_inspections: pd.DataFrame, existing_judgements: pd.DataFrame) -> list[Change]:
    """The changes that bring the stored Ofsted tables up to date with freshly loaded frames.

    All four frames have the columns of their table (`ofsted_inspection`, `ofsted_judgement`; extra
    columns are ignored). Returns inserts of inspections first, then their updates, then judgement
    deletes, inserts and updates — the order the foreign keys need. Raises ValueError when the new
    frames contradict themselves (an inspection or judgement twice, a judgement of an unknown
    inspection).
    """
    new = {k[0]: v for k, v in _by_key(_records(inspections, tables.OFSTED_INSPECTION), ("inspection_id",),
                                           "inspection").items()}
    stored = {k[0]: v for k, v in _by_key(_records(existing_inspections, tables.OFSTED_INSPECTION),
                                              ("inspection_id",), "stored inspection").items()}
    new_j = _by_key(_records(judgements, tables.OFSTED_JUDGEMENT), ("inspection_id", "judgement_area"), "judgement")
    stored_j = _by_key(_records(existing_judgements, tables.OFSTED_JUDGEMENT), ("inspection_id", "judgement_area"),
                       "stored judgement")
    renamed = _match_corrected(new, stored)

    def stored_id(new_id: str) -> str:
        return renamed.get(new_id, new_id)

    inserts: list[Change] = []
    updates: list[Change] = []
    for nid, rec in new.items():
        sid = stored_id(nid)
        before = stored.get(sid)
        if before is None:
            inserts.append(Change(INSPECTION_TABLE, "insert", {"inspection_id": nid},
                                  {c: rec[c] for c in (*INSPECTION_VALUES, "source")}))
            continue
        changed = {c: rec[c] for c in INSPECTION_VALUES if rec[c] != before[c]}
        if changed:
            if rec["source"] != before["source"]:
                changed["source"] = rec["source"]
            updates.append(Change(INSPECTION_TABLE, "update", {"inspection_id": sid}, changed))

    known = set(stored) | set(new)
    deletes_j: list[Change] = []
    inserts_j: list[Change] = []
    updates_j: list[Change] = []
    fresh_keys = set()
    for (nid, area), rec in new_j.items():
        if nid not in known:
            raise ValueError(f"judgement '{area}' belongs to inspection {nid}, which is neither loaded nor stored")
        sid = stored_id(nid)
        key = {"inspection_id": sid, "judgement_area": area}
        fresh_keys.add((sid, area))
        before = stored_j.get((sid, area))
        if before is None:
            inserts_j.append(Change(JUDGEMENT_TABLE, "insert", key, {"grade": rec["grade"], "source": rec["source"]}))
        elif before["grade"] != rec["grade"]:
            values = {"grade": rec["grade"]}
            if before["source"] != rec["source"]:
                values["source"] = rec["source"]
            updates_j.append(Change(JUDGEMENT_TABLE, "update", key, values))
    relisted = {stored_id(nid) for nid in new}
    for (sid, area) in stored_j:
        if sid in relisted and (sid, area) not in fresh_keys:
            deletes_j.append(Change(JUDGEMENT_TABLE, "delete", {"inspection_id": sid, "judgement_area": area}))
    return [*inserts, *updates, *deletes_j, *inserts_j, *updates_j]


def summarise_plan(changes: list[Change]) -> dict[str, int]:
    """{'inspections inserted': n, ...} for a message such as 'Re-load: 3 inspections inserted, ...'."""
    out: dict[str, int] = {}
    for change in changes:
        if change.table not in (INSPECTION_TABLE, JUDGEMENT_TABLE):  # the file's own data_source row
            continue
        noun = "inspections" if change.table == INSPECTION_TABLE else "judgements"
        verb = {"insert": "inserted", "update": "updated", "delete": "deleted"}.get(change.action, change.action)
        out[f"{noun} {verb}"] = out.get(f"{noun} {verb}", 0) + 1
    return out


def describe_plan(changes: list[Change]) -> str:
    counts = summarise_plan(changes)
    if not counts:
        return "Nothing to change: the stored inspections and grades already match these files."
    return "; ".join(f"{n} {what}" for what, n in counts.items())


def file_layout(path: str | Path) -> tuple[str, object]:
    """(layout name, loader) for an Ofsted file, recognised by its header; LoadError otherwise."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        header = []
    keys = {header_key(h) for h in header}
    for marker, layout in LAYOUTS.items():
        if marker in keys:
            return layout
    raise LoadError([Problem(path.name, 1 if header else None, None, None,
                             "not an Ofsted layout this app reads: expected the ILACS inspection history, "
                             "the in-year inspections and visits, or the 2009-2023 wide table (or, on its own, "
                             "Data to Insight's ILACS summary workbook)")])


def load_ofsted_files(paths: Iterable[str | Path], authorities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load several Ofsted files of any published layout: (inspections, judgements).

    Every file is checked; the problems of all of them are raised together as one LoadError, so
    nothing is planned (or written) while any file is wrong.
    """
    problems: list[Problem] = []
    inspections, judgements = [], []
    for path in paths:
        try:
            _, loader = file_layout(path)
            ins, jud = loader(path, authorities)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        inspections.append(ins)
        judgements.append(jud)
    if problems:
        raise LoadError(problems)
    if not inspections:
        return tables.frame([], tables.OFSTED_INSPECTION), tables.frame([], tables.OFSTED_JUDGEMENT)
    return pd.concat(inspections, ignore_index=True), pd.concat(judgements, ignore_index=True)

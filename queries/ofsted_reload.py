"""Re-load a newer Ofsted publication into the database: new inspections inserted, corrected grades
updated (each logged in change_log by the write function), never a duplicate.

    python -m queries.ofsted_reload --db data/monitor.duckdb data/official/ofsted_*.csv
    python -m queries.ofsted_reload --db data/monitor.duckdb ofsted_csc_ilacs_overview.xlsx

The files are checked first (all problems of all files at once, with file, row and column); when
any is wrong nothing is written. See monitor.ofsted.reload for what counts as a change. Data to
Insight's ILACS summary workbook is planned by monitor.loaders.d2i (on its own, after Ofsted's
files): its newer inspections are inserted, and where it disagrees with Ofsted's release the release
stands and the difference is reported.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from monitor import clock
from monitor.loaders import d2i, official
from monitor.loaders.d2i import is_d2i_workbook, load_d2i_overview
from monitor.loaders.d2i_plan import D2IPlan, plan_d2i
from monitor.loaders.frameworks import Frameworks
from monitor.loaders.problems import LoadError, Problem
from monitor.ofsted.reload import (INSPECTION_TABLE, JUDGEMENT_TABLE, describe_plan, load_ofsted_files,
                                   plan_ofsted_reload)
from monitor.permissions import SYSTEM, Actor
from queries.loader import run
from queries.write import Change, WriteRefused, WriteResult, write

# What a newly loaded Ofsted file is listed as, when it is not one the build knows by name.
OFSTED_SOURCE = {"publisher": "Ofsted", "title": "Local authority inspection outcomes (as published)",
                 "licence": "Open Government Licence v3.0", "source_url": None}


@dataclass
class ReloadOutcome:
    changes: list[Change]
    result: WriteResult
    differences: list[Problem] = field(default_factory=list)  # where Ofsted's release stood

    @property
    def summary(self) -> str:
        return describe_plan(self.changes)


@dataclass
class ReloadPlan:
    changes: list[Change]
    differences: list[Problem] = field(default_factory=list)


def plan_files(paths, *, db=None) -> ReloadPlan:
    """What re-loading `paths` would change (nothing is written). Raises LoadError."""
    paths = [Path(p) for p in paths]
    authorities = run("ofsted/reload_authorities", db=db)
    workbooks = [p for p in paths if is_d2i_workbook(p)]
    if workbooks:
        if len(paths) > 1:
            raise LoadError([Problem(p.name, None, None, None, "load Data to Insight's workbook on its own, "
                                     "after Ofsted's files") for p in workbooks])
        rows = load_d2i_overview(paths[0], authorities, Frameworks.from_rows(run("ofsted/frameworks", db=db)))
        plan = plan_d2i(rows, run("ofsted/reload_existing_inspections", db=db), run("ofsted/judgements", db=db),
                        paths[0].name)
        changes = d2i_changes(plan)
        return ReloadPlan(changes + source_changes(paths, changes, db), plan.differences)
    inspections, judgements = load_ofsted_files(paths, authorities)
    changes = plan_ofsted_reload(inspections, judgements, run("ofsted/reload_existing_inspections", db=db),
                                 run("ofsted/judgements", db=db))
    return ReloadPlan(changes + source_changes(paths, changes, db))


def source_changes(paths: list[Path], changes: list[Change], db) -> list[Change]:
    """A file whose rows are written is listed as a data source (About shows it, and every row's
    source must name a listed file): a new file's data_source row, written with the rows."""
    if not changes:
        return []
    listed = set(run("about/data_sources", db=db)["source_file"])
    known = {s["source_file"]: s for s in [*official.SOURCES, d2i.SOURCE]}
    out = []
    for path in paths:
        if path.name in listed:
            continue
        like = known.get(path.name) or (d2i.SOURCE if is_d2i_workbook(path) else OFSTED_SOURCE)
        rows = sum(1 for c in changes if c.table == INSPECTION_TABLE and c.action == "insert")
        out.append(Change("data_source", "insert", {"source_file": path.name}, {
            "publisher": like["publisher"], "title": f"{like['title']} (loaded from {path.name})",
            "published_date": None, "licence": like["licence"], "source_url": like.get("source_url"),
            "loaded_into": "ofsted_inspection, ofsted_judgement", "row_count": rows, "loaded_at": clock.now()}))
    return out


def plan_from_files(paths, *, db=None) -> list[Change]:
    """The changes re-loading `paths` would make (nothing is written). Raises LoadError."""
    return plan_files(paths, db=db).changes


def d2i_changes(plan: D2IPlan) -> list[Change]:
    """The workbook's plan as writes, in the order the foreign keys need; each is logged by write()."""
    def values(row: dict, key: tuple[str, ...]) -> tuple[dict, dict]:
        return {k: row[k] for k in key}, {k: v for k, v in row.items() if k not in key}

    ikey, jkey = ("inspection_id",), ("inspection_id", "judgement_area")
    return [*(Change(INSPECTION_TABLE, "insert", *values(r, ikey)) for r in plan.inspections),
            *(Change(INSPECTION_TABLE, "update", k, v) for k, v in plan.inspection_updates),
            *(Change(JUDGEMENT_TABLE, "delete", k) for k in plan.judgement_deletes),
            *(Change(JUDGEMENT_TABLE, "insert", *values(r, jkey)) for r in plan.judgements),
            *(Change(JUDGEMENT_TABLE, "update", k, v) for k, v in plan.judgement_updates)]


def reload_ofsted(paths, *, actor: Actor, db=None, note: str | None = None) -> ReloadOutcome:
    """Check, plan and write a re-load of Ofsted files as `actor`, all-or-nothing.

    Raises LoadError (bad files: nothing written) or WriteRefused (refused write: nothing written).
    """
    paths = [Path(p) for p in paths]
    plan = plan_files(paths, db=db)
    note = note or "Ofsted re-load from " + ", ".join(p.name for p in paths)
    result = write(plan.changes, actor=actor, note=note, db=db) if plan.changes else WriteResult()
    return ReloadOutcome(plan.changes, result, plan.differences)


def _say_differences(differences: list[Problem]) -> None:
    for difference in differences:
        print(f"Kept Ofsted's release: {difference}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-load Ofsted's published files into the database.")
    parser.add_argument("files", nargs="+", type=Path,
                        help="Ofsted CSV files as published, or Data to Insight's ILACS summary workbook (.xlsx)")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: $MONITOR_DB or data/monitor.duckdb)")
    parser.add_argument("--dry-run", action="store_true", help="only say what would change")
    args = parser.parse_args(argv)
    try:
        if args.dry_run:
            plan = plan_files(args.files, db=args.db)
            _say_differences(plan.differences)
            print("Would change: " + describe_plan(plan.changes))
            return 0
        outcome = reload_ofsted(args.files, actor=SYSTEM, db=args.db)
        _say_differences(outcome.differences)
    except LoadError as exc:
        print("Nothing was written; the files have problems:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except WriteRefused as exc:
        print(f"Nothing was written: {exc}", file=sys.stderr)
        return 1
    print("Re-loaded: " + outcome.summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())

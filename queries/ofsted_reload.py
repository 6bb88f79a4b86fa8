"""Re-load a newer Ofsted publication into the database: new inspections inserted, corrected grades
updated (each logged in change_log by the write function), never a duplicate.

    python -m queries.ofsted_reload --db data/monitor.duckdb data/official/ofsted_*.csv

The files are checked first (all problems of all files at once, with file, row and column); when
any is wrong nothing is written. See monitor.ofsted_reload for what counts as a change.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from monitor.loaders.problems import LoadError
from monitor.ofsted_reload import describe_plan, load_ofsted_files, plan_ofsted_reload
from monitor.permissions import SYSTEM, Actor
from queries.loader import run
from queries.write import Change, WriteRefused, WriteResult, write


@dataclass
class ReloadOutcome:
    changes: list[Change]
    result: WriteResult

    @property
    def summary(self) -> str:
        return describe_plan(self.changes)


def plan_from_files(paths, *, db=None) -> list[Change]:
    """The changes re-loading `paths` would make (nothing is written). Raises LoadError."""
    authorities = run("ofsted/reload_authorities", db=db)
    inspections, judgements = load_ofsted_files([Path(p) for p in paths], authorities)
    return plan_ofsted_reload(inspections, judgements, run("ofsted/reload_existing_inspections", db=db),
                              run("ofsted/judgements", db=db))


def reload_ofsted(paths, *, actor: Actor, db=None, note: str | None = None) -> ReloadOutcome:
    """Check, plan and write a re-load of Ofsted files as `actor`, all-or-nothing.

    Raises LoadError (bad files: nothing written) or WriteRefused (refused write: nothing written).
    """
    paths = [Path(p) for p in paths]
    changes = plan_from_files(paths, db=db)
    note = note or "Ofsted re-load from " + ", ".join(p.name for p in paths)
    result = write(changes, actor=actor, note=note, db=db) if changes else WriteResult()
    return ReloadOutcome(changes, result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-load Ofsted's published files into the database.")
    parser.add_argument("files", nargs="+", type=Path, help="Ofsted CSV files as published")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: $MONITOR_DB or data/monitor.duckdb)")
    parser.add_argument("--dry-run", action="store_true", help="only say what would change")
    args = parser.parse_args(argv)
    try:
        if args.dry_run:
            print("Would change: " + describe_plan(plan_from_files(args.files, db=args.db)))
            return 0
        outcome = reload_ofsted(args.files, actor=SYSTEM, db=args.db)
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

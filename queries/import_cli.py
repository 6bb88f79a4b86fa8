"""`make import FILE=path [DB=path] [TABLE=name]`: import any file the Data page accepts, for
scheduled loads, with the same checks.

    python -m queries.import_cli FILE [--db PATH] [--table NAME] [--as EMAIL] [--dry-run]

Prints each problem as `file:row:column: message` and exits 1, writing nothing, when the file has
any problem, or one `file:-:-: message` line when the write is refused or fails (a full disk: the
transaction is rolled back, nothing is written); otherwise prints the inserted / updated /
unchanged counts and exits 0. Exits 2 when the database cannot be opened (for instance while the
dashboard holds it: DuckDB lets one program hold the file; or PostgreSQL is not answering), with a
plain message instead of a stack trace. The database: --db (a file or a postgresql:// address), else
$DATABASE_URL, else $MONITOR_DB, else data/monitor.duckdb.

Who imports: `--as EMAIL` acts as that registered, active user (their role and programmes apply);
without it the import runs as the command-line operator, an administrator, recorded in the change
log as `<login name>@command-line`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monitor.formatting import counted
from queries import cli
from monitor.permissions import Actor, actor_for_email
from queries.db import DB_ERRORS, DatabaseUnavailable, target
from queries.loader import run
from queries.write import WriteRefused

EXIT_OK, EXIT_PROBLEMS, EXIT_UNAVAILABLE = 0, 1, 2




def actor_for(email: str, db) -> Actor | None:
    """The registered, active user with this address (matched as at sign-in: monitor.permissions)."""
    return actor_for_email(run("users/app_users", db=db), email)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make import", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="CSV or XLSX file (a template filled in, or an official file)")
    parser.add_argument("--db", default=None, help="database file or postgresql:// address (default: $DATABASE_URL, "
                        "else $MONITOR_DB, else data/monitor.duckdb)")
    parser.add_argument("--table", default=None, help="the table to load (default: told from the headers)")
    parser.add_argument("--as", dest="email", default=None, help="act as this registered user")
    parser.add_argument("--dry-run", action="store_true", help="check the file and say what would change; write nothing")
    parser.add_argument("--progress", action="store_true", help="report each stage on stderr")
    args = parser.parse_args(argv)
    try:
        db = target(args.db)
    except DatabaseUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNAVAILABLE

    def progress(text: str) -> None:
        if args.progress:
            print(text, file=sys.stderr, flush=True)

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"{args.file}:-:-: cannot read the file ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_PROBLEMS
    from queries.imports import run_import, validate_upload  # after argument errors, which need no pandas

    try:
        actor = cli.actor()
        if args.email:
            actor = actor_for(args.email, db)
            if actor is None:
                print(f"{args.email} is not an active registered user of this database.", file=sys.stderr)
                return EXIT_UNAVAILABLE
        progress(f"checking {args.file.name}")
        validation = validate_upload(args.file.name, data, actor=actor, table=args.table, db=db)
        if not validation.ok:
            for problem in validation.problems:
                print(problem)
            print(f"{counted(len(validation.problems), 'problem')}: nothing was written.", file=sys.stderr)
            return EXIT_PROBLEMS
        if args.dry_run:
            print(f"{validation.file} → {validation.table}: would be {validation.summary()} (nothing written).")
            return EXIT_OK
        progress(f"writing {validation.summary()}")
        result = run_import(validation, actor=actor, db=db, note=f"make import of {validation.file}")
        progress("committed")
    except DatabaseUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNAVAILABLE
    except WriteRefused as exc:
        print(f"{args.file.name}:-:-: {exc}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    except (OSError, *DB_ERRORS) as exc:  # a full disk, a database closed under us: one line, not a trace
        text = str(exc).split("\n")[0] if isinstance(exc, DB_ERRORS) else (exc.strerror or str(exc))
        print(f"{args.file.name}:-:-: the import stopped: {text}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    deleted = f", {result.deleted} deleted" if result.deleted else ""
    print(f"{validation.file} → {validation.table}: {result.inserted} inserted, {result.updated} updated, "
          f"{result.unchanged} unchanged{deleted}."
          + (" Nothing changed." if not result.changed else ""))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

"""`make backup OUT=path.zip [DB=path]` and `make restore FILE=path.zip [DB=path]`: backups from a
scheduler, with the same checks, the same signature and the same summary as the Data page.

    python -m queries.backup_cli backup OUT [--db PATH]
    python -m queries.backup_cli restore FILE [--db PATH] [--check]

Exit status: 0 done; 1 refused or not written — each problem as `file:-:-: message` on stderr,
and nothing written (a backup is written whole or not at all); 2 the database cannot be opened
(for instance while the dashboard holds it: DuckDB lets one program hold the file; or PostgreSQL
is not answering). The database: --db (a file or a postgresql:// address), else $DATABASE_URL,
else $MONITOR_DB, else data/monitor.duckdb. On PostgreSQL the dashboard may keep running: a backup
reads every table as of one moment, and a restore is refused if anything was saved meanwhile.

Both use this installation's backup key (MONITOR_BACKUP_KEY, `[backup] key` in
.streamlit/secrets.toml, or .streamlit/backup.key): a backup restores only with the key it was
made with. A restore from here acts as an administrator named `command line (<login name>)` in
the change log.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path

from monitor.formatting import counted
from queries import cli
from queries.backup import (MANIFEST, BackupKeyError, RestoreRefused, backup_key, backup_zip, check_backup,
                            restore_backup, write_file)
from queries.backup.archive import MAX_BACKUP_BYTES, BackupFailed, reason
from queries.db import DatabaseUnavailable, describe, target

EXIT_OK, EXIT_REFUSED, EXIT_UNAVAILABLE = 0, 1, 2




def refuse(file, message: str) -> int:
    print(f"{file}:-:-: {message}", file=sys.stderr)
    return EXIT_REFUSED


def backup(out: Path, db) -> int:
    try:
        key = backup_key()
        name, data = backup_zip(db, key=key)
    except (BackupKeyError, BackupFailed) as exc:
        return refuse(out, str(exc))
    try:
        write_file(out, data)
    except OSError as exc:
        return refuse(out, f"the backup could not be written ({reason(exc)}); nothing was written")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        tables = json.loads(archive.read(MANIFEST))["tables"]
    print(f"Backed up {counted(len(tables), 'table')} ({counted(sum(t['rows'] for t in tables.values()), 'row')}) "
          f"of {describe(db)} to {out}, signed with the backup key from {key.where}.")
    return EXIT_OK


def restore(file: Path, db, *, check_only: bool) -> int:
    try:
        if file.stat().st_size > MAX_BACKUP_BYTES:
            return refuse(file, f"the file is larger than {MAX_BACKUP_BYTES / 1e6:.0f} MB")
        data = file.read_bytes()
    except OSError as exc:
        return refuse(file, f"cannot read the file ({exc.strerror or exc})")
    try:
        if check_only:
            check = check_backup(str(file), data, db)
            if not check.ok:
                raise RestoreRefused(check.problems)
            print(f"{file}: made {check.manifest['created_at']}, schema version {check.manifest['schema_version']}; "
                  "it passed every check (nothing was restored).")
            return EXIT_OK
        summary = restore_backup(str(file), data, actor=cli.actor(), db=db)
    except RestoreRefused as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{counted(len(exc.problems), 'problem')}: nothing was changed.", file=sys.stderr)
        return EXIT_REFUSED
    print("\n".join(summary.lines()))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m queries.backup_cli", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("backup", help="write a signed backup of the whole database to OUT")
    make.add_argument("out", type=Path, metavar="OUT")
    back = sub.add_parser("restore", help="check FILE and restore it, all or nothing")
    back.add_argument("file", type=Path, metavar="FILE")
    back.add_argument("--check", action="store_true", help="only check the backup; change nothing")
    for command in (make, back):
        command.add_argument("--db", default=None, help="database file or postgresql:// address (default: "
                             "$DATABASE_URL, else $MONITOR_DB, else data/monitor.duckdb)")
    args = parser.parse_args(argv)
    try:
        db = target(args.db)
    except DatabaseUnavailable as exc:
        print(f"-:-:-: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    try:
        if args.command == "backup":
            return backup(args.out, db)
        return restore(args.file, db, check_only=args.check)
    except DatabaseUnavailable as exc:
        print(f"{describe(db)}:-:-: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE


if __name__ == "__main__":
    sys.exit(main())

"""`make templates OUT=dir [DB=path]`: every import template, as the Data page's Templates tab makes
them, written to OUT as <table>.xlsx and <table>.csv (tables in the order they are loaded, parents
first). The example rows are real rows of the programmes where a table has some; with PROGRAMME=id,
that programme's rows (and examples made for it where it has none)."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from monitor.imports import templates
from monitor.imports.spec import IMPORT_TABLES
from queries.db import DatabaseUnavailable, close, database_path
from queries.imports import example_rows, table_specs
from queries.loader import run


def write_all(out: Path, db, programme: str | None = None) -> list[Path]:
    """Write every template into `out` (created if missing); each file whole or not at all."""
    out.mkdir(parents=True, exist_ok=True)
    specs = table_specs(db)
    written = []
    for table in IMPORT_TABLES:
        examples = example_rows(table, {programme} if programme else None, db=db)
        for suffix, make in ((".xlsx", templates.template_xlsx), (".csv", templates.template_csv)):
            written.append(_write(out / f"{table}{suffix}", make(specs[table], examples)))
    return written


def _write(path: Path, data: bytes) -> Path:
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make templates", description=__doc__)
    parser.add_argument("out", help="the folder to write the templates to")
    parser.add_argument("--db", default=None, help="the database file (default: $MONITOR_DB or data/monitor.duckdb)")
    parser.add_argument("--programme", default=None, help="example rows of this programme (its programme_id)")
    args = parser.parse_args(argv)
    db = args.db or str(database_path())
    out = Path(args.out)
    try:
        if args.programme:
            known = run("programmes/all", db=db)["programme_id"].tolist()
            if args.programme not in known:
                print(f"{db}:-:-: there is no programme '{args.programme}'; the programmes are {', '.join(known)}",
                      file=sys.stderr)
                return 2
        written = write_all(out, db, args.programme)
    except DatabaseUnavailable as exc:
        print(f"{db}:-:-: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{out}:-:-: cannot write the templates there ({exc.strerror or exc})", file=sys.stderr)
        return 1
    finally:
        close(db)
    print(f"Wrote {len(written)} files ({len(IMPORT_TABLES)} tables, .xlsx and .csv) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

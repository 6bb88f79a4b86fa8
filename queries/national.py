"""`make national-db`: the demo database plus a seeded synthetic national dataset
(monitor.national), built to a temporary file and renamed into place when complete (or, on
PostgreSQL, loaded into a new schema that replaces the live one in one transaction)."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import duckdb

from monitor.national import generate
from queries.build import DATA, build, build_postgres, insert_frame
from queries.pg import is_postgres

ORDER = ("programme", "programme_party", "workstream", "milestone", "milestone_snapshot", "indicator",
         "indicator_value", "commissioner_report", "saving", "risk", "risk_snapshot", "key_date")


def build_national(target, seed: int = 2026, *, log=print) -> dict[str, int]:
    """The national database at `target`: a DuckDB file, or a PostgreSQL address (built as a file,
    then loaded in one transaction)."""
    if is_postgres(target):
        return build_postgres(target, build_national, log=log, seed=seed)
    target = Path(target)
    tmp = target.with_name(f".{target.name}.national-{os.getpid()}")
    started = time.perf_counter()
    build(tmp, log=lambda *_: None)
    counts = {}
    try:
        con = duckdb.connect(str(tmp))
        try:
            authorities = con.execute("SELECT * FROM authority").df()
            frames = generate(authorities, seed=seed)
            con.begin()
            for table in ORDER:
                counts[table] = insert_frame(con, table, frames[table])
            con.commit()
            con.execute("CHECKPOINT")
        finally:
            con.close()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
    log(f"Built {target} (seed {seed}) in {time.perf_counter() - started:.1f} s")
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build the national-scale benchmark database.")
    parser.add_argument("--db", default=str(DATA / "national.duckdb"), help="a file or a postgresql:// address")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    for table, n in build_national(args.db, args.seed).items():
        print(f"  {table:<22} {n:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

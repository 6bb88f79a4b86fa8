"""`make figures [AS_OF=YYYY-MM-DD] [DB=path]`: every programme's headline figures as CSV on standard
output — the same table as the Overview's "Headline figures" download (tidy: each unit in its own
column), from the same facts."""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys

from monitor import clock
from monitor.csv_safe import to_csv_bytes
from monitor.overview.facts import headline_table, order_worst_first, programme_facts
from monitor.tidy import tidy_frame
from queries.db import DatabaseUnavailable, close, database_path
from queries.facts import fact_frames
from queries.loader import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make figures", description=__doc__)
    parser.add_argument("--db", default=None, help="the database file (default: $MONITOR_DB or data/monitor.duckdb)")
    parser.add_argument("--as-of", default=None, help="the date the figures are as at (default: today); an "
                        "earlier date reads each programme as reported at its latest reporting date by then")
    args = parser.parse_args(argv)
    db = args.db or str(database_path())
    try:
        day = dt.date.fromisoformat(args.as_of) if args.as_of else clock.today()
    except ValueError:
        print(f"{db}:-:-: AS_OF must be a date like 2026-12-04, not {args.as_of!r}", file=sys.stderr)
        return 2
    read = functools.partial(run, db=db)
    try:
        programmes = read("programmes/all")
        real_today = clock.today()
        facts = programme_facts(programmes, today=real_today, as_at={p: day for p in programmes["programme_id"]},
                                **fact_frames(read, real_today, day))
    except DatabaseUnavailable as exc:
        print(f"{db}:-:-: {exc}", file=sys.stderr)
        return 1
    finally:
        close(db)
    sys.stdout.buffer.write(to_csv_bytes(tidy_frame(headline_table(order_worst_first(facts)))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

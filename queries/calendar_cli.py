"""`make calendar [PROGRAMME=id] OUT=file.ics [DB=path]`: the governance calendar as an iCalendar file,
the same as the Calendar page's download of every date (of one programme, or of all): an event on
every key date and on every last day to give notice, reminders 28 and 7 days before each deadline,
links to the dashboard at MONITOR_BASE_URL (default http://localhost:8501)."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from monitor.calendar.ics import to_ics
from monitor.calendar.rules import filter_key_dates
from monitor.sources.links import reference_maps
from queries.db import DatabaseUnavailable, close, database_path
from queries.loader import run


def calendar_bytes(db, programme: str | None = None) -> bytes:
    """The .ics of every key date (of `programme`, when given); ValueError for an unknown programme."""
    programmes = run("programmes/all", db=db)
    names = dict(zip(programmes["programme_id"], programmes["programme_name"]))
    if programme is not None and programme not in names:
        raise ValueError(f"there is no programme '{programme}'; the programmes are {', '.join(names)}")
    key_dates = run("calendar/key_dates", db=db)
    chosen = [programme] if programme else list(names)
    scope = names[programme] if programme else f"{len(chosen)} programmes"
    # The page's name for the same file (pages/calendar.py).
    pages = reference_maps(run("about/data_sources", db=db)).pages  # where a source citing a file leads
    return to_ics(filter_key_dates(key_dates, chosen), f"Improvement Monitor key dates — {scope}", pages=pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make calendar", description=__doc__)
    parser.add_argument("out", help="the .ics file to write")
    parser.add_argument("--db", default=None, help="the database file (default: $MONITOR_DB or data/monitor.duckdb)")
    parser.add_argument("--programme", default=None, help="only this programme's dates (its programme_id)")
    args = parser.parse_args(argv)
    db = args.db or str(database_path())
    out = Path(args.out)
    try:
        data = calendar_bytes(db, args.programme or None)
    except DatabaseUnavailable as exc:
        print(f"{db}:-:-: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"{db}:-:-: {exc}", file=sys.stderr)
        return 2
    finally:
        close(db)
    try:  # whole or not at all
        with tempfile.NamedTemporaryFile(dir=out.parent or ".", prefix=f".{out.name}.", delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, out)
    except OSError as exc:
        print(f"{out}:-:-: cannot write the calendar there ({exc.strerror or exc})", file=sys.stderr)
        return 1
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make report PROGRAMME=id QUARTER=YYYY-Qn OUT=file.docx [DB=path]` and `make annual-report
PROGRAMME=id YEAR=2022/23 OUT=file.docx [DB=path]`: the Word documents of the Quarterly report page,
for councils that assemble committee papers by script — the same file the page's download gives
for the same data (a submitted report from its frozen record; any other version assembled from the
data and marked DRAFT).

    python -m queries.report_cli quarterly PROGRAMME QUARTER OUT [--db PATH]
    python -m queries.report_cli annual PROGRAMME YEAR OUT [--db PATH]

Exit status: 0 written; 1 refused — the problem as `file:-:-: message` on stderr and nothing
written; 2 the database cannot be opened (the dashboard holds it)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from monitor import clock
from monitor.periods import programme_quarters, quarter_period
from monitor.report.export import annual_docx, quarterly_docx
from queries.db import DatabaseUnavailable, close, database_path
from queries.loader import run
from queries.report import assemble, programme_meta, report_audience

EXIT_OK, EXIT_REFUSED, EXIT_UNAVAILABLE = 0, 1, 2


def refuse(file, message: str) -> int:
    print(f"{file}:-:-: {message}", file=sys.stderr)
    return EXIT_REFUSED


def write_whole(out: Path, data: bytes) -> None:
    """Written whole or not at all: a temporary file beside OUT, renamed into place."""
    tmp = out.with_name(f".{out.name}.writing-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def deliver(out: Path, db: str, make) -> int:
    """Make a document (`make()` gives the page's file name and the bytes) and write it to `out`
    whole, or refuse in one `file:-:-: message` line having written nothing: the make targets'
    shared ending."""
    try:
        name, data = make()
    except LookupError as exc:
        return refuse(out, str(exc))
    except DatabaseUnavailable as exc:
        print(f"{db}:-:-: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    finally:
        close(db)
    try:
        write_whole(out, data)
    except OSError as exc:
        return refuse(out, f"the document could not be written ({exc.strerror or exc}); nothing was written")
    print(f"Wrote {out} ({len(data):,} bytes; the page names it {name}).")
    return EXIT_OK


def document(kind: str, programme_id: str, when: str, db: str) -> tuple[str, bytes]:
    programmes = run("programmes/all", db=db).set_index("programme_id", drop=False)
    if programme_id not in programmes.index:
        known = ", ".join(sorted(programmes.index))
        raise LookupError(f"there is no programme {programme_id!r} (the programmes are: {known})")
    row = programmes.loc[programme_id]
    meta = programme_meta(row)
    quarters = programme_quarters(row["start_date"], row["end_date"], clock.today())
    reports = run("report/list", db=db, programme_id=programme_id)

    def assembled(q: str) -> dict:
        return assemble(meta, q, db=db)

    if kind == "quarterly":
        try:
            quarter_period(when)
        except ValueError:
            raise LookupError(f"QUARTER must be a quarter like 2023-Q3, not {when!r}") from None
        if when not in quarters:
            raise LookupError(f"{programme_id} has no quarter {when} (it runs {quarters[-1]} to {quarters[0]})")
        return quarterly_docx(programme_id, reports, when, assembled)
    audience = report_audience(programme_id, db=db)
    if not audience.annual_to:
        raise LookupError(f"{programme_id} reports to {audience.report_to}; it has no annual report to a partner "
                          "council (only a DfE commission has one)")
    try:
        return annual_docx(programme_id, when, quarters, reports, audience.to_dict(), assembled,
                           clock.now().replace(microsecond=0).isoformat())
    except ValueError as exc:
        raise LookupError(f"YEAR: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make report", description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["quarterly", "annual"])
    parser.add_argument("programme")
    parser.add_argument("when", help="the quarter (2023-Q3) or the financial year (2022/23)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", default=None, help="the database file (default: $MONITOR_DB or data/monitor.duckdb)")
    args = parser.parse_args(argv)
    db = args.db or str(database_path())
    return deliver(args.out, db, lambda: document(args.kind, args.programme, args.when, db))


if __name__ == "__main__":
    sys.exit(main())

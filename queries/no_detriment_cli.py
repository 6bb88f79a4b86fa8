"""`make no-detriment-report PROGRAMME=id COUNCIL=ons_code OUT=file.docx [DB=path]`: the No-detriment
page's Cabinet paper for a lending council — the same file the page's "Download the Cabinet paper
(Word)" gives for the same data on the same day — for councils that assemble committee papers by
script.

    python -m queries.no_detriment_cli PROGRAMME COUNCIL OUT [--db PATH]

Exit status: 0 written; 1 refused — the problem as `file:-:-: message` on stderr and nothing
written; 2 the database cannot be opened (the dashboard holds it)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monitor import clock
from monitor.no_detriment.council import assess_council
from monitor.no_detriment.paper import cabinet_paper, dated, file_name
from queries.db import database_path
from queries.loader import run
from queries.report import report_audience
from queries.report_cli import deliver


def document(programme_id: str, ons_code: str, db: str) -> tuple[str, bytes]:
    """(the page's file name, the paper's bytes), or LookupError saying why not."""
    programmes = run("programmes/all", db=db).set_index("programme_id", drop=False)
    if programme_id not in programmes.index:
        known = ", ".join(sorted(programmes.index))
        raise LookupError(f"there is no programme {programme_id!r} (the programmes are: {known})")
    indicators = run("no_detriment/indicators", db=db, programme_id=programme_id)
    councils = dict(zip(indicators["ons_code"], indicators["authority_name"]))
    if ons_code not in councils:
        lending = ", ".join(f"{code} ({name})" for code, name in sorted(councils.items())) or "none"
        raise LookupError(f"{ons_code!r} is not a lending council with no-detriment indicators in {programme_id} "
                          f"(its lending councils are: {lending})")
    today = clock.today()
    fetch = lambda name, **params: run(name, db=db, **params)  # noqa: E731
    nd = assess_council(fetch, programmes.loc[programme_id], ons_code, councils[ons_code], today)
    data = cabinet_paper(nd, dated=dated(today), audience=report_audience(programme_id, db=db))
    return file_name(programme_id, ons_code, today), data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make no-detriment-report", description=__doc__.split("\n\n")[0])
    parser.add_argument("programme")
    parser.add_argument("council", help="the lending council's ONS code (E10000011)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", default=None, help="the database file (default: $MONITOR_DB or data/monitor.duckdb)")
    args = parser.parse_args(argv)
    db = args.db or str(database_path())
    return deliver(args.out, db, lambda: document(args.programme, args.council, db))


if __name__ == "__main__":
    sys.exit(main())

"""The frames a quarterly report is assembled from: monitor.report.assemble_report's arguments, one
named query each (read only when an assembly is not already kept, so straight from the database)."""
from __future__ import annotations

from queries.loader import run

# The savings are the ledger's own rows (savings/by_programme), so the report's savings facts are
# computed from the same rows as the Savings page's and the Overview's.
REPORT_QUERIES = (("milestones", "report/milestones"), ("snapshots", "report/milestone_snapshots"),
                  ("indicator_values", "report/indicator_values"), ("inspections", "report/ofsted_activity"),
                  ("directions", "report/statutory_directions"), ("savings", "savings/by_programme"),
                  ("risks", "report/risks"), ("risk_snapshots", "report/risk_snapshots"),
                  ("key_dates", "report/key_dates"))


def report_frames(programme_id: str, db=None) -> dict:
    return {name: run(q, db=db, programme_id=programme_id) for name, q in REPORT_QUERIES}

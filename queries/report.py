"""The frames a quarterly report is assembled from: monitor.report.assemble_report's arguments, one
named query each (read only when an assembly is not already kept, so straight from the database)."""
from __future__ import annotations

from queries.loader import run

REPORT_QUERIES = (("milestones", "milestones"), ("snapshots", "milestone_snapshots"),
                  ("indicator_values", "indicator_values"), ("inspections", "ofsted_activity"),
                  ("directions", "statutory_directions"), ("savings", "savings_by_year"), ("risks", "risks"),
                  ("risk_snapshots", "risk_snapshots"), ("key_dates", "key_dates"))


def report_frames(programme_id: str, db=None) -> dict:
    return {name: run(f"report/{q}", db=db, programme_id=programme_id) for name, q in REPORT_QUERIES}

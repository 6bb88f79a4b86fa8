"""The annual report: four quarters' frozen records added up for the improvement partner's council."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from monitor.formatting import counted, format_date
from monitor.periods import shift_quarter
from monitor.report.assemble import SCHEMA, section
from monitor.report.confidence import confidence_label
from monitor.report.record import parse_narrative
from monitor.report.sections import _table, live_count
from monitor.values import text


def annual_report(quarters: Sequence[Mapping], records: Sequence[Mapping | None], recipient: str) -> dict:
    """Aggregate four quarters' figures (oldest first) and their report records (the
    ``commissioner_report`` rows as dicts, or None where no report was written) into one report
    for the partner council: confidence quarter by quarter, milestones over the year, the last
    quarter's indicators, savings and risks, and each quarter's summary narrative."""
    if not quarters:
        raise ValueError("an annual report needs at least one quarter")
    last = quarters[-1]
    labels = [q["quarter"] for q in quarters]
    conf_rows, ms_rows, summaries = [], [], []
    completed = slipped = 0
    for q, rec in zip(quarters, records):
        rec = rec or {}
        conf_rows.append([q["quarter"], text(rec.get("status")) or "no report",
                          confidence_label((q.get("proposed_confidence") or {}).get("level")),
                          confidence_label(rec.get("confidence")), confidence_label(rec.get("council_confidence")),
                          text(rec.get("confidence_reason"))])
        f = (section(q, "milestones") or {}).get("facts", {})
        completed += int(f.get("milestones_completed_this_quarter") or 0)
        slipped += int(f.get("milestones_slipped") or 0)
        ms_rows.append([q["quarter"], f.get("milestones_completed_this_quarter", 0), f.get("milestones_slipped", 0),
                        f.get("milestones_overdue", 0), f.get("milestones_complete", 0), live_count(f)])
        summary = parse_narrative(rec.get("narrative_json")).get("summary", "") if rec else ""
        summaries.append([q["quarter"], summary or "(no summary written)"])
    end = (section(last, "milestones") or {}).get("facts", {})
    summary_sec = {"key": "summary", "title": "Delivery confidence over the year",
                   "summary": f"Delivery confidence quarter by quarter, {labels[0]} to {labels[-1]}.",
                   "facts": {}, "illustrative": False, "charts": [],
                   "tables": [_table("Delivery confidence by quarter",
                                     ["Quarter", "Report", "Proposed from the data", "Commissioner", "Council", "Reason"],
                                     conf_rows),
                              _table("The commissioner's summary each quarter", ["Quarter", "Summary"], summaries)]}
    ms_sec = {"key": "milestones", "title": "Milestones over the year",
              "summary": (f"{counted(completed, 'milestone')} completed and {slipped} slipped over the four quarters; "
                          f"{end.get('milestones_complete', 0)} of {live_count(end)} complete at "
                          f"{format_date(last['reporting_date'])}."),
              "facts": {"milestones_completed_in_year": completed, "milestones_slipped_in_year": slipped},
              "illustrative": any((section(q, "milestones") or {}).get("illustrative") for q in quarters),
              "tables": [_table("Milestones quarter by quarter",
                                ["Quarter", "Completed", "Slipped", "Overdue at quarter end", "Complete (cumulative)",
                                 "In the plan (not dropped)"], ms_rows)],
              "charts": [{"kind": "bar", "title": "Milestones completed and slipped each quarter",
                          "summary": f"{completed} completed and {slipped} slipped over the year.",
                          "x_title": "Quarter", "y_title": "Milestones", "columns": ["Quarter", "Completed", "Slipped"],
                          "rows": [[r[0], r[1], r[2]] for r in ms_rows]}]}
    ofsted_rows = []
    for q in quarters:
        for t in (section(q, "ofsted") or {}).get("tables", []):
            if t["title"].startswith("Ofsted"):
                ofsted_rows += [[q["quarter"], *r] for r in t["rows"]]
    of_last = section(last, "ofsted") or {"facts": {}}
    of_sec = {"key": "ofsted", "title": "Ofsted and DfE activity over the year",
              "summary": (f"{counted(len(ofsted_rows), 'Ofsted inspection or visit', 'Ofsted inspections or visits')} "
                          f"over the year; latest overall grade: {of_last['facts'].get('latest_overall_grade', 'none')}."),
              "facts": {}, "illustrative": False, "charts": [],
              "tables": [_table("Ofsted inspections and visits over the year",
                                ["Quarter", "Date", "Council", "Inspection", "What happened", "Theme", "Overall grade",
                                 "Published"], ofsted_rows)]}
    carried = [dict(s, title=f"{s['title']} at the end of {last['quarter']}")
               for s in last.get("sections", []) if s["key"] in ("indicators", "savings", "risks", "key_dates")]
    return {"schema": SCHEMA, "kind": "annual", "programme_id": last.get("programme_id"),
            "programme_name": last.get("programme_name"), "recipient": recipient,
            "quarter": f"{labels[0]} to {labels[-1]}", "quarters": labels,
            "period_start": quarters[0].get("period_start"), "reporting_date": last.get("reporting_date"),
            "assembled_at": last.get("assembled_at"), "proposed_confidence": last.get("proposed_confidence"),
            "illustrative": any(q.get("illustrative") for q in quarters),
            "sections": [summary_sec, ms_sec, *[c for c in carried if c["key"] == "indicators"], of_sec,
                         *[c for c in carried if c["key"] != "indicators"]]}


def annual_quarters(quarter: str) -> list[str]:
    """The four quarters ending with ``quarter``, oldest first."""
    return [shift_quarter(quarter, -n) for n in (3, 2, 1, 0)]

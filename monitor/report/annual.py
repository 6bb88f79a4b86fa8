"""The annual report to the improvement partner's council, by financial year: its own no-detriment
position first (the verdicts of monitor.no_detriment.facts, as the year's last quarter gives them),
then the year's delivery confidence, milestones, indicators, Ofsted and DfE activity, savings,
risks and key dates, and each quarter's summary — added up from the quarters' reports (a submitted
quarter from its frozen record)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from monitor.formatting import counted, format_date
from monitor.periods import (council_quarter, financial_year, financial_year_bounds, quarter_bounds, quarter_of,
                             quarters_between)
from monitor.report.assemble import SCHEMA, section
from monitor.report.confidence import confidence_label
from monitor.report.outcomes import latest_grade_words
from monitor.report.provenance import source_note
from monitor.report.record import parse_narrative
from monitor.report.sections import _table, live_count
from monitor.values import text


def financial_year_quarters(year: str) -> list[str]:
    """The four calendar-quarter labels of a financial year, oldest first: '2022/23' →
    ['2022-Q2', '2022-Q3', '2022-Q4', '2023-Q1'] (Q1 to Q4 2022/23)."""
    start, end = financial_year_bounds(year)
    return quarters_between(quarter_of(start), quarter_of(end))


def programme_financial_years(quarters: Sequence[str]) -> list[str]:
    """The financial years a programme's quarters fall in, newest first."""
    return list(dict.fromkeys(financial_year(quarter_bounds(q)[0]) for q in quarters))


def annual_report(year: str, quarters: Sequence[Mapping], records: Sequence[Mapping | None], audience: Mapping,
                  assembled_at: str | None = None) -> dict:
    """Aggregate a financial year's quarters (their figures, oldest first, and their report records —
    the ``commissioner_report`` rows as dicts, or None where no report was written) into one report
    for the improvement partner's council (`audience`: the programme's, as a dict)."""
    if not quarters:
        raise ValueError("an annual report needs at least one quarter")
    last = quarters[-1]
    labels = [q["quarter"] for q in quarters]
    shown = [council_quarter(q) for q in labels]
    conf_rows, ms_rows, summaries = [], [], []
    completed = slipped = 0
    submitted = 0
    for q, label, rec in zip(quarters, shown, records):
        rec = rec or {}
        submitted += rec.get("status") == "submitted"
        conf_rows.append([label, text(rec.get("status")) or "no report",
                          confidence_label((q.get("proposed_confidence") or {}).get("level")) or "–",
                          confidence_label(rec.get("confidence")) or "–", confidence_label(rec.get("council_confidence")) or "–",
                          text(rec.get("confidence_reason"))])
        f = (section(q, "milestones") or {}).get("facts", {})
        completed += int(f.get("milestones_completed_this_quarter") or 0)
        slipped += int(f.get("milestones_slipped") or 0)
        ms_rows.append([label, f.get("milestones_completed_this_quarter", 0), f.get("milestones_slipped", 0),
                        f.get("milestones_overdue", 0), f.get("milestones_complete", 0), live_count(f)])
        summary = parse_narrative(rec.get("narrative_json")).get("summary", "") if rec else ""
        summaries.append([label, summary or "(no summary written)"])
    record_note = (f"Source: the quarters' reports: {submitted} of {len(quarters)} submitted (their frozen records); "
                   "any other assembled from the data.")
    council = audience.get("annual_council_name") or "the improvement partner"
    nd_last = section(last, "no_detriment")
    sections = []
    if nd_last is not None:
        nd = dict(nd_last, title=f"No detriment to {council}: position at {format_date(last.get('as_at') or last['reporting_date'])}")
        sections.append(nd)
    author = audience.get("author_title") or "commissioner"
    sections.append({
        "key": "summary", "title": "Delivery confidence over the year",
        "summary": f"Delivery confidence quarter by quarter, {shown[0]} to {shown[-1]}.", "facts": {},
        "illustrative": False, "charts": [], "source": record_note,
        "tables": [dict(_table("Delivery confidence by quarter",
                               ["Quarter", "Report", "Proposed from the data", author, "Council", "Reason"], conf_rows),
                        source=record_note),
                   dict(_table(f"The {author.lower().removeprefix('dfe ')}'s summary each quarter", ["Quarter", "Summary"],
                               summaries), source=record_note)]})
    end = (section(last, "milestones") or {}).get("facts", {})
    ms_source = (section(last, "milestones") or {}).get("source") or record_note
    sections.append({
        "key": "milestones", "title": "Milestones over the year", "source": ms_source,
        "summary": (f"{counted(completed, 'milestone')} completed and {slipped} slipped over the year; "
                    f"{end.get('milestones_complete', 0)} of {live_count(end)} complete at "
                    f"{format_date(last['reporting_date'])}."),
        "facts": {"milestones_completed_in_year": completed, "milestones_slipped_in_year": slipped},
        "illustrative": any((section(q, "milestones") or {}).get("illustrative") for q in quarters),
        "tables": [_table("Milestones quarter by quarter", ["Quarter", "Completed", "Slipped", "Overdue at quarter end",
                                                             "Complete (cumulative)", "In the plan (not dropped)"], ms_rows)],
        "charts": [{"kind": "bar", "title": "Milestones completed and slipped each quarter", "source": ms_source,
                    "summary": f"{completed} completed and {slipped} slipped over the year.",
                    "x_title": "Quarter", "y_title": "Milestones", "columns": ["Quarter", "Completed", "Slipped"],
                    "rows": [[r[0], r[1], r[2]] for r in ms_rows]}]})
    for s in sections[-1]["tables"]:
        s["source"] = ms_source
    improvement = section(last, "indicators")
    if improvement is not None:
        sections.append(dict(improvement, title=f"{improvement['title']} at the end of {shown[-1]}"))
    ofsted_rows, of_sources = [], []
    for q, label in zip(quarters, shown):
        sec = section(q, "ofsted") or {}
        for t in sec.get("tables", []):
            if t["title"].startswith("Ofsted"):
                ofsted_rows += [[label, *r] for r in t["rows"]]
                of_sources.append(t.get("source"))
    of_last = section(last, "ofsted") or {"facts": {}, "title": "Ofsted activity"}
    of_note = next((s for s in of_sources if s), None) or source_note("Ofsted's published inspection outcomes", [])
    sections.append({
        "key": "ofsted", "title": f"{of_last.get('title', 'Ofsted activity')} over the year", "facts": {},
        "summary": (f"{counted(len(ofsted_rows), 'Ofsted inspection or visit', 'Ofsted inspections or visits')} "
                    f"over the year; latest overall grade: {latest_grade_words(of_last['facts'])}."),
        "illustrative": False, "charts": [], "source": of_note,
        "tables": [dict(_table("Ofsted inspections and visits over the year",
                               ["Quarter", "Date", "Council", "Inspection", "What happened", "Theme", "Overall grade",
                                "Published"], ofsted_rows), source=of_note),
                   *[t for t in of_last.get("tables", []) if not t["title"].startswith("Ofsted")]]})
    for key in ("savings", "risks", "key_dates"):
        sec = section(last, key)
        if sec is not None:
            sections.append(dict(sec, title=f"{sec['title']} at the end of {shown[-1]}"))
    start, fy_end = financial_year_bounds(year)
    return {"schema": SCHEMA, "kind": "annual", "programme_id": last.get("programme_id"),
            "programme_name": last.get("programme_name"), "programme_kind": last.get("programme_kind"),
            "audience": dict(audience), "annual_council_name": council, "financial_year": year,
            "quarter": year, "quarters": labels, "council_quarters": shown,
            "period_start": start.isoformat(), "reporting_date": min(fy_end.isoformat(), str(last["reporting_date"])),
            "assembled_at": assembled_at or last.get("assembled_at"),
            "proposed_confidence": last.get("proposed_confidence"),
            "draft": submitted < len(quarters),
            "illustrative": any(s.get("illustrative") for s in sections),
            "sections": sections}

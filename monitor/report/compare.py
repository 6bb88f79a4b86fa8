"""Comparing a report with the previous quarter's: facts, confidence and narrative, in words."""
from __future__ import annotations

from collections.abc import Mapping

from monitor.formatting import format_pounds
from monitor.report.confidence import CONFIDENCE_LEVELS, confidence_label
from monitor.report.sections import NARRATIVE_SECTIONS, SECTION_TITLES

FACT_LABELS: dict[str, str] = {
    "milestones_total": "Milestones in the plan",
    "milestones_dropped": "Dropped from the plan",
    "milestones_complete": "Milestones complete",
    "milestones_completed_this_quarter": "Completed in the quarter",
    "milestones_slipped": "Slipped in the quarter",
    "milestones_overdue": "Overdue at the reporting date",
    "milestones_due_next_quarter": "Due in the next quarter",
    "milestones_due_by_reporting_date": "Due by the reporting date",
    "indicators": "Improvement indicators",
    "indicators_concern": "Improvement indicators: latest point of concern",
    "indicators_improvement": "Improvement indicators: latest point of improvement",
    "indicators_new_data": "Improvement indicators with new figures",
    "special_causes_in_quarter": "Special-cause points in the quarter",
    "no_detriment_indicators": "No-detriment indicators",
    "no_detriment_concerns": "No-detriment indicators of concern",
    "no_detriment_new_data": "No-detriment indicators with new figures",
    "no_detriment_verdict": "No-detriment position",
    "ofsted_events_in_quarter": "Ofsted inspections and visits",
    "directions_in_quarter": "DfE statutory direction events in the quarter",
    "directions_to_date": "DfE statutory direction events to date",
    "latest_overall_grade": "Latest Ofsted overall grade",
    "savings_year": "Financial year",
    "savings_planned_year": "Savings planned (year)",
    "savings_forecast_year": "Savings forecast (year)",
    "savings_delivered_year": "Savings delivered (year)",
    "savings_planned_to_date": "Savings planned (years reported)",
    "savings_delivered_to_date": "Savings delivered (years reported)",
    "savings_delivery_pct": "Savings delivered as % of plan",
    "risks_open": "Open risks",
    "risks_high": "Open risks scoring 10+",
    "risks_very_high": "Open risks scoring 16+",
    "risks_new": "Risks new in the quarter",
    "risks_closed": "Risks closed in the quarter",
    "risks_up": "Risks up (worse)",
    "risks_down": "Risks down (better)",
    "key_dates_ahead": "Key dates in the next six months",
    "next_dfe_report_due": "Next DfE report due",
    "next_board_meeting": "Next board meeting",
    "milestones_in_plan": "Milestones in the plan (not dropped)",
    "milestones_due_soon": "Due in the next 90 days",
}
# Facts kept for the paper's header, not figures to compare.
NOT_COMPARED = {"by_indicator", "meeting_date", "meeting_illustrative"}


MONEY_FACTS = {"savings_planned_year", "savings_forecast_year", "savings_delivered_year", "savings_planned_to_date",
               "savings_delivered_to_date"}


def _show(key: str, value) -> str:
    if value is None:
        return "–"
    if key in MONEY_FACTS:
        return format_pounds(value)
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _change(key: str, before, after) -> str:
    if before is None and after is None:
        return "no change"
    if before is None:
        return "new"
    if after is None:
        return "no longer reported"
    if isinstance(before, (int, float)) and isinstance(after, (int, float)) and not isinstance(before, bool):
        diff = after - before
        if abs(diff) < 1e-9:
            return "no change"
        shown = format_pounds(abs(diff)) if key in MONEY_FACTS else (f"{abs(diff):,.1f}" if isinstance(diff, float)
                                                                      and not float(diff).is_integer() else f"{abs(int(diff))}")
        return f"{'▲ +' if diff > 0 else '▼ −'}{shown}"
    return "no change" if before == after else "changed"


def compare(current: Mapping | None, previous: Mapping | None) -> list[dict]:
    """Figure by figure, what changed between two quarters' figures: one row per fact, in report
    order, with the previous and current value as a reader sees them and the change in words
    ("▲ +2", "▼ −£10,000", "no change", "changed", "new")."""
    rows = []
    cur_sections = {s["key"]: s for s in (current or {}).get("sections", [])}
    prev_sections = {s["key"]: s for s in (previous or {}).get("sections", [])}
    keys = [k for k in SECTION_TITLES if k in cur_sections or k in prev_sections]
    keys += [k for k in [*cur_sections, *prev_sections] if k not in keys]
    for key in dict.fromkeys(keys):
        cur = cur_sections.get(key, {}).get("facts", {})
        prev = prev_sections.get(key, {}).get("facts", {})
        names = [n for n in FACT_LABELS if n in cur or n in prev]
        names += [n for n in list(cur) + list(prev) if n not in names and n not in FACT_LABELS]
        for name in [n for n in dict.fromkeys(names) if n not in NOT_COMPARED]:
            before, after = prev.get(name), cur.get(name)
            title = cur_sections.get(key, prev_sections.get(key, {})).get("title") or SECTION_TITLES.get(key, key)
            rows.append({"section": title, "figure": FACT_LABELS.get(name, name.replace("_", " ")),
                         "previous": _show(name, before), "current": _show(name, after),
                         "change": _change(name, before, after)})
    return rows


def compare_confidence(current: Mapping, previous: Mapping | None,
                       author: str = "Commissioner's assessment") -> list[dict]:
    """The proposed, the author's (commissioner's, programme lead's) and the council's levels side by
    side with the previous quarter."""
    previous = previous or {}
    rows = []
    for field, label in (("proposed_confidence", "Proposed from the data"), ("confidence", author),
                         ("council_confidence", "Council's own assessment")):
        before, after = previous.get(field), current.get(field)
        change = ("no change" if before == after else "new" if not before else "not set" if not after else
                  ("▲ better" if CONFIDENCE_LEVELS.index(after) < CONFIDENCE_LEVELS.index(before) else "▼ worse"))
        rows.append({"section": "Delivery confidence", "figure": label, "previous": confidence_label(before) or "–",
                     "current": confidence_label(after) or "–", "change": change})
    return rows


def compare_narrative(current: Mapping[str, str], previous: Mapping[str, str]) -> list[dict]:
    """Section by section: 'unchanged', 'rewritten', 'new' or 'removed', with both texts."""
    rows = []
    keys = [k for k in NARRATIVE_SECTIONS if k in current or k in previous]
    keys += [k for k in list(current) + list(previous) if k not in keys]
    for key in dict.fromkeys(keys):
        before, after = (previous.get(key) or "").strip(), (current.get(key) or "").strip()
        if not before and not after:
            continue
        status = ("unchanged" if before == after else "new" if not before else "removed" if not after else "rewritten")
        rows.append({"section": SECTION_TITLES.get(key, key), "status": status, "previous": before, "current": after})
    return rows

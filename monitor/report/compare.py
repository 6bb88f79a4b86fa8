"""Comparing a report with the previous quarter's: facts, confidence and narrative, in words."""
from __future__ import annotations

from collections.abc import Mapping

from monitor.formatting import format_pounds
from monitor.report.confidence import CONFIDENCE_LEVELS, confidence_label
from monitor.ofsted.grades import GRADES as GRADE_ORDER  # best first
from monitor.report.outcomes import latest_grade_facts
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
    "latest_overall_grade_council": "Latest Ofsted overall grade: council",
    "latest_overall_grade_date": "Latest Ofsted overall grade: inspection date",
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
PERCENT_FACTS = {"savings_delivery_pct"}
# Which way is better, for the figures where a rise is plainly good or bad news; any other figure's
# change reads "higher" or "lower".
HIGHER_IS_BETTER = {"milestones_complete", "milestones_completed_this_quarter", "indicators_improvement",
                    "savings_delivered_year", "savings_delivered_to_date", "savings_delivery_pct", "risks_closed",
                    "risks_down"}
LOWER_IS_BETTER = {"milestones_dropped", "milestones_slipped", "milestones_overdue", "indicators_concern",
                   "no_detriment_concerns", "risks_high", "risks_very_high", "risks_up"}
# What a download of the comparison comes from (monitor.tidy.Origin).
SOURCE = ("this quarter's report and the previous quarter's, each as frozen when it was submitted, or else as "
          "assembled from the programme's records")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain(value):
    """A figure as a spreadsheet takes it: 12, not 12.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def unit_of(key: str, before, after) -> str | None:
    """A figure's unit: GBP, % or count for numbers; none for words and dates."""
    if not (_number(before) or _number(after)):
        return None
    return "GBP" if key in MONEY_FACTS else "%" if key in PERCENT_FACTS else "count"


def _direction(key: str, before, after) -> str:
    """better, worse, higher, lower, no change, new, no longer reported, changed."""
    if before == after:
        return "no change"
    if before is None:
        return "new"
    if after is None:
        return "no longer reported"
    if _number(before) and _number(after):
        if abs(after - before) < 1e-9:
            return "no change"
        up = after > before
    elif key == "latest_overall_grade" and {before, after} <= set(GRADE_ORDER):
        up = GRADE_ORDER.index(after) < GRADE_ORDER.index(before)  # up the scale is better
        return "better" if up else "worse"
    else:
        return "changed"
    if key in HIGHER_IS_BETTER or key in LOWER_IS_BETTER:
        return "better" if up == (key in HIGHER_IS_BETTER) else "worse"
    return "higher" if up else "lower"


def _show(key: str, value) -> str:
    if value is None:
        return "–"
    if key in MONEY_FACTS:
        return format_pounds(value)
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _shown_change(key: str, row: dict) -> str:
    """The change as the screen reads it: "▲ +2", "▼ −£10,000", "no change", "changed", "new"."""
    diff = row["change"]
    if diff is None or row["direction"] == "no change":
        return row["direction"]
    shown = format_pounds(abs(diff)) if key in MONEY_FACTS else (f"{abs(diff):,.1f}" if isinstance(diff, float)
                                                                  and not float(diff).is_integer() else f"{abs(int(diff))}")
    return f"{'▲ +' if diff > 0 else '▼ −'}{shown}"


def _facts(section: Mapping) -> dict:
    facts = dict(section.get("facts", {}))
    if "latest_overall_grade" in facts:  # one string in records frozen before it was kept apart
        facts.update(latest_grade_facts(facts))
    return facts


def compare(current: Mapping | None, previous: Mapping | None) -> list[dict]:
    """Figure by figure, what changed between two quarters' figures: one row per fact, in report
    order, as tidy data — the previous and current value (numbers as numbers), their unit (GBP, %,
    count; none for words and dates), the change as a signed number where both are numbers, and
    the change in a word (`_direction`). `on_screen` turns the rows into what a reader sees."""
    rows = []
    cur_sections = {s["key"]: s for s in (current or {}).get("sections", [])}
    prev_sections = {s["key"]: s for s in (previous or {}).get("sections", [])}
    keys = [k for k in SECTION_TITLES if k in cur_sections or k in prev_sections]
    keys += [k for k in [*cur_sections, *prev_sections] if k not in keys]
    for key in dict.fromkeys(keys):
        cur, prev = _facts(cur_sections.get(key, {})), _facts(prev_sections.get(key, {}))
        names = [n for n in FACT_LABELS if n in cur or n in prev]
        names += [n for n in list(cur) + list(prev) if n not in names and n not in FACT_LABELS]
        for name in [n for n in dict.fromkeys(names) if n not in NOT_COMPARED]:
            before, after = _plain(prev.get(name)), _plain(cur.get(name))
            title = cur_sections.get(key, prev_sections.get(key, {})).get("title") or SECTION_TITLES.get(key, key)
            change = _plain(round(after - before, 2)) if _number(before) and _number(after) else None
            rows.append({"section": title, "figure": FACT_LABELS.get(name, name.replace("_", " ")), "fact": name,
                         "previous": before, "current": after, "unit": unit_of(name, before, after),
                         "change": change, "direction": _direction(name, before, after)})
    return rows


_ARROWS = {"better": "▲ better", "worse": "▼ worse"}


def on_screen(rows: list[dict]) -> list[dict]:
    """The comparison as a reader sees it: values formatted ("£10,000"), the change as "▲ +2"."""
    shown = []
    for r in rows:
        key = r.get("fact", "")
        numbers = r.get("fact") is not None
        shown.append({"section": r["section"], "figure": r["figure"],
                      "previous": _show(key, r["previous"]), "current": _show(key, r["current"]),
                      "change": _shown_change(key, r) if numbers else _ARROWS.get(r["direction"], r["direction"])})
    return shown


def compare_confidence(current: Mapping, previous: Mapping | None,
                       author: str = "Commissioner's assessment") -> list[dict]:
    """The proposed, the author's (commissioner's, programme lead's) and the council's levels side by
    side with the previous quarter, each change in a word (better, worse, no change, new, not set)."""
    previous = previous or {}
    rows = []
    for field, label in (("proposed_confidence", "Proposed from the data"), ("confidence", author),
                         ("council_confidence", "Council's own assessment")):
        before, after = previous.get(field), current.get(field)
        change = ("no change" if before == after else "new" if not before else "not set" if not after else
                  ("better" if CONFIDENCE_LEVELS.index(after) < CONFIDENCE_LEVELS.index(before) else "worse"))
        rows.append({"section": "Delivery confidence", "figure": label, "fact": None,
                     "previous": confidence_label(before) or None, "current": confidence_label(after) or None,
                     "unit": None, "change": None, "direction": change})
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

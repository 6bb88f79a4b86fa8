"""Delivery confidence on the Infrastructure and Projects Authority's five-level scale: the rules
that propose a level from the report's facts, the labels, and what a submission needs."""
from __future__ import annotations

from collections.abc import Mapping

from monitor.formatting import counted

CONFIDENCE_LEVELS: tuple[str, ...] = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")


# The Infrastructure and Projects Authority's definitions (Annual Report on Major Projects).
CONFIDENCE_DEFINITIONS: dict[str, str] = {
    "Green": "Successful delivery of the project on time, budget and quality appears highly likely and there "
             "are no major outstanding issues that at this stage appear to threaten delivery significantly.",
    "Amber/Green": "Successful delivery appears probable. However, constant attention will be needed to ensure "
                   "risks do not materialise into major issues threatening delivery.",
    "Amber": "Successful delivery appears feasible but significant issues already exist, requiring management "
             "attention. These appear resolvable at this stage and, if addressed promptly, should not present "
             "a cost/schedule overrun.",
    "Amber/Red": "Successful delivery of the project is in doubt, with major risks or issues apparent in a number "
                 "of key areas. Urgent action is needed to address these problems and/or assess whether "
                 "resolution is feasible.",
    "Red": "Successful delivery of the project appears to be unachievable. There are major issues with project "
           "definition, schedule, budget, quality and/or benefits delivery, which at this stage do not appear "
           "to be manageable or resolvable. The project may need re-scoping and/or its overall viability "
           "reassessing.",
}


# Symbols so the level is never colour alone.
CONFIDENCE_SYMBOLS: dict[str, str] = {"Green": "●", "Amber/Green": "◕", "Amber": "◑", "Amber/Red": "◔", "Red": "○"}


OVERDUE_SHARE_HIGH = 0.25
SAVINGS_SHORTFALL = 0.90
SLIPPED_MANY = 3


# How the proposal is worked out: points per rule, then the total sets the level. The page and the
# Word export print these word for word.
CONFIDENCE_RULES: tuple[str, ...] = (
    f"Milestones overdue at the reporting date: more than {OVERDUE_SHARE_HIGH:.0%} of those due by then "
    "→ 2 points; any → 1 point.",
    f"Milestones slipped during the quarter: {SLIPPED_MANY} or more → 1 point.",
    "Indicators whose latest point is a special cause of concern (SPC): 2 or more → 2 points; 1 → 1 point.",
    "Open risks scoring 16 or more (likelihood × impact): 3 or more → 2 points; any → 1 point.",
    f"Savings delivered below {SAVINGS_SHORTFALL:.0%} of the plan for the years reported → 1 point.",
    "Total 0 → Green; 1 → Amber/Green; 2–3 → Amber; 4–5 → Amber/Red; 6 or more → Red.",
)


def propose_confidence(facts: Mapping[str, Mapping]) -> dict:
    """A proposed IPA level from the assembled facts (section key → facts), by ``CONFIDENCE_RULES``.
    The commissioner sets the final level; this is the data's starting point, with its reasons."""
    m = facts.get("milestones", {})
    i = facts.get("indicators", {})
    r = facts.get("risks", {})
    s = facts.get("savings", {})
    points, reasons = 0, []
    overdue, due_by = int(m.get("milestones_overdue") or 0), int(m.get("milestones_due_by_reporting_date") or 0)
    if overdue:
        share = overdue / due_by if due_by else 1.0
        p = 2 if share > OVERDUE_SHARE_HIGH else 1
        points += p
        reasons.append(f"{overdue} of {due_by} milestones due by the reporting date overdue ({share:.0%}): +{p}")
    slipped = int(m.get("milestones_slipped") or 0)
    if slipped >= SLIPPED_MANY:
        points += 1
        reasons.append(f"{counted(slipped, 'milestone')} slipped during the quarter: +1")
    concern = int(i.get("indicators_concern") or 0)
    if concern:
        p = 2 if concern >= 2 else 1
        points += p
        names = [v.get("name", k) for k, v in (i.get("by_indicator") or {}).items()
                 if str(v.get("icon") or "").startswith("special_cause_concern")]
        which = f" ({'; '.join(names)})" if names else ""
        reasons.append(f"{counted(concern, 'indicator')} with a special cause of concern at the latest point{which}: +{p}")
    very_high = int(r.get("risks_very_high") or 0)
    if very_high:
        p = 2 if very_high >= 3 else 1
        points += p
        reasons.append(f"{counted(very_high, 'open risk')} scoring 16 or more: +{p}")
    pct = s.get("savings_delivery_pct")
    if pct is not None and pct < SAVINGS_SHORTFALL * 100:
        points += 1
        reasons.append(f"savings delivered at {pct:.0f}% of plan: +1")
    level = ("Green" if points == 0 else "Amber/Green" if points == 1 else "Amber" if points <= 3
             else "Amber/Red" if points <= 5 else "Red")
    if not reasons:
        reasons.append("no overdue milestones, no indicator of concern, no open risk scoring 16+, savings on plan")
    return {"level": level, "points": points, "reasons": reasons}


def confidence_label(level: str | None) -> str:
    """'◑ Amber' — symbol and word, never colour alone; '' when not set."""
    if not level:
        return ""
    return f"{CONFIDENCE_SYMBOLS.get(level, '')} {level}".strip()


def submission_problems(confidence: str | None, reason: str | None) -> list[str]:
    """What stops a draft from being submitted (the final level and its reason are required)."""
    problems = []
    if confidence not in CONFIDENCE_LEVELS:
        problems.append("Set the delivery confidence (one of the five IPA levels).")
    if not (reason or "").strip():
        problems.append("Give the reason for the delivery confidence; it is kept with the report.")
    return problems

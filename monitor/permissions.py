"""Who may do what: the roles of DESIGN.md as plain rules, checked on the server side by the write
function and by every page's set-up (a hidden page reached by URL still cannot write).
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("chief executive", "commissioner", "programme officer", "scrutiny member", "administrator")

# Tables a programme officer maintains for their programmes (the Data page's imports and edits).
PROGRAMME_TABLES = {
    "programme", "programme_party", "workstream", "milestone", "milestone_snapshot", "indicator",
    "indicator_value", "saving", "cost_share", "appraisal", "appraisal_option", "appraisal_criterion",
    "criterion_weight", "option_rating", "risk", "risk_snapshot", "key_date", "commissioner_report",
    "statutory_direction", "ofsted_inspection", "ofsted_judgement",
}


@dataclass(frozen=True)
class Actor:
    """The signed-in person as the write function sees them."""

    email: str
    display_name: str
    role: str
    programme_ids: frozenset[str] = field(default_factory=frozenset)
    ons_code: str | None = None

    @property
    def sees_all(self) -> bool:
        return self.role == "administrator"


SYSTEM = Actor("system@improvement-monitor", "Improvement Monitor (build)", "administrator")


def may_write(actor: Actor, table: str, programme_id: str | None) -> tuple[bool, str]:
    """(allowed, reason). Scrutiny members and chief executives read only; commissioners write
    the reports of their programmes; programme officers their programmes' data; administrators all."""
    role = actor.role
    if role == "administrator":
        return True, ""
    if role in ("scrutiny member", "chief executive"):
        return False, f"A {role} can read but not change data (refused for {actor.email})."
    in_scope = programme_id is None or programme_id in actor.programme_ids
    if role == "commissioner":
        if table != "commissioner_report":
            return False, f"A commissioner can change quarterly reports only, not {table} (refused for {actor.email})."
        if not in_scope:
            return False, f"{actor.email} is not a commissioner for programme {programme_id}."
        return True, ""
    if role == "programme officer":
        if table not in PROGRAMME_TABLES and table != "app_user":
            return False, f"A programme officer cannot change {table}."
        if table == "app_user":
            return False, "Only an administrator manages users."
        if programme_id is None and table in {"statutory_direction", "ofsted_inspection", "ofsted_judgement"}:
            return True, ""
        if not in_scope:
            return False, f"{actor.email} is not a programme officer for programme {programme_id}."
        return True, ""
    return False, f"Unknown role {role!r}."


def visible_programme_ids(actor: Actor, programme_ids) -> list[str]:
    """The programmes a person may see: an administrator all; everyone else the ones they are
    registered for."""
    ids = list(programme_ids)
    if actor.sees_all:
        return ids
    return [p for p in ids if p in actor.programme_ids]

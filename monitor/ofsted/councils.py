"""Which council the Ofsted page shows and what it says about it: labels, the default council of a
programme, notes on former and merged councils, the councils to compare with."""
from __future__ import annotations

from monitor.text import plain

from dataclasses import dataclass

import pandas as pd

from monitor.formatting import format_date

STAT_NEIGHBOURS = "statistical neighbours"
MAX_COMPARE = 10


def ofsted_region(text) -> str:
    """Ofsted's region as it reads on screen (its files spell one region two ways)."""
    return "" if text is None or pd.isna(text) else str(text).replace("and The Humber", "and the Humber")


def council_labels(councils: pd.DataFrame) -> dict[str, str]:
    """ons_code -> label, ordered by name: every council, so a district can be chosen and told why
    there is nothing to show."""
    # Lists sorted in Python (stable, by name then code): Series concatenated and mapped cost more
    # than the three hundred councils themselves.
    names, codes, services, abolished = (councils[c].tolist() for c in
                                         ("authority_name", "ons_code", "is_childrens_services", "abolished_date"))
    return {codes[i]: names[i] + ("" if bool(services[i]) else " (district: no children's services)")
            + (" (no longer exists)" if pd.notna(abolished[i]) else "")
            for i in sorted(range(len(codes)), key=lambda i: (names[i], codes[i]))}


def childrens_services_codes(councils: pd.DataFrame, *, current_only: bool = False) -> list[str]:
    # Lists and a stable sort by name, as sort_values orders the names: a filtered frame
    # sorted costs more than the three hundred councils themselves.
    names, codes, services = (councils[c].tolist() for c in ("authority_name", "ons_code", "is_childrens_services"))
    abolished = councils["abolished_date"].tolist() if current_only else None
    keep = [i for i in range(len(codes)) if bool(services[i]) and (abolished is None or pd.isna(abolished[i]))]
    return [codes[i] for i in sorted(keep, key=lambda i: names[i])]


ROLE_ORDER = ("supported council", "lead", "partner", "improvement partner", "commissioner")


def default_council(parties: pd.DataFrame, programme_id: str | None) -> str | None:
    """The supported council of the programme; else its lead, else its first partner."""
    if programme_id is None or parties.empty:
        return None
    # The programme's few rows as records: a filter and a sort a role cost ~0.3 ms each.
    mine = (parties["programme_id"] == programme_id).to_numpy(dtype=bool, na_value=False)
    rows = [dict(zip(("role", "authority_name", "ons_code"), r))
            for r in zip(*(parties[c].to_numpy()[mine].tolist() for c in ("role", "authority_name", "ons_code")))]
    for role in ROLE_ORDER:
        hit = [r for r in rows if r["role"] == role]
        if hit:  # by name (stable, a missing name last), as sort_values orders them
            first = min(hit, key=lambda r: (pd.isna(r["authority_name"]), "" if pd.isna(r["authority_name"])
                                            else r["authority_name"]))
            return str(first["ons_code"])
    return None


def opening_council(programme_council: str | None, own_council: str | None, choices) -> str | None:
    """The council the Ofsted page opens on: the programme's (its supported council, or lead), else
    the person's own council, else the first council in the list — never a council written into
    the code."""
    for code in (programme_council, own_council):
        if code and code in choices:
            return code
    return next(iter(choices), None)


@dataclass(frozen=True)
class Note:
    """Something the page must say plainly about the chosen council, with where to look instead."""

    level: str  # "info" or "warning"
    text: str
    link_code: str | None = None
    link_label: str | None = None


def council_notes(council: pd.Series, has_inspections: bool) -> list[Note]:
    """What to say about a council that has no children's services or no longer exists."""
    name = council["authority_name"]
    notes: list[Note] = []
    if pd.notna(council["abolished_date"]):
        text = (f"{name} no longer exists: it was abolished on {format_date(council['abolished_date'])}. "
                "Its history is kept here as Ofsted published it.")
        link = None
        if isinstance(council["successor_name"], str):
            text += f" Its area is now served by {council['successor_name']}."
            link = (council["successor_ons_code"], f"Ofsted for {council['successor_name']}")
        notes.append(Note("warning", text, *(link or (None, None))))
    if not council["is_childrens_services"]:
        text = (f"{name} is a district council: it has no children's services, so Ofsted does not inspect it "
                "and there are no judgements to show.")
        code, upper = council["upper_tier_ons_code"], council["upper_tier_name"]
        if isinstance(upper, str):
            if pd.notna(council["upper_tier_abolished_date"]) and isinstance(council["upper_tier_successor_ons_code"], str):
                code = council["upper_tier_successor_ons_code"]
                text += (f" Children's services for its area were run by {upper}, which no longer exists; "
                         f"its inspections are listed under its successor ({code}).")
            else:
                text += f" Children's services for its area are run by {upper}."
            notes.append(Note("info", text, code, "Ofsted for the council that runs children's services here"))
        else:
            notes.append(Note("info", text))
    elif not has_inspections:
        notes.append(Note("info", f"Ofsted's published files list no inspection of {name} under its code "
                                  f"{council['ons_code']}."))
    return notes


def council_facts(council: pd.Series, inspections: pd.DataFrame) -> str:
    """One line: tier, codes, ONS region, and Ofsted's region (Ofsted's regions are not ONS's)."""
    parts = [f"**{plain(council['authority_name'])}**", f"{council['tier']} council", f"ONS code {council['ons_code']}"]
    if isinstance(council["dfe_code"], str):
        parts.append(f"DfE code {council['dfe_code']}")
    if isinstance(council["region_name"], str):
        parts.append(f"region (ONS) {plain(council['region_name'])}")
    mine = inspections[inspections["ons_code"] == council["ons_code"]]
    regions = mine.sort_values("published_date")["ofsted_region"].dropna()
    if not regions.empty:
        parts.append(f"Ofsted region {plain(ofsted_region(regions.iloc[-1]))}")
    return " · ".join(parts)


def compare_codes(choices: list[str], neighbours: pd.DataFrame, code: str) -> list[str]:
    """The councils to compare with: the chosen ones, the statistical neighbours expanded in DfE's
    order, the selected council itself left out, each once."""
    out: list[str] = []
    for choice in choices:
        if choice == STAT_NEIGHBOURS:
            mine = neighbours[neighbours["ons_code"] == code].sort_values("neighbour_rank")
            out += list(mine["neighbour_ons_code"])
        else:
            out.append(choice)
    seen: set[str] = {code}
    return [c for c in out if not (c in seen or seen.add(c))]

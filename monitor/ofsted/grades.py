"""Ofsted's grades and judgement areas as the pages show them: the four-point scale, the framework
families and their areas, the headline judgement, the judgement grids."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from monitor.text import plain
from monitor.formatting import format_date
from monitor.loaders.ofsted import GRADED_KINDS, ILACS_JUDGEMENTS, OVERALL, WIDE_BLOCKS
from monitor.ofsted.councils import ofsted_region

# The four-point scale, best first, in Ofsted's words.
GRADES = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")
GRADE_SCORE = {"Outstanding": 4, "Good": 3, "Requires improvement to be good": 2, "Inadequate": 1}


# Grades are always words on screen; colour and marker shape only repeat them.
GRADE_COLOUR = {"Outstanding": "#00703c", "Good": "#5d9c2f", "Requires improvement to be good": "#b25e00",
                "Inadequate": "#c0281b"}


GRADE_SYMBOL = {"Outstanding": "star", "Good": "circle", "Requires improvement to be good": "diamond",
                "Inadequate": "x"}


VISIT_KINDS = ("focused visit", "monitoring visit")


def _areas(*frameworks: str) -> tuple[str, ...]:
    """Judgement areas of the wide file's blocks for these frameworks, in the file's order."""
    out: list[str] = []
    for block in WIDE_BLOCKS:
        if block.framework in frameworks:
            out += [area for _, area in block.judgements if area not in out]
    return tuple(out)


@dataclass(frozen=True)
class Family:
    """Inspection frameworks that share judgement areas: one grid each."""

    key: str
    title: str
    frameworks: tuple[str, ...]
    areas: tuple[str, ...]


FAMILIES = (
    Family("ILACS", "Inspections of local authority children's services (ILACS), 2018 onwards", ("ILACS",),
           ILACS_JUDGEMENTS),
    Family("SIF", "Single inspection framework (SIF) and re-inspections, 2013 to 2018", ("SIF", "SIF re-inspection"),
           _areas("SIF", "SIF re-inspection")),
    Family("TLAC", "Targeted looked after children inspections (TLAC), 2013", ("TLAC",), _areas("TLAC")),
    Family("CPI", "Child protection inspections and re-inspections (CPI, CPRI), 2012 to 2013", ("CPI", "CPRI"),
           _areas("CPI", "CPRI")),
    Family("SLAC", "Safeguarding and looked after children inspections (SLAC) and re-inspections, 2009 to 2012",
           ("SLAC", "SLAC re-inspection"), _areas("SLAC", "SLAC re-inspection")),
)


# SLAC had no single overall judgement: its safeguarding judgement is the headline.
HEADLINE = {"SLAC": "Safeguarding overall effectiveness", "SLAC re-inspection": "Safeguarding overall effectiveness"}


def headline_area(framework: str) -> str:
    return HEADLINE.get(framework, OVERALL)


def _when(rec: dict):
    return rec["inspection_date"] if pd.notna(rec["inspection_date"]) else rec["published_date"]


def grid(inspections: pd.DataFrame, judgements: pd.DataFrame, codes: list[str], family: Family,
         *, names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per graded inspection of `codes` under `family`'s frameworks (councils in the order
    given, newest inspection first), one column per judgement area in Ofsted's wording; a blank
    where the judgement did not exist. A "Council" column when more than one council is shown;
    no "Inspected" column when the file gives publication dates only."""
    order = {c: i for i, c in enumerate(codes)}
    recs = [r for r in inspections.to_dict("records")
            if r["ons_code"] in order and r["framework"] in family.frameworks and r["kind"] in GRADED_KINDS]
    if not recs:
        return pd.DataFrame(columns=["Inspected", "Published", "Inspection", "Ofsted region", "Report", *family.areas])
    recs.sort(key=lambda r: (order[r["ons_code"]], -_when(r).value))
    ids = {r["inspection_id"] for r in recs}
    grade = {(i, a): g for i, a, g in zip(judgements["inspection_id"], judgements["judgement_area"], judgements["grade"])
             if i in ids}
    lookup = names or {}
    out: dict[str, list] = {}
    if len(codes) > 1:
        out["Council"] = [lookup.get(r["ons_code"], r["authority_name"]) for r in recs]
    if any(pd.notna(r["inspection_date"]) for r in recs):
        out["Inspected"] = [format_date(r["inspection_date"]) for r in recs]
    out["Published"] = [format_date(r["published_date"]) for r in recs]
    out["Inspection"] = [r["inspection_type"] for r in recs]
    out["Ofsted region"] = [ofsted_region(r["ofsted_region"]) for r in recs]
    out["Report"] = [r["web_link"] if isinstance(r["web_link"], str) else None for r in recs]
    for area in family.areas:
        out[area] = [grade.get((r["inspection_id"], area), "") for r in recs]
    return pd.DataFrame(out)


def grids(inspections: pd.DataFrame, judgements: pd.DataFrame, codes: list[str],
          names: dict[str, str] | None = None) -> list[tuple[Family, pd.DataFrame]]:
    """The grids that have rows, newest framework first."""
    ins = inspections[inspections["ons_code"].isin(codes)]
    j = judgements[judgements["inspection_id"].isin(ins["inspection_id"])]
    out = []
    for family in FAMILIES:
        g = grid(ins, j, codes, family, names=names)
        if not g.empty:
            out.append((family, g))
    return out


def grids_long(tables: list[tuple[Family, pd.DataFrame]]) -> pd.DataFrame:
    """Every grid in one table for the CSV download: one row per inspection, the framework named,
    each framework's judgement areas as columns (blank where that framework did not judge it)."""
    head = ["Council", "Framework", "Inspected", "Published", "Inspection", "Ofsted region", "Report"]
    records, columns = [], []
    for family, frame in tables:
        for c in frame.columns:
            if c not in columns:
                columns.append(c)
        records += [{**r, "Framework": family.key} for r in frame.to_dict("records")]
    order = [c for c in head if c == "Framework" or c in columns] + [c for c in columns if c not in head]
    return pd.DataFrame([{c: r.get(c) if r.get(c) is not None else "" for c in order} for r in records], columns=order)


# Grade cells in the grid: the word itself, with Streamlit's light background colour behind it
# (dark text on a light background keeps the contrast; Outstanding is also bold to tell it from Good).
GRADE_MARKDOWN = {"Outstanding": ":green-background[**Outstanding**]", "Good": ":green-background[Good]",
                  "Requires improvement to be good": ":orange-background[Requires improvement to be good]",
                  "Inadequate": ":red-background[Inadequate]"}


ON_SCREEN_HIDDEN = ("Report", "Ofsted region")  # in the CSV; on screen the link sits on the inspection's name


def _link(text: str, url) -> str:
    if isinstance(url, str) and url.startswith("https://"):
        return f"[{plain(text, one_line=True)}]({url.replace(')', '%29').replace(' ', '%20')})"
    return plain(text, one_line=True)


def grid_cells(frame: pd.DataFrame, areas: tuple[str, ...]) -> pd.DataFrame:
    """A judgement grid as st.table shows it (a real HTML table a screen reader can walk; its cells
    are markdown): the grade as its word with a colour behind it, the inspection's name linking to
    Ofsted's report page, a blank where no judgement existed, everything else shown literally."""
    columns = [c for c in frame.columns if c not in ON_SCREEN_HIDDEN]
    out: dict[str, list[str]] = {}
    for column in columns:
        values = list(frame[column])
        if column in areas:
            cells = [GRADE_MARKDOWN.get(v, plain(v or "", one_line=True)) for v in values]
        elif column == "Inspection":
            cells = [_link(v, url) for v, url in zip(values, frame["Report"] if "Report" in frame else [None] * len(frame))]
        else:
            cells = [plain(v if isinstance(v, str) else "", one_line=True) for v in values]
        out[plain(column, one_line=True)] = cells
    return pd.DataFrame(out)

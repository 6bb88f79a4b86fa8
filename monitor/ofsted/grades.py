"""Ofsted's grades and judgement areas as the pages show them: the four-point scale, the framework
families and their areas (from the framework reference table, monitor.loaders.frameworks), the
headline judgement of each version (none under ILACS 2026), the judgement grids."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitor.text import plain
from monitor.formatting import format_date
from monitor.loaders.frameworks import NOT_IN_USE, Frameworks, Version, reference_frameworks
from monitor.loaders.ofsted import GRADED_KINDS, OVERALL
from monitor.loaders.tables import OFSTED_GRADES
from monitor.ofsted.councils import ofsted_region
from monitor.values import rows_of

# The four-point scale, best first, in Ofsted's words.
GRADES = OFSTED_GRADES
GRADE_SCORE = {"Outstanding": 4, "Good": 3, "Requires improvement to be good": 2, "Inadequate": 1}


# Grades are always words on screen; colour and marker shape only repeat them.
GRADE_COLOUR = {"Outstanding": "#00703c", "Good": "#5d9c2f", "Requires improvement to be good": "#b25e00",
                "Inadequate": "#c0281b"}


GRADE_SYMBOL = {"Outstanding": "star", "Good": "circle", "Requires improvement to be good": "diamond",
                "Inadequate": "x"}


VISIT_KINDS = ("focused visit", "monitoring visit")

# Where a framework's judgement areas are named in a sentence, Ofsted's long wording is shortened by
# this prefix only ("The experiences and progress of children in care" reads "children in care").
_AREA_PREFIXES = ("The experiences and progress of ", "The impact of leaders on social work practice with children "
                  "and families")


def area_label(area: str) -> str:
    """A judgement area as a sentence names it: 'children in care', 'impact of leaders', 'overall
    effectiveness' (Ofsted's wording, its long preamble dropped)."""
    if area.startswith(_AREA_PREFIXES[1]):
        return "impact of leaders"
    if area.startswith(_AREA_PREFIXES[0]):
        return area[len(_AREA_PREFIXES[0]):]
    return area if area[1:2].isupper() else area[:1].lower() + area[1:]  # 'LSCB …' keeps its capitals


def area_title(area: str) -> str:
    """The same at the start of a line or as an axis title: 'Children in care'."""
    label = area_label(area)
    return label[:1].upper() + label[1:]


def framework_year(version: str) -> str:
    """'the 2026 framework' for 'ILACS 2026'; the version's own name when it carries no year."""
    last = str(version).rsplit(" ", 1)[-1]
    return f"the {last} framework" if last.isdigit() else f"the {version} framework"


def no_overall_text(version: str) -> str:
    """'No overall judgement under the 2026 framework' — said wherever an overall grade would be."""
    return f"No overall judgement under {framework_year(version)}"


@dataclass(frozen=True)
class Family:
    """Inspection frameworks that share judgement areas: one grid each. Its areas are the union of
    its versions' areas (monitor.loaders.frameworks), in Ofsted's order."""

    key: str
    title: str
    frameworks: tuple[str, ...]
    areas: tuple[str, ...]
    versions: tuple[Version, ...] = ()

    @property
    def headline(self) -> str | None:
        """The family's headline judgement (the first version's that has one)."""
        return next((v.headline_area for v in self.versions if v.headline_area), None)


# How the page groups frameworks into grids and titles them: wording only, the areas come from data.
FAMILY_TITLES = (
    ("ILACS", "Inspections of local authority children's services (ILACS), 2018 onwards", ("ILACS",)),
    ("SIF", "Single inspection framework (SIF) and re-inspections, 2013 to 2018", ("SIF", "SIF re-inspection")),
    ("TLAC", "Targeted looked after children inspections (TLAC), 2013", ("TLAC",)),
    ("CPI", "Child protection inspections and re-inspections (CPI, CPRI), 2012 to 2013", ("CPI", "CPRI")),
    ("SLAC", "Safeguarding and looked after children inspections (SLAC) and re-inspections, 2009 to 2012",
     ("SLAC", "SLAC re-inspection")),
)


def _union(versions) -> tuple[str, ...]:
    out: list[str] = []
    for v in versions:
        out += [a for a in v.areas if a not in out]
    return tuple(out)


def families(frameworks: Frameworks) -> tuple[Family, ...]:
    """The grids' families, newest framework first, from the framework versions in use (a version
    still under consultation grades nothing yet). A framework the titles above do not name (the
    2027 one, once in force) gets its own family, first, titled by its newest version."""
    in_use = [v for v in frameworks.versions.values() if v.status != NOT_IN_USE]

    def ordered(frameworks_):
        return sorted((v for v in in_use if v.framework in frameworks_),
                      key=lambda v: (v.valid_from or dt.date.min, frameworks_.index(v.framework), v.name))

    out, named = [], set()
    for key, title, members in FAMILY_TITLES:
        named |= set(members)
        versions = ordered(members)
        if versions:
            out.append(Family(key, title, members, _union(versions), tuple(versions)))
    for framework in sorted({v.framework for v in in_use} - named, reverse=True):
        versions = ordered((framework,))
        out.insert(0, Family(framework, versions[-1].title, (framework,), _union(versions), tuple(versions)))
    return tuple(out)


# The shipped reference files' families (the pages pass the database's frameworks).
FAMILIES = families(reference_frameworks())


def version_of(rec: dict, frameworks: Frameworks) -> str | None:
    """An inspection's framework version: as stored, or (a frame without the column) the version of
    its framework that applied on its date."""
    stored = rec.get("framework_version")
    if isinstance(stored, str) and stored:
        return stored
    return frameworks.version_for(rec["framework"], _when(rec))


def headline_of(version: str | None, frameworks: Frameworks) -> str | None:
    """The headline judgement of a version: Overall effectiveness, SLAC's safeguarding judgement,
    or None where the version has none (ILACS 2026). An unknown version is read as judging overall
    effectiveness, as every framework did before 2026."""
    if version is None or version not in frameworks.versions:
        return OVERALL
    return frameworks.headline(version)


def _when(rec: dict):
    return rec["inspection_date"] if pd.notna(rec["inspection_date"]) else rec["published_date"]


VERSION_COLUMN = "Framework version"


def grid(inspections: pd.DataFrame, judgements: pd.DataFrame, codes: list[str], family: Family,
         *, names: dict[str, str] | None = None, frameworks: Frameworks | None = None) -> pd.DataFrame:
    """One row per graded inspection of `codes` under `family`'s frameworks (councils in the order
    given, newest inspection first), one column per judgement area in Ofsted's wording; a blank
    where the inspection's framework version did not grade it (ILACS 2026's overall effectiveness,
    care leavers before 2023). A "Council" column when more than one council is shown; a
    "Framework version" column when the family has more than one; no "Inspected" column when the
    file gives publication dates only."""
    frameworks = frameworks or reference_frameworks()
    return _grid(*_graded(inspections, judgements, codes), codes, family, names, frameworks)


def _graded(inspections: pd.DataFrame, judgements: pd.DataFrame, codes: list[str]) -> tuple[list[dict], dict]:
    """The graded inspections of `codes` (councils in the order given, newest first) and their grades
    by (inspection, area): read once for every family's grid."""
    order = {c: i for i, c in enumerate(codes)}
    recs = [r for r in rows_of(inspections) if r["ons_code"] in order and r["kind"] in GRADED_KINDS]
    recs.sort(key=lambda r: (order[r["ons_code"]], -_when(r).value))
    ids = {r["inspection_id"] for r in recs}
    grade = {(i, a): g for i, a, g in zip(judgements["inspection_id"].tolist(), judgements["judgement_area"].tolist(),
                                          judgements["grade"].tolist()) if i in ids}
    return recs, grade


def _grid(graded: list[dict], grade: dict, codes: list[str], family: Family, names: dict[str, str] | None,
          frameworks: Frameworks) -> pd.DataFrame:
    recs = [r for r in graded if r["framework"] in family.frameworks]
    if not recs:
        return pd.DataFrame(columns=["Inspected", "Published", "Inspection", "Ofsted region", "Report", *family.areas])
    lookup = names or {}
    out: dict[str, list] = {}
    if len(codes) > 1:
        out["Council"] = [lookup.get(r["ons_code"], r["authority_name"]) for r in recs]
    if any(pd.notna(r["inspection_date"]) for r in recs):
        out["Inspected"] = [format_date(r["inspection_date"]) for r in recs]
    out["Published"] = [format_date(r["published_date"]) for r in recs]
    out["Inspection"] = [r["inspection_type"] for r in recs]
    if len(family.versions) > 1:
        out[VERSION_COLUMN] = [version_of(r, frameworks) or "" for r in recs]
    out["Ofsted region"] = [ofsted_region(r["ofsted_region"]) for r in recs]
    out["Report"] = [r["web_link"] if isinstance(r["web_link"], str) else None for r in recs]
    for area in family.areas:
        out[area] = [grade.get((r["inspection_id"], area), "") for r in recs]
    return pd.DataFrame(out)


def grid_notes(family: Family, frame: pd.DataFrame) -> list[str]:
    """What the empty cells of a family's grid mean, one sentence per framework version shown that
    grades fewer areas than the grid has columns: 'ILACS 2026 has no overall judgement: …'."""
    shown = set(frame[VERSION_COLUMN]) if VERSION_COLUMN in frame else {v.name for v in family.versions}
    notes = []
    for v in reversed(family.versions):  # newest first
        if v.name not in shown:
            continue
        missing = [a for a in family.areas if a not in v.areas]
        if not missing:
            continue
        if family.headline in missing and v.headline_area is None:
            rest = [a for a in missing if a != family.headline]
            notes.append(f"{no_overall_text(v.name)} ({v.name}, from {format_date(v.valid_from)}): Ofsted grades "
                         f"the {len(v.areas)} judgement areas only, so the {family.headline} cell is left empty"
                         + (f", as is {', '.join(rest)}" if rest else "") + ".")
        else:
            notes.append(f"{v.name} did not grade {'; '.join(area_label(a) for a in missing)} on its own: "
                         "that cell is left empty.")
    return notes


def grids(inspections: pd.DataFrame, judgements: pd.DataFrame, codes: list[str],
          names: dict[str, str] | None = None, frameworks: Frameworks | None = None) -> list[tuple[Family, pd.DataFrame]]:
    """The grids that have rows, newest framework first."""
    frameworks = frameworks or reference_frameworks()
    ins = inspections[inspections["ons_code"].isin(codes)]
    graded, grade = _graded(ins, judgements[judgements["inspection_id"].isin(ins["inspection_id"])], codes)
    out = []
    for family in families(frameworks):
        g = _grid(graded, grade, codes, family, names, frameworks)
        if not g.empty:
            out.append((family, g))
    return out


def grids_long(tables: list[tuple[Family, pd.DataFrame]]) -> pd.DataFrame:
    """Every grid in one table for the CSV download: one row per inspection, the framework (and its
    version) named, each framework's judgement areas as columns (blank where that framework version
    did not judge it)."""
    head = ["Council", "Framework", VERSION_COLUMN, "Inspected", "Published", "Inspection", "Ofsted region", "Report"]
    records, columns = [], []
    for family, frame in tables:
        for c in frame.columns:
            if c not in columns:
                columns.append(c)
        records += [{**r, "Framework": family.key} for r in rows_of(frame)]
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
        values = frame[column].tolist()
        if column in areas:
            cells = [GRADE_MARKDOWN.get(v, plain(v or "", one_line=True)) for v in values]
        elif column == "Inspection":
            links = frame["Report"].tolist() if "Report" in frame else [None] * len(frame)
            cells = [_link(v, url) for v, url in zip(values, links)]
        else:
            cells = [plain(v if isinstance(v, str) else "", one_line=True) for v in values]
        out[plain(column, one_line=True)] = cells
    return pd.DataFrame(out)

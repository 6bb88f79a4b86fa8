"""Planning a load of Data to Insight's ILACS summary workbook (rows read and checked by
`monitor.loaders.d2i`) against the stored Ofsted tables.

The same council and dates are the same inspection (the start date, or the publication date where
the workbook gives no start or Ofsted corrected it): never a duplicate. Ofsted's own release is the
record: where the workbook disagrees with an inspection loaded from it, the release stands and the
disagreement is listed (`D2IPlan.differences`). Inspections an earlier copy of the workbook loaded
are brought up to date (each change becomes a logged write); inspections not stored are inserted,
with the id and inspection type Ofsted's own files give them, so Ofsted's next release updates them
in place. Pure: no Streamlit, no database.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from monitor.loaders import tables
from monitor.loaders.d2i import FRAMEWORK, TYPE_OF_KIND, D2IRow, is_d2i_source
from monitor.loaders.ofsted import GRADED_KINDS, inspection_id
from monitor.loaders.problems import Problem, ProblemLog
from monitor.loaders.reading import date_series
from monitor.values import as_date


@dataclass
class D2IPlan:
    """What loading the workbook changes. Each list holds rows or (key, values) in table columns."""

    inspections: list[dict] = field(default_factory=list)  # to insert
    judgements: list[dict] = field(default_factory=list)  # to insert
    inspection_updates: list[tuple[dict, dict]] = field(default_factory=list)
    judgement_updates: list[tuple[dict, dict]] = field(default_factory=list)
    judgement_deletes: list[dict] = field(default_factory=list)
    differences: list[Problem] = field(default_factory=list)  # where Ofsted's release stands
    matched: dict[int, str] = field(default_factory=dict)  # workbook row -> stored inspection_id

    @property
    def empty(self) -> bool:
        return not (self.inspections or self.judgements or self.inspection_updates or self.judgement_updates
                    or self.judgement_deletes)

    def inspection_frame(self) -> pd.DataFrame:
        frame = tables.frame(self.inspections, tables.OFSTED_INSPECTION)
        for column in ("inspection_date", "published_date"):
            frame[column] = date_series(list(frame[column]))
        return frame

    def judgement_frame(self) -> pd.DataFrame:
        return tables.frame(self.judgements, tables.OFSTED_JUDGEMENT)


def _shown(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ("none" if value is None else str(value))


def plan_d2i(rows: list[D2IRow], stored_inspections: pd.DataFrame, stored_judgements: pd.DataFrame,
             file: str) -> D2IPlan:
    """Compare checked workbook rows with the stored Ofsted tables (frames with their tables'
    columns). Raises LoadError for rows that cannot be written (an inspection the workbook cannot
    identify, a grade its framework version does not give)."""
    log = ProblemLog(file)
    plan = D2IPlan()
    graded = [r for r in stored_inspections.to_dict("records")
              if r["framework"] == FRAMEWORK and str(r["kind"]) in GRADED_KINDS]
    by_council: dict[str, list[dict]] = {}
    for rec in graded:
        by_council.setdefault(rec["ons_code"], []).append(rec)
    stored_grades: dict[str, dict[str, dict]] = {}
    for rec in stored_judgements.to_dict("records"):
        stored_grades.setdefault(rec["inspection_id"], {})[rec["judgement_area"]] = rec
    known_ids = set(stored_inspections["inspection_id"])
    claimed: dict[str, int] = {}
    for r in rows:
        mine = by_council.get(r.ons_code, [])
        hits = [s for s in mine if r.start is not None and as_date(s["inspection_date"]) == r.start]
        if not hits:  # the same inspection with a corrected start date, or a row without dates
            hits = [s for s in mine if as_date(s["published_date"]) == r.published]
        if len(hits) > 1:
            log.add(r.row, "publication_date", r.texts["publication_date"],
                    "matches more than one stored inspection of this council: cannot tell which")
            continue
        if hits:
            stored = hits[0]
            if stored["inspection_id"] in claimed:
                log.add(r.row, "la_code", r.texts["la_code"], f"the same inspection as row {claimed[stored['inspection_id']]}")
                continue
            claimed[stored["inspection_id"]] = r.row
            plan.matched[r.row] = stored["inspection_id"]
            if is_d2i_source(stored["source"]):
                _refresh(plan, log, r, stored, stored_grades.get(stored["inspection_id"], {}), file)
            else:
                _differences(plan, r, stored, stored_grades.get(stored["inspection_id"], {}), file)
            continue
        if r.kind is None or r.start is None:
            column = "inspection_framework" if r.kind is None else "inspection_start_date"
            log.add(r.row, column, r.texts[column] or "blank",
                    "cannot tell which inspection this is (no framework or start date), and no stored inspection "
                    f"of this council was published on {r.published.isoformat()}")
            continue
        for area, grade in r.extra.items():
            log.add(r.row, r.columns[area], r.texts[r.columns[area]], f"{r.version} does not grade this judgement")
        if r.extra:
            continue
        iid = inspection_id(r.ons_code, FRAMEWORK, r.kind, r.start)
        if iid in known_ids:
            log.add(r.row, "inspection_start_date", r.texts["inspection_start_date"],
                    f"an inspection {iid} is already stored with another kind or date")
            continue
        plan.inspections.append({
            "inspection_id": iid, "ons_code": r.ons_code, "framework": FRAMEWORK, "framework_version": r.version,
            "inspection_type": TYPE_OF_KIND[r.kind], "kind": r.kind, "inspection_date": r.start,
            "published_date": r.published, "ofsted_region": None, "visit_theme": None, "web_link": r.web_link,
            "source": file,
        })
        plan.judgements.extend({"inspection_id": iid, "judgement_area": area, "grade": grade, "source": file}
                               for area, grade in r.grades.items())
    log.raise_if_any()
    return plan


def _differences(plan: D2IPlan, r: D2IRow, stored: dict, grades: dict[str, dict], file: str) -> None:
    """An inspection from Ofsted's own release: it stands; list where the workbook says otherwise."""
    why = f"Ofsted's release ({stored['source']}) says {{}}; kept as published"

    def differ(column: str, ours, theirs) -> None:
        plan.differences.append(Problem(file, r.row, column, r.texts.get(column) or _shown(ours),
                                        why.format(_shown(theirs))))

    if r.start is not None and r.start != as_date(stored["inspection_date"]):
        differ("inspection_start_date", r.start, as_date(stored["inspection_date"]))
    if r.published != as_date(stored["published_date"]):
        differ("publication_date", r.published, as_date(stored["published_date"]))
    if r.kind is not None and r.kind != str(stored["kind"]):
        differ("inspection_framework", r.kind, stored["kind"])
    for area, grade in {**r.grades, **r.extra}.items():
        theirs = grades.get(area, {}).get("grade")
        if area in r.extra:
            plan.differences.append(Problem(file, r.row, r.columns[area], r.texts[r.columns[area]],
                                            f"{r.version} does not grade this judgement and Ofsted's release "
                                            f"({stored['source']}) gives no grade; kept as published"))
        elif grade != theirs:
            differ(r.columns[area], grade, theirs if theirs else "no grade")


def _refresh(plan: D2IPlan, log: ProblemLog, r: D2IRow, stored: dict, grades: dict[str, dict], file: str) -> None:
    """An inspection an earlier copy of the workbook loaded: bring it up to date."""
    for area in r.extra:
        log.add(r.row, r.columns[area], r.texts[r.columns[area]], f"{r.version} does not grade this judgement")
    if r.extra:
        return
    iid = stored["inspection_id"]
    now = {"framework_version": r.version, "published_date": r.published}
    if r.start is not None:
        now["inspection_date"] = r.start
    if r.kind is not None:
        now.update(kind=r.kind, inspection_type=TYPE_OF_KIND[r.kind])
    if r.web_link is not None:
        now["web_link"] = r.web_link
    before = {c: (as_date(stored[c]) if c.endswith("_date") else stored[c]) for c in now}
    changed = {c: v for c, v in now.items() if v != (str(before[c]) if c == "kind" else before[c])}
    if changed:
        if file != stored["source"]:
            changed["source"] = file
        plan.inspection_updates.append(({"inspection_id": iid}, changed))
    for area, grade in r.grades.items():
        key = {"inspection_id": iid, "judgement_area": area}
        old = grades.get(area)
        if old is None:
            plan.judgements.append({**key, "grade": grade, "source": file})
        elif str(old["grade"]) != grade:
            plan.judgement_updates.append((key, {"grade": grade, **({"source": file} if old["source"] != file else {})}))
    for area in grades:
        if area not in r.grades:
            plan.judgement_deletes.append({"inspection_id": iid, "judgement_area": area})

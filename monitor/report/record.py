"""A report as a record: its figures frozen to JSON and read back, its narrative, its versions and
ids, and the file names of its Word exports."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from monitor.report.sections import NARRATIVE_SECTIONS, SECTION_TITLES, _empty

# What a download of a quarter's report versions comes from (monitor.tidy.Origin).
SOURCE = "the programme's quarterly report records (drafts and submissions) as kept in Improvement Monitor"

# What a record frozen by the build says of itself (the demo's submitted reports).
RECONSTRUCTED_NOTE = ("The figures of this report were reconstructed from the demonstration data when the database "
                      "was built; they were not captured on the day it was submitted.")


def freeze(figures: Mapping) -> str:
    """The figures as the JSON stored in ``figures_json`` at submission (stable key order)."""
    return json.dumps(figures, sort_keys=True, ensure_ascii=False, allow_nan=False, default=_json_default)


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON-able: {value!r}")


def thaw(text: str | None) -> dict | None:
    """Frozen figures back from ``figures_json``. Reports submitted before full figures were
    frozen carry only milestone counts: they come back as a ``legacy`` report whose milestones
    section holds those counts and nothing else."""
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return None
    data = json.loads(text)
    if isinstance(data, dict) and "sections" in data:
        return data
    facts = data if isinstance(data, dict) else {}
    return {"schema": 0, "kind": "quarterly", "legacy": True, "illustrative": True, "proposed_confidence": None,
            "sections": [{"key": "milestones", "title": SECTION_TITLES["milestones"],
                          "summary": "Milestone counts frozen at submission (this report predates full frozen figures).",
                          "facts": facts, "tables": [], "charts": [], "illustrative": True}]}


def submitted_by(record: Mapping) -> str:
    """'DfE Commissioner for West Sussex (demo), commissioner': the submitter's name and role as
    they were at submission (the address when no name was kept)."""
    name = record.get("submitted_by_name") or record.get("submitted_by") or "(unknown)"
    role = record.get("submitted_by_role")
    return f"{name}, {role}" if role else str(name)


def parse_narrative(text: str | None) -> dict[str, str]:
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return {}
    data = json.loads(text)
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def dump_narrative(narrative: Mapping[str, str]) -> str:
    """Narrative as stored: known sections in report order, empty boxes left out."""
    ordered = {k: narrative[k].strip() for k in NARRATIVE_SECTIONS if (narrative.get(k) or "").strip()}
    ordered.update({k: v.strip() for k, v in narrative.items() if k not in ordered and k not in NARRATIVE_SECTIONS
                    and (v or "").strip()})
    return json.dumps(ordered, ensure_ascii=False)


def current_version(reports: pd.DataFrame, quarter: str) -> dict | None:
    """The highest version of the quarter's report as a plain dict, or None."""
    if _empty(reports):
        return None
    rows = reports.loc[reports["quarter_label"].astype(str) == quarter]
    if rows.empty:
        return None
    row = rows.sort_values("version").iloc[-1]
    return {k: (None if (not isinstance(v, (str, list, dict)) and pd.isna(v)) else v) for k, v in row.items()}


def new_report_id(programme_id: str, quarter: str, version: int) -> str:
    return f"{programme_id}-{quarter}-v{int(version)}"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-" else "-" for c in str(text)).strip("-")


def docx_file_name(programme_id: str, quarter: str, status: str, version: int | None = None) -> str:
    """'quarterly-report_hampshire-west-sussex_2023-Q3_draft-v1.docx': programme, quarter, status."""
    tail = f"{_slug(status or 'not-saved')}" + (f"-v{int(version)}" if version else "")
    return f"quarterly-report_{_slug(programme_id)}_{_slug(quarter)}_{tail}.docx"


def annual_file_name(programme_id: str, first: str, last: str) -> str:
    return f"annual-report_{_slug(programme_id)}_{_slug(first)}-to-{_slug(last)}.docx"

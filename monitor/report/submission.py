"""What saving or submitting the Quarterly report's form writes: the form's boxes as the report
row's columns, a quarter's first row, and what a submission freezes with the report — the figures
the author saw, who (address, name and role as they are now), when, and the SHA-256 of the Word
file rendered from exactly that record."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping

from monitor.changes import Change
from monitor.periods import quarter_bounds
from monitor.report.docx import build_docx
from monitor.report.record import dump_narrative, freeze, new_report_id
from monitor.values import filled

# The columns a submission sets, none of which a draft carries.
SUBMISSION_COLUMNS = ("status", "submitted_by", "submitted_by_name", "submitted_by_role", "figures_json",
                      "submitted_at", "docx_sha256")


def form_values(boxes: Mapping[str, str | None], narrative_keys: Iterable[str], proposed: str | None) -> dict:
    """The form's boxes (`n_<section>`, confidence, reason, council, council_reason) as columns."""
    return {"narrative_json": dump_narrative({k: boxes.get(f"n_{k}") or "" for k in narrative_keys}),
            "confidence": boxes.get("confidence"), "confidence_reason": filled(boxes.get("reason")),
            "council_confidence": boxes.get("council"), "council_confidence_reason": filled(boxes.get("council_reason")),
            "proposed_confidence": proposed}


def first_row(programme_id: str, quarter: str, author: str, source: str) -> dict:
    """A quarter's first report version, as it arrives: a draft, standing on the paper that set up its
    programme (``source``)."""
    return {"report_id": new_report_id(programme_id, quarter, 1), "programme_id": programme_id,
            "quarter_label": quarter, "version": 1, "reporting_date": quarter_bounds(quarter)[1], "author": author,
            "status": "draft", "source": source}


def submission(row: Mapping, values: Mapping, figures: Mapping, *, email: str, name: str, role: str,
               now: dt.datetime) -> dict:
    """The columns a submission writes: `values` (the form's) and the frozen record, with the hash of
    the Word file `build_docx` renders from the row as it will be stored."""
    frozen = dict(values, status="submitted", submitted_by=email, submitted_by_name=name, submitted_by_role=role,
                  figures_json=freeze(figures), submitted_at=now.replace(microsecond=0))
    frozen["docx_sha256"] = hashlib.sha256(build_docx(figures, {**row, **frozen})).hexdigest()
    return frozen


TABLE = "commissioner_report"


def save_changes(row: Mapping, values: Mapping, seen: Mapping | None, *, submit: bool, programme_id: str) -> list:
    """The one write a save or submission makes: a quarter's first save inserts the draft (and, when
    submitted at once, submits that draft in the same write); later saves update the version the author
    opened, refused if someone changed it since."""
    key = {"report_id": row["report_id"]}
    if seen is None:
        draft = {k: v for k, v in values.items() if k not in SUBMISSION_COLUMNS}
        changes = [Change(TABLE, "insert", key, {k: v for k, v in row.items() if k != "report_id"} | draft)]
        if submit:
            changes.append(Change(TABLE, "update", key, dict(values), programme_id=programme_id))
        return changes
    return [Change(TABLE, "update", key, dict(values), expected_version=int(seen["row_version"]),
                   programme_id=programme_id)]


def correction(seen: Mapping, *, version: int, author: str, proposed: str | None) -> Change:
    """A correction of submitted report `seen`: a new draft version of its quarter that names it, with
    its narrative and levels to start from and the level the data proposes now."""
    quarter = seen["quarter_label"]
    carried = {k: seen.get(k) for k in ("confidence", "confidence_reason", "council_confidence",
                                         "council_confidence_reason", "narrative_json")}
    return Change(TABLE, "insert", {"report_id": new_report_id(seen["programme_id"], quarter, version)},
                  {"programme_id": seen["programme_id"], "quarter_label": quarter, "version": version,
                   "corrects_report_id": seen["report_id"], "reporting_date": quarter_bounds(quarter)[1],
                   "author": author, "status": "draft", "proposed_confidence": proposed, "source": seen["source"],
                   **carried})


def next_version(versions) -> int:
    """The version number a correction takes: one after the quarter's latest."""
    return int(max(versions)) + 1

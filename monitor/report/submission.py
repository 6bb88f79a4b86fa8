"""What saving or submitting the Quarterly report's form writes: the form's boxes as the report
row's columns, a quarter's first row, and what a submission freezes with the report — the figures
the author saw, who (address, name and role as they are now), when, and the SHA-256 of the Word
file rendered from exactly that record."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping

from monitor.periods import quarter_bounds
from monitor.report.docx import build_docx
from monitor.report.record import dump_narrative, freeze, new_report_id

# The columns a submission sets, none of which a draft carries.
SUBMISSION_COLUMNS = ("status", "submitted_by", "submitted_by_name", "submitted_by_role", "figures_json",
                      "submitted_at", "docx_sha256")


def _text(value) -> str | None:
    return (value or "").strip() or None


def form_values(boxes: Mapping[str, str | None], narrative_keys: Iterable[str], proposed: str | None) -> dict:
    """The form's boxes (`n_<section>`, confidence, reason, council, council_reason) as columns."""
    return {"narrative_json": dump_narrative({k: boxes.get(f"n_{k}") or "" for k in narrative_keys}),
            "confidence": boxes.get("confidence"), "confidence_reason": _text(boxes.get("reason")),
            "council_confidence": boxes.get("council"), "council_confidence_reason": _text(boxes.get("council_reason")),
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

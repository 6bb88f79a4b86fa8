"""The frames a quarterly report is assembled from (monitor.report.assemble_report's arguments, one
named query each), the programme's audience, and the build's reconstruction of the demo's
submitted reports as frozen records."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pandas as pd

from monitor import clock
from monitor.report.assemble import assemble_report
from monitor.report.audience import Audience, audience_of
from monitor.report.docx import build_docx
from monitor.report.record import RECONSTRUCTED_NOTE, freeze
from monitor.sources.links import reference_maps
from queries.loader import run, run_many, sql_text

# The savings are the ledger's own rows (savings/by_programme), so the report's savings facts are
# computed from the same rows as the Savings page's and the Overview's; the Ofsted facts from the
# supported council's grades by judgement area: the Overview card's own query's rows for the programme.
REPORT_QUERIES = (("milestones", "report/milestones"), ("snapshots", "report/milestone_snapshots"),
                  ("indicator_values", "report/indicator_values"), ("inspections", "report/ofsted_activity"),
                  ("directions", "report/statutory_directions"), ("savings", "savings/by_programme"),
                  ("risks", "report/risks"), ("risk_snapshots", "report/risk_snapshots"),
                  ("key_dates", "report/key_dates"))

Fetch = Callable[..., pd.DataFrame]


def _requests(programme_id: str) -> dict[str, tuple[str, dict]]:
    one = {"programme_id": programme_id}
    return {**{name: (q, one) for name, q in REPORT_QUERIES}, "grades": ("ofsted/supported_council_grades", one),
            "audience": ("report/audience", one), "data_sources": ("about/data_sources", {}),
            "papers": ("sources/papers", {}), "documents": ("sources/published_documents", {})}


def report_inputs(programme_id: str, db=None, read: Fetch | None = None) -> dict[str, pd.DataFrame]:
    """Everything a programme's report is assembled from, whichever its quarter: its frames, its
    audience row and the sources' references. Read side by side from `db` (queries.loader.run_many),
    or one by one with `read(name, **params)` (the build's, inside its transaction). Assembly only
    reads them, so the quarters of one programme can share them."""
    requests = _requests(programme_id)
    if read is None:
        return run_many(requests, db=db)
    return {key: read(name, **params) for key, (name, params) in requests.items()}


def report_frames(programme_id: str, db=None) -> dict:
    """The programme's frames for assemble_report (monitor.report.assemble)."""
    return {k: v for k, v in report_inputs(programme_id, db=db).items() if k not in _NOT_FRAMES}


_NOT_FRAMES = ("audience", "data_sources", "papers", "documents")


def _audience_of(rows: pd.DataFrame) -> Audience:
    row = rows.iloc[0].to_dict() if len(rows) else {}
    return audience_of(row.get("programme_kind"), row if isinstance(row.get("audience"), str) else None)


def report_audience(programme_id: str, db=None) -> Audience:
    """Who the programme's report goes to and who writes it (its report_audience row, or its kind's default)."""
    return _audience_of(run("report/audience", db=db, programme_id=programme_id))


def programme_meta(row) -> dict:
    """What assemble_report needs of a programme row (of programmes/all)."""
    return {k: row[k] for k in ("programme_id", "programme_name", "kind", "status", "end_date")}


def _assemble(inputs: dict, meta: dict, quarter: str, today: dt.date, assembled_at: dt.datetime | None) -> dict:
    pages, names, releases = reference_maps(inputs["data_sources"], inputs["papers"], inputs["documents"])
    return assemble_report(meta, quarter, today=today, assembled_at=assembled_at,
                           audience=_audience_of(inputs["audience"]), source_pages=pages, source_names=names,
                           source_releases=releases,
                           **{k: v for k, v in inputs.items() if k not in _NOT_FRAMES})


def assemble(meta: dict, quarter: str, *, db=None, today: dt.date | None = None,
             assembled_at: dt.datetime | None = None, inputs: dict | None = None) -> dict:
    """The quarter's report for the programme (`programme_meta`), assembled from the database now, or
    from the programme's `report_inputs` when the caller has them (the page assembles two quarters)."""
    return _assemble(inputs if inputs is not None else report_inputs(meta["programme_id"], db=db), meta, quarter,
                     today or clock.today(), assembled_at)


def docx_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def reconstruct_submitted(con, built_at: dt.datetime) -> int:
    """At build, in the build's transaction: each submitted demo report gets its full frozen record
    (figures, tables, charts' data, sentences) assembled from the demo data as at its quarter end,
    said to be reconstructed at build — not captured on the day — and the hash of the Word file
    rendered from it. The demo CSV carries only the report's own row (narrative, judgements, who
    and when). Returns how many were frozen."""
    def fetch(name, **params):
        return con.execute(sql_text(name), params or None).df()

    reports = fetch("report/submitted_all")
    programmes = fetch("programmes/all").set_index("programme_id", drop=False)
    done = 0
    for record in reports.to_dict("records"):
        record = {k: (None if not isinstance(v, (list, dict)) and pd.isna(v) else v) for k, v in record.items()}
        meta = programme_meta(programmes.loc[record["programme_id"]])
        figures = _assemble(report_inputs(meta["programme_id"], read=fetch), meta, record["quarter_label"],
                            clock.today(), built_at)
        figures["reconstructed"] = {"at": built_at.replace(microsecond=0).isoformat(), "note": RECONSTRUCTED_NOTE}
        frozen = freeze(figures)
        data = build_docx(figures, {**record, "figures_json": frozen})
        con.execute(sql_text("build/freeze_reconstructed"),
                    {"report_id": record["report_id"], "figures_json": frozen, "docx_sha256": docx_sha256(data)})
        done += 1
    return done

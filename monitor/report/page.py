"""What the Quarterly report page shows for one programme's quarter, decided from what the page read:
the report's status in words, whose words it is in, what the reader may do with it (the form, a
correction, or reading only), the period, the confidence as saved, and the Export tab's notes and
choices. The page only draws it."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from monitor.formatting import format_date
from monitor.periods import council_quarter, financial_year, previous_quarter, quarter_bounds
from monitor.report.annual import programme_financial_years
from monitor.report.audience import Audience
from monitor.report.confidence import confidence_label
from monitor.report.docx import audience_from
from monitor.report.export import annual_quarters_of
from monitor.report.form import COUNCIL_TITLE, ReportForm, report_form
from monitor.report.record import submitted_by

LEGACY_NOTE = ("This report was submitted before full figures were frozen with reports: what it kept — its "
               "milestone counts — is shown below, and nothing from today's data.")
SUBMITTED_NOTE = "A submitted report cannot be changed. To correct it, start a new version that references it."
DOCX_SUBMITTED = "The Word file is rendered from the report's frozen record alone, so it is the paper as submitted."
DOCX_DRAFT = ("The Word file holds the report as last saved, marked DRAFT on every page, with its charts, tables "
              "and source notes.")
DOCX_SAME = "The file rendered now is byte for byte the one hashed at submission."
DOCX_DIFFERS = ("The file rendered now differs from the one hashed at submission (the software that draws it has "
                "changed); its content is still the frozen record's.")


def default_quarter(quarters: Sequence[str], reports: pd.DataFrame) -> str:
    """The quarter the page opens on: the newest with a report, else the newest."""
    reported = set(reports["quarter_label"])
    with_report = [q for q in quarters if q in reported]
    return (with_report or list(quarters))[0]


def shown_sections(figures: Mapping) -> list[dict]:
    """The sections drawn after the summary (the summary is drawn with the levels and the form)."""
    return [s for s in figures["sections"] if s["key"] != "summary"]


@dataclass(frozen=True)
class SavedLevel:
    title: str           # "Commissioner's delivery confidence"
    level: str           # "◑ Amber", or "not set"
    reason: str | None   # as written (text from a person)


@dataclass(frozen=True)
class ReportPage:
    quarter: str
    label: str                          # "Q2 2023/24"
    previous: str                       # the previous quarter ("2023-Q2")
    title: str
    status: str                         # "not started", "draft" or "submitted"
    tag: tuple[str, str]                # the status badge: word, detail
    notes: tuple[str, ...]              # where the figures come from, and what the reader may do
    period: str                         # "Q2 2023/24, 1 Jul 2023 to 30 Sep 2023"
    words: Audience                     # whose words the report is in: as submitted, else as now
    illustrative: tuple[str, ...]       # each section's provenance word, for the illustrative notice
    proposed: tuple[str, str] | None    # the data's proposal: level, then its points and reasons
    saved: tuple[SavedLevel, ...]       # the levels as saved, shown when there is no form
    summary: str | None                 # the summary as saved, shown when there is no form
    form: ReportForm | None             # offered to the report's author (and administrators) until submitted
    offers_correction: bool             # a submitted report, to its author: start a new version
    export_notes: tuple[str, ...]
    checks_docx: bool                   # the Word file can be checked against the hash kept at submission
    annual_to: str | None
    annual_council_name: str | None
    annual_years: tuple[str, ...]
    annual_year: str | None             # the year the annual choice opens on
    quarters: tuple[str, ...]

    @property
    def tabs(self) -> list[str]:
        return ["Report", f"Compare with {council_quarter(self.previous)}", "Export"]

    def annual_quarters(self, year: str) -> list[str]:
        return annual_quarters_of(year, self.quarters)

    def annual_sentence(self, year: str) -> str:
        in_year = self.annual_quarters(year)
        return (f"The annual report to {self.annual_to} for {year} brings together its quarters "
                f"({', '.join(council_quarter(q) for q in in_year)}), with "
                f"{self.annual_council_name or 'the partner council'}'s own no-detriment position.")


def _tag(record: Mapping | None, status: str) -> tuple[str, str]:
    if record is None:
        return "Not started", "nothing saved for this quarter yet: the figures below are assembled from the data"
    if status == "submitted":
        return "Submitted", f"version {record['version']}, by {submitted_by(record)} on " \
                            f"{format_date(record['submitted_at'])}; frozen"
    return "Draft", (f"version {record['version']}, not yet submitted"
                     + (f"; corrects {record['corrects_report_id']}" if record.get("corrects_report_id") else ""))


def _frozen_note(frozen: Mapping) -> str:
    if frozen.get("legacy"):
        return LEGACY_NOTE
    if frozen.get("reconstructed"):
        return (f"{frozen['reconstructed']['note']} Reconstructed on {format_date(frozen['reconstructed']['at'])}; "
                "shown from that record, not from today's data.")
    return (f"Shown as frozen at submission (figures assembled {format_date(frozen.get('assembled_at'))}), "
            "not from today's data.")


def _proposed(figures: Mapping) -> tuple[str, str] | None:
    proposed = figures.get("proposed_confidence")
    if not proposed:
        return None
    points = proposed["points"]
    return (confidence_label(proposed["level"]),
            f"({points} point{'' if points == 1 else 's'}) — " + "; ".join(proposed["reasons"]) + ".")


def build_page(*, programme_id: str, quarter: str, quarters: Sequence[str], audience: Audience,
               record: dict | None, figures: dict, frozen: dict | None, narrative: Mapping[str, str],
               allowed: bool) -> ReportPage:
    """The page for the quarter's latest version (`record`, None when nothing is saved) showing
    `figures` (`frozen` when they are its frozen record). `allowed`: the reader may write the
    programme's reports (the write checks again)."""
    status = (record or {}).get("status") or "not started"
    shows_frozen = frozen is not None and figures is frozen
    # A submitted report reads in the words it was submitted with (who it went to, who wrote it); who
    # may write is the programme's audience as it is now.
    words = audience_from(figures) if shows_frozen else audience
    editable = allowed and status != "submitted"
    label = council_quarter(quarter)
    sections = shown_sections(figures)
    notes = [_frozen_note(frozen)] if shows_frozen else []
    if not allowed:
        notes.append(f"You can read this report. Only the programme's "
                     f"{audience.author_title.lower().removeprefix('dfe ')} ({audience.author_role}) and "
                     "administrators can change it.")
    elif status == "submitted":
        notes.append(SUBMITTED_NOTE)
    saved = record or {}
    start, end = quarter_bounds(quarter)
    export_notes = [DOCX_SUBMITTED if status == "submitted" else DOCX_DRAFT]
    checks_docx = status == "submitted" and bool(saved.get("docx_sha256"))
    if checks_docx:
        export_notes.append(f"SHA-256 of the Word file at submission: `{record['docx_sha256']}`")
    years = tuple(programme_financial_years(list(quarters))) if audience.annual_to else ()
    fy = financial_year(start)
    return ReportPage(
        quarter=quarter, label=label, previous=previous_quarter(quarter),
        title=figures.get("title") or words.title(label), status=status, tag=_tag(record, status),
        notes=tuple(notes), period=f"{label}, {format_date(start)} to {format_date(end)}",
        words=words,
        illustrative=tuple("illustrative" if s.get("illustrative") else "source" for s in sections),
        proposed=_proposed(figures),
        saved=tuple(SavedLevel(title, confidence_label(saved.get(field)) or "not set", saved.get(f"{field}_reason"))
                    for field, title in (("confidence", words.confidence_label[:1].upper() + words.confidence_label[1:]),
                                         ("council_confidence", COUNCIL_TITLE))),
        summary=narrative.get("summary"),
        form=report_form(record["report_id"] if record else f"new-{programme_id}-{quarter}", audience, sections,
                         record, narrative) if editable else None,
        offers_correction=allowed and status == "submitted",
        export_notes=tuple(export_notes), checks_docx=checks_docx,
        annual_to=audience.annual_to, annual_council_name=audience.annual_council_name, annual_years=years,
        annual_year=(fy if fy in years else years[0]) if years else None, quarters=tuple(quarters))


def versions_table(reports: pd.DataFrame, quarter: str) -> pd.DataFrame | None:
    """Every version of the quarter's report: who submitted each (as they were), when, what it corrects."""
    versions = reports[reports["quarter_label"] == quarter]
    if versions.empty:
        return None
    shown = versions[["version", "status", "author", "submitted_at", "corrects_report_id"]].copy()
    shown.insert(3, "submitted_by", [submitted_by(r) if r["status"] == "submitted" else ""
                                     for r in versions.to_dict("records")])
    shown["submitted_at"] = shown["submitted_at"].map(format_date)
    return shown.rename(columns=lambda c: c.replace("_", " ").capitalize())

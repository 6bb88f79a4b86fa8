"""The quarterly (and annual) report as a council paper in Word (monitor.paper): the header block
for its audience, summary and recommendations, contents, numbered sections with the narrative,
the figures' tables and print-ready charts each with its source note, and a last section on the
record itself. Pure: figures and the report's record in, .docx bytes out — a submitted report is
rendered from its frozen record alone, so the same record always gives the same bytes."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from monitor.formatting import format_date
from monitor.paper import Paper, PaperHeader
from monitor.periods import council_quarter, quarter_bounds
from monitor.report.audience import Audience, audience_of
from monitor.report.confidence import CONFIDENCE_DEFINITIONS, CONFIDENCE_LEVELS, CONFIDENCE_RULES, confidence_label
from monitor.report.docx_charts import alt_text, chart_png
from monitor.report.record import parse_narrative, submitted_by
from monitor.sources.links import absolute_url, source_target

ILLUSTRATIVE_NOTICE = ("Illustrative data: some figures in this report are illustrative — made up for the "
                       "demonstration where no council paper or official file gives the figure. Sections and tables "
                       "that contain them say so in their source notes.")
PROVENANCE_WORDS = ("Each source note counts the records behind a table or chart in four words: published (an "
                    "official file or a document on GOV.UK), from a council paper (the cited passage states it), "
                    "derived from a council paper (computed by a stated rule from a figure a passage gives), and "
                    "illustrative (made up to show the feature).")


def _moment(value) -> dt.datetime | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    stamp = pd.Timestamp(value)
    return stamp.to_pydatetime().replace(tzinfo=None) if not pd.isna(stamp) else dt.datetime(2000, 1, 1)


def audience_from(figures: Mapping) -> Audience:
    """The audience frozen with the figures (a report frozen before audiences were kept went to DfE)."""
    if figures.get("audience"):
        return Audience.from_dict(figures["audience"])
    return audience_of(figures.get("programme_kind") or "DfE commission", None)


def _status_line(record: Mapping, audience: Audience) -> str:
    status = record.get("status") or "not saved"
    if status == "submitted":
        return (f"Submitted to {audience.to_short} by {submitted_by(record)} on "
                f"{format_date(record.get('submitted_at'))}")
    if status == "draft":
        return "DRAFT — not yet submitted"
    return "DRAFT — not yet saved: figures as assembled from the data"


def cited_items(section: Mapping, figures: Mapping, base: str | None = None) -> list[tuple[str, str | None, str]]:
    """A section's cited sources as the Word file prints them: (label, address that works outside
    the dashboard, citation in words), from the references kept with the figures (or worked out
    now for figures kept without them). The dashboard's address is the one kept with the figures,
    so a frozen report's Word file has the same bytes wherever it is rendered again."""
    kept = figures.get("source_references") or {}
    items = []
    for label in section.get("cited") or []:
        ref = kept.get(label)
        if ref is None:
            found = source_target(label)
            ref = {"url": found.url, "words": found.words}
        items.append((label, absolute_url(ref.get("url"), base or figures.get("dashboard_address")),
                      ref.get("words") or label))
    return items


def _section_body(paper: Paper, section: Mapping, narrative: str, figures: Mapping | None = None) -> None:
    if narrative:
        paper.heading("Commentary", 2)
        paper.paragraphs(narrative)
    paper.heading("From the data", 2)
    paper.paragraph(section.get("summary", ""))
    if section.get("illustrative"):
        paper.notice("Some figures in this section are illustrative: the source notes say which.")
    for chart in section.get("charts", []):
        paper.chart(chart_png(chart), title=chart["title"], alt=alt_text(chart), source=chart.get("source") or
                    section.get("source") or "Improvement Monitor")
    for table in section.get("tables", []):
        columns, rows = list(table["columns"]), [list(r) for r in table["rows"]]
        words = []
        if "In words" in columns:  # sentences read better under the table than in a column of it
            i = columns.index("In words")
            words = [r[i] for r in rows if r[i]]
            columns, rows = columns[:i] + columns[i + 1:], [r[:i] + r[i + 1:] for r in rows]
        paper.table(columns, rows, title=table["title"],
                    source=table.get("source") or section.get("source") or "Improvement Monitor")
        if words:
            paper.paragraph("In words:", "Lead In")
            paper.bullets(words)
    paper.cited(cited_items(section, figures or {}))


def _record_section(paper: Paper, figures: Mapping, record: Mapping, audience: Audience) -> None:
    paper.heading("About this report")
    status = record.get("status")
    lines = [f"Version {record.get('version') or 1}; {_status_line(record, audience)}."]
    if record.get("corrects_report_id"):
        lines.append(f"This version corrects report {record['corrects_report_id']}.")
    if figures.get("reconstructed"):
        lines.append(f"{figures['reconstructed']['note']} Reconstructed on "
                     f"{format_date(figures['reconstructed']['at'])}.")
    elif status == "submitted":
        lines.append(f"The figures, tables, charts and sentences are as assembled on {format_date(figures.get('assembled_at'))} "
                     "and frozen with the report when it was submitted; this document is rendered from that record.")
    else:
        lines.append(f"The figures are as assembled from Improvement Monitor on {format_date(figures.get('assembled_at'))}; "
                     "they are frozen only when the report is submitted.")
    if figures.get("legacy"):
        lines.append("This report was submitted before full figures were frozen with reports: only its milestone "
                     "counts are the figures as submitted.")
    lines.append(audience.source_line())
    lines.append(PROVENANCE_WORDS)
    for line in lines:
        paper.paragraph(line)


def _header(figures: Mapping, record: Mapping, audience: Audience, title: str, period: str, annual: bool) -> PaperHeader:
    status = record.get("status")
    key_dates = next((s for s in figures.get("sections", []) if s.get("key") == "key_dates"), {}).get("facts", {})
    meeting = "to be set"
    if not annual and key_dates.get("meeting_date"):
        meeting = format_date(key_dates["meeting_date"]) + (" (date illustrative)" if key_dates.get("meeting_illustrative") else "")
    to = audience.annual_to if annual and audience.annual_to else audience.report_to
    name = figures.get("programme_name", "")
    purpose = (f"To report to {to} on the {name} over {period}, with the improvement partner's own no-detriment position."
               if annual else
               f"To report the progress of the {name} in {period} to {'the ' + to if not audience.is_dfe else to}, "
               f"with the {audience.author_possessive[:-2].lower()}'s delivery confidence.")
    # A submitted paper is dated by its submission; any other by the day its figures were assembled,
    # so the page and `make report` give the same file for the same data on the same day.
    dated = _moment(record.get("submitted_at")) if status == "submitted" and not annual else None
    if dated is None:
        assembled = _moment(figures.get("assembled_at")) or dt.datetime(2000, 1, 1)
        dated = dt.datetime.combine(assembled.date(), dt.time())
    notes = [_status_line(record, audience) + "." if not annual else
             ("DRAFT — assembled from the quarters' records and the data; not a submitted record." if figures.get("draft")
              else "Assembled from the quarters' frozen records.")]
    if figures.get("reconstructed"):
        notes.append(f"{figures['reconstructed']['note']} Reconstructed on {format_date(figures['reconstructed']['at'])}.")
    if figures.get("illustrative"):
        notes.append(ILLUSTRATIVE_NOTICE)
    return PaperHeader(
        title=title, subtitle=name, report_to=to, report_by=audience.author_title,
        author=str(record.get("author") or ("not yet saved" if not annual else audience.author_title)),
        dated=dated, meeting_date=meeting, meeting_label="Date of meeting" if annual else audience.meeting_label,
        purpose=purpose, draft=(figures.get("draft", False) if annual else status != "submitted"),
        footer_title=(f"Annual report {period}" if annual else f"{audience.report_name} {period}"),
        extra=(("Reporting period", period),), notes=tuple(notes))


def _recommendations(figures: Mapping, record: Mapping, audience: Audience, numbers: Mapping[str, str]) -> tuple[str, list[str]]:
    name, period = figures.get("programme_name", ""), figures.get("council_quarter") or figures.get("quarter")
    body = "The Department for Education is" if audience.is_dfe else f"The {audience.report_to} is"
    level = confidence_label(record.get("confidence"))
    proposed = confidence_label((figures.get("proposed_confidence") or {}).get("level"))
    items = [f"note the progress of the {name} in {period} set out in this report"]
    verb = "note" if audience.is_dfe else "agree"
    items.append(f"{verb} the {audience.confidence_label.lower()} of {level} (proposed from the data: {proposed})"
                 if level else f"note that the {audience.confidence_label.lower()} is not yet set "
                               f"(proposed from the data: {proposed})")
    nd = next((s for s in figures.get("sections", []) if s.get("key") == "no_detriment"), None)
    if nd and nd["facts"].get("no_detriment_indicators"):
        items.append(f"note the no-detriment position of {' and '.join(nd.get('councils') or ['the lending council'])} "
                     f"(section {numbers.get('no_detriment', '')[:-1]}): {nd['facts'].get('no_detriment_verdict')}")
    if numbers.get("risks") and numbers.get("key_dates"):
        items.append(f"note the risks and key dates ahead (sections {numbers['risks'][:-1]} and {numbers['key_dates'][:-1]})")
    return f"{body} asked to:", items


def _confidence(paper: Paper, figures: Mapping, record: Mapping, audience: Audience) -> None:
    proposed = figures.get("proposed_confidence") or {}
    rows = [["Proposed from the data", confidence_label(proposed.get("level")) or "–", "; ".join(proposed.get("reasons", []))],
            [audience.confidence_label[:1].upper() + audience.confidence_label[1:].replace(" delivery confidence", ""),
             confidence_label(record.get("confidence")) or "not set", record.get("confidence_reason") or ""],
            ["Council's own assessment", confidence_label(record.get("council_confidence")) or "not recorded",
             record.get("council_confidence_reason") or ""]]
    paper.table(["Assessment", "Level", "Reason"], rows, title="Delivery confidence",
                source="Source: the proposal is worked out from this report's figures by the rules below; the "
                       "assessments and reasons are the report's own, as saved.")
    paper.heading("The delivery confidence scale", 2)
    paper.table(["Level", "Definition"], [[confidence_label(level), CONFIDENCE_DEFINITIONS[level]]
                                          for level in CONFIDENCE_LEVELS],
                title="Delivery confidence levels",
                source="Source: Infrastructure and Projects Authority, Annual Report on Major Projects (definitions).")
    paper.heading("How the proposed level is worked out", 2)
    paper.bullets(CONFIDENCE_RULES)


def build_docx(figures: Mapping, record: Mapping | None = None, narrative: Mapping[str, str] | None = None) -> bytes:
    """The report as .docx bytes. ``figures``: assembled or frozen figures (monitor.report);
    ``record``: the commissioner_report row as a dict (status, version, author, confidence and
    reasons, submitter and when), or None before the first save; ``narrative``: section → text
    (defaults to the record's narrative_json)."""
    record = dict(record or {})
    narrative = dict(narrative if narrative is not None else parse_narrative(record.get("narrative_json")))
    if figures.get("kind") == "annual":
        return _annual(figures)
    audience = audience_from(figures)
    quarter = figures["quarter"]
    start, end = quarter_bounds(quarter)
    label = figures.get("council_quarter") or council_quarter(quarter)
    period = f"{label} ({format_date(start)} to {format_date(end)})"
    title = figures.get("title") or audience.title(label)
    paper = Paper(_header(figures, record, audience, title, label, annual=False))
    sections = [s for s in figures.get("sections", []) if s.get("key") != "summary"]
    numbers = {s["key"]: f"{n}." for n, s in enumerate(sections, 2)}
    summary = [narrative["summary"]] if narrative.get("summary") else []
    head = figures.get("headline")
    if head:
        summary.append(f"{head['title']}: " + "; ".join(f"{r[0].lower()} {r[1]}" for r in head["rows"]) + ".")
    summary.append(f"Reporting period: {period}.")
    paper.summary(summary)
    paper.recommendations(*_recommendations(figures, record, audience, numbers))
    paper.contents()
    paper.heading("Headline figures and delivery confidence")
    if head:
        paper.table(head["columns"], head["rows"], title=head["title"], source=head.get("source") or
                    "Source: Improvement Monitor's headline facts for the programme.")
    _confidence(paper, figures, record, audience)
    for sec in sections:
        paper.heading(sec["title"])
        _section_body(paper, sec, narrative.get(sec["key"], ""), figures)
    _record_section(paper, figures, record, audience)
    return paper.to_bytes()


def _annual(figures: Mapping) -> bytes:
    audience = audience_from(figures)
    year = figures.get("financial_year") or figures.get("quarter")
    title = f"Annual report to {audience.annual_to or 'the improvement partner'}: {year}"
    period = (f"the financial year {year} ({format_date(figures.get('period_start'))} to "
              f"{format_date(figures.get('reporting_date'))})")
    paper = Paper(_header(figures, {"author": None}, audience, title, year, annual=True))
    nd = next((s for s in figures["sections"] if s["key"] == "no_detriment"), None)
    lines = [f"This annual report to {audience.annual_to or 'the improvement partner'} covers the {figures.get('programme_name')} "
             f"over {period}: quarters {', '.join(figures.get('council_quarters', figures.get('quarters', [])))}."]
    if nd:
        lines.append(f"No detriment to {figures.get('annual_council_name') or 'the partner council'}: "
                     f"{nd['facts'].get('no_detriment_verdict')}.")
    paper.summary(lines)
    sections = figures["sections"]
    numbers = {s["key"]: f"{n}." for n, s in enumerate(sections, 1)}
    to = audience.annual_to or "The council"
    items = [f"note the progress of the {figures.get('programme_name')} over {year}"]
    if nd:
        items.append(f"note the no-detriment position of {figures.get('annual_council_name') or 'the council'} "
                     f"(section {numbers['no_detriment'][:-1]})")
    paper.recommendations(f"{to} is asked to:", items)
    paper.contents()
    for sec in sections:
        paper.heading(sec["title"])
        _section_body(paper, sec, "", figures)
    paper.heading("About this report")
    paper.paragraph(f"Assembled on {format_date(figures.get('assembled_at'))} from the quarters' reports: a submitted "
                    "quarter from its frozen record, any other from the data as it stood then.")
    paper.paragraph(audience.source_line())
    paper.paragraph(PROVENANCE_WORDS)
    return paper.to_bytes()

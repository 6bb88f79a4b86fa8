"""The quarterly (and annual) report as a Word document: title page, one heading per section with
the commissioner's narrative, the assembled figures as tables, the charts as PNG images drawn by
matplotlib (no browser needed), page numbers in the footer, and the illustrative-data notice where
the figures are illustrative. Pure: figures and report record in, .docx bytes out.
"""
from __future__ import annotations

import copy
import io
import re
from collections.abc import Mapping

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from monitor.formatting import format_date
from monitor.periods import quarter_bounds
from monitor.report.confidence import CONFIDENCE_DEFINITIONS, CONFIDENCE_LEVELS, CONFIDENCE_RULES, confidence_label
from monitor.report.docx_charts import chart_png
from monitor.report.record import parse_narrative

ILLUSTRATIVE_NOTICE = ("Illustrative data: some figures in this report are illustrative — made up for the "
                       "demonstration where no council paper or official file gives the figure. Sections that "
                       "contain illustrative figures say so.")


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) as a simple field: Word and LibreOffice fill it in."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _footer(doc, text: str) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(f"{text} · Page ")
    _field(p, "PAGE")
    p.add_run(" of ")
    _field(p, "NUMPAGES")
    for run in p.runs:
        run.font.size = Pt(8)


STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Table Grid")


def _style_ids(doc) -> dict[str, str]:
    """The ids of the styles the report uses, looked up by name once per document (python-docx
    looks a style name up through the whole styles part at every use)."""
    return {name: doc.styles[name].style_id for name in STYLES}


def _paragraph(doc, ids: Mapping[str, str], text: str, style: str):
    """doc.add_paragraph(text, style) with the style id looked up once."""
    p = doc.add_paragraph(text)
    p._p.style = ids[style]
    return p


def _heading(doc, ids: Mapping[str, str], text: str, level: int):
    """doc.add_heading(text, level) with the style id looked up once."""
    return _paragraph(doc, ids, text, "Title" if level == 0 else f"Heading {level}")


# The run of a table cell, 8 point (the header's bold too), as run.font.size = Pt(8) and
# run.bold = True write it; copied per cell rather than built element by element.
_CELL_RUN = {bold: parse_xml(f'<w:r {nsdecls("w")}><w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="16"/></w:rPr></w:r>')
             for bold in (False, True)}


def _cell_run(tc, value, bold: bool = False) -> None:
    """One run in a new cell's paragraph, as cell.paragraphs[0].add_run(value) with the cell's
    font would write it, without python-docx's proxy objects (whose row.cells walks the whole
    table at every row)."""
    r = copy.deepcopy(_CELL_RUN[bold])
    tc.p_lst[0].append(r)
    text = "" if value is None else str(value)
    if not text:
        return
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text  # python-docx's tabs and line breaks
    else:
        r.add_t(text)


# A figure alone in its cell: "£1,234", "−2", "96%", "12.5", "£0.75m", or a dash for none.
_FIGURE = re.compile(r"^[+\-−]?£?[\d,]+(\.\d+)?[%km]?$")
_NONE = {"", "–", "—", "-"}


def figure_columns(rows: list[list]) -> set[int]:
    """The columns that hold only figures (and dashes for none): they are right-aligned, so units,
    tens and hundreds line up down the column as in any printed table of figures."""
    if not rows:
        return set()
    found = set()
    for i in range(len(rows[0])):
        texts = ["" if r[i] is None else str(r[i]).strip() for r in rows]
        if any(t not in _NONE for t in texts) and all(t in _NONE or _FIGURE.match(t) for t in texts):
            found.add(i)
    return found


TEXT_WIDTH_CM = 16.6  # A4 less 2.2 cm margins each side
CM_PER_CHAR = 0.17     # an average character of the tables' 8 pt type
CELL_PADDING_CM = 0.4  # Word's default cell margins, both sides


def column_widths_cm(columns: list[str], rows: list[list], total_cm: float = TEXT_WIDTH_CM) -> list[float]:
    """Each column's share of the page, by how much it has to say: its longest text (capped, so a
    column of sentences wraps rather than starving the others), and never narrower than its
    longest word at the tables' 8 pt. Equal widths left an 8-column table one word wide where the
    sentences were."""
    want, floor = [], []
    for i, header in enumerate(columns):
        texts = [str(header)] + ["" if r[i] is None else str(r[i]) for r in rows]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        header_word = max((len(w) for w in str(header).split()), default=0)  # a header may wrap
        want.append(max(min(max((len(t) for t in texts[1:]), default=0), 40), header_word, 4))
        floor.append(max(longest_word, 4) * CM_PER_CHAR + CELL_PADDING_CM)
    widths = [0.0] * len(columns)
    free = set(range(len(columns)))
    while free:  # share out what the fixed columns leave; a column below its floor is fixed at it
        room = total_cm - sum(widths[i] for i in range(len(columns)) if i not in free)
        share = {i: room * want[i] / sum(want[j] for j in free) for i in free}
        starved = {i for i in free if share[i] < floor[i]}
        if not starved or len(starved) == len(free):  # settled, or every column at its floor
            for i in free:
                widths[i] = max(share[i], floor[i])
            break
        for i in starved:
            widths[i] = floor[i]
        free -= starved
    return widths


def _align_right(tc) -> None:
    tc.p_lst[0].get_or_add_pPr().jc_val = WD_ALIGN_PARAGRAPH.RIGHT


def _table(doc, ids: Mapping[str, str], columns: list[str], rows: list[list]) -> None:
    # All the rows at once (python-docx writes the same cells as a header plus add_row per row).
    table = doc.add_table(rows=1 + len(rows), cols=len(columns))
    tbl = table._tbl
    tbl.tblStyle_val = ids["Table Grid"]
    trs = tbl.tr_lst
    for tc, name in zip(trs[0].tc_lst, columns):
        _cell_run(tc, name, bold=True)
    # Repeat the header row on every page the table runs over.
    tr_pr = trs[0].get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for tr, row in zip(trs[1:], rows):
        for tc, value in zip(tr.tc_lst, row):
            _cell_run(tc, value)
    for i in figure_columns(rows):
        for tr in trs:
            _align_right(tr.tc_lst[i])
    # Fixed widths (gridCol for LibreOffice, tcW in each cell for Word) from what each column says.
    table.autofit = False
    widths = [Cm(w) for w in column_widths_cm(columns, rows)]
    for col, width in zip(tbl.tblGrid.gridCol_lst, widths):
        col.w = width
    for tr in trs:
        for tc, width in zip(tr.tc_lst, widths):
            tc.width = width


def _notice(doc, text: str) -> None:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.italic = True
    run.font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)


def _status_line(record: Mapping) -> str:
    status = record.get("status") or "not saved"
    if status == "submitted":
        when = record.get("submitted_at")
        return f"Submitted by {record.get('submitted_by')} on {format_date(when)}"
    return "DRAFT — not yet submitted" if status == "draft" else "Not yet saved — figures as assembled from the data"


def _confidence_table(doc, ids: Mapping[str, str], figures: Mapping, record: Mapping) -> None:
    proposed = figures.get("proposed_confidence") or {}
    rows = [["Proposed from the data", confidence_label(proposed.get("level")) or "–",
             "; ".join(proposed.get("reasons", []))],
            ["Commissioner's assessment", confidence_label(record.get("confidence")) or "not set",
             record.get("confidence_reason") or ""],
            ["Council's own assessment", confidence_label(record.get("council_confidence")) or "not recorded",
             record.get("council_confidence_reason") or ""]]
    _table(doc, ids, ["Assessment", "Level", "Reason"], rows)


def _section_body(doc, ids: Mapping[str, str], section: Mapping, narrative: str, chart_images: bool = True) -> None:
    if narrative:
        _heading(doc, ids, "Commentary", 2)
        for para in narrative.split("\n\n"):
            doc.add_paragraph(para.strip())
    _heading(doc, ids, "From the data", 2)
    doc.add_paragraph(section.get("summary", ""))
    if section.get("illustrative"):
        _notice(doc, "Figures in this section are illustrative.")
    if chart_images:
        for chart in section.get("charts", []):
            # Each chart drawn once, into its own centred paragraph (doc.add_picture, without
            # doc.paragraphs[-1], which lists every paragraph of the document to find the last).
            picture = doc.add_paragraph()
            picture.add_run().add_picture(io.BytesIO(chart_png(chart)), width=Cm(16))
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            cap = doc.add_paragraph(f"Figure: {chart['title']}. {chart.get('summary', '')}")
            cap.runs[0].font.size = Pt(8)
    for table in section.get("tables", []):
        _heading(doc, ids, table["title"], 3)
        if table["rows"]:
            _table(doc, ids, table["columns"], table["rows"])
        else:
            doc.add_paragraph("None.")


def build_docx(figures: Mapping, record: Mapping | None = None, narrative: Mapping[str, str] | None = None) -> bytes:
    """The report as .docx bytes. ``figures``: assembled or frozen figures (monitor.report);
    ``record``: the commissioner_report row as a dict (status, version, author, confidence and
    reasons, submitted_by/at), or None before the first save; ``narrative``: section → text
    (defaults to the record's narrative_json)."""
    record = dict(record or {})
    narrative = dict(narrative if narrative is not None else parse_narrative(record.get("narrative_json")))
    annual = figures.get("kind") == "annual"
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = (f"{'Annual' if annual else 'Quarterly'} report — {figures.get('programme_name')} — "
                                 f"{figures.get('quarter')}")
    doc.core_properties.author = str(record.get("author") or "Improvement Monitor")
    ids = _style_ids(doc)

    # Title page
    if annual:
        _heading(doc, ids, f"Annual report to {figures.get('recipient') or 'the partner council'}", 0)
    else:
        _heading(doc, ids, "Quarterly report to the Department for Education", 0)
    doc.add_paragraph(str(figures.get("programme_name", ""))).runs[0].font.size = Pt(16)
    if annual:
        period = f"{figures['quarter']} ({format_date(figures.get('period_start'))} – {format_date(figures.get('reporting_date'))})"
    else:
        start, end = quarter_bounds(figures["quarter"])
        period = f"Quarter {figures['quarter']} ({format_date(start)} – {format_date(end)})"
    doc.add_paragraph(period).runs[0].font.size = Pt(14)
    if not annual:
        status = doc.add_paragraph()
        run = status.add_run(_status_line(record))
        run.bold = True
        details = [f"Version {record.get('version') or 1}"]
        if record.get("corrects_report_id"):
            details.append(f"correcting report {record['corrects_report_id']}")
        if record.get("author"):
            details.append(f"author: {record['author']}")
        doc.add_paragraph("; ".join(details) + ".")
    stamp = figures.get("assembled_at")
    doc.add_paragraph(f"Figures assembled from Improvement Monitor on {format_date(stamp)}"
                      + (" and frozen at submission." if record.get("status") == "submitted" else "."))
    if figures.get("legacy"):
        _notice(doc, "This report was submitted before full figures were frozen with it: only its milestone "
                     "counts are the figures as submitted.")
    if figures.get("illustrative"):
        _notice(doc, ILLUSTRATIVE_NOTICE)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # Summary and delivery confidence
    if not annual:
        _heading(doc, ids, "Summary and delivery confidence", 1)
        if narrative.get("summary"):
            for para in narrative["summary"].split("\n\n"):
                doc.add_paragraph(para.strip())
        if figures.get("headline"):
            head = figures["headline"]
            _heading(doc, ids, head["title"], 2)
            _table(doc, ids, head["columns"], head["rows"])
        _confidence_table(doc, ids, figures, record)
        _heading(doc, ids, "The delivery confidence scale (Infrastructure and Projects Authority)", 3)
        _table(doc, ids, ["Level", "Definition"], [[confidence_label(level), CONFIDENCE_DEFINITIONS[level]]
                                                   for level in CONFIDENCE_LEVELS])
        _heading(doc, ids, "How the proposed level is worked out", 3)
        for rule in CONFIDENCE_RULES:
            _paragraph(doc, ids, rule, "List Bullet")

    for sec in figures.get("sections", []):
        if not annual and sec.get("key") == "summary":
            continue
        _heading(doc, ids, sec["title"], 1)
        _section_body(doc, ids, sec, "" if annual else narrative.get(sec["key"], ""))

    label = "Annual report" if annual else f"Quarterly report {figures.get('quarter')}"
    _footer(doc, f"{figures.get('programme_name', '')} — {label}"
                 + ("" if annual else f" — {(record.get('status') or 'not saved')}"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

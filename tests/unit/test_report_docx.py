"""The report as a council paper in Word: the format (tests/docx_checks.py: header block, marking,
numbered headings in order, alt text, language, source notes, styles), the audience's words, each
indicator chart and table naming its council, charts drawn for print — and LibreOffice opening
every kind of export, each page drawn as a picture in tests/artifacts/docx/."""
import io

import pytest
from docx.oxml.ns import qn
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from monitor.paper import charts as paper_charts
from monitor.paper import figure_columns, headings_of
from monitor.report.annual import annual_report, financial_year_quarters
from monitor.report.audience import audience_of
from monitor.report.docx import ILLUSTRATIVE_NOTICE, build_docx
from monitor.report.docx_charts import alt_text, bar_figure, chart_png, spc_figure
from monitor.report.record import RECONSTRUCTED_NOTE, docx_file_name, dump_narrative
from tests import docx_checks
from tests.unit.test_report import DFE_AUDIENCE, whole

SUBMITTED = {"report_id": "p-2023-Q3-v1", "status": "submitted", "version": 1, "author": "DfE Commissioner (demo)",
             "confidence": "Amber", "confidence_reason": "Practice improving; workforce fragile.",
             "council_confidence": "Amber/Green", "council_confidence_reason": "The council is more optimistic.",
             "submitted_by": "commissioner@example.gov.uk", "submitted_by_name": "DfE Commissioner (demo)",
             "submitted_by_role": "commissioner", "submitted_at": "2023-10-20T10:00:00",
             "narrative_json": dump_narrative({"summary": "A steady quarter.", "milestones": "One slipped by 91 days.",
                                               "no_detriment": "Hampshire watches its re-referrals."})}
DRAFT = {"report_id": "p-2023-Q3-v1", "status": "draft", "version": 1, "author": "Programme lead (demo)",
         "narrative_json": dump_narrative({"summary": "Work goes on."})}


@pytest.fixture(scope="module")
def submitted() -> bytes:
    return build_docx(whole(), SUBMITTED)


@pytest.fixture(scope="module")
def board_draft() -> bytes:
    return build_docx(whole(kind="MOU collaboration"), DRAFT)


def everything(data: bytes) -> str:
    """All the text of the file: body, tables, page headers and footers, properties, alt text."""
    doc = docx_checks.open_docx(data)
    section = doc.sections[0]
    props = doc.core_properties
    alts = [f"{p.get('descr')} {p.get('title')}" for p in doc.element.body.iter(qn("wp:docPr"))]
    return "\n".join([docx_checks.body_text(doc), *[p.text for p in section.header.paragraphs],
                      *[p.text for p in section.footer.paragraphs], props.title, props.subject, props.category, *alts])


def test_a_commissioners_report_is_a_council_paper_to_dfe(submitted):
    assert docx_checks.problems(submitted, draft=False) == []
    doc = docx_checks.open_docx(submitted)
    block = docx_checks.header_block(doc)
    assert block["Report to"] == "Department for Education" and block["Report by"] == "DfE Commissioner"
    assert block["Author"] == "DfE Commissioner (demo)" and block["Security marking"] == "OFFICIAL"
    assert block["Reporting period"] == "Q2 2023/24"
    assert doc.paragraphs[0].text == "Commissioner's quarterly report to the Department for Education: Q2 2023/24"
    text = docx_checks.body_text(doc)
    assert "Submitted to DfE by DfE Commissioner (demo), commissioner on 20 Oct 2023" in text
    assert "commissioner@example.gov.uk" not in text  # a name and a role, not an address
    assert ILLUSTRATIVE_NOTICE in text and "A steady quarter." in text and "One slipped by 91 days." in text
    assert [t for level, t in headings_of(doc) if level == 1][3:] == [
        "1. Headline figures and delivery confidence", "2. Milestones", "3. Improvement indicators: West Sussex",
        "4. No-detriment indicators: Hampshire", "5. Ofsted and DfE activity", "6. Savings against plan", "7. Risks",
        "8. Key dates ahead", "9. About this report"]
    assert "2023-Q3" not in text.replace("p-2023-Q3-v1", "")  # quarters as a council writes them
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "◑ Amber" in cells and "Practice improving; workforce fragile." in cells


def test_each_indicator_chart_and_table_names_its_council_and_unit(submitted):
    doc = docx_checks.open_docx(submitted)
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert [c for c in captions if "indicators" in c and c.startswith("Figure")] == [
        "Figure 2: West Sussex: improvement indicators to 30 Sep 2023, with SPC mean and process limits",
        "Figure 3: Hampshire: no-detriment indicators to 30 Sep 2023, with SPC mean and process limits"]
    assert [c for c in captions if "indicators" in c and c.startswith("Table")] == [
        "Table 8: West Sussex: improvement indicators at 30 Sep 2023",
        "Table 9: Hampshire: no-detriment indicators at 30 Sep 2023"]
    alts = [p.get("descr") for p in doc.element.body.iter(qn("wp:docPr"))]
    assert len(alts) == 3 and all(alts)
    assert "of West Sussex" in alts[1] and "Assessments late: latest 43.0%" in alts[1]
    assert "of Hampshire" in alts[2] and "Re-referrals: latest 43.0%" in alts[2]
    units = [t for t in doc.tables if t.rows[0].cells[1].text == "Unit"]
    assert [t.rows[1].cells[1].text for t in units] == ["%", "%"]
    # "Illustrative" marks only the section whose figures are: West Sussex's, not Hampshire's published ones.
    notes = [p.text for p in doc.paragraphs if p.style.name == "Source Note"]
    assert any(n.startswith("Source: West Sussex's improvement indicators") and "illustrative" in n for n in notes)
    assert any(n.startswith("Source: Hampshire's no-detriment indicators") and "illustrative" not in n for n in notes)


def test_a_board_programmes_report_says_nothing_of_dfe(board_draft):
    assert docx_checks.problems(board_draft, draft=True) == []
    assert "DfE" not in everything(board_draft)
    doc = docx_checks.open_docx(board_draft)
    block = docx_checks.header_block(doc)
    assert block["Report to"] == "Joint Leaders' Board" and block["Report by"] == "Programme lead"
    assert "Date of meeting" in block and block["Security marking"] == "OFFICIAL – DRAFT"
    assert doc.paragraphs[0].text == "Quarterly progress report to the Joint Leaders' Board: Q2 2023/24"
    assert "The Joint Leaders' Board is asked to:" in [p.text for p in doc.paragraphs]
    assert "5. Ofsted activity" in [t for _, t in headings_of(doc)]


def test_a_record_frozen_at_build_says_its_figures_were_reconstructed():
    figures = dict(whole(), reconstructed={"at": "2026-12-04T09:00:00", "note": RECONSTRUCTED_NOTE})
    text = docx_checks.body_text(docx_checks.open_docx(build_docx(figures, SUBMITTED)))
    assert RECONSTRUCTED_NOTE in text and "Reconstructed on 4 Dec 2026" in text
    assert "frozen with the report when it was submitted" not in text


def test_the_same_record_gives_the_same_bytes(submitted):
    assert build_docx(whole(), SUBMITTED) == submitted


def test_the_annual_report_is_a_paper_to_the_partners_cabinet():
    year = "2022/23"
    quarters = [whole(q) for q in financial_year_quarters(year)]
    annual = annual_report(year, quarters, [None, None, SUBMITTED, None], audience_of("DfE commission", DFE_AUDIENCE).to_dict(),
                           "2026-12-04T09:00:00")
    data = build_docx(annual)
    assert docx_checks.problems(data, draft=True) == []
    doc = docx_checks.open_docx(data)
    assert docx_checks.header_block(doc)["Report to"] == "Hampshire County Council Cabinet"
    numbered = [t for level, t in docx_checks.numbered_headings(doc) if level == 1]
    assert numbered[0].startswith("1. No detriment to Hampshire: position at 31 Mar 2023")
    assert "No detriment to Hampshire: " in docx_checks.body_text(doc)
    assert docx_checks.body_text(doc).count("Q4 2022/23") >= 2


def test_charts_are_drawn_for_print():
    figures = whole()
    charts = [c for s in figures["sections"] for c in s["charts"]]
    assert {c["kind"] for c in charts} == {"bar", "spc"}
    for chart in charts:
        fig = spc_figure(chart) if chart["kind"] == "spc" else bar_figure(chart)
        FigureCanvasAgg(fig).draw()
        assert paper_charts.smallest_text_pt(fig) >= 9, chart["title"]
        assert fig.get_size_inches()[0] * 2.54 == pytest.approx(16.6)  # drawn at the width it prints
        image = Image.open(io.BytesIO(chart_png(chart)))
        assert image.info["dpi"][0] >= 200
    spc = next(c for c in charts if c["kind"] == "spc")
    fig = spc_figure(spc)
    assert [ax.get_ylabel() for ax in fig.axes] == ["Per cent (%)"]
    assert fig.axes[0].get_title(loc="left") == "Assessments late (%)"
    assert fig._suptitle.get_text() == "West Sussex: improvement indicators"
    assert alt_text(spc).startswith("Statistical process control charts, one per indicator of West Sussex.")


FIFTEEN_YEARS = {"kind": "bar", "money": True, "title": "Savings by financial year to 2026/27",
                 "x_title": "Financial year", "y_title": "Pounds (£)", "columns": ["Financial year", "Planned", "Forecast",
                                                                                   "Delivered"],
                 "rows": [[f"{y}/{(y + 1) % 100:02d}", 7_000_000, 6_900_000, 6_950_000] for y in range(2012, 2027)]}


def test_a_money_chart_reads_in_pounds_and_its_legend_clears_the_bars():
    fig = bar_figure(FIFTEEN_YEARS)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    legend = fig.legends[0].get_window_extent(renderer)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Planned", "Forecast", "Delivered"]
    assert not legend.overlaps(ax.get_window_extent(renderer))
    whole_image = fig.bbox
    low, high = ax.get_ylim()
    drawn = [t for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
    for label in (ax.yaxis.label, ax.xaxis.label, *ax.get_xticklabels(), *drawn):
        box = label.get_window_extent(renderer)
        assert whole_image.x0 <= box.x0 and box.x1 <= whole_image.x1, label.get_text()
        assert whole_image.y0 <= box.y0 and box.y1 <= whole_image.y1, label.get_text()
    assert ax.yaxis.label.get_text() == "Pounds (£)"
    ticks = [t.get_text() for t in drawn if t.get_text()]
    assert ticks and all(t.startswith("£") for t in ticks), ticks
    assert "Bar chart: Savings by financial year to 2026/27. Pounds (£) by financial year." in alt_text(FIFTEEN_YEARS)
    assert "Planned £7m" in alt_text(FIFTEEN_YEARS)


def test_a_chart_of_counts_has_whole_number_ticks():
    """One milestone slipped: the axis reads 0, 1 — not 0, 0, 0, 1, 1, 1 (0.2 steps printed whole)."""
    chart = {"kind": "bar", "title": "Milestones completed and slipped each quarter", "x_title": "Quarter",
             "y_title": "Milestones", "columns": ["Quarter", "Completed", "Slipped"],
             "rows": [["Q3 2022/23", 0, 0], ["Q4 2022/23", 1, 1], ["Q1 2023/24", 0, 1], ["Q2 2023/24", 0, 0]]}
    fig = bar_figure(chart)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    shown = [t.get_text() for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
    assert shown == ["0", "1"]


def test_figure_columns_are_right_aligned(submitted):
    doc = docx_checks.open_docx(submitted)
    slipped = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Days behind baseline")
    for row in slipped.rows:  # the header too, so it sits over its figures
        styles = [c.paragraphs[0].style.name for c in row.cells]
        assert styles[0] in ("Table Text", "Table Heading") and styles[2] in ("Table Text", "Table Heading")
        assert all(s.endswith("Figure") for s in styles[4:6])
    assert figure_columns([["2012/13", "£100,000", "–", "99%", "20 (Very high)", "−2", "£0.75m"]]) == {1, 3, 5, 6}


@pytest.mark.parametrize("name, make, draft", [
    ("dfe-submitted", lambda: build_docx(whole(), SUBMITTED), False),
    ("board-draft", lambda: build_docx(whole(kind="MOU collaboration"), DRAFT), True),
    ("dfe-not-saved", lambda: build_docx(whole(), None), True),
])
def test_libreoffice_opens_every_kind_of_export(name, make, draft, tmp_path, artifacts):
    """Opened by LibreOffice, converted to PDF and drawn page by page (tests/artifacts/docx/): the
    marking on every page, DRAFT on every page of a draft, the page numbers, a contents with page
    numbers, not runaway tables."""
    data = make()
    pdf = docx_checks.libreoffice_pdf(data, tmp_path, docx_file_name("p", "2023-Q3", name, 1))
    pages = docx_checks.pdf_pages_text(pdf)
    assert 5 <= len(pages) <= 14, len(pages)
    for n, text in enumerate(pages, 1):
        assert "OFFICIAL" in text, n
        assert ("DRAFT" in text) == draft, n
        assert f"Page {n} of {len(pages)}" in text, n
    contents = pages[0][pages[0].index("Contents"):]
    assert "2. Milestones" in contents and contents.split("2. Milestones")[1].split("\n")[0].strip(". ").isdigit()
    if name.startswith("board"):
        assert "DfE" not in "".join(pages)
    assert docx_checks.render_pages(pdf, artifacts / "docx", f"report-{name}")

"""The Word export: opened with python-docx (title page, headings, tables, chart images, page
number fields, illustrative notice) and converted to PDF by LibreOffice to prove it opens."""
import io
import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from matplotlib.backends.backend_agg import FigureCanvasAgg
from monitor.report.annual import annual_quarters, annual_report
from monitor.report.confidence import CONFIDENCE_DEFINITIONS, CONFIDENCE_LEVELS
from monitor.report.docx import ILLUSTRATIVE_NOTICE, build_docx, column_widths_cm, figure_columns
from monitor.report.docx_charts import bar_figure, chart_png
from monitor.report.record import docx_file_name, dump_narrative
from tests.unit.test_report import whole

RECORD = {"report_id": "p-2023-Q3-v1", "status": "submitted", "version": 1, "author": "DfE Commissioner",
          "confidence": "Amber", "confidence_reason": "Practice improving; workforce fragile.",
          "council_confidence": "Amber/Green", "council_confidence_reason": "The council is more optimistic.",
          "submitted_by": "commissioner@example.gov.uk", "submitted_at": "2023-10-20T10:00:00",
          "narrative_json": dump_narrative({"summary": "A steady quarter.", "milestones": "One slipped by 91 days."})}


@pytest.fixture(scope="module")
def quarterly(tmp_path_factory) -> bytes:
    return build_docx(whole(), RECORD)


def headings(doc, level):
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def test_quarterly_docx_structure(quarterly):
    doc = Document(io.BytesIO(quarterly))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Quarterly report to the Department for Education" in text
    assert "Programme" in text and "Quarter 2023-Q3 (1 Jul 2023 – 30 Sep 2023)" in text
    assert "Submitted by commissioner@example.gov.uk on 20 Oct 2023" in text
    assert ILLUSTRATIVE_NOTICE in text
    assert headings(doc, 1) == ["Summary and delivery confidence", "Milestones", "Indicators", "Ofsted and DfE activity",
                                "Savings against plan", "Risks", "Key dates ahead"]
    assert "A steady quarter." in text and "One slipped by 91 days." in text
    # Confidence table, the five IPA definitions, then every non-empty table of the figures.
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "◑ Amber" in cells and "Practice improving; workforce fragile." in cells
    assert "The council is more optimistic." in cells
    for level in CONFIDENCE_LEVELS:
        assert CONFIDENCE_DEFINITIONS[level] in cells
    assert "Slipped in Q3" in cells
    charts = [c for s in whole()["sections"] for c in s["charts"]]
    assert len(doc.inline_shapes) == len(charts) == 2
    footer = doc.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer


def test_draft_without_a_record_says_not_saved():
    doc = Document(io.BytesIO(build_docx(whole(), None)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Not yet saved" in text
    assert "not saved" in doc.sections[0].footer.paragraphs[0].text


def test_annual_docx_has_quarter_by_quarter_tables():
    quarters = [whole(q) for q in annual_quarters("2023-Q3")]
    annual = annual_report(quarters, [None, None, None, RECORD], "Hampshire County Council")
    doc = Document(io.BytesIO(build_docx(annual)))
    assert "Annual report to Hampshire County Council" in doc.paragraphs[0].text
    assert "Delivery confidence over the year" in headings(doc, 1)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "2022-Q4" in cells and "A steady quarter." in cells
    assert len(doc.inline_shapes) >= 2


def test_chart_png_is_a_png():
    for chart in [c for s in whole()["sections"] for c in s["charts"]]:
        assert chart_png(chart)[:8] == b"\x89PNG\r\n\x1a\n"


def test_figure_columns_are_right_aligned_in_the_word_tables(quarterly):
    doc = Document(io.BytesIO(quarterly))
    slipped = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Days behind baseline")
    for row in slipped.rows:  # the header too, so it sits over its figures
        cells = row.cells
        assert cells[0].paragraphs[0].alignment is None  # the milestone reads from the left
        assert cells[2].paragraphs[0].alignment is None  # a date is not a figure to add up
        assert [cells[i].paragraphs[0].alignment for i in (4, 5)] == [WD_ALIGN_PARAGRAPH.RIGHT] * 2
    assert figure_columns([["2012/13", "£100,000", "–", "99%", "20 (Very high)", "−2", "£0.75m"]]) == {1, 3, 5, 6}


FIFTEEN_YEARS = {"kind": "bar", "title": "Savings by financial year to 2026/27", "x_title": "Financial year",
                 "y_title": "Pounds (£)", "columns": ["Financial year", "Planned", "Forecast", "Delivered"],
                 "rows": [[f"{y}/{(y + 1) % 100:02d}", 7_000_000, 6_900_000, 6_950_000] for y in range(2012, 2027)]}


def test_savings_chart_legend_clears_the_bars_and_axis_titles_stay_on_the_image():
    """Fifteen financial years of seven-figure savings: the legend used to sit on the tallest bars
    and the y-axis title was pushed off the image by the wide tick labels."""
    fig = bar_figure(FIFTEEN_YEARS)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # as the PNG is drawn: the layout is worked out here
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    legend = fig.legends[0].get_window_extent(renderer)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Planned", "Forecast", "Delivered"]
    assert not legend.overlaps(ax.get_window_extent(renderer))
    whole_image = fig.bbox
    for label in (ax.yaxis.label, ax.xaxis.label, fig._suptitle, *ax.get_xticklabels(), *ax.get_yticklabels()):
        box = label.get_window_extent(renderer)
        assert whole_image.x0 <= box.x0 and box.x1 <= whole_image.x1, label.get_text()
        assert whole_image.y0 <= box.y0 and box.y1 <= whole_image.y1, label.get_text()
    assert ax.yaxis.label.get_text() == "Pounds (£)"


def test_column_widths_follow_what_each_column_says():
    columns = ["Indicator", "Variation (SPC)", "Latest period", "Value", "Change since last quarter", "Council",
               "Purpose", "In words"]
    rows = [["Assessments completed within 45 working days", "▲ Special cause of improvement — higher than expected",
             "2023 Q3 (new)", "89.0%", "+1.0", "West Sussex", "improvement",
             "Assessments completed within 45 working days: 8 points in a row above the baseline mean"]]
    widths = dict(zip(columns, column_widths_cm(columns, rows)))
    assert abs(sum(widths.values()) - 16.6) < 1e-9  # the page's text width, A4 less its margins
    assert widths["In words"] > 2 * widths["Value"]
    assert widths["Value"] >= 5 * 0.17 + 0.4  # "89.0%" on one line
    assert widths["Purpose"] >= len("improvement") * 0.17 + 0.4  # its longest word unbroken


def test_word_tables_have_fixed_column_widths(quarterly):
    doc = Document(io.BytesIO(quarterly))
    indicators = next(t for t in doc.tables if t.rows[0].cells[-1].text == "In words")
    widths = [c.width.cm for c in indicators.rows[0].cells]
    assert abs(sum(widths) - 16.6) < 0.01 and widths[-1] > widths[3]


def test_a_chart_of_counts_has_whole_number_ticks():
    """One milestone slipped: the axis reads 0, 1 — not 0, 0, 0, 1, 1, 1 (0.2 steps printed whole)."""
    chart = {"kind": "bar", "title": "Milestones completed and slipped each quarter", "x_title": "Quarter",
             "y_title": "Milestones", "columns": ["Quarter", "Completed", "Slipped"],
             "rows": [["2022-Q4", 0, 0], ["2023-Q1", 1, 1], ["2023-Q2", 0, 1], ["2023-Q3", 0, 0]]}
    fig = bar_figure(chart)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    shown = [t.get_text() for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
    assert shown == ["0", "1"]


def test_libreoffice_opens_it_and_counts_the_pages(quarterly, tmp_path):
    assert shutil.which("soffice"), "LibreOffice is missing: `make test` installs libreoffice-writer"
    source = tmp_path / docx_file_name("p", "2023-Q3", "submitted", 1)
    source.write_bytes(quarterly)
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=180)
    pdf = source.with_suffix(".pdf")
    assert pdf.exists(), done.stdout + done.stderr
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))
    # A title page of its own, then seven sections with two charts and their tables: more than
    # the title page, and not runaway tables (measured: 5 pages with Liberation fonts).
    assert 4 <= pages <= 9, pages

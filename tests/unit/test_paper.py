"""The council paper format (monitor.paper) on a paper made by hand: what a committee clerk and an
accessibility check ask of it, read back with python-docx, and the paper opened by LibreOffice."""
import datetime as dt
import io

import pytest
from PIL import Image

from monitor.paper import Paper, PaperHeader, charts, headings_of
from monitor.paper.widths import column_widths_cm, text_width_pt
from tests import docx_checks

WHEN = dt.datetime(2023, 10, 20, 10, 0)
LONG = "Recruitment and retention of permanent social workers remains below the level the plan assumed"


def make_paper(draft=True) -> bytes:
    paper = Paper(PaperHeader(title="No-detriment report: Q2 2023/24", report_to="Cabinet", report_by="Chief Executive",
                              author="A. Person", dated=WHEN, meeting_date="14 Nov 2023", draft=draft,
                              subtitle="A partnership", purpose="To test the format."))
    paper.summary(["A short summary.\n\nIts second paragraph."])
    paper.recommendations("Cabinet is asked to:", ["note the report", "agree the next review date"])
    paper.contents()
    paper.heading("Background")
    paper.heading("Commentary", 2)
    paper.paragraphs("Words " * 80)
    paper.table(["Risk", "Movement", "Score before", "Score now"], [[LONG, "▲ up", "12", "16"]] * 40,
                title="Risks", source="the risk register")
    paper.heading("Savings")
    with charts.printing():
        fig = charts.figure(16.6, 8)
        ax = fig.add_subplot()
        ax.bar(["2021/22", "2022/23"], [400_000, 1_200_000])
        ax.yaxis.set_major_formatter(charts.pounds)
        ax.set_ylabel("Pounds (£)")
        png = charts.png(fig)
    paper.chart(png, title="Savings by year", alt="Bar chart: savings £400k in 2021/22, £1.2m in 2022/23.",
                source="the savings ledger")
    paper.table(["Year", "Saving"], [], title="Savings not yet delivered", source="the savings ledger")
    return paper.to_bytes()


@pytest.fixture(scope="module")
def draft() -> bytes:
    return make_paper()


def test_the_paper_keeps_to_the_format(draft):
    assert docx_checks.problems(draft, draft=True) == []
    assert docx_checks.problems(make_paper(draft=False), draft=False) == []


def test_header_block_summary_recommendations_contents_and_numbered_sections(draft):
    doc = docx_checks.open_docx(draft)
    assert docx_checks.header_block(doc) == {
        "Report to": "Cabinet", "Date of meeting": "14 Nov 2023", "Report by": "Chief Executive",
        "Author": "A. Person", "Security marking": "OFFICIAL – DRAFT", "Purpose": "To test the format."}
    assert headings_of(doc) == [(1, "Summary"), (1, "Recommendations"), (1, "Contents"), (1, "1. Background"),
                                (2, "1.1 Commentary"), (1, "2. Savings")]
    texts = [p.text for p in doc.paragraphs]
    assert "1. note the report" in texts and "2. agree the next review date" in texts
    contents = [p.text for p in doc.paragraphs if p.style.name == "Contents Entry"]
    assert [c.split("\t")[0] for c in contents] == ["1. Background", "2. Savings"]
    assert "Table 1: Risks" in texts and "Figure 1: Savings by year" in texts and "Table 2: Savings not yet delivered" in texts


def test_heading_levels_go_down_one_at_a_time():
    paper = Paper(PaperHeader(title="T", report_to="R", report_by="B", author="A", dated=WHEN))
    paper.heading("One")
    with pytest.raises(ValueError, match="levels go down one at a time"):
        paper.heading("Three", level=3)


def test_the_same_content_gives_the_same_bytes(draft):
    assert make_paper() == draft
    assert make_paper(draft=False) != draft


def test_column_widths_never_break_a_word():
    columns, rows = ["Risk", "Movement", "Score before", "Score now"], [[LONG, "▲ up", "12", "16"]]
    widths = column_widths_cm(columns, rows, 16.6, 10, 0.2)
    assert abs(sum(widths) - 16.6) < 1e-9
    # "Movement" (bold, 10 pt) fits on one line in its column: the export used to print "Movemen t".
    assert widths[1] >= text_width_pt("Movement", 10, bold=True) / 28.3465 + 0.2
    assert widths[0] > widths[1]  # the long text takes the room
    assert column_widths_cm(["x"] * 30, [["Incomprehensibilities"] * 30], 16.6, 10, 0.2) is None


def test_charts_print_at_200_dpi_or_more_with_text_of_9_point_or_more():
    with charts.printing():
        fig = charts.figure(16.6, 8)
        ax = fig.add_subplot()
        ax.bar(["a", "b"], [1, 2])
        ax.set_ylabel("Milestones")
        png = charts.png(fig)
    image = Image.open(io.BytesIO(png))
    assert image.info["dpi"][0] >= 200
    assert abs(image.size[0] / image.info["dpi"][0] * 2.54 - 16.6) < 0.05  # drawn at its printed width
    assert charts.smallest_text_pt(fig) >= 9
    assert charts.pounds(400_000) == "£400k" and charts.pounds(1_200_000) == "£1.2m" and charts.pounds(0) == "£0"


def test_libreoffice_opens_it_and_every_page_carries_the_marking_and_draft(draft, tmp_path, artifacts):
    pdf = docx_checks.libreoffice_pdf(draft, tmp_path, "paper.docx")
    pages = docx_checks.pdf_pages_text(pdf)
    assert len(pages) >= 3  # the 40-row table runs over pages
    for n, text in enumerate(pages, 1):
        assert "OFFICIAL" in text and "DRAFT" in text, n
        assert f"Page {n} of {len(pages)}" in text
    # The table's header row is repeated on the pages it runs onto; no word is broken.
    assert sum("Score" in t and "Movement" in t for t in pages) >= 2
    assert "Movemen t" not in "".join(pages)
    contents = pages[0][pages[0].index("Contents"):]
    assert "1. Background" in contents and "2. Savings" in contents
    assert docx_checks.render_pages(pdf, artifacts / "docx", "paper")

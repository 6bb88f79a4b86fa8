"""The No-detriment Cabinet paper (monitor.no_detriment.paper) on hand-made frames: a council paper in
the format of the quarterly report's (tests/docx_checks.py), addressed to the lending council's
Cabinet and scrutiny committee, with the summary table, the verdicts in the page's words and symbols,
a chart for each indicator of concern now only, the financial verdict and the sources in the four
provenance words — the same assessment giving the same bytes — and LibreOffice opening it."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from docx.oxml.ns import qn

from monitor.no_detriment.council import CouncilAssessment, judged
from monitor.no_detriment.finance import financial_check
from monitor.no_detriment.paper import SUMMARY_COLUMNS, cabinet_paper, dated, report_to
from monitor.no_detriment.verdicts import CONCERN_NOW, VERDICTS
from monitor.paper import headings_of
from monitor.report.audience import audience_of
from tests import docx_checks
from tests.unit.test_no_detriment import indicator
from tests.unit.test_no_detriment_finance import DEMO, ESX, NO_SAVINGS

START = dt.date(2020, 1, 1)
ON = dt.date(2025, 12, 1)
COUNCIL = "East Sussex"
BOARD = audience_of("corporate improvement", None)
CONTEXT = pd.DataFrame(columns=["measure", "area_role", "area_name", "time_period", "value"])


def values() -> pd.DataFrame:
    """Two indicators of East Sussex: re-referrals rising into a concern now since the partnership began
    (a decrease is better), vacancies steady."""
    rising = indicator([20, 21, 19, 20, 22, 21, 20, 24, 27, 30, 34, 38], council=COUNCIL, name="Re-referrals",
                       tolerance=31.5, baseline_years=7, first_year=2014).assign(
        indicator_id="esx-rereferral", source="dfe_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
    steady = indicator([10, 11, 10, 12, 11, 10, 11, 10, 11, 12, 10], council=COUNCIL, name="Vacancy rate",
                       annual_cin=False, baseline_years=6, first_year=2014).assign(
        indicator_id="esx-vacancy", source="dfe_csww_indicators_2017_to_2025.csv")
    return pd.concat([rising, steady], ignore_index=True).assign(dfe_measure=None)


def assessment() -> CouncilAssessment:
    assessments, contexts, summary = judged(values(), CONTEXT, closed=None, on=ON)
    check = financial_check(DEMO, NO_SAVINGS, ESX, COUNCIL, start=START, as_at=ON)
    return CouncilAssessment("east-west-sussex", "East Sussex – West Sussex corporate improvement partnership", ESX,
                             COUNCIL, START, None, ON, assessments, contexts, summary, check)


@pytest.fixture(scope="module")
def paper() -> bytes:
    return cabinet_paper(assessment(), dated=dated(dt.date(2026, 12, 4)), audience=BOARD)


def test_it_is_a_council_paper_to_the_lending_councils_cabinet_and_scrutiny_committee(paper):
    assert docx_checks.problems(paper, draft=False) == []
    doc = docx_checks.open_docx(paper)
    block = docx_checks.header_block(doc)
    assert block["Report to"] == "East Sussex Cabinet and scrutiny committee" == report_to(COUNCIL)
    assert block["Report by"] == "Programme lead" and block["Figures as at"] == "1 Dec 2025"
    assert doc.paragraphs[0].text == "No-detriment assessment: East Sussex"
    assert doc.core_properties.created.replace(tzinfo=None) == dt.datetime(2026, 12, 4)
    numbered = [text for level, text in headings_of(doc) if level == 1 and text[0].isdigit()]
    assert numbered == ["1. The indicators at a glance", "2. The verdicts in words", "3. Indicators of concern now",
                        "4. Financial no detriment", "5. Sources and method"]


def test_the_summary_table_gives_values_with_units_verdicts_and_icons_in_words(paper):
    nd = assessment()
    concern = next(a for a in nd.assessments if a.name == "Re-referrals")
    assert concern.verdict == CONCERN_NOW
    doc = docx_checks.open_docx(paper)
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == SUMMARY_COLUMNS)
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["Re-referrals"][1] == "38.0% (2024-25)"
    assert rows["Re-referrals"][2] == "◆ Concern now" == concern.verdict_label
    assert rows["Re-referrals"][3].endswith("%")
    assert rows["Re-referrals"][4] == "Special cause of concern — higher than expected"
    assert rows["Vacancy rate"][2] == f"{VERDICTS[nd.assessments[1].verdict][1]} {nd.assessments[1].verdict_word}"
    assert rows["Vacancy rate"][5] == "no target or tolerance"
    text = docx_checks.body_text(doc)
    for a in nd.assessments:  # the verdict sentences, word for word as the page gives them
        assert a.sentence in text
    for word, _symbol in VERDICTS.values():  # what each verdict means
        assert word in text


def test_only_the_indicators_of_concern_now_are_charted(paper):
    doc = docx_checks.open_docx(paper)
    pictures = [p.get("descr") for p in doc.element.body.iter(qn("wp:docPr"))]
    assert len(pictures) == 1 and "Re-referrals" in pictures[0] and "Vacancy rate" not in pictures[0]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert captions == ["Figure 1: East Sussex: Re-referrals, with the baseline mean and process limits"]
    assert any(text == "3.1 Re-referrals" for _level, text in headings_of(doc))


def test_the_financial_verdict_and_the_sources_in_the_four_provenance_words(paper):
    nd = assessment()
    doc = docx_checks.open_docx(paper)
    text = docx_checks.body_text(doc)
    assert f"Verdict: {nd.check.label}" in text and nd.check.sentence in text
    years = next(t for t in doc.tables if t.rows[0].cells[0].text == "Financial year")
    assert [r.cells[0].text for r in years.rows[1:]] == list(nd.check.table["Financial year"])
    cells = {r.cells[0].text: [c.text for c in r.cells] for r in years.rows[1:]}
    assert cells["2020/21"][2:4] == ["£95,000", "£0"]  # its half of the shared post, nothing above an equal split
    assert "published (dfe_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv" in text
    assert "illustrative" in text and "from a council paper" in text  # the four words explained
    assert "Making Data Count" in text


def test_the_same_assessment_gives_the_same_bytes(paper):
    assert cabinet_paper(assessment(), dated=dated(dt.date(2026, 12, 4)), audience=BOARD) == paper
    assert cabinet_paper(assessment(), dated=dated(dt.date(2026, 12, 5)), audience=BOARD) != paper


def test_a_council_without_a_concern_now_gets_no_chart_and_says_why():
    nd = assessment()
    nd.assessments = [a for a in nd.assessments if a.verdict != CONCERN_NOW]
    data = cabinet_paper(nd, dated=dated(dt.date(2026, 12, 4)), audience=BOARD)
    assert docx_checks.problems(data, draft=False) == []
    doc = docx_checks.open_docx(data)
    assert not list(doc.element.body.iter(qn("wp:docPr")))
    assert "No indicator of East Sussex is of concern now, so no chart is printed here" in docx_checks.body_text(doc)


def test_a_dfe_commissions_paper_goes_to_the_cabinet_its_audience_names():
    hampshire = audience_of("DfE commission", {"audience": "DfE", "report_to": "Department for Education",
                                               "author_role": "commissioner", "author_title": "DfE Commissioner",
                                               "annual_to": "Hampshire County Council Cabinet",
                                               "annual_ons_code": ESX})
    data = cabinet_paper(assessment(), dated=dated(dt.date(2026, 12, 4)), audience=hampshire)
    block = docx_checks.header_block(docx_checks.open_docx(data))
    assert block["Report to"] == "Hampshire County Council Cabinet and scrutiny committee"
    assert block["Report by"] == "DfE Commissioner"


def test_libreoffice_opens_the_paper(paper, tmp_path, artifacts):
    """Opened by LibreOffice, converted to PDF and drawn page by page (tests/artifacts/docx/)."""
    pdf = docx_checks.libreoffice_pdf(paper, tmp_path, "no-detriment-paper.docx")
    pages = docx_checks.pdf_pages_text(pdf)
    assert 3 <= len(pages) <= 10, len(pages)
    for n, text in enumerate(pages, 1):
        assert "OFFICIAL" in text and "DRAFT" not in text, n
        assert f"Page {n} of {len(pages)}" in text, n
    contents = pages[0][pages[0].index("Contents"):]
    assert contents.split("3. Indicators of concern now")[1].split("\n")[0].strip(". ").isdigit()
    assert docx_checks.render_pages(pdf, artifacts / "docx", "no-detriment-paper")

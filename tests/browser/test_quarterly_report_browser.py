"""Journey 2 of DESIGN.md in a real browser: the DfE commissioner opens the quarterly report for
the West Sussex commission, checks the sections the data filled in, writes the narrative in the
form — two boxes typed straight after each other, then one click: both are kept — saves a draft,
reloads and finds it, submits, downloads the Word file (checked against its record), compares with
the previous quarter, and can no longer edit the submitted report. Then a board's programme
officer opens their programme's progress report: no DfE on the page. On a private copy of the
database (it writes)."""
import re
import shutil

import pytest
from playwright.sync_api import expect

from tests import docx_checks
from tests.browser.conftest import Server, describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser

URL = "/quarterly_report?programme=hampshire-west-sussex&quarter=2023-Q3"
LAST = "text=Narrative and delivery confidence"  # the form after the last table of the Report tab
SUMMARY = "Journey 2: the direction was lifted in May; the commission hands over to West Sussex's own plan."


@pytest.fixture
def own_server(built_db, tmp_path):
    db = tmp_path / "journey2.duckdb"
    shutil.copy(built_db, db)
    srv = Server(db)
    yield srv
    srv.stop()


def view_as(page, label: str, last: str = LAST) -> None:
    page.get_by_role("combobox", name="Demo mode: view as").click()
    page.get_by_role("option", name=re.compile(re.escape(label))).click()
    wait_idle(page, last)


def open_as_commissioner(page, server) -> None:
    page.goto(server.url + URL)
    wait_idle(page, "text=Key dates to 31 Mar 2024")
    view_as(page, "DfE Commissioner for West Sussex (demo)")
    expect(page.get_by_text("viewing as DfE Commissioner for West Sussex (demo)")).to_be_visible()


def whole_page(page) -> None:
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 50, 16000)})
    page.wait_for_timeout(800)


def test_journey_2_commissioner_drafts_submits_exports_and_compares(own_server, page, artifacts, tmp_path):
    open_as_commissioner(page, own_server)
    main = page.locator('[data-testid="stMain"]')
    for heading in ("Summary and delivery confidence", "Milestones", "Improvement indicators: West Sussex",
                    "No-detriment indicators: Hampshire", "Ofsted and DfE activity", "Savings against plan", "Risks",
                    "Key dates ahead"):
        expect(main.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(main.get_by_text("Proposed from the data: ● Green")).to_be_visible()
    expect(main.get_by_text("Draft — version 1, not yet submitted")).to_be_visible()

    # Three times: two boxes typed one straight after the other (no pause, no Ctrl+Enter), then one
    # click of Save draft. The form sends both boxes: neither is lost to a rerun.
    for trial in range(3):
        summary, risks = f"{SUMMARY} (trial {trial})", f"Workforce stability is the main risk (trial {trial})."
        page.get_by_label("Summary for DfE").fill(summary)
        page.get_by_label("Commentary on risks").fill(risks)
        page.get_by_role("button", name="Save draft").click()
        wait_idle(page, "text=Draft saved")
        page.reload()
        wait_idle(page, "text=Key dates to 31 Mar 2024")
        view_as(page, "DfE Commissioner for West Sussex (demo)")
        expect(page.get_by_label("Summary for DfE")).to_have_value(summary)
        expect(page.get_by_label("Commentary on risks")).to_have_value(risks)
    whole_page(page)
    screenshot(page, artifacts, "quarterly_report")
    violations = serious_violations(page)
    assert not violations, describe(violations)
    page.set_viewport_size({"width": 1400, "height": 1000})

    # Submit: the final level, its reason, the confirmation — all in the form, sent by one click.
    box = page.get_by_role("combobox", name="Commissioner's delivery confidence")
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option", name="◑ Amber", exact=True).click()
    page.get_by_label("Reason for the commissioner's delivery confidence").fill("Improvement sustained; two actions remain.")
    page.get_by_text("I confirm this report is ready for DfE").click()
    page.get_by_role("button", name="Submit to DfE").click()
    wait_idle(page, "text=Submitted to DfE at")
    expect(main.get_by_text("A submitted report cannot be changed")).to_be_visible()
    assert page.get_by_role("button", name="Save draft").count() == 0
    assert page.get_by_role("button", name="Submit to DfE").count() == 0
    assert page.get_by_label("Summary for DfE").count() == 0
    expect(page.get_by_role("tabpanel", name="Report").get_by_text(f"{SUMMARY} (trial 2)")).to_be_visible()

    # The Word file of the submitted report: a council paper, checked against its record.
    page.get_by_role("tab", name="Export").click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download the report (Word)").click()
    download = info.value
    assert download.suggested_filename == "quarterly-report_hampshire-west-sussex_2023-Q3_submitted-v1.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    assert docx_checks.problems(data, draft=False) == []
    doc = docx_checks.open_docx(data)
    text = docx_checks.body_text(doc)
    assert "Submitted to DfE by DfE Commissioner for West Sussex (demo), commissioner" in text
    # Charts: milestones and the two councils' indicators (Hampshire's rows are income, not savings: no savings chart).
    assert f"{SUMMARY} (trial 2)" in text and len(doc.inline_shapes) == 3 and len(doc.tables) > 5
    page.get_by_role("button", name="Check the Word file against the record").click()
    wait_idle(page)
    page.get_by_role("tab", name="Export").click()  # a rerun may show the first tab again
    expect(page.get_by_text("byte for byte the one hashed at submission")).to_be_visible()
    pdf = docx_checks.libreoffice_pdf(data, tmp_path / "pdf", path.name)
    assert docx_checks.render_pages(pdf, artifacts / "docx", "journey2-submitted")

    # Compare with the previous quarter: figures and narrative.
    page.get_by_role("tab", name="Compare with Q1 2023/24").click()
    wait_idle(page)
    expect(page.get_by_text("Summary and delivery confidence: rewritten")).to_be_visible()
    expect(page.get_by_role("heading", name="Narrative")).to_be_visible()
    screenshot(page, artifacts, "quarterly_report-compare")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_a_boards_programme_officer_reads_a_progress_report_without_dfe(server, page, artifacts):
    page.goto(server.url + "/quarterly_report?programme=east-west-sussex&quarter=2021-Q1")
    wait_idle(page, "text=Key dates to 30 Sep 2021")
    view_as(page, "Programme Officer, Sussex partnership (demo)", "text=Key dates to 30 Sep 2021")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Quarterly progress report to the Joint Improvement Board (East and West Sussex): "
                            "Q4 2020/21")).to_be_visible()
    expect(main.get_by_text("reconstructed from the demonstration data")).to_be_visible()
    expect(main.get_by_role("heading", name="Ofsted activity", exact=True)).to_be_visible()
    assert "DfE" not in main.inner_text()
    whole_page(page)
    screenshot(page, artifacts, "quarterly_report-board")
    violations = serious_violations(page)
    assert not violations, describe(violations)

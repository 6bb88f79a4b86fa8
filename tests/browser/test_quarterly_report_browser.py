"""Journey 2 of DESIGN.md in a real browser: the DfE commissioner opens the quarterly report for
the West Sussex commission, checks the sections the data filled in, writes narrative, saves a
draft, reloads and finds it, submits, downloads the Word file, compares with the previous quarter,
and can no longer edit the submitted report. On a private copy of the database (it writes)."""
import io
import re
import shutil

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import Server, describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser

URL = "/quarterly_report?programme=hampshire-west-sussex&quarter=2023-Q3"
LAST = "text=Key dates to 31 Mar 2024"  # the last table of the Report tab
SUMMARY = "Journey 2: the direction was lifted in July; the commission hands over to West Sussex's own plan."


@pytest.fixture
def own_server(built_db, tmp_path):
    db = tmp_path / "journey2.duckdb"
    shutil.copy(built_db, db)
    srv = Server(db)
    yield srv
    srv.stop()


def view_as(page, label: str) -> None:
    page.get_by_role("combobox", name="Demo mode: view as").click()
    page.get_by_role("option", name=re.compile(re.escape(label))).click()


def open_as_commissioner(page, server) -> None:
    page.goto(server.url + URL)
    wait_idle(page, LAST)
    view_as(page, "DfE Commissioner for West Sussex (demo)")
    wait_idle(page, LAST)
    expect(page.get_by_text("viewing as DfE Commissioner for West Sussex (demo)")).to_be_visible()


def type_into(page, label: str, text: str) -> None:
    box = page.get_by_label(label)
    box.fill(text)
    box.press("Control+Enter")  # Streamlit commits a text area on Ctrl+Enter (or blur)
    wait_idle(page)


def whole_page(page) -> None:
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 50, 16000)})
    page.wait_for_timeout(800)


def test_journey_2_commissioner_drafts_submits_exports_and_compares(own_server, page, artifacts, tmp_path):
    open_as_commissioner(page, own_server)
    main = page.locator('[data-testid="stMain"]')
    for heading in ("Summary and delivery confidence", "Milestones", "Indicators", "Ofsted and DfE activity",
                    "Savings against plan", "Risks", "Key dates ahead"):
        expect(main.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(main.get_by_text("Proposed from the data: ◕ Amber/Green")).to_be_visible()
    expect(main.get_by_text("Draft — version 1, not yet submitted")).to_be_visible()

    # Narrative, saved as a draft; a reload (a new session) finds it in the database.
    type_into(page, "Summary for DfE", SUMMARY)
    page.get_by_role("button", name="Save draft").click()
    wait_idle(page, "text=Draft saved")
    page.reload()
    wait_idle(page, LAST)
    view_as(page, "DfE Commissioner for West Sussex (demo)")
    wait_idle(page, LAST)
    expect(page.get_by_label("Summary for DfE")).to_have_value(SUMMARY)
    whole_page(page)
    screenshot(page, artifacts, "quarterly_report")
    violations = serious_violations(page)
    assert not violations, describe(violations)
    page.set_viewport_size({"width": 1400, "height": 1000})

    # Submit: the final level, its reason, the confirmation.
    box = page.get_by_role("combobox", name="Commissioner's delivery confidence")
    box.scroll_into_view_if_needed()
    wait_idle(page)
    box.click()
    if not page.get_by_role("option").count():  # a rerun redrew the box under the click: open it again
        box.press("ArrowDown")
    page.get_by_role("option", name="◑ Amber", exact=True).click()
    wait_idle(page)
    type_into(page, "Reason for the commissioner's delivery confidence", "Improvement sustained; two actions remain.")
    page.get_by_text("I confirm this report is ready for DfE").click()
    wait_idle(page)
    page.get_by_role("button", name="Submit to DfE").click()
    wait_idle(page, "text=Submitted to DfE at")
    expect(main.get_by_text("A submitted report cannot be changed")).to_be_visible()
    assert page.get_by_role("button", name="Save draft").count() == 0
    assert page.get_by_role("button", name="Submit to DfE").count() == 0
    assert page.get_by_label("Summary for DfE").count() == 0
    expect(page.get_by_role("tabpanel", name="Report").get_by_text(SUMMARY)).to_be_visible()

    # The Word file of the submitted report.
    page.get_by_role("tab", name="Export").click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download the report (Word)").click()
    download = info.value
    assert download.suggested_filename == "quarterly-report_hampshire-west-sussex_2023-Q3_submitted-v1.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Submitted by commissioner@example.gov.uk" in text and SUMMARY in text
    assert len(doc.inline_shapes) == 3 and len(doc.tables) > 5

    # Compare with the previous quarter: figures and narrative.
    page.get_by_role("tab", name="Compare with 2023-Q2").click()
    wait_idle(page)
    expect(page.get_by_text("Summary and delivery confidence: rewritten")).to_be_visible()
    expect(page.get_by_role("heading", name="Narrative")).to_be_visible()
    screenshot(page, artifacts, "quarterly_report-compare")
    violations = serious_violations(page)
    assert not violations, describe(violations)

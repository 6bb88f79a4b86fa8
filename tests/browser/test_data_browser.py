"""Journey 4 in a real browser: a programme officer downloads the milestone template, uploads a
filled copy with a mistake, reads the problem (file, row, column), fixes it, imports, and sees the
change in the change log — with an accessibility scan of each state."""
import shutil

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Server, describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser
OFFICER = "officer.sussex@example.gov.uk"
NEW_ROW = "ews-m90,east-west-sussex,ews-governance,Quarterly return loaded,Head of Policy,2026-06-30,2026-07-31,,{status},,illustrative"


@pytest.fixture(scope="module")
def officer_server(built_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("data_page") / "monitor.duckdb"
    shutil.copy(built_db, db)
    srv = Server(db, env={"MONITOR_DEMO_USER": OFFICER})
    yield srv
    srv.stop()


def choose(page: Page, label: str, option: str) -> None:
    page.locator('[data-testid="stMain"]').get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_officer_template_mistake_fix_import_change_log(officer_server, page, artifacts, tmp_path):
    page.goto(f"{officer_server.url}/data")
    wait_idle(page, "text=Import a file")
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("viewing as Programme Officer, Sussex partnership").is_visible()

    # Download the milestone template.
    main.get_by_role("tab", name="Templates").click()
    choose(page, "Template for", "Milestones")
    wait_idle(page, "text=Download milestone.csv")
    screenshot(page, artifacts, "data-templates")
    with page.expect_download() as download:
        main.get_by_role("button", name="Download milestone.csv").click()
    template = download.value.path().read_bytes().decode("utf-8-sig")
    header = template.splitlines()[0]
    assert header.startswith("milestone_id,programme_id,workstream_id")

    # Fill in a copy with a mistake and upload it.
    filled = tmp_path / "milestones-q3.csv"
    filled.write_text(header + "\n" + NEW_ROW.format(status="in progress") + "\n", encoding="utf-8")
    main.get_by_role("tab", name="Import a file").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(filled))
    wait_idle(page, "text=nothing will be written")
    problems = main.locator('[data-testid="stDataFrame"]').first
    assert main.get_by_text("1 problem in milestones-q3.csv: nothing will be written.").is_visible()
    problems.scroll_into_view_if_needed()
    screenshot(page, artifacts, "data-import-problem")
    violations = serious_violations(page)
    assert not violations, describe(violations)

    # Fix it, upload again, import.
    fixed = tmp_path / "milestones-q3-fixed.csv"
    fixed.write_text(header + "\n" + NEW_ROW.format(status="on track") + "\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(fixed))
    wait_idle(page, "text=no problems found")
    assert main.get_by_text("1 to insert, 0 to update, 0 unchanged").is_visible()
    main.get_by_role("button", name="Import milestones-q3-fixed.csv").click()
    wait_idle(page, "text=Imported milestones-q3-fixed.csv")
    assert main.get_by_text("Imported milestones-q3-fixed.csv: 1 inserted, 0 updated, 0 unchanged.").is_visible()
    screenshot(page, artifacts, "data-imported")

    # The change log shows it.
    main.get_by_role("tab", name="Change log").click()
    wait_idle(page, "text=Before and after")
    assert main.get_by_text("1 change shown, newest first.").is_visible()
    screenshot(page, artifacts, "data-change-log")
    violations = serious_violations(page)
    assert not violations, describe(violations)

    # The new milestone is there to edit in place.
    main.get_by_role("tab", name="Edit a table").click()
    choose(page, "Table to edit", "Milestones")
    wait_idle(page, "text=Save changes")
    assert main.get_by_text("rows of Milestones for this programme").is_visible()
    screenshot(page, artifacts, "data-edit")
    violations = serious_violations(page)
    assert not violations, describe(violations)

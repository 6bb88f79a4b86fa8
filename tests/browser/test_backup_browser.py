"""The Data page's "Backup and restore" tab in a real browser, as an administrator: prepare and
download a backup, upload it back, confirm, restore and read the summary; a tampered backup is
refused with its problem in a table — with an accessibility scan of each state."""
import shutil

import pytest
from playwright.sync_api import Page

from queries.backup import KEY_ENV
from tests.bad_inputs.make_backup_corpus import CORPUS_KEY
from tests.browser.conftest import Server, describe, screenshot, serious_violations, wait_idle
from tests.test_backup_corpus import CORPUS

pytestmark = pytest.mark.browser
ADMIN = "admin@example.gov.uk"


@pytest.fixture(scope="module")
def admin_server(built_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("backup_tab") / "monitor.duckdb"
    shutil.copy(built_db, db)
    # The corpus's key, so its tampered backup fails for the reason it was made for.
    srv = Server(db, env={"MONITOR_DEMO_USER": ADMIN, KEY_ENV: CORPUS_KEY})
    yield srv
    srv.stop()


def test_backup_download_restore_and_a_tampered_backup_refused(admin_server, page: Page, artifacts, tmp_path):
    page.goto(f"{admin_server.url}/data")
    wait_idle(page, "text=Import a file")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("tab", name="Backup and restore").click()
    main.get_by_role("button", name="Prepare a backup").click()
    wait_idle(page, "text=Download improvement-monitor-backup-")
    with page.expect_download() as download:
        main.get_by_role("button", name="Download improvement-monitor-backup-").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]').nth(1)
    uploader.set_input_files(str(saved))
    wait_idle(page, "text=It passed every check.")
    main.get_by_text("I understand that restoring replaces").click()
    main.get_by_role("button", name="Restore this backup").click()
    wait_idle(page, "text=/Restored [0-9]+ tables from the backup made/")
    assert main.get_by_text("Every submitted report of the live database (20) is in the backup unchanged.").is_visible()
    screenshot(page, artifacts, "data-restored")
    violations = serious_violations(page)
    assert not violations, describe(violations)

    uploader.set_input_files(str(CORPUS / "backup_tampered_resummed.zip"))
    wait_idle(page, "text=This backup cannot be restored; nothing was changed.")
    assert not main.get_by_role("button", name="Restore this backup").count()
    screenshot(page, artifacts, "data-restore-refused")
    violations = serious_violations(page)
    assert not violations, describe(violations)

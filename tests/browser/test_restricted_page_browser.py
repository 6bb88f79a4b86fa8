"""A freshly started server whose very first request is a restricted page's URL: Streamlit runs
pages/<page>.py in its old pages-folder mode, without dashboard.py; the page's set-up leaves that
mode and reruns through the entry point. The person must get a refusal, not the page — in demo
mode and signed in (a server restarted under a signed-in browser)."""
import shutil

import pytest

from tests.browser.conftest import Server, describe, screenshot, serious_violations, wait_idle
from tests.browser.test_sign_in_browser import OidcProvider, local_only, menu, sign_in, started
from ui.pages import pages_for

pytestmark = pytest.mark.browser

CLLR = "cllr.southholland@example.gov.uk"


def assert_refused_users_page(page):
    wait_idle(page, "text=The Users page is not available to a scrutiny member")
    assert not page.get_by_role("textbox", name="Work email address").count()
    assert not page.get_by_text("Who may sign in").count()
    assert not page.locator('[data-testid="stDataFrame"]').count()
    assert menu(page) == [s.title for s in pages_for("scrutiny member")] and "Users" not in menu(page)


def test_demo_mode_first_request_to_a_restricted_page_is_refused(built_db, tmp_path, page, artifacts):
    db = tmp_path / "monitor.duckdb"
    shutil.copy(built_db, db)
    server = Server(db, env={"MONITOR_DEMO_USER": CLLR})  # demo mode, starting as a scrutiny member
    try:
        page.goto(f"{server.url}/users")  # the server's first request
        assert_refused_users_page(page)
        assert page.get_by_text("Demo mode: view as").is_visible()
        screenshot(page, artifacts, "restricted_demo_refused")
        violations = serious_violations(page)
        assert not violations, describe(violations)
        # the role picker works at the first try: as the administrator the page opens
        page.get_by_role("combobox", name="Demo mode: view as").click()
        page.get_by_role("option", name="Administrator (demo) — administrator").click()
        wait_idle(page, "text=Change or deactivate a person")
        assert menu(page)[-1] == "Users"
    finally:
        server.stop()


def test_signed_in_first_request_to_a_restricted_page_is_refused(built_db, tmp_path, page, artifacts):
    db = tmp_path / "monitor.duckdb"
    shutil.copy(built_db, db)
    provider = OidcProvider(tmp_path)
    try:
        local_only(page)
        with started(db, provider, tmp_path) as first:
            sign_in(page, first, CLLR)  # the browser now holds the identity cookie
        with started(db, provider, tmp_path, first.port) as fresh:  # a restart: same address, new process
            page.goto(f"{fresh.url}/users")  # its first request
            assert_refused_users_page(page)
            sidebar = page.locator('[data-testid="stSidebar"]')
            assert sidebar.get_by_text("Scrutiny Councillor, South Holland DC (demo)").is_visible()
            screenshot(page, artifacts, "restricted_signed_in_refused")
            violations = serious_violations(page)
            assert not violations, describe(violations)
    finally:
        provider.stop()

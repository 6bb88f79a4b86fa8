"""What a chief executive sees: the Overview in a real browser, and an accessibility scan."""
import pytest

from tests.browser.conftest import describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser


def test_overview_cards_visible_and_accessible(server, page, artifacts):
    page.goto(f"{server.url}/overview")
    wait_idle(page, "text=Next key dates")
    cards = page.locator('[class*="st-key-card_"]')
    assert cards.count() == 5
    # The first request went straight to /overview: it must still have the real navigation and
    # the demo role picker (not Streamlit's old pages-folder menu).
    assert page.get_by_text("Demo mode: view as").is_visible()
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stSidebarNav"]').get_by_text("About this data").is_visible()
    assert page.get_by_text("Working Better Together", exact=False).first.is_visible()
    # Councils see the dashboard, not Streamlit's developer tools (.streamlit/config.toml).
    assert page.get_by_role("button", name="Deploy").count() == 0
    screenshot(page, artifacts, "overview")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_the_root_opens_the_overview_at_its_own_address(server, page):
    page.goto(server.url)
    wait_idle(page, "text=Next key dates")
    assert page.url.rstrip("/").endswith("/overview")
    assert page.get_by_text("Page not found").count() == 0


def test_about_page_accessible(server, page, artifacts):
    page.goto(f"{server.url}/about")
    wait_idle(page, "text=Accessibility statement")
    screenshot(page, artifacts, "about")
    violations = serious_violations(page)
    assert not violations, describe(violations)

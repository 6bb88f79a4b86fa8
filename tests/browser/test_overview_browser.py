"""What a chief executive sees: the Overview in a real browser, and an accessibility scan."""
import pytest
from playwright.sync_api import expect

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
    # Each card's links name the programme in full: no label cut off with an ellipsis.
    links = cards.first.locator('[data-testid="stPageLink-NavLink"]')
    expect(links).to_have_count(4)
    clipped = links.evaluate_all("ls => ls.flatMap(l => [...l.querySelectorAll('p, span, div')]"
                                 ".filter(e => e.scrollWidth > e.clientWidth + 1).map(() => l.textContent))")
    assert not clipped, f"link labels cut off: {clipped}"
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

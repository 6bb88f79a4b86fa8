"""The Options appraisal in a real browser: a screenshot, axe-core, and a programme without an
appraisal. DESIGN.md's journey 3, which ends on this page, is in test_savings_browser.py."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe, serious_violations, wait_idle
from tests.browser.test_savings_browser import tall_screenshot

pytestmark = pytest.mark.browser

LEADER = "New local strategic partnership"


def test_options_appraisal_screenshot_and_accessibility(server, page, artifacts):
    page.goto(f"{server.url}/options_appraisal?programme=breckland-south-holland")
    wait_idle(page, "text=What-if weighted totals")
    expect(page.get_by_text(f"Breckland: {LEADER} preferred (60", exact=False).first).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(3)
    tall_screenshot(page, artifacts, "options_appraisal", "text=What-if weighted totals")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_programmes_without_an_appraisal_say_so(server, page):
    page.goto(f"{server.url}/options_appraisal?programme=essex-braintree-brentwood")
    wait_idle(page, "text=No options appraisal is recorded")
    assert page.locator('input[type="range"]').count() == 0

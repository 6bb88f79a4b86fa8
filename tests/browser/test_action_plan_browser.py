"""Journey 1, second half: from the Overview, East Sussex's chief executive opens the Action plan
with the programme still selected and sees what slipped since the last reporting date."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser

EWS_NAME = "East Sussex – West Sussex corporate improvement partnership"
LAST_DRAWN = "text=How the derived RAG is worked out"


def full_height(page):
    """Streamlit scrolls inside its own container, so a full-page screenshot is one window high:
    make the window as tall as the page to capture all of it."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 100, 12000)})
    wait_idle(page, LAST_DRAWN)


def test_click_through_from_overview_keeps_the_programme(server, page, artifacts):
    page.goto(f"{server.url}/overview")
    wait_idle(page, "text=Next key dates")
    page.get_by_role("link", name=f"Action plan for {EWS_NAME}").click()
    page.wait_for_url(re.compile(r"/action_plan\?.*programme=east-west-sussex"))
    wait_idle(page, LAST_DRAWN)
    main = page.locator('[data-testid="stMain"]')
    # The programme is preselected in the picker and the latest reporting date is the default.
    assert main.get_by_role("combobox", name="Programme").input_value() == EWS_NAME
    assert main.get_by_role("combobox", name="Reporting date").input_value() == "30 Sep 2026"
    assert main.get_by_text("As reported at 30 Sep 2026:", exact=True).is_visible()
    assert main.get_by_role("heading", name="What changed since 30 Jun 2026").is_visible()
    assert main.get_by_role("heading", name="Slipped").is_visible()
    # Every chart drew, with its one-line summary.
    expect(main.locator(".js-plotly-plot")).to_have_count(3, timeout=60_000)  # Plotly draws after the script ends
    assert main.get_by_text("slipped since 30 Jun 2026").first.is_visible()
    assert "00:00:00" not in main.inner_text()
    full_height(page)
    screenshot(page, artifacts, "action_plan")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_programme_with_missing_report_and_closed_programme(server, page, artifacts):
    page.goto(f"{server.url}/action_plan?programme=east-west-sussex&reporting_date=2025-06-30")
    wait_idle(page, LAST_DRAWN)
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("Missing report:").is_visible()
    page.goto(f"{server.url}/action_plan?programme=hampshire-west-sussex")
    wait_idle(page, LAST_DRAWN)
    assert page.locator('[data-testid="stMain"]').get_by_text("This programme closed on 30 Sep 2023.").is_visible()
    full_height(page)
    screenshot(page, artifacts, "action_plan_closed")
    violations = serious_violations(page)
    assert not violations, describe(violations)

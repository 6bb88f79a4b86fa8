"""What a DfE commissioner sees on the Ofsted page in a real browser: West Sussex's judgement
history, trajectory and the commission's intervention timeline; a district told plainly there is
nothing to inspect; a comparison with the statistical neighbours — each screenshotted and scanned
with axe-core."""
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser


def whole_page(page, artifacts, name):
    """Streamlit scrolls inside its main container, so a full-page screenshot is one viewport: make
    the viewport as tall as the content first, so the screenshot shows the whole page."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 8000)})
    wait_idle(page)
    return screenshot(page, artifacts, name)



def test_west_sussex_history_trajectory_and_timeline(server, page, artifacts):
    page.goto(f"{server.url}/ofsted?programme=hampshire-west-sussex")
    wait_idle(page, "text=DfE's intervention: commissioner appointed 1 May 2019")
    page.locator('[data-testid="stPlotlyChart"]').nth(2).wait_for()
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(3)  # drawn as the page streams in
    expect(page.get_by_role("heading", name="DfE intervention register")).to_be_visible()
    grid = page.locator("table").first
    # The history table streams in after the charts: wait for it as a person would (a busy machine
    # draws it later), then read it.
    expect(grid.get_by_text("25 Feb 2019")).to_be_visible()
    expect(grid.locator("tr", has_text="25 Feb 2019").get_by_text("Inadequate")).to_have_count(4)
    assert grid.locator("tr", has_text="13 Mar 2023").get_by_text("Requires improvement to be good").count() >= 1
    link = grid.get_by_role("link", name="ILACS Standard Inspection").first
    assert link.get_attribute("href") == "https://reports.ofsted.gov.uk/provider/44/938"
    assert page.locator('[data-testid="stSidebarNav"]').get_by_text("Ofsted").is_visible()
    assert "00:00:00" not in page.inner_text("body")
    whole_page(page, artifacts, "ofsted")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_district_says_there_is_nothing_to_inspect(server, page, artifacts):
    page.goto(f"{server.url}/ofsted?programme=breckland-south-holland")
    wait_idle(page, "text=Intervention timeline")
    expect(page.get_by_text("Breckland is a district council: it has no children's services")).to_be_visible()
    expect(page.get_by_role("link", name="Ofsted for the council that runs children's services here: Norfolk")).to_be_visible()
    whole_page(page, artifacts, "ofsted_district")
    violations = serious_violations(page)
    assert not violations, describe(violations)
    # Following the link shows the county that runs children's services there.
    page.get_by_role("link", name="Ofsted for the council that runs children's services here: Norfolk").click()
    wait_idle(page, "text=ONS code E10000020")
    assert page.get_by_role("heading", name="Judgement history").is_visible()
    assert "council=E10000020" in page.url and "programme=breckland-south-holland" in page.url


def test_compare_with_statistical_neighbours(server, page, artifacts):
    page.goto(f"{server.url}/ofsted?programme=east-west-sussex&compare={quote('statistical neighbours')}")
    wait_idle(page, "text=West Sussex and 10 councils compared")
    first_grid = page.locator("table").first
    # The grid redraws after the comparison is chosen: wait for the neighbours' rows to arrive.
    expect(first_grid.get_by_text("Gloucestershire").first).to_be_visible()
    whole_page(page, artifacts, "ofsted_compare")
    violations = serious_violations(page)
    assert not violations, describe(violations)

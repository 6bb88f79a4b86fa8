"""What a lending council's chief executive sees: Journey 1 of DESIGN.md from the Overview card to
one sentence per indicator, the charts (with the rule on hover), and an accessibility scan."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser

PARTNERSHIP = "East Sussex – West Sussex corporate improvement partnership"
LAST = "text=How these charts work (Making Data Count)"


def view_as(page, label: str) -> None:
    """Choose a demo user in the sidebar role picker."""
    page.get_by_role("combobox", name="Demo mode: view as").click()
    page.get_by_role("option", name=re.compile(re.escape(label))).click()


def whole_page(page) -> None:
    """Make the viewport as tall as the page, so the screenshot shows every chart (Streamlit scrolls
    inside its own container, which a full-page screenshot does not follow)."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 50, 16000)})
    page.wait_for_timeout(800)


def test_journey_1_east_sussex_chief_executive_from_overview(server, page, artifacts):
    page.goto(f"{server.url}/overview")
    wait_idle(page, "text=Next key dates")
    view_as(page, "Chief Executive, East Sussex CC")
    wait_idle(page, "text=Next key dates")
    card = page.locator('[class*="st-key-card_east-west-sussex"]')
    expect(card.get_by_text("No detriment:", exact=False)).to_be_visible()
    card.get_by_role("link", name=f"No-detriment for {PARTNERSHIP}").click()

    wait_idle(page, LAST)
    assert "programme=east-west-sussex" in page.url
    expect(page.get_by_role("heading", name="No-detriment", level=1)).to_be_visible()
    expect(page.get_by_text("East Sussex lends leadership", exact=False)).to_be_visible()
    sentences = page.locator('[data-testid="stMarkdown"] li').filter(has_text="Against its neighbours")
    assert sentences.count() == 5
    for text in sentences.all_inner_texts():
        assert re.search(r"against the 20(13|17)–2019 baseline", text), text
        assert "statistical neighbours" in text and "England" in text
    # Every indicator has its XmR chart and its neighbours chart, each with a summary and a table.
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(10)  # drawn as the page streams in
    whole_page(page)
    screenshot(page, artifacts, "no_detriment_journey1_east_sussex")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_hampshire_chart_names_the_rule_on_hover(server, page, artifacts):
    page.goto(f"{server.url}/no_detriment?programme=hampshire-west-sussex")
    wait_idle(page, LAST)
    expect(page.get_by_text("1 of 5 indicators of Hampshire shows a special cause of concern", exact=False)).to_be_visible()
    heading = page.get_by_role("heading", name="Re-referrals to children's social care within 12 months")
    heading.scroll_into_view_if_needed()
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator("text=XmR chart against the 2013–2019 baseline")).first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    concern = chart.locator("g.trace.scatter").filter(has=page.locator("path.point")).last.locator("path.point").last
    concern.hover(force=True)
    hover = page.locator("g.hovertext").first
    expect(hover).to_contain_text("Rule:", timeout=5000)
    expect(hover).to_contain_text("Special cause of concern")
    chart.screenshot(path=str(artifacts / "no_detriment_hampshire_hover.png"))
    whole_page(page)
    screenshot(page, artifacts, "no_detriment_hampshire")
    violations = serious_violations(page)
    assert not violations, describe(violations)

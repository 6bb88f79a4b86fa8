"""What a lending council's chief executive sees: Journey 1 of DESIGN.md from the Overview card to the
summary table and one sentence per indicator, the charts (the ones of concern now open, the others a
click away, with the rule on hover), and an accessibility scan."""
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
    said = card.locator('[data-testid="stMarkdown"]').filter(has_text="No detriment:").first.inner_text()
    card.get_by_role("link", name=f"No-detriment for {PARTNERSHIP}").click()

    wait_idle(page, LAST)
    assert "programme=east-west-sussex" in page.url
    expect(page.get_by_role("heading", name="No-detriment", level=1)).to_be_visible()
    sentences = page.locator('[data-testid="stMarkdown"] li').filter(has_text="Against its neighbours")
    assert sentences.count() == 5
    for text in sentences.all_inner_texts():
        assert re.search(r"against the 20(13|17)–2019 baseline", text), text
    caseload = sentences.filter(has_text="Average caseload").inner_text()
    assert "Earlier concern, since recovered" in caseload and "back within limits since Sep 2021" in caseload
    # The card and the page say the same: concern now is the only concern
    now = sentences.filter(has_text="Concern now").count()
    if now:
        assert f"Concern now: {now} of 5 indicators of East Sussex" in said
    else:
        assert "No concern now in any of the 5 indicators of East Sussex" in said
        expect(page.get_by_text("No indicator of East Sussex is of concern now", exact=False)).to_be_visible()
    expect(page.get_by_text("East Sussex: no significant change — no net cost to East Sussex", exact=False)).to_be_visible()
    # The first paint draws only the charts of the indicators of concern now; the others are a click away.
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert charts.count() == min(now, 3)
    page.get_by_text("Show the XmR chart").nth(3).click()  # turnover (indicators in id order)
    wait_idle(page, LAST)
    expect(charts).to_have_count(min(now, 3) + 1)
    expect(charts.last.get_by_text("Left out of the limits (ghosted)", exact=True)).to_have_count(1)  # its legend
    whole_page(page)
    screenshot(page, artifacts, "no_detriment_journey1_east_sussex")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_hampshire_chart_of_concern_is_open_names_the_rule_and_greys_what_came_after(server, page, artifacts):
    page.goto(f"{server.url}/no_detriment?programme=hampshire-west-sussex")
    wait_idle(page, LAST)
    expect(page.get_by_text("1 of 5 indicators of Hampshire is of concern now", exact=False)).to_be_visible()
    chart = page.locator('[data-testid="stPlotlyChart"]')
    expect(chart).to_have_count(1)  # only the indicator of concern now is drawn at first
    # Its title wraps (one line per 36 characters or so), so it is found by its first words.
    chart = chart.filter(has=page.locator("text=/XmR chart/")).first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    expect(chart.get_by_text("after the programme closed", exact=True)).to_have_count(1)
    concern = chart.locator("g.trace.scatter").filter(has=page.locator("path.point")).locator("path.point")
    hovered = False
    for i in range(concern.count()):
        concern.nth(i).hover(force=True)
        hover = page.locator("g.hovertext").first
        if hover.count() and "Special cause of concern" in (hover.text_content() or ""):
            hovered = True
            break
    assert hovered, "no point of the chart reads 'Special cause of concern' on hover"
    expect(page.locator("g.hovertext").first).to_contain_text("Rule:")
    chart.screenshot(path=str(artifacts / "no_detriment_hampshire_hover.png"))
    whole_page(page)
    screenshot(page, artifacts, "no_detriment_hampshire")
    violations = serious_violations(page)
    assert not violations, describe(violations)

"""What a programme board member sees on the Risks page in a real browser: the heat map, a click on a
cell listing its risks, the register with overdue reviews first, and an accessibility scan."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser

TALL = {"width": 1400, "height": 3000}  # Streamlit scrolls inside its own container: a tall window shows it all


def click_cell(page, likelihood: int, impact: int) -> None:
    """Click the middle of one heat-map cell (axes run 0.5–5.5 both ways, impact upwards)."""
    plot_area = page.locator('[data-testid="stPlotlyChart"] .nsewdrag').first
    plot_area.wait_for(timeout=60_000)
    box = plot_area.bounding_box()
    page.mouse.click(box["x"] + (likelihood - 0.5) / 5 * box["width"], box["y"] + (5.5 - impact) / 5 * box["height"])


def test_risks_heat_map_click_lists_the_cell_and_is_accessible(server, page, artifacts):
    page.set_viewport_size(TALL)
    page.goto(f"{server.url}/risks?programme=essex-braintree-brentwood")
    wait_idle(page, "text=How scores, bands and movement are worked out", timeout=90_000)
    assert page.get_by_role("heading", name="Heat map").is_visible()
    assert page.get_by_text("4 reviews overdue", exact=False).is_visible()
    # Plotly draws after the script ends (its bundle loads lazily): wait for the cells' labels.
    expect(page.locator('[data-testid="stPlotlyChart"] text', has_text="score 20 (Very high)")).to_have_count(
        2, timeout=60_000)  # 4×5 and 5×4
    expect(page.locator('td[role="gridcell"]', has_text="ebb-r05")).to_have_count(1, timeout=60_000)
    screenshot(page, artifacts, "risks")
    violations = serious_violations(page)
    assert not violations, describe(violations)

    click_cell(page, 4, 5)
    wait_idle(page, "text=Risks at likelihood 4 × impact 5", timeout=90_000)
    assert "cell=4-5" in page.url
    picker = page.get_by_role("combobox", name="Heat-map cell")
    assert picker.input_value() == "Likelihood 4 × impact 5 — score 20 (Very high), 1 risk"  # the click set it
    # ebb-r05 now appears twice: in the cell's table and in the register.
    expect(page.locator('td[role="gridcell"]', has_text="ebb-r05")).to_have_count(2, timeout=60_000)
    screenshot(page, artifacts, "risks-cell-picked")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_closed_programme_register(server, page, artifacts):
    page.set_viewport_size(TALL)
    page.goto(f"{server.url}/risks?programme=breckland-south-holland&risk_status=closed")
    wait_idle(page, "text=How scores, bands and movement are worked out", timeout=90_000)
    assert page.get_by_text("This programme closed on 31 Mar 2021", exact=False).is_visible()
    screenshot(page, artifacts, "risks-closed-programme")
    violations = serious_violations(page)
    assert not violations, describe(violations)

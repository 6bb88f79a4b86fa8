"""A source is one click from its figure, in a real browser: a councillor reading Breckland – South
Holland's savings follows the savings figure's source to the passage of the joint Cabinet minutes
it comes from, opened scrolled to it and highlighted (in words and colour)."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser

SOURCE = "003 §15 (derived: bsh-savings-per-year)"
FIGURE = "savings of almost £0.75 million per year"


def test_a_councillor_follows_a_breckland_savings_figure_to_the_minutes_in_one_click(server, page, artifacts):
    page.goto(f"{server.url}/savings?programme=breckland-south-holland&year=2020%2F21")
    wait_idle(page, "text=Where these figures come from")
    link = page.get_by_role("link", name=SOURCE).first
    expect(link).to_be_visible()
    link.scroll_into_view_if_needed()
    screenshot(page, artifacts, "source_link_savings_figure")
    with page.context.expect_page() as opened:
        link.click()  # the one click
    reader = opened.value
    wait_idle(reader, ".st-key-cited")
    assert "/sources?paper=003&passage=%C2%A715" in reader.url
    cited = reader.locator(".st-key-cited")
    expect(cited).to_contain_text(FIGURE)
    expect(cited).to_contain_text("Cited passage")  # in words, not colour alone
    expect(reader.get_by_text("Cited passage: 003 §15, highlighted below.")).to_be_visible()
    reader.wait_for_function("() => { const r = document.querySelector('.st-key-cited').getBoundingClientRect();"
                             " return r.top >= 0 && r.bottom <= window.innerHeight; }", timeout=10_000)
    background = reader.evaluate("() => getComputedStyle(document.querySelector('.st-key-cited')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")
    screenshot(reader, artifacts, "source_link_breckland_savings_to_minutes")
    violations = serious_violations(reader)
    assert not violations, describe(violations)

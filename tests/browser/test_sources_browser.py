"""The Sources reader in a real browser: opened at a cited passage it scrolls there and highlights
it (in words and colour), the page passes axe-core, and a councillor follows the Breckland savings
figure from About this data to the minutes' passage in one click."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser

FIGURE = "savings of almost £0.75 million per year"


def in_view(page, selector: str) -> bool:
    return page.evaluate("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight; }""", selector)


def test_reader_opens_at_the_cited_passage(server, page, artifacts):
    page.goto(f"{server.url}/sources?paper=003&passage=%C2%A715")
    wait_idle(page, ".st-key-cited")
    cited = page.locator(".st-key-cited")
    expect(cited).to_contain_text(FIGURE)
    expect(cited).to_contain_text("Cited passage")
    expect(cited.get_by_role("link", name="§15")).to_be_visible()
    page.wait_for_function("() => { const r = document.querySelector('.st-key-cited').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; }", timeout=10_000)
    assert in_view(page, ".st-key-cited")
    # Highlighted: a background no other passage has.
    colours = page.evaluate("""() => [...document.querySelectorAll('[class*="st-key-passage-"], .st-key-cited')]
        .map(e => getComputedStyle(e).backgroundColor)""")
    assert len(set(colours)) == 2 and colours.count(colours[14]) == 1
    screenshot(page, artifacts, "sources_cited_passage")
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_a_councillor_follows_the_savings_figure_to_the_minutes_in_one_click(server, page, artifacts):
    page.goto(f"{server.url}/about")
    wait_idle(page, "text=Derived figures")
    link = page.get_by_role("link", name="003 §15 (derived: bsh-savings-per-year)")
    with page.context.expect_page() as opened:
        link.click()
    reader = opened.value
    wait_idle(reader, ".st-key-cited")
    expect(reader.locator(".st-key-cited")).to_contain_text(FIGURE)
    assert "paper=003" in reader.url and "passage=%C2%A715" in reader.url
    screenshot(reader, artifacts, "sources_from_about")

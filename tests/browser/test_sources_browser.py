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


def test_a_figure_citing_several_sources_opens_them_all_highlighted(server, page, artifacts):
    """A table cell naming several sources opens the reader listing every one in order: each passage
    highlighted with its text, the official file linked to its publisher, and the cited passage of
    the paper shown below highlighted there too."""
    csww = "dfe_csww_indicators_2017_to_2025.csv"
    page.goto(f"{server.url}/sources?paper=003&cite=003+%C2%A715&cite=004+rec+3&cite={csww}")
    wait_idle(page, ".st-key-cited-list-2")
    first, second = page.locator(".st-key-cited-list-1"), page.locator(".st-key-cited-list-2")
    expect(first).to_contain_text(FIGURE)
    expect(second).to_contain_text("Approve the work streams")
    for block in (first, second):
        expect(block).to_contain_text("Cited passage")  # in words, not colour alone
        assert block.evaluate("e => getComputedStyle(e).backgroundColor") not in (
            "rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")
    publisher = page.get_by_role("link", name=csww)
    expect(publisher).to_have_attribute("href", "https://explore-education-statistics.service.gov.uk/find-statistics/"
                                                "children-s-social-work-workforce")
    expect(page.locator(".st-key-cited-s15")).to_contain_text(FIGURE)
    screenshot(page, artifacts, "sources_several_cited")
    violations = serious_violations(page)
    assert not violations, describe(violations)

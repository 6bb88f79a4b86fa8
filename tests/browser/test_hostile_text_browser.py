"""Hostile text in a real browser: with markdown, HTML, a bare web address and a file-name payload in
every free-text column (tests/hostile.py), the commissioner's pages draw it as text — no link or
image pointing at the payload's site, no heading made from it, and the browser asks that site for
nothing (a remote image or a prefetched link would)."""
import re

import pytest

from tests.browser.conftest import Server, screenshot, wait_idle
from tests.hostile import MARKER, MUST_SET, make_hostile

pytestmark = pytest.mark.browser

PROGRAMME = "hampshire-west-sussex"  # the commissioner's programme
PAGES = ["overview", "action_plan", "risks", "calendar", "ofsted", "no_detriment", "savings", "quarterly_report"]


@pytest.fixture(scope="module")
def hostile_server(built_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile_browser") / "monitor.duckdb"
    done = make_hostile(built_db, db)
    assert MUST_SET <= done, MUST_SET - done
    srv = Server(db)
    yield srv
    srv.stop()


def settle(page) -> None:
    wait_idle(page, '[data-testid="stMain"] [data-testid="stMarkdown"]', timeout=60_000)
    page.wait_for_timeout(1500)
    wait_idle(page, timeout=60_000)


# Where an element is: the Streamlit element it belongs to, and its own markup.
WHERE = ("e => [...new Set([e.parentElement.closest('[data-testid]')?.dataset.testid, "
         "e.closest('[data-testid^=st]:not([data-testid*=Markdown]):not([data-testid=stTooltipHoverTarget])')"
         "?.dataset.testid])].join(' in ') + ': ' + e.outerHTML.slice(0, 160)")


def markup_from_payload(page) -> list[str]:
    found = []
    for selector in (f'a[href*="{MARKER}"]', f'[*|href*="{MARKER}"]', f'img[src*="{MARKER}"]',
                     f'[src*="{MARKER}"]', '[href*="http:evil"]'):
        found += [f"{selector}: {el.evaluate(WHERE)}" for el in page.locator(selector).all()]
    headings = page.locator("h1, h2, h3, h4, h5, h6").filter(has_text="Hacked heading")
    found += [f"heading: {h.inner_text()[:100]}" for h in headings.all()]
    bold = page.locator('[data-testid="stMain"] b, [data-testid="stSidebar"] b').filter(has_text=re.compile("^bold$"))
    found += [f"HTML <b>: {b.evaluate(WHERE)}" for b in bold.all()]
    return found


def test_commissioner_pages_draw_hostile_text_as_text(hostile_server, page, artifacts):
    requested = []
    page.on("request", lambda r: requested.append(r.url) if "evil" in r.url else None)
    page.route(re.compile(r".*evil.*"), lambda route: route.abort())
    page.goto(f"{hostile_server.url}/overview")
    settle(page)
    page.get_by_role("combobox", name="Demo mode: view as").click()
    page.get_by_role("option", name=re.compile(r"— commissioner$")).click()
    settle(page)
    assert page.get_by_text("Hacked heading").count(), "the payload is on the page (else this checks nothing)"
    problems = {}
    for name in PAGES:
        query = "" if name == "overview" else f"?programme={PROGRAMME}"
        page.goto(f"{hostile_server.url}/{name}{query}")
        settle(page)
        page.get_by_role("combobox", name="Demo mode: view as").click()
        page.get_by_role("option", name=re.compile(r"— commissioner$")).click()
        settle(page)
        assert page.get_by_text(re.compile(r"\(commissioner\)\. Choose another role")).count(), name
        assert page.get_by_text("Hacked heading").count(), f"{name}: the payload is on the page"
        for expander in page.locator('[data-testid="stExpander"] summary:visible').all()[:40]:
            expander.click(timeout=5_000)  # what is folded away is drawn (and fetched) too
        page.wait_for_timeout(500)
        if name == "risks":
            screenshot(page, artifacts, "hostile_text_risks")
        found = markup_from_payload(page)
        if found:
            problems[name] = found
    assert not problems, "\n".join(f"{name}: {p}" for name, found in problems.items() for p in found)
    assert not requested, requested

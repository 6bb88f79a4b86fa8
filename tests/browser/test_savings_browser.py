"""Savings and Options appraisal in a real browser: screenshots, axe-core, and DESIGN.md's journey 3 —
a South Holland scrutiny councillor opens Savings for Breckland ↔ South Holland, filters to one
financial year, follows a figure to its source, opens the Options appraisal, moves a what-if weight
and sees when the preferred option would change, and finds nothing they can edit (the database is
byte-for-byte unchanged in what matters: data version, change log, weights)."""
import shutil

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, describe, serious_violations, wait_idle
from tests.dbutil import fetch, scalar

pytestmark = pytest.mark.browser

SCRUTINY_LABEL = "Scrutiny Councillor, South Holland DC (demo) — scrutiny member"
LEADER = "New local strategic partnership"


def tall_screenshot(page: Page, artifacts, name: str, last: str):
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to fit it."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 60, 12000)})
    wait_idle(page, last)
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return path


def choose(page: Page, label: str, option: str, where=None, multi: bool = False):
    """Pick an option in a Streamlit selectbox or multiselect by its label."""
    scope = where or page
    box = scope.get_by_label(label, exact=True)
    box.click()
    box.press_sequentially(option[:40])  # long lists are virtual: filter first
    page.get_by_role("option", name=option, exact=True).click()
    if multi:  # a multiselect's list stays open (Escape would clear a selectbox's choice)
        page.keyboard.press("Escape")


def test_savings_page_screenshot_and_accessibility(server, page, artifacts):
    page.goto(f"{server.url}/savings?programme=east-west-sussex")
    wait_idle(page, "text=Shared costs borne by each council")
    expect(page.get_by_text("Totals reconcile", exact=False)).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(5)
    tall_screenshot(page, artifacts, "savings", "text=Shared costs borne by each council")
    violations = serious_violations(page)
    assert not violations, describe(violations)


@pytest.fixture
def journey_server(built_db, tmp_path, browser):
    """A server of its own on a private copy, so the database can be read once it has stopped
    (DuckDB lets one process hold the file)."""
    db = tmp_path / "journey.duckdb"
    shutil.copy(built_db, db)
    srv = Server(db)
    # Known foundation bug (reported): in the very first browser session of a fresh server the
    # first change of the sidebar role picker is lost. Serve one session first, as a running server has.
    context = browser.new_context()
    warm = context.new_page()
    warm.goto(f"{srv.url}/")
    wait_idle(warm, "text=Demo mode: view as")
    context.close()
    yield srv, db
    srv.stop()


def db_state(db):
    return (scalar(db, "SELECT data_version FROM data_version"),
            scalar(db, "SELECT count(*) FROM change_log"),
            fetch(db, "SELECT * FROM criterion_weight ORDER BY ALL").to_dict("records"),
            fetch(db, "SELECT count(*) AS n, sum(planned_gbp)::DOUBLE AS p FROM saving").to_dict("records"))


def test_journey_3_scrutiny_councillor(journey_server, built_db, page, artifacts):
    server, db = journey_server
    before = db_state(built_db)  # the copy's source, identical to the copy before the journey

    page.goto(f"{server.url}/")  # the Overview is the default page, served at the root
    wait_idle(page, "text=Demo mode: view as")
    choose(page, "Demo mode: view as", SCRUTINY_LABEL, where=page.locator('[data-testid="stSidebar"]'))
    wait_idle(page, "text=viewing as Scrutiny Councillor")

    # Savings for Breckland ↔ South Holland: the only programme this councillor may see.
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Savings", exact=True).click()
    wait_idle(page, "text=Savings ledger")
    expect(page.get_by_label("Programme", exact=True)).to_have_value("Breckland – South Holland integrated shared management")
    assert "programme=breckland-south-holland" in page.url

    # Filter to one financial year: the URL carries it, the figures follow.
    choose(page, "Financial year", "2020/21", multi=True)
    wait_idle(page, "text=2 of 34 savings rows")
    assert "year=2020%2F21" in page.url
    expect(page.get_by_text("2 of 34 savings rows", exact=False)).to_be_visible()

    # Follow a figure to its source.
    choose(page, "Choose a savings figure to see its source",
           "2020/21 · Breckland · Integrated shared management team · shared management — delivered £375,000")
    wait_idle(page, "text=As recorded in the ledger")
    expect(page.get_by_text("seed paper 003", exact=False).last).to_be_visible()
    tall_screenshot(page, artifacts, "journey3_savings_2020-21", "text=As recorded in the ledger")

    # The Options appraisal, with the programme still selected.
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Options appraisal", exact=True).click()
    wait_idle(page, "text=What-if weighted totals")
    assert "programme=breckland-south-holland" in page.url
    expect(page.get_by_text(f"South Holland: {LEADER} preferred (62", exact=False).first).to_be_visible()

    # South Holland's own weights; move Deliverability with the keyboard, 0.25 a step, 4 → 7.
    choose(page, "Whose weights", "South Holland")
    wait_idle(page, "text=Move South Holland's weights")
    slider = page.locator('input[type="range"][aria-label="Deliverability"]')
    slider.focus()
    for _ in range(11):
        page.keyboard.press("ArrowRight")
    wait_idle(page, "text=the preferred option is unchanged")
    expect(slider).to_have_attribute("aria-valuetext", "6.75")
    page.keyboard.press("ArrowRight")
    wait_idle(page, "text=a tie")
    expect(page.get_by_text(f"changes from {LEADER} to {LEADER} and Stand-alone (a tie)", exact=False)).to_be_visible()
    page.keyboard.press("ArrowRight")
    wait_idle(page, "text=With Deliverability 4 → 7.25")
    expect(page.get_by_text(f"changes from {LEADER} to Stand-alone.", exact=False)).to_be_visible()
    tall_screenshot(page, artifacts, "journey3_what_if", "text=What-if weighted totals")

    # Nothing to edit: no editors, inputs, uploads or forms; the only button resets the what-if.
    for testid in ("stDataEditor", "stTextInput", "stTextArea", "stNumberInput", "stFileUploader", "stForm"):
        assert page.locator(f'[data-testid="{testid}"]').count() == 0, testid
    buttons = page.locator('[data-testid="stMain"] button[data-testid^="stBaseButton"]').all_inner_texts()
    labelled = {b.strip() for b in buttons if b.strip()}  # icon-only ones are table/chart toolbars
    assert all(b.endswith(("Reset to the councils' weights", "Download CSV")) for b in labelled), labelled
    violations = serious_violations(page)
    assert not violations, describe(violations)

    server.stop()  # release the file, then prove nothing was written
    from queries import db as dbmod
    try:
        assert db_state(db) == before
    finally:
        dbmod.close(db)

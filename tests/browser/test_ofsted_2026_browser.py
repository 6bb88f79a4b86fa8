"""The Ofsted page in a real browser for a council whose latest inspection is under the 2026
framework (no overall judgement): the grid's empty overall cell and its note, the latest inspection
in words, the trajectory drawn per judgement area — screenshotted and scanned with axe-core."""
import shutil

import pytest
from playwright.sync_api import expect

from tests import framework2026 as f26
from tests.browser.conftest import Server, describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server_2026(built_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ofsted2026")
    db = folder / "monitor.duckdb"
    shutil.copy(built_db, db)
    f26.load_2026_inspection(db, folder)
    from queries import db as dbmod
    dbmod.close(db)  # the server's process holds the file from here
    srv = Server(db, env={"MONITOR_TODAY": f26.TODAY})
    yield srv
    srv.stop()


def test_a_council_inspected_under_the_2026_framework(server_2026, page, artifacts):
    page.goto(f"{server_2026.url}/ofsted?programme=east-west-sussex")
    wait_idle(page, "text=DfE intervention register")
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(3)
    grid = page.locator("table").first
    newest = grid.locator("tr", has_text="11 May 2026")
    expect(newest).to_have_count(1)
    expect(newest.get_by_text("ILACS 2026")).to_be_visible()
    assert newest.get_by_text("Good", exact=True).count() == 3
    # The overall effectiveness cell is empty, and the note under the grid says why.
    headers = [h.strip() for h in grid.locator("th").all_inner_texts()]
    overall = headers.index("Overall effectiveness")
    assert newest.locator("td, th").nth(overall).inner_text().strip() == ""
    expect(page.get_by_text("No overall judgement under the 2026 framework (ILACS 2026, from 1 Apr 2026)")).to_be_visible()
    expect(page.get_by_text("Latest graded inspection:")).to_be_visible()
    trajectory = page.locator('[data-testid="stPlotlyChart"]').first
    expect(trajectory.get_by_text("Children in care")).to_be_visible()
    expect(trajectory.get_by_text("(ILACS 2026)")).to_be_visible()
    assert "HYPERLINK" not in page.inner_text("body").upper()
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 9000)})
    wait_idle(page)
    screenshot(page, artifacts, "ofsted_2026")
    violations = serious_violations(page)
    assert not violations, describe(violations)

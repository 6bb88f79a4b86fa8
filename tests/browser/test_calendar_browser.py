"""The governance calendar in a real browser: past dates greyed and marked, notice deadlines, and
the .ics file the browser downloads parses back; plus an accessibility scan."""
import datetime as dt

import pytest

from monitor.calendar.ics import parse_ics
from monitor.tidy import read_tidy_csv
from tests.browser.conftest import describe, screenshot, serious_violations, wait_idle

pytestmark = pytest.mark.browser

TALL = {"width": 1400, "height": 2600}


def test_calendar_downloads_an_ics_that_parses_back(server, page, artifacts, tmp_path):
    page.set_viewport_size(TALL)
    page.goto(f"{server.url}/calendar?programme=essex-braintree-brentwood")
    wait_idle(page, "text=Download these 16 dates as an .ics calendar", timeout=90_000)
    assert page.get_by_role("heading", name="Notice deadlines").is_visible()
    assert page.locator("li", has_text="give notice by 31 Dec 2026").is_visible()
    screenshot(page, artifacts, "calendar")
    violations = serious_violations(page)
    assert not violations, describe(violations)

    with page.expect_download() as info:
        page.get_by_role("button", name="Download these 16 dates as an .ics calendar").click()
    download = info.value
    assert download.suggested_filename == "key-dates-working-better-together-essex-braintree-and-brentwood.ics"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    events = parse_ics(path.read_bytes())
    # Its 13 key dates, the 3 councils' proposed vesting day, and the break clause's last day to give notice.
    assert len(events) == 13 + 3 + 1
    assert any("last day to give notice: 31 Dec 2026" in e["description"] for e in events)
    assert sum("Kind: vesting day" in e["description"] for e in events) == 3
    deadline = next(e for e in events if e["categories"] == ["notice deadline"])
    assert deadline["start"] == dt.date(2026, 12, 31)
    assert sorted(deadline["alarms"]) == [dt.timedelta(days=-28), dt.timedelta(days=-7)]
    assert "Programme: Working Better Together" in deadline["description"]
    assert deadline["url"].endswith("/calendar?programme=essex-braintree-brentwood")

    # The CSV beside it is made on the click too (deferred): the browser still gets every row.
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    rows = read_tidy_csv(info.value.path().read_bytes())  # its first line says the source and the date
    assert len(rows) == 16
    assert {"Date", "Title"} <= set(rows.columns)


def test_calendar_of_every_programme_upcoming_only(server, page, artifacts):
    page.set_viewport_size(TALL)
    page.goto(f"{server.url}/calendar?show=upcoming")
    wait_idle(page, "text=as an .ics calendar", timeout=90_000)
    assert page.get_by_text("s113 agreement break point", exact=False).first.is_visible()
    screenshot(page, artifacts, "calendar-upcoming")
    violations = serious_violations(page)
    assert not violations, describe(violations)

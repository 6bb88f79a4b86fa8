"""Benchmark section: the No-detriment page in Chromium — first paint (navigate until the script is
idle, the page's last element drawn and every chart it opens drawn), how many charts the first paint
draws, click-to-idle from the sidebar, and opening one more chart — for East Sussex (nothing of concern
now) and Hampshire (one indicator of concern now); and the pure work of judging every indicator.
Registered in benchmarks/run.py EXTRA. Figures only."""
from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

import queries
from benchmarks.timing import cell, times
from monitor.no_detriment.assessment import assess_all
from monitor.no_detriment.verdicts import verdicts

LAST = "text=How these charts work (Making Data Count)"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CASES = (("east-west-sussex", "E10000011", None), ("hampshire-west-sussex", "E10000014", "2023-09-30"))


def _settled(page) -> int:
    """Wait for the script to be idle, the page's last element and every chart drawn; the charts."""
    page.wait_for_selector(IDLE, timeout=180_000)
    page.wait_for_selector(LAST, timeout=180_000)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    n = charts.count()
    for i in range(n):
        charts.nth(i).locator(".main-svg").first.wait_for(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=180_000)
    return n


def _browser_rows(db: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server

    rows = []
    server = Server(db)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server.url}/no_detriment?programme=east-west-sussex")
            _settled(page)  # a fresh server's first request (cold caches) is not counted
            for programme, _, _ in CASES:
                url = f"{server.url}/no_detriment?programme={programme}"
                paint, click, toggle, drawn = [], [], [], 0
                for _ in range(3):
                    page.goto(f"{server.url}/about")
                    page.wait_for_selector(IDLE, timeout=180_000)
                    start = time.perf_counter()
                    page.goto(url)
                    drawn = _settled(page)
                    paint.append(time.perf_counter() - start)
                    page.goto(f"{server.url}/about?programme={programme}")
                    page.wait_for_selector(IDLE, timeout=180_000)
                    start = time.perf_counter()
                    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="No-detriment").first.click()
                    page.wait_for_url("**/no_detriment**", timeout=180_000)
                    _settled(page)
                    click.append(time.perf_counter() - start)
                    switch = page.get_by_text("Show the XmR chart").last
                    before = page.locator('[data-testid="stPlotlyChart"]').count()
                    start = time.perf_counter()
                    switch.click()
                    page.locator('[data-testid="stPlotlyChart"]').nth(before).locator(".main-svg").first.wait_for(
                        timeout=60_000)
                    _settled(page)
                    toggle.append(time.perf_counter() - start)
                rows.append(f"| {programme} | {drawn} | {statistics.median(paint) * 1000:,.0f} ms | "
                            f"{statistics.median(click) * 1000:,.0f} ms | {statistics.median(toggle) * 1000:,.0f} ms |")
            browser.close()
    finally:
        server.stop()
    return rows


def section(db: Path, tmp: Path) -> tuple[str, list[str]]:
    rows = ["| programme | lending council | indicators | judge all (assess + sentences) |", "|---|---|---|---|"]
    for programme, council, closed in CASES:
        values = queries.run("no_detriment/values_by_council", db=db, programme_id=programme, ons_code=council)
        n = values["indicator_id"].nunique()
        rows.append(f"| {programme} | {council} | {n} | {cell(times(lambda: assess_all(values, closed_on=closed), 5), 1)} |")
    every = queries.run("no_detriment/values", db=db)
    rows += ["", "| every no-detriment indicator of the database, judged at once (the Overview's facts) |", "|---|",
             f"| {every['indicator_id'].nunique()} indicators: {cell(times(lambda: verdicts(every), 5), 1)} |"]
    copy = tmp / "no-detriment-bench.duckdb"
    shutil.copy(db, copy)  # a server of its own: DuckDB lets one process hold a file
    try:
        browser = _browser_rows(copy)
    except Exception as exc:  # a missing browser is reported, not fatal to the run
        browser = [f"| error: {str(exc).splitlines()[0][:120]} | | | | |"]
    rows += ["", "Chromium, median of 3 after one warm-up visit: first paint = navigate until the script is idle, "
             "the page's last element and every chart it opens drawn; click to idle = the sidebar link from "
             "About; one more chart = a 'Show the XmR chart' switch until that chart is drawn.", "",
             "| programme | charts at first paint | first paint | click to idle | one more chart |",
             "|---|---|---|---|---|", *browser]
    return "No-detriment: judging, and the page in Chromium (summary first, charts of concern now only)", rows

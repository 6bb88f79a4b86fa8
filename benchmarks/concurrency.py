"""`make bench` section: 25 concurrent browser sessions (Playwright contexts in one Chromium)
clicking through every page of the national database, against one session alone.

Two figures per click: click-to-idle, what a person waits (the click until the page has finished
running and drawn its title), and the server's response, read from the websocket at Chromium's
network layer (the rerun request sent → Streamlit's "script finished" received), which leaves out
the browser's own drawing. On this machine the browsers share its cores with the server, so under
load click-to-idle measures the test rig as much as the dashboard; the server figure does not.
"""
from __future__ import annotations

import asyncio
import base64
import statistics
import time
from pathlib import Path

from ui.pages import PAGES

SESSIONS = 25
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


async def _watch_server(context, page, served: list[float]):
    """Record each rerun's response time from the websocket frames (Chromium's own timestamps)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    asked: list[float] = []

    def sent(event):
        if event["response"]["opcode"] == 2:
            msg = BackMsg()
            msg.ParseFromString(base64.b64decode(event["response"]["payloadData"]))
            if msg.WhichOneof("type") == "rerun_script":
                asked.append(event["timestamp"])

    def received(event):
        if event["response"]["opcode"] == 2 and asked:
            msg = ForwardMsg()
            msg.ParseFromString(base64.b64decode(event["response"]["payloadData"]))
            if msg.WhichOneof("type") == "script_finished":
                # A request that a newer one replaced never finishes: time the newest.
                served.append(event["timestamp"] - asked[-1])
                asked.clear()

    cdp.on("Network.webSocketFrameSent", sent)
    cdp.on("Network.webSocketFrameReceived", received)


async def _session(browser, url: str, titles: list[str], clicks: list[float], served: list[float]) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    mine: list[float] = []
    await _watch_server(context, page, mine)
    await page.goto(f"{url}/overview", timeout=300_000)
    await page.wait_for_selector(IDLE, timeout=300_000)
    await page.wait_for_selector("h1", timeout=300_000)
    mine.clear()  # the first load is not a click
    for title in titles:
        start = time.perf_counter()
        await page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
        await page.wait_for_timeout(50)
        await page.wait_for_selector(IDLE, timeout=300_000)
        await page.wait_for_selector("h1", timeout=300_000)
        clicks.append(time.perf_counter() - start)
    served.extend(mine)
    await context.close()


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_concurrency(db: Path) -> list[str]:
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server

    titles = [s.title for s in PAGES if s.url_path != "overview"] + ["Overview"]

    async def run(n: int, url: str) -> tuple[list[float], list[float]]:
        clicks: list[float] = []
        served: list[float] = []
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await asyncio.gather(*(_session(browser, url, titles, clicks, served) for _ in range(n)))
            await browser.close()
        return clicks, served

    server = Server(db)
    try:
        asyncio.run(run(1, server.url))  # warm the server's caches: every figure below is of warm pages
        single = asyncio.run(run(1, server.url))
        many = asyncio.run(run(SESSIONS, server.url))
        peak = _peak_rss_mb(server.proc.pid)
    finally:
        server.stop()

    def verdict(ratio: float) -> str:
        return f"{ratio:.1f}× single; budget 2×: {'✔ met' if ratio <= 2 else '✖ missed'}"

    (one_click, one_served), (many_click, many_served) = single, many
    return [
        "| sessions | clicks | click-to-idle median | click-to-idle p95 | server response median | "
        "server response p95 | server peak memory |",
        "|---|---|---|---|---|---|---|",
        f"| 1 session | {len(one_click)} | {ms(statistics.median(one_click))} | {ms(p95(one_click))} | "
        f"{ms(statistics.median(one_served))} | {ms(p95(one_served))} | |",
        f"| {SESSIONS} sessions | {len(many_click)} | {ms(statistics.median(many_click))} | {ms(p95(many_click))} "
        f"({verdict(p95(many_click) / p95(one_click))}) | {ms(statistics.median(many_served))} | "
        f"{ms(p95(many_served))} ({verdict(p95(many_served) / p95(one_served))}) | "
        f"{peak:,.0f} MB (budget 600 MB: {'✔ met' if peak <= 600 else '✖ missed'}) |",
    ]

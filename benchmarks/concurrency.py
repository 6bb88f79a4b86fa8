"""`make bench` section: 25 concurrent sessions of the national database, against one alone.

1. **Browsers on this machine.** 25 Playwright contexts in one Chromium click through every page
   without pause. Per click: click-to-idle, what a person waits (the click until the page has
   finished running and drawn its title), and the response read from the websocket (the rerun request
   sent → Streamlit's "script finished"). Chromium stamps a frame when its page handles it, so a page
   busy drawing charts delays the stamp. Also the server's own CPU per click (user + system time of
   its process over the run ÷ clicks). The 25 browsers share this machine's two cores with the
   server, so this measures the test rig as much as the dashboard.
2. **The server alone.** One person's clicks are recorded from a browser and replayed on Streamlit's
   websocket by clients that read every message and draw nothing: as if each person had their own
   computer. 25 clients without pause (load generators), and 25 people reading each page 5–10 s.
"""
from __future__ import annotations

import asyncio
import base64
import os
import random
import statistics
import time
from pathlib import Path

from ui.pages import PAGES

SESSIONS = 25
# People read a page before the next click (5–10 s is a quick reader). Without a pause, 25 sessions
# are 25 load generators, and the wait is about 25 × one click's CPU ÷ the cores, whatever the
# dashboard does (see docs/performance-log.md).
THINK_S = (5.0, 10.0)
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


async def _watch_server(context, page, served: list[float], requests: list[list[bytes]] | None = None):
    """Record each rerun's response time from the websocket frames (Chromium's own timestamps) and,
    with `requests`, each rerun request into its last list (for the replay)."""
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
                if requests is not None:
                    # A replaying client has cached nothing: ask for every message in full.
                    del msg.rerun_script.cached_message_hashes[:]
                    requests[-1].append(msg.SerializeToString())

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


async def _session(browser, url: str, titles: list[str], clicks: list[float], served: list[float],
                   requests: list[list[bytes]] | None = None) -> None:
    """One person: open the Overview, then click through every page without pause. With `requests`,
    the rerun requests the browser sent: one list for opening the Overview, then one per click."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    mine: list[float] = []
    await _watch_server(context, page, mine, requests)
    if requests is not None:
        requests.append([])
    await page.goto(f"{url}/overview", timeout=300_000)
    await page.wait_for_selector(IDLE, timeout=300_000)
    await page.wait_for_selector("h1", timeout=300_000)
    mine.clear()  # the first load is not a click
    for title in titles:
        if requests is not None:
            requests.append([])
        start = time.perf_counter()
        await page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click(timeout=300_000)
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


def _server_cpu_s(pid: int) -> float:
    """User + system CPU seconds the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _replay_person(url: str, steps: list[list[bytes]], times: list[float], think, seed: int) -> None:
    """One person's clicks replayed on Streamlit's websocket, reading every message and drawing
    nothing: the server's response to each click, from send to "script finished"."""
    import websockets
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    rng = random.Random(seed)
    if think:  # people arrive at random moments, not all at once
        await asyncio.sleep(rng.uniform(0, think[1]))
    async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  origin=url, max_size=None, open_timeout=300) as ws:
        async def click(requests: list[bytes]) -> float:
            start = time.perf_counter()
            for request in requests:
                await ws.send(request)
            elements = 0
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await ws.recv())
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    if msg.delta.new_element.WhichOneof("type") == "exception":
                        raise RuntimeError(f"a replayed click raised: {msg.delta.new_element.exception.message}")
                    elements += 1
                if kind == "script_finished":
                    if not elements:
                        raise RuntimeError("a replayed click drew nothing")
                    return time.perf_counter() - start

        await click(steps[0])
        for requests in steps[1:]:
            if think:
                await asyncio.sleep(rng.uniform(*think))
            times.append(await click(requests))


def bench_concurrency(db: Path) -> list[str]:
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server

    titles = [s.title for s in PAGES if s.url_path != "overview"] + ["Overview"]

    async def browse(n: int, url: str, requests=None) -> tuple[list[float], list[float]]:
        clicks: list[float] = []
        served: list[float] = []
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await asyncio.gather(*(_session(browser, url, titles, clicks, served, requests if k == 0 else None)
                                   for k in range(n)))
            await browser.close()
        return clicks, served

    async def replay(url: str, steps, n: int, think) -> list[float]:
        times: list[float] = []
        await asyncio.gather(*(_replay_person(url, steps, times, think, seed=k) for k in range(n)))
        return times

    server = Server(db)
    browsers, replays = {}, {}
    try:
        asyncio.run(browse(1, server.url))  # warm the server's caches: every figure below is of warm pages
        steps: list[list[bytes]] = []  # the single session's rerun requests, replayed below
        for name, n in (("single", 1), ("no pause", SESSIONS)):
            cpu = _server_cpu_s(server.proc.pid)
            clicks, served = asyncio.run(browse(n, server.url, steps if n == 1 else None))
            browsers[name] = (clicks, served, (_server_cpu_s(server.proc.pid) - cpu) / len(clicks))
        peak_browsers = _peak_rss_mb(server.proc.pid)
        if not steps or not all(steps):
            raise RuntimeError(f"a click sent no rerun request: {[len(s) for s in steps]}")
        for name, n, think in (("single", 1, None), ("no pause", SESSIONS, None), ("reading", SESSIONS, THINK_S)):
            replays[name] = asyncio.run(replay(server.url, steps, n, think))
        peak = _peak_rss_mb(server.proc.pid)
    finally:
        server.stop()

    def verdict(ratio: float) -> str:
        return f"{ratio:.1f}× single; budget 2×: {'✔ met' if ratio <= 2 else '✖ missed'}"

    one_click, one_served, one_cpu = browsers["single"]
    many_click, many_served, many_cpu = browsers["no pause"]
    one_replay = replays["single"]
    rows = [
        f"**{SESSIONS} browsers on this machine** (Playwright contexts in one Chromium, clicking through "
        "all 12 pages without pause):",
        "",
        "| sessions | clicks | click-to-idle median | click-to-idle p95 | server response median | "
        "server response p95 | server CPU per click |",
        "|---|---|---|---|---|---|---|",
        f"| 1 session | {len(one_click)} | {ms(statistics.median(one_click))} | {ms(p95(one_click))} | "
        f"{ms(statistics.median(one_served))} | {ms(p95(one_served))} | {ms(one_cpu)} |",
        f"| {SESSIONS} sessions | {len(many_click)} | {ms(statistics.median(many_click))} | {ms(p95(many_click))} "
        f"({verdict(p95(many_click) / p95(one_click))}) | {ms(statistics.median(many_served))} | "
        f"{ms(p95(many_served))} ({verdict(p95(many_served) / p95(one_served))}) | {ms(many_cpu)} |",
        "",
        f"**The server alone, {SESSIONS} people**: the single session's clicks above, "
        "replayed on Streamlit's websocket by clients that read every message and draw nothing (as if each "
        "person had their own computer). Response: the request sent → \"script finished\" received.",
        "",
        "| clients | clicks | response median | response p95 |",
        "|---|---|---|---|",
        f"| 1 | {len(one_replay)} | {ms(statistics.median(one_replay))} | {ms(p95(one_replay))} |",
    ]
    for name, label in (("no pause", f"{SESSIONS}, no pause (25 load generators)"),
                        ("reading", f"{SESSIONS}, each reading a page {THINK_S[0]:.0f}–{THINK_S[1]:.0f} s")):
        times = replays[name]
        rows.append(f"| {label} | {len(times)} | {ms(statistics.median(times))} | {ms(p95(times))} "
                    f"({verdict(p95(times) / p95(one_replay))}) |")
    rows += ["", f"Server peak memory: {peak_browsers:,.0f} MB after the {SESSIONS} browser sessions (budget 600 MB: "
                 f"{'✔ met' if peak_browsers <= 600 else '✖ missed'}); {peak:,.0f} MB after every run above "
                 f"({3 + 3 * SESSIONS} sessions in all, at most {SESSIONS} at once, in one process)."]
    return rows

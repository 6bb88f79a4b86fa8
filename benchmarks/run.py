"""`make bench`: measure, print, and write docs/benchmarks.md. Figures only — no test asserts a time.

For the demo and the national database in the same run: the database build; every page's AppTest
rerun (median and worst of 7, warm and cold cache) for a typical and the largest programme, beside
its floor (the same elements replayed from precomputed values: benchmarks/floor.py); first paint and
click-to-idle in Chromium; 25 concurrent browser sessions; plus the sections other modules register
in EXTRA (import speed, report assembly and Word export).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.floor import REPLAY_SCRIPT, Recorder, write_replay  # noqa: E402
from queries.build import build  # noqa: E402
from queries.national import build_national  # noqa: E402
from ui.pages import PAGES  # noqa: E402

RUNS = 7
SESSIONS = 25
EXTRA: list = []  # callables (db: Path, tmp: Path) -> (title, markdown rows); registered below


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def programmes_to_measure(db: Path) -> dict[str, str]:
    """A typical programme (median milestone count) and the largest (most milestones)."""
    import queries
    counts = queries.run("milestones_all", db=db).groupby("programme_id").size().sort_values()
    return {"typical": counts.index[len(counts) // 2], "largest": counts.index[-1]}


def bench_page(spec, programme: str) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    at.query_params["programme"] = programme
    at.run()
    at.switch_page(spec.path)
    st.cache_data.clear()
    cold = timed(at.run)
    if at.exception:
        return {"error": str(at.exception[0].message)[:100]}
    warm = [timed(at.run) for _ in range(RUNS)]
    with Recorder() as rec:
        at.run()
    floor = float("nan")
    if rec.calls:
        calls = Path(tempfile.mkstemp(suffix=".pickle")[1])
        write_replay(rec.calls, calls)
        os.environ["FLOOR_CALLS"] = str(calls)
        replay = AppTest.from_string(REPLAY_SCRIPT, default_timeout=600)
        replay.run()
        floor = statistics.median(timed(replay.run) for _ in range(RUNS))
        calls.unlink()
    return {"cold": cold, "median": statistics.median(warm), "worst": max(warm), "floor": floor,
            "elements": len(rec.calls)}


def bench_pages(dbs: dict[str, Path]) -> tuple[list[str], dict]:
    rows, results = [], {}
    for label, db in dbs.items():
        os.environ["MONITOR_DB"] = str(db)
        for which, programme in programmes_to_measure(db).items():
            for spec in PAGES:
                r = bench_page(spec, programme)
                results[(label, which, spec.title)] = r
                if "error" in r:
                    rows.append(f"| {spec.title} | {label} | {which} ({programme}) | error: {r['error']} | | | | | |")
                    continue
                rows.append(f"| {spec.title} | {label} | {which} ({programme}) | {ms(r['cold'])} | {ms(r['median'])} | "
                            f"{ms(r['worst'])} | {ms(r['floor'])} | {r['median'] / r['floor']:.1f}× | {r['elements']} |")
                print(rows[-1], flush=True)
    return rows, results


def budget_rows(results: dict) -> list[str]:
    """National rerun ≤ 1.3 × demo rerun, and ≤ 2 × its floor (typical programme)."""
    rows = []
    for spec in PAGES:
        demo, nat = results.get(("demo", "typical", spec.title)), results.get(("national", "typical", spec.title))
        if not demo or not nat or "error" in demo or "error" in nat:
            rows.append(f"| {spec.title} | – | – | – |")
            continue
        vs_demo = nat["median"] / demo["median"]
        vs_floor = nat["median"] / nat["floor"]
        rows.append(f"| {spec.title} | {vs_demo:.2f}× {'✔ met' if vs_demo <= 1.3 else '✖ missed'} | "
                    f"{vs_floor:.1f}× {'✔ met' if vs_floor <= 2 else '✖ missed'} | {ms(nat['cold'])} |")
    return rows


def bench_browser(dbs: dict[str, Path]) -> list[str]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server, wait_idle

    rows = []
    for label, db in dbs.items():
        server = Server(db)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{server.url}/overview")
                wait_idle(page, "h1", timeout=300_000)  # a fresh server's first paint (cold caches)
                for spec in PAGES:
                    paint, click = [], []
                    try:
                        for _ in range(3):
                            start = time.perf_counter()
                            page.goto(f"{server.url}/{spec.url_path}")
                            wait_idle(page, "h1", timeout=180_000)
                            paint.append(time.perf_counter() - start)
                            page.goto(f"{server.url}/about" if spec.url_path != "about" else f"{server.url}/overview")
                            wait_idle(page, "h1", timeout=180_000)
                            start = time.perf_counter()
                            page.locator('[data-testid="stSidebarNav"] a').filter(has_text=spec.title).first.click()
                            page.wait_for_url(f"**/{spec.url_path}**", timeout=180_000)
                            wait_idle(page, "h1", timeout=180_000)
                            click.append(time.perf_counter() - start)
                        rows.append(f"| {spec.title} | {label} | {ms(statistics.median(paint))} | "
                                    f"{ms(statistics.median(click))} |")
                    except Exception as exc:  # a figure missing is reported, not fatal to the run
                        rows.append(f"| {spec.title} | {label} | error: {str(exc).splitlines()[0][:80]} | |")
                    print(rows[-1], flush=True)
                browser.close()
        finally:
            server.stop()
    return rows


async def _session(browser, url: str, titles: list[str], timings: list[float]) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    idle = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    await page.goto(f"{url}/overview", timeout=300_000)
    await page.wait_for_selector(idle, timeout=300_000)
    await page.wait_for_selector("h1", timeout=300_000)
    for title in titles:
        start = time.perf_counter()
        await page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
        await page.wait_for_timeout(50)
        await page.wait_for_selector(idle, timeout=300_000)
        await page.wait_for_selector("h1", timeout=300_000)
        timings.append(time.perf_counter() - start)
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
    out = []

    async def run(n: int) -> list[float]:
        timings: list[float] = []
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await asyncio.gather(*(_session(browser, server.url, titles, timings) for _ in range(n)))
            await browser.close()
        return timings

    server = Server(db)
    try:
        single = asyncio.run(run(1))
        many = asyncio.run(run(SESSIONS))
        peak = _peak_rss_mb(server.proc.pid)
    finally:
        server.stop()
    p95 = lambda xs: sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]  # noqa: E731
    out.append(f"| 1 session | {len(single)} | {ms(statistics.median(single))} | {ms(p95(single))} | |")
    ratio = p95(many) / p95(single)
    out.append(f"| {SESSIONS} sessions | {len(many)} | {ms(statistics.median(many))} | {ms(p95(many))} "
               f"({ratio:.1f}× single; budget 2×: {'✔ met' if ratio <= 2 else '✖ missed'}) | "
               f"{peak:,.0f} MB (budget 600 MB: {'✔ met' if peak <= 600 else '✖ missed'}) |")
    return out


def _register_extra() -> None:
    for module in ("benchmarks.imports", "benchmarks.report", "benchmarks.savings", "benchmarks.ofsted",
                   "benchmarks.risks_calendar", "benchmarks.action_plan"):
        try:
            EXTRA.append(__import__(module, fromlist=["section"]).section)
        except ImportError:
            pass


def main() -> int:
    _register_extra()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        demo, national = tmp / "demo.duckdb", tmp / "national.duckdb"
        build_demo = timed(lambda: build(demo, log=lambda *_: None))
        build_nat = timed(lambda: build_national(national, log=lambda *_: None))
        dbs = {"demo": demo, "national": national}
        page_rows, results = bench_pages(dbs)
        from queries import db as dbmod
        for path in dbs.values():  # DuckDB's file lock: the servers below must be able to open them
            dbmod.close(path)
        browser_rows = bench_browser(dbs)
        try:
            concurrency_rows = bench_concurrency(national)
        except Exception as exc:
            concurrency_rows = [f"| error | {str(exc).splitlines()[0][:120]} | | | |"]
        extra_sections = []
        for section in EXTRA:
            try:
                extra_sections.append(section(demo, tmp))
            except Exception as exc:
                extra_sections.append((f"{section.__module__} (error)", [f"error: {str(exc).splitlines()[0][:200]}"]))
    lines = [
        "# Benchmarks", "",
        f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {platform.node()} ({os.cpu_count()} cores, "
        f"Python {platform.python_version()}) by `make bench`. Figures only; no test asserts a time.", "",
        "## Databases", "",
        "| database | build time | file size |", "|---|---|---|",
        f"| demo (5 programmes, real Ofsted and DfE data) | {build_demo:.1f} s | {demo.stat().st_size / 1e6 if demo.exists() else 0:.1f} MB |",
        f"| national (demo + 400 programmes, 20,000 milestones × 40 snapshots, seed 2026) | {build_nat:.1f} s | – |", "",
        f"## Page reruns (AppTest; cold = caches cleared, warm = median / worst of {RUNS}; floor = the same "
        "elements replayed from precomputed values)", "",
        "| page | database | programme | cold | warm median | warm worst | floor | ratio to floor | elements |",
        "|---|---|---|---|---|---|---|---|---|",
        *page_rows, "",
        "## Budgets (typical programme): national rerun ≤ 1.3 × demo rerun, and ≤ 2 × its floor", "",
        "| page | national ÷ demo | national ÷ floor | national cold |", "|---|---|---|---|",
        *budget_rows(results), "",
        "## Chromium: first paint (navigate → script idle, title drawn) and click-to-idle (sidebar link), median of 3", "",
        "| page | database | first paint | click to idle |", "|---|---|---|---|",
        *browser_rows, "",
        f"## {SESSIONS} concurrent browser sessions clicking through every page (national database)", "",
        "| sessions | clicks | median click-to-idle | p95 click-to-idle | server peak memory |",
        "|---|---|---|---|---|",
        *concurrency_rows,
    ]
    for title, rows in extra_sections:
        lines += ["", f"## {title}", "", *rows]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "docs" / "benchmarks.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

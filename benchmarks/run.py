"""`make bench`: measure, print, and write docs/benchmarks.md. Figures only — no assertions.

Measures: the database build; each page's AppTest rerun (median and worst of N, warm cache) for
each demo programme the page takes; each page's first paint in Chromium.
"""
from __future__ import annotations

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

from queries.build import build  # noqa: E402
from ui.pages import PAGES  # noqa: E402

RUNS = 5
EXTRA: list = []  # other benchmark sections register here: callables returning (title, markdown rows)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_build(tmp: Path) -> tuple[Path, list[str]]:
    target = tmp / "bench.duckdb"
    seconds = timed(lambda: build(target, log=lambda *_: None))
    size = target.stat().st_size / 1e6
    return target, [f"| database build (demo) | {seconds:.2f} s | {size:.1f} MB file |"]


def bench_pages(db: Path) -> list[str]:
    from streamlit.testing.v1 import AppTest

    os.environ["MONITOR_DB"] = str(db)
    rows = []
    for spec in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.run()
        at.switch_page(spec.path)
        cold = timed(at.run)
        if at.exception:
            rows.append(f"| {spec.title} | error: {at.exception[0].message[:80]} | | |")
            continue
        warm = [timed(at.run) for _ in range(RUNS)]
        rows.append(f"| {spec.title} | {cold * 1000:.0f} ms | {statistics.median(warm) * 1000:.0f} ms | "
                    f"{max(warm) * 1000:.0f} ms |")
    return rows


def bench_first_paint(db: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server, wait_idle

    server = Server(db)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for spec in PAGES:
                times = []
                for _ in range(3):
                    start = time.perf_counter()
                    page.goto(f"{server.url}/{spec.url_path}")
                    wait_idle(page, "h1")
                    times.append(time.perf_counter() - start)
                rows.append(f"| {spec.title} | {statistics.median(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms |")
            browser.close()
    finally:
        server.stop()
    return rows


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db, build_rows = bench_build(tmp)
        page_rows = bench_pages(db)
        paint_rows = bench_first_paint(db)
        extra_sections = [section(db, tmp) for section in EXTRA]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {platform.node()} ({os.cpu_count()} cores, "
        f"Python {platform.python_version()}) by `make bench`. Figures only; no test asserts a time.",
        "",
        "## Database",
        "",
        "| what | time | note |",
        "|---|---|---|",
        *build_rows,
        "",
        f"## Page reruns (AppTest, demo database; cold = first run of the page, warm = median / worst of {RUNS})",
        "",
        "| page | cold | warm median | warm worst |",
        "|---|---|---|---|",
        *page_rows,
        "",
        "## First paint in Chromium (navigate → script idle and page title drawn; median / worst of 3)",
        "",
        "| page | median | worst |",
        "|---|---|---|",
        *paint_rows,
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

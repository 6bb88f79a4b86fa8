"""`make bench`: measure, print, and write docs/benchmarks.md. Figures only — no test asserts a time.

For the demo and the national database in the same run: the database build; every page's AppTest
rerun (median and worst of 7, warm and cold cache) for a typical and the largest programme, beside
its floor (the same elements replayed from precomputed values: benchmarks/floor.py); first paint and
click-to-idle in Chromium; 25 concurrent browser sessions; PostgreSQL against DuckDB and 25 / 50
people over 1 and 2 replicas (benchmarks/postgres.py); plus the sections other modules register
in EXTRA (import speed, report assembly and Word export).
"""
from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from monitor import clock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.concurrency import SESSIONS, bench_concurrency  # noqa: E402
from benchmarks.steady import steady_state  # noqa: E402
from benchmarks.floor import DEFERRED, REPLAY_SCRIPT, STYLED, Recorder, menu_for, write_replay  # noqa: E402
from queries.build import build  # noqa: E402
from queries.national import build_national  # noqa: E402
from ui.data import clear as clear_caches  # noqa: E402
from ui.pages import PAGES  # noqa: E402

RUNS = 7
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
    counts = queries.run("milestones/all", db=db).groupby("programme_id").size().sort_values()
    return {"typical": counts.index[len(counts) // 2], "largest": counts.index[-1]}


def bench_page(spec, programme: str) -> dict:
    with steady_state():
        return _bench_page(spec, programme)


def _bench_page(spec, programme: str) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import queries

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    at.query_params["programme"] = programme
    at.run()
    at.switch_page(spec.path)
    st.cache_data.clear()
    st.cache_resource.clear()
    clear_caches()
    queries.db.forget_data_version(queries.database_path())
    # The caches just dropped (and the page before's leftovers) are collected now, not inside the
    # timed run: otherwise a full collection lands in whichever page comes next (+100-150 ms at random).
    gc.collect()
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
        os.environ["FLOOR_PAGES"] = menu_for(spec, PAGES)
        os.environ["FLOOR_DEFERRED"] = DEFERRED
        os.environ["FLOOR_STYLED"] = STYLED
        replay = AppTest.from_string(REPLAY_SCRIPT, default_timeout=600)
        replay.run()
        floor = statistics.median(timed(replay.run) for _ in range(RUNS))
        calls.unlink()
    return {"cold": cold, "median": statistics.median(warm), "worst": max(warm), "floor": floor,
            "elements": len(rec.calls)}


def bench_pages(dbs: dict[str, Path]) -> tuple[list[str], dict]:
    """Each page for each database's typical and largest programme; on the national database also
    the demo's typical programme (it holds the demo programmes too), so national ÷ demo compares
    the same view with only the database's size changed."""
    rows, results = [], {}
    demo_typical = programmes_to_measure(dbs["demo"])["typical"]
    for label, db in dbs.items():
        os.environ["MONITOR_DB"] = str(db)
        chosen = programmes_to_measure(db)
        if label != "demo":
            chosen = {"same as demo": demo_typical, **chosen}
        for which, programme in chosen.items():
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
    """National rerun ≤ 1.3 × demo rerun (the same programme, the demo's typical one), and ≤ 2 × its
    floor (the national database's typical and largest programmes)."""
    def verdict(ratio: float, budget: float) -> str:
        return f"{ratio:.2f}× {'✔ met' if ratio <= budget else '✖ missed'}"

    rows = []
    for spec in PAGES:
        got = {k: results.get(k) for k in [("demo", "typical", spec.title), ("national", "same as demo", spec.title),
                                           ("national", "typical", spec.title), ("national", "largest", spec.title)]}
        if any(r is None or "error" in r for r in got.values()):
            rows.append(f"| {spec.title} | – | – | – | – |")
            continue
        demo, same, typical, largest = got.values()
        rows.append(f"| {spec.title} | {verdict(same['median'] / demo['median'], 1.3)} | "
                    f"{verdict(typical['median'] / typical['floor'], 2)} | {verdict(largest['median'] / largest['floor'], 2)} | "
                    f"{ms(typical['cold'])} |")
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


def _register_extra() -> None:
    for module in ("benchmarks.imports", "benchmarks.report", "benchmarks.savings", "benchmarks.ofsted",
                   "benchmarks.risks_calendar", "benchmarks.action_plan", "benchmarks.no_detriment", "benchmarks.before"):
        try:
            EXTRA.append(__import__(module, fromlist=["section"]).section)
        except ImportError:
            pass


PAGES_BEGIN, PAGES_END = "<!-- page benchmarks: begin -->", "<!-- page benchmarks: end -->"


def page_sections(build_demo: float, build_nat: float, size_mb: dict, page_rows: list[str], results: dict,
                  how: str) -> list[str]:
    """The databases, every page's rerun and the budgets, between markers so that a run measuring
    only these (`python -m benchmarks.run --only pages`) replaces them and keeps the rest."""
    return [
        PAGES_BEGIN,
        f"Databases and page reruns measured {clock.now():%Y-%m-%d %H:%M} on {platform.node()} ({os.cpu_count()} "
        f"cores, Python {platform.python_version()}) by {how}.", "",
        "## Databases", "",
        "| database | build time | file size |", "|---|---|---|",
        f"| demo (5 programmes, real Ofsted and DfE data) | {build_demo:.1f} s | {size_mb['demo']:.1f} MB |",
        f"| national (demo + 400 programmes, 20,000 milestones × 40 snapshots, seed 2026) | {build_nat:.1f} s | {size_mb['national']:.1f} MB |", "",
        f"## Page reruns (AppTest; cold = caches cleared and garbage collected first, warm = median / worst of {RUNS}; floor = the same "
        "elements replayed from precomputed values)", "",
        "Reruns as a running server makes them (see `steady_state` in benchmarks/run.py: AppTest would otherwise "
        "run every script in Streamlit's legacy pages-folder mode and compile it afresh, which a server does only "
        "on its first request). The floor replays every element the page drew, the navigation menu included, "
        "with files behind download buttons made on the click as in the app.", "",
        "| page | database | programme | cold | warm median | warm worst | floor | ratio to floor | elements |",
        "|---|---|---|---|---|---|---|---|---|",
        *page_rows, "",
        "## Budgets: national rerun ≤ 1.3 × demo rerun, and ≤ 2 × its floor", "",
        "National ÷ demo compares the same programme (the demo's typical one, which the national database also "
        "holds), so only the size of the database differs; the floor ratios are for the national database's own "
        "typical and largest programmes.", "",
        "| page | national ÷ demo (same programme) | national typical ÷ floor | national largest ÷ floor | "
        "national typical cold |", "|---|---|---|---|---|",
        *budget_rows(results),
        PAGES_END,
    ]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("pages",), help="measure only the databases and every page's rerun, "
                        "and replace those sections of docs/benchmarks.md")
    args = parser.parse_args(argv)
    _register_extra()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        demo, national = tmp / "demo.duckdb", tmp / "national.duckdb"
        build_demo = timed(lambda: build(demo, log=lambda *_: None))
        build_nat = timed(lambda: build_national(national, log=lambda *_: None))
        dbs = {"demo": demo, "national": national}
        # Read while the files exist (the temporary folder is gone when the report is written).
        size_mb = {name: path.stat().st_size / 1e6 for name, path in dbs.items()}
        page_rows, results = bench_pages(dbs)
        if args.only == "pages":
            from benchmarks.postgres import write_into
            lines = page_sections(build_demo, build_nat, size_mb, page_rows, results,
                                  "`python -m benchmarks.run --only pages`")
            print("\n".join(lines))
            write_into(ROOT / "docs" / "benchmarks.md", lines, ((PAGES_BEGIN, PAGES_END),))
            return 0
        from queries import db as dbmod
        for path in dbs.values():  # DuckDB's file lock: the servers below must be able to open them
            dbmod.close(path)
        browser_rows = bench_browser(dbs)
        try:
            concurrency_rows = bench_concurrency(national)
        except Exception as exc:
            concurrency_rows = [f"error: {str(exc).splitlines()[0][:200]}"]
        try:  # PostgreSQL against DuckDB, and replicas behind nginx (benchmarks/postgres.py)
            from benchmarks.postgres import sections as postgres_sections
            postgres_rows = postgres_sections(national, tmp)
        except Exception as exc:
            postgres_rows = ["## PostgreSQL and replicas (error)", "", f"error: {str(exc).splitlines()[0][:200]}"]
        extra_sections = []
        for section in EXTRA:
            try:
                extra_sections.append(section(demo, tmp))
            except Exception as exc:
                extra_sections.append((f"{section.__module__} (error)", [f"error: {str(exc).splitlines()[0][:200]}"]))
    lines = [
        "# Benchmarks", "",
        f"Measured {clock.now():%Y-%m-%d %H:%M} on {platform.node()} ({os.cpu_count()} cores, "
        f"Python {platform.python_version()}) by `make bench`. Figures only; no test asserts a time.", "",
        *page_sections(build_demo, build_nat, size_mb, page_rows, results, "`make bench`"), "",
        "## Chromium: first paint (navigate → script idle, title drawn) and click-to-idle (sidebar link), median of 3", "",
        "| page | database | first paint | click to idle |", "|---|---|---|---|",
        *browser_rows, "",
        f"## {SESSIONS} concurrent sessions (national database)", "",
        "After one session has warmed the server. Click-to-idle is what a person waits (the click until the page "
        "has run and drawn its title). The browsers share this machine's two cores with the server; the replaying "
        "clients draw nothing, so they show what the server does for 25 people who each have their own computer. "
        "Without pause, 25 sessions are 25 load generators: the wait then grows with 25 × one click's CPU ÷ the "
        "cores, so the budget is judged on people who read the page they opened.", "",
        *concurrency_rows, "",
        *postgres_rows,
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

"""`make bench` sections for PostgreSQL and replicas (also alone: `python -m benchmarks.postgres`, which
writes these sections into docs/benchmarks.md in place of the previous ones).

1. **Page reruns, PostgreSQL ÷ DuckDB.** Every page's AppTest rerun (warm median of 7, and cold) on
   the national database in PostgreSQL against the same page on the same data in the DuckDB file,
   for the national database's typical and largest programmes. Goal: ≤ 1.5×.
2. **Replicas.** One person's clicks through every page, recorded from Chromium, replayed on
   Streamlit's websocket by 25 and 50 clients through nginx to 1 and 2 replicas on one
   PostgreSQL (and, for comparison, 1 process on the DuckDB file): each client reads every message
   and draws nothing, as if each person had a computer of their own. Per run: the click's response
   (request sent → "script finished"), median and p95; clicks served per second; each replica's
   peak memory. Two ways: people reading each page 5–10 s, and no pause at all (every client a load
   generator: the most clicks per second the machine serves). Everything on 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.concurrency import THINK_S, _peak_rss_mb, _replay_person, _server_cpu_s, _session, p95  # noqa: E402
from serve.postgres import LocalPostgres, free_port  # noqa: E402
from ui.pages import PAGES  # noqa: E402

PEOPLE = (25, 50)
GOAL = 1.5
BEGIN, END = "<!-- postgres benchmarks: begin -->", "<!-- postgres benchmarks: end -->"
REPLICAS_BEGIN, REPLICAS_END = "<!-- replica benchmarks: begin -->", "<!-- replica benchmarks: end -->"
PACES = {"reading": "reading 5–10 s", "no pause": "no pause"}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _use(db) -> None:
    """Point this process's queries at `db` (a DuckDB file or a PostgreSQL address)."""
    from queries.pg import is_postgres

    if is_postgres(db):
        os.environ["DATABASE_URL"] = db
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["MONITOR_DB"] = str(db)


def bench_reruns(duck: Path, url: str) -> list[str]:
    from benchmarks.run import bench_page, programmes_to_measure

    rows = []
    chosen = programmes_to_measure(duck)
    try:
        for which, programme in chosen.items():
            for spec in PAGES:
                got = {}
                for label, db in (("duckdb", duck), ("postgres", url)):
                    _use(db)
                    got[label] = bench_page(spec, programme)
                d, p = got["duckdb"], got["postgres"]
                if "error" in d or "error" in p:
                    rows.append(f"| {spec.title} | {which} ({programme}) | {d.get('error', '')} | {p.get('error', '')} "
                                "| | | | |")
                    continue
                ratio = p["median"] / d["median"]
                rows.append(f"| {spec.title} | {which} ({programme}) | {ms(d['median'])} | {ms(p['median'])} | "
                            f"{ratio:.2f}× {'✔' if ratio <= GOAL else '✖'} | {ms(d['cold'])} | {ms(p['cold'])} | "
                            f"{p['cold'] / d['cold']:.2f}× |")
                print(rows[-1], flush=True)
    finally:
        _use(duck)
    return rows


def record_clicks(url: str) -> list[list[bytes]]:
    """One person's rerun requests through every page (opening the Overview, then one list per click)."""
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    titles = [s.title for s in PAGES if s.url_path != "overview"] + ["Overview"]
    steps: list[list[bytes]] = []

    async def browse():
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await _session(browser, url, titles, [], [], steps)
            await browser.close()

    asyncio.run(browse())
    if not steps or not all(steps):
        raise RuntimeError(f"a click sent no rerun request: {[len(s) for s in steps]}")
    return steps


def replay(url: str, steps, people: int, think) -> tuple[list[float], float]:
    """Every person's click times, and the run's wall time (first click sent → last answered)."""
    times: list[float] = []

    async def run():
        await asyncio.gather(*(_replay_person(url, steps, times, think, seed=k) for k in range(people)))

    start = time.perf_counter()
    asyncio.run(run())
    return times, time.perf_counter() - start


def _row(label: str, people: int, mode: str, times: list[float], wall: float, memory: list[float], cpu: float) -> str:
    return (f"| {label} | {people} | {mode} | {len(times)} | {ms(statistics.median(times))} | {ms(p95(times))} | "
            f"{len(times) / wall:.1f} | {ms(cpu / len(times))} | {', '.join(f'{m:,.0f}' for m in memory)} MB |")


def bench_replicas(duck: Path, url: str, *, paces=tuple(PACES), duckdb: bool = True) -> list[str]:
    from serve.cluster import Cluster
    from tests.browser.conftest import Server

    rows = []
    runs = [(PACES[pace], THINK_S if pace == "reading" else None) for pace in paces]
    if duckdb:  # the DuckDB file in one process, for comparison (the same clicks, recorded there)
        server = Server(duck)
        try:
            steps = record_clicks(server.url)
            replay(server.url, steps, 1, None)  # warm
            for people in PEOPLE:
                for mode, think in runs:
                    cpu = _server_cpu_s(server.proc.pid)
                    times, wall = replay(server.url, steps, people, think)
                    rows.append(_row("DuckDB file, 1 process", people, mode, times, wall,
                                     [_peak_rss_mb(server.proc.pid)], _server_cpu_s(server.proc.pid) - cpu))
                    print(rows[-1], flush=True)
        finally:
            server.stop()
    for replicas in (1, 2):
        with Cluster(replicas, free_port(), database_url=url, log=lambda *_: None) as cluster:
            lb = cluster.balancer.url
            steps = record_clicks(lb)
            for replica in cluster.replicas:  # every replica's caches warm, as in the DuckDB run
                replay(replica.url, steps, 1, None)
            for people in PEOPLE:
                for mode, think in runs:
                    cpu = sum(_server_cpu_s(r.pid) for r in cluster.replicas)
                    times, wall = replay(lb, steps, people, think)
                    cpu = sum(_server_cpu_s(r.pid) for r in cluster.replicas) - cpu
                    rows.append(_row(f"PostgreSQL, {replicas} replica{'s' if replicas > 1 else ''} behind nginx",
                                     people, mode, times, wall, [_peak_rss_mb(r.pid) for r in cluster.replicas], cpu))
                    print(rows[-1], flush=True)
    return rows


def postgres_size(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as con:
        size = con.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return f"{size / 1e6:,.0f} MB"


def sections(national: Path, tmp: Path, *, reruns: bool = True, replicas: bool = True,
             paces: tuple[str, ...] = ("reading", "no pause"), duckdb: bool = True) -> list[str]:
    """The PostgreSQL sections of docs/benchmarks.md, measured on the national database (a DuckDB file):
    each between its own markers, so a run measuring one (`python -m benchmarks.postgres --only …`)
    replaces that one and keeps the other."""
    from queries.transfer import replace_postgres

    with LocalPostgres(durable=True) as pg:
        url = pg.create_database("national")
        started = time.perf_counter()
        replace_postgres(url, national)
        load = time.perf_counter() - started
        size = postgres_size(url)
        rerun_rows = bench_reruns(national, url) if reruns else []
        from queries import db as dbmod

        dbmod.close(national)  # DuckDB's file lock: the server below must be able to open it
        dbmod.close(url)
        replica_rows = bench_replicas(national, url, paces=paces, duckdb=duckdb) if replicas else []
    lines = []
    if reruns:
        lines += [
            BEGIN,
            "## PostgreSQL: every page's rerun against DuckDB (national database)", "",
            f"Measured {measured()} on {os.cpu_count()} cores. The national database loaded into PostgreSQL {pg_version()} on this machine (`make national-db "
            f"DATABASE_URL=…`: built as a file, then loaded in one transaction) in {load:.1f} s; {size} on disk. "
            "Warm = median of 7 AppTest reruns as a running server makes them; cold = every cache cleared. On "
            "PostgreSQL each rerun reads the data version afresh (any replica may have written); goal ≤ "
            f"{GOAL}× DuckDB's warm rerun.", "",
            "| page | programme | DuckDB warm | PostgreSQL warm | PostgreSQL ÷ DuckDB (goal ≤ 1.5×) | DuckDB cold | "
            "PostgreSQL cold | cold ratio |",
            "|---|---|---|---|---|---|---|---|",
            *rerun_rows,
            END,
        ]
    if replicas:
        lines += [
            REPLICAS_BEGIN,
            "## Replicas: recorded clicks replayed by 25 and 50 people (national database)", "",
            f"Measured {measured()}. One person's clicks through all {len(PAGES)} pages, recorded from Chromium, "
            "replayed on Streamlit's websocket by clients that read every message and draw nothing; through nginx "
            "(session affinity by cookie, least connections first) to the replicas on one PostgreSQL"
            + (", or straight to one process on the DuckDB file" if duckdb else "") + ". "
            "Click to idle: the rerun request sent → \"script finished\" received. Clicks per second: clicks served ÷ "
            "the run's wall time. CPU per click: the replicas' user + system time ÷ clicks. Memory: each replica's "
            "peak resident size so far (the runs of a row's cluster go in the order shown). The national database in "
            f"PostgreSQL: {size}. The load generator, the replicas and PostgreSQL share this machine's "
            f"{os.cpu_count()} cores: a second replica here adds no core, so what it shows is the cost and the balance, not more capacity (docs/scaling.md).", "",
            "| served by | people | pace | clicks | click to idle median | click to idle p95 | clicks per second | "
            "CPU per click | peak memory per replica |",
            "|---|---|---|---|---|---|---|---|---|",
            *replica_rows,
            REPLICAS_END,
        ]
    return lines


def measured() -> str:
    from monitor import clock

    return clock.now().strftime("%Y-%m-%d %H:%M")


def pg_version() -> str:
    from serve.postgres import install_if_missing

    return install_if_missing().parent.name


def write_into(doc: Path, lines: list[str], markers=((BEGIN, END), (REPLICAS_BEGIN, REPLICAS_END))) -> None:
    """Put each measured section (between its `markers`) into docs/benchmarks.md, replacing an
    earlier measurement of it."""
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    for begin, end in markers:
        if begin not in lines:
            continue
        block = "\n".join(lines[lines.index(begin):lines.index(end) + 1])
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            text = head + block + rest.split(end, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from queries.national import build_national

    parser = argparse.ArgumentParser(prog="python -m benchmarks.postgres", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("reruns", "replicas"), help="measure one of the two sections")
    parser.add_argument("--pace", choices=tuple(PACES), action="append",
                        help="the replicas' runs: people reading each page, or no pause (default both)")
    parser.add_argument("--no-duckdb", action="store_true", help="the replicas' runs without the DuckDB comparison")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        national = tmp / "national.duckdb"
        build_national(national, log=lambda *_: None)
        lines = sections(national, tmp, reruns=args.only != "replicas", replicas=args.only != "reruns",
                         paces=tuple(args.pace or PACES), duckdb=not args.no_duckdb)
    print("\n".join(lines))
    write_into(ROOT / "docs" / "benchmarks.md", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())

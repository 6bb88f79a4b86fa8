"""Benchmark section: the Risks and Calendar pages (registered in benchmarks/run.py EXTRA). Figures only.

The page benchmark measures each page for one programme; this adds what a single programme does not
show: the Calendar's default view (every programme an administrator may see), the .ics file written
when someone clicks the download (deferred, so reruns never pay for it), and the Risks page for
every demo programme."""
from __future__ import annotations

import os
from pathlib import Path

import queries
from benchmarks.timing import cell, times
from monitor import clock
from monitor.calendar.ics import to_ics
from monitor.calendar.rules import calendar_table
from monitor.risks.charts import heat_map_figure

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5




def _page(path: str, query: dict) -> tuple[float, list[float]]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path)
    first = times(at.run, 1)[0]
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return first, times(at.run)


def section(db: Path, tmp: Path) -> tuple[str, list[str]]:
    os.environ["MONITOR_DB"] = str(db)
    today = clock.today()
    rows = ["| what | size | first run | warm median / worst |", "|---|---|---|---|"]
    key_dates = queries.run("calendar/key_dates", db=db)
    first, warm = _page("pages/calendar.py", {})
    rows.append(f"| Calendar page, every programme (AppTest rerun) | {len(key_dates):,} dates | {first * 1000:.0f} ms | "
                f"{cell(warm)} |")
    ics = times(lambda: to_ics(key_dates, "bench"))
    size = len(to_ics(key_dates, "bench"))
    rows.append(f"| .ics written on a download click (to_ics) | {len(key_dates):,} events, {size / 1e3:.0f} kB | – | "
                f"{cell(ics)} |")
    table = times(lambda: calendar_table(key_dates, today))
    rows.append(f"| calendar_table (dates in words, notice deadlines) | {len(key_dates):,} dates | – | {cell(table)} |")
    for pid in queries.run("programmes/all", db=db)["programme_id"]:
        risks = queries.run("risks/all", db=db, programme_id=pid)
        first, warm = _page("pages/risks.py", {"programme": pid})
        rows.append(f"| Risks page, {pid} (AppTest rerun) | {len(risks)} risks | {first * 1000:.0f} ms | {cell(warm)} |")
    all_risks = queries.run("risks/all", db=db)
    fig = times(lambda: heat_map_figure(all_risks, "bench", clickable=True))
    rows.append(f"| heat_map_figure (clickable) | {len(all_risks):,} risks | – | {cell(fig)} |")
    return "Risks and Calendar", rows

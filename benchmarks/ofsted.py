"""Benchmark section: the Ofsted page per council (AppTest rerun after changing the council, the
way the 153-council test drives it), its pure work for West Sussex, and planning a re-load of all
four Ofsted files against the database. Registered in benchmarks/run.py EXTRA. Figures only."""
from __future__ import annotations

import os
import time
from pathlib import Path

import queries
from benchmarks.timing import cell, times
from monitor import clock
from monitor.ofsted.councils import childrens_services_codes
from monitor.ofsted.grades import grids, grids_long
from monitor.ofsted.timeline import intervention_events, timeline_figure
from monitor.ofsted.trajectory import trajectory, trajectory_figure, visits
from monitor.ofsted.reload import load_ofsted_files, plan_ofsted_reload
from queries.build import OFFICIAL

FILES = ("ofsted_la_inspections_2009_2023_wide.csv", "ofsted_la_inspections_2009_2023_wide_former_las.csv",
         "ofsted_ilacs_inspection_history_2018_2025.csv", "ofsted_la_in_year_inspections_2024_25.csv")




def _council_reruns(db: Path, codes: list[str]) -> list[float]:
    from tests.apptest import open_app

    os.environ["MONITOR_DB"] = str(db)
    at = open_app("pages/ofsted.py", query={"programme": "hampshire-west-sussex"})
    out = []
    for code in codes:
        start = time.perf_counter()
        at.selectbox(key="url_council").set_value(code).run()
        out.append(time.perf_counter() - start)
    return out


def section(db: Path, tmp: Path) -> tuple[str, list[str]]:
    councils = queries.run("ofsted/councils", db=db)
    codes = childrens_services_codes(councils, current_only=True)
    reruns = _council_reruns(db, codes[:40])
    ins, jud = queries.run("ofsted/inspections", db=db), queries.run("ofsted/judgements", db=db)
    programme = queries.run("programmes/all", db=db).set_index("programme_id").loc["hampshire-west-sussex"]
    programme["programme_id"] = "hampshire-west-sussex"

    def pure():
        tables = grids(ins, jud, ["E10000032"])
        grids_long(tables)
        trajectory_figure(trajectory(ins, jud, "E10000032"), visits(ins, "E10000032"), "West Sussex")
        events = intervention_events(programme, "E10000032", ins, jud, queries.run("ofsted/interventions", db=db),
                                       queries.run("ofsted/timeline_reports", db=db, programme_id="hampshire-west-sussex"),
                                       queries.run("ofsted/timeline_milestones", db=db, programme_id="hampshire-west-sussex"),
                                       clock.today())
        timeline_figure(events, programme, "West Sussex")

    authorities = queries.run("ofsted/reload_authorities", db=db)
    paths = [OFFICIAL / f for f in FILES]

    def plan():
        new_i, new_j = load_ofsted_files(paths, authorities)
        assert plan_ofsted_reload(new_i, new_j, queries.run("ofsted/reload_existing_inspections", db=db),
                                  queries.run("ofsted/judgements", db=db)) == []

    rows = ["| what | median / worst |", "|---|---|",
            f"| page rerun after changing the council (AppTest, {len(reruns)} councils) | {cell(reruns)} |",
            f"| pure work for West Sussex: grids, CSV frame, trajectory and timeline figures | {cell(times(pure, 5))} |",
            f"| plan a re-load of the four Ofsted files ({len(FILES)} files, no change found) | {cell(times(plan, 3))} |"]
    return "Ofsted page", rows

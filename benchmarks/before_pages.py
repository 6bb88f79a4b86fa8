"""One version of the code's page reruns (cold and warm), served a cell at a time: `python
benchmarks/before_pages.py ROOT` reads one JSON request per line on stdin ({"page", "db", "programme",
"cold", "warm"}: a page's path, a database file, a programme, how many reruns of each) and answers each
with one JSON line ({"cold": [ms, ...], "warm": [ms, ...]} or {"error": ...}). benchmarks/before.py
runs one such process on this code and one on an earlier commit's (imports from ROOT), and asks them in
turn, cell by cell: the same measurement of both, seconds apart, so the machine's drift over a run
falls on both alike."""
from __future__ import annotations

import gc
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

# Answers start with this, so nothing else the app prints on stdout is read as one.
ANSWER = "@@"


def _steady_state():
    """benchmarks/steady.py beside this file (it imports nothing of the app, so any ROOT can use it)."""
    spec = importlib.util.spec_from_file_location("bench_steady", Path(__file__).with_name("steady.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.steady_state


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def measure(root: Path, page_path: str, programme: str, cold_runs: int, warm_runs: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import queries
    import ui.data as ui_data

    with _steady_state()():
        at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=600)
        at.query_params["programme"] = programme
        at.run()
        at.switch_page(page_path)
        at.run()
        cold = []
        for _ in range(cold_runs):
            st.cache_data.clear()
            st.cache_resource.clear()
            own = getattr(ui_data, "clear", None)  # the app's own caches, where the code has them
            if own is not None:
                own()
            forget = getattr(queries.db, "forget_data_version", None)
            if forget is not None:
                forget(queries.database_path())
            gc.collect()
            cold.append(timed(at.run))
        if at.exception:
            return {"error": str(at.exception[0].message)[:100]}
        if at.error:  # a page that could not draw (its database locked, missing): no figure, not a fast one
            return {"error": str(at.error[0].value)[:100]}
        warm = [timed(at.run) for _ in range(warm_runs)]
    return {"cold": cold, "warm": warm}


def serve(root: str) -> None:
    root_path = Path(root).resolve()
    sys.path.insert(0, str(root_path))
    os.chdir(root_path)
    from ui.pages import PAGES

    paths = {spec.title: spec.path for spec in PAGES}
    print(ANSWER + json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        os.environ["MONITOR_DB"] = str(Path(ask["db"]).resolve())
        answer = (measure(root_path, paths[ask["page"]], ask["programme"], ask["cold"], ask["warm"])
                  if ask["page"] in paths else {"missing": True})  # a page the version does not have
        print(ANSWER + json.dumps(answer), flush=True)


if __name__ == "__main__":
    serve(sys.argv[1])

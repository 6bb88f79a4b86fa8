"""Every page's rerun (cold and warm) on one version of the code: `python benchmarks/before_pages.py
ROOT DEMO_DB NATIONAL_DB PROGRAMMES_JSON` prints JSON. Run by benchmarks/before.py once on this
code and once on an earlier commit's, in a process of its own whose imports are ROOT's: the same
measurement of both, on the same machine, minutes apart."""
from __future__ import annotations

import gc
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path

COLD_RUNS, WARM_RUNS = 5, 9


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


def measure(root: Path, page_path: str, programme: str) -> dict:
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
        for _ in range(COLD_RUNS):
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
        warm = [timed(at.run) for _ in range(WARM_RUNS)]
    return {"cold": statistics.median(cold), "warm": statistics.median(warm)}


def main(root: str, demo: str, national: str, programmes: str) -> None:
    root_path = Path(root).resolve()
    sys.path.insert(0, str(root_path))
    os.chdir(root_path)
    from ui.pages import PAGES

    out = {}
    for label, db in (("demo", demo), ("national", national)):
        os.environ["MONITOR_DB"] = str(Path(db).resolve())
        for which, programme in json.loads(programmes)[label].items():
            for spec in PAGES:
                out[f"{spec.title}|{label}|{which}|{programme}"] = measure(root_path, spec.path, programme)
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:5])

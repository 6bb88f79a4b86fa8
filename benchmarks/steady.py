"""Page reruns measured as a running server makes them. Imports nothing of the app, so the same
measurement runs any version of the code (benchmarks/before.py runs it on an earlier commit's)."""
from __future__ import annotations

import contextlib


@contextlib.contextmanager
def steady_state():
    """Measure a rerun as a running server makes it. AppTest differs in two ways that a server
    does only on its first request: it resets Streamlit's pages-folder flag before every run (so
    every run starts in the legacy pages-folder mode and runs dashboard.py twice: see
    ui.setup.leave_legacy_multipage_mode), and it compiles every script afresh (a new ScriptCache
    per run). Here the flag stays off and one ScriptCache serves every run, as in a server."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    cache = ScriptCache()

    class Steady(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    app_test.PagesManager, app_test.ScriptCache = Steady, lambda: cache
    try:
        yield
    finally:
        app_test.PagesManager, app_test.ScriptCache = PagesManager, ScriptCache

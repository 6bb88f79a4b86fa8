"""A page's floor: the same Streamlit elements drawn from precomputed frames and figures — what
no query or logic could beat. We record every element call a page makes during one AppTest run,
then time a script that only replays those calls with their already-computed arguments."""
from __future__ import annotations

import pickle
import threading
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

# Display elements (and the containers they sit in) that a page draws.
ELEMENTS = ("markdown", "title", "header", "subheader", "metric", "badge", "info", "warning", "error", "success",
            "dataframe", "table", "plotly_chart", "download_button", "selectbox", "multiselect", "slider",
            "text_area", "radio", "checkbox", "page_link", "expander", "columns", "container", "tabs", "json")
_local = threading.local()


def _picklable(value) -> bool:
    try:
        pickle.dumps(value)
        return True
    except Exception:
        return False


class Recorder:
    """Context manager: while active, element calls are appended to `calls` as (name, args, kwargs)."""

    def __init__(self):
        self.calls: list = []
        self._saved: list = []

    def _wrap(self, name, original):
        recorder = self

        def wrapper(*args, **kwargs):
            args_ = args[1:] if args and isinstance(args[0], DeltaGenerator) else args
            kwargs_ = {k: v for k, v in kwargs.items() if not callable(v) and k not in ("on_change", "on_click")}
            if all(_picklable(a) for a in args_) and _picklable(kwargs_):
                recorder.calls.append((name, args_, kwargs_))
            return original(*args, **kwargs)
        return wrapper

    def __enter__(self):
        for name in ELEMENTS:
            if hasattr(DeltaGenerator, name):
                original = getattr(DeltaGenerator, name)
                self._saved.append((DeltaGenerator, name, original))
                setattr(DeltaGenerator, name, self._wrap(name, original))
            if hasattr(st, name):
                original = getattr(st, name)
                self._saved.append((st, name, original))
                setattr(st, name, self._wrap(name, original))
        return self

    def __exit__(self, *exc):
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)


def write_replay(calls: list, path: Path) -> None:
    path.write_bytes(pickle.dumps(calls))


REPLAY_SCRIPT = '''
import os, pickle, streamlit as st
calls = pickle.loads(open(os.environ["FLOOR_CALLS"], "rb").read())
for name, args, kwargs in calls:
    if name in ("columns", "tabs", "expander", "container"):
        continue  # layout: the elements inside are replayed flat
    try:
        getattr(st, name)(*args, **kwargs)
    except Exception:
        pass
'''

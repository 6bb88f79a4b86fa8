"""A page's floor: the same Streamlit elements drawn from precomputed frames and figures — what
no query or logic could beat. We record every element call a page makes during one AppTest run,
then time a script that only replays those calls with their already-computed arguments."""
from __future__ import annotations

import pickle
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

# Display elements (and the containers they sit in) that a page draws.
ELEMENTS = ("markdown", "title", "header", "subheader", "metric", "badge", "info", "warning", "error", "success",
            "dataframe", "table", "plotly_chart", "download_button", "selectbox", "multiselect", "slider",
            "text_area", "radio", "checkbox", "page_link", "expander", "columns", "container", "tabs", "json",
            "data_editor", "file_uploader", "button", "text_input", "number_input", "date_input", "toggle",
            "caption", "divider", "code", "pills", "segmented_control")
DEFERRED = "<file made when the button is clicked>"
STYLED = "<styled table>"


def _portable(value):
    """A pandas Styler cannot be pickled (it keeps lambdas): keep its table and the CSS it computes,
    and the replay styles the table again with that CSS (the same drawing cost)."""
    from pandas.io.formats.style import Styler

    if not isinstance(value, Styler):
        return value
    value._compute()
    css = [["" for _ in value.data.columns] for _ in value.data.index]
    for (i, j), props in value.ctx.items():
        css[i][j] = "; ".join(f"{p}: {v}" for p, v in props)
    return (STYLED, value.data, css)


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
            args_ = tuple(_portable(a) for a in args_)
            if name == "download_button":  # a file made on the click: replayed as one made on the click too
                args_ = tuple(DEFERRED if callable(a) else a for a in args_)
                kwargs = {**kwargs, "data": DEFERRED} if callable(kwargs.get("data")) else kwargs
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
import os, pickle, pandas as pd, streamlit as st


@st.cache_resource
def load(path: str):  # once: the floor is the drawing alone, not unpickling figures on every run
    return pickle.loads(open(path, "rb").read())


calls = load(os.environ["FLOOR_CALLS"])
DEFERRED = os.environ["FLOOR_DEFERRED"]
STYLED = os.environ["FLOOR_STYLED"]


def deferred():
    return b""


def restored(value):
    if isinstance(value, str) and value == DEFERRED:
        return deferred
    if isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], str) and value[0] == STYLED:
        css = pd.DataFrame(value[2], index=value[1].index, columns=value[1].columns)
        return value[1].style.apply(lambda _: css, axis=None)
    return value


def replay():
    for name, args, kwargs in calls:
        if name in ("columns", "tabs", "expander", "container"):
            continue  # layout: the elements inside are replayed flat
        args = tuple(restored(a) for a in args)
        kwargs = {k: restored(v) for k, v in kwargs.items()}
        try:
            getattr(st, name)(*args, **kwargs)
        except Exception:
            pass


def elsewhere():
    pass


# The same menu as the app (every page routed, the replayed one open): navigation is part of
# what any page of it draws.
menu = [line.split("\\t") for line in os.environ["FLOOR_PAGES"].splitlines()]
st.navigation([st.Page(replay if i == 0 else elsewhere, title=title, url_path=url, default=i == 0)
               for i, (title, url) in enumerate(menu)]).run()
'''


def menu_for(open_page, pages) -> str:
    """FLOOR_PAGES for the replay script: the page replayed first, then the rest of the menu."""
    rows = [open_page] + [p for p in pages if p is not open_page]
    return "\n".join(f"{p.title}\t{p.url_path}" for p in rows)

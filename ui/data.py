"""Cached reads and views, keyed by database and data version, so a write anywhere refreshes what
everyone sees at their next rerun and nothing else re-runs.

Two caches, each for one kind of thing: `query` for a named query's rows (Streamlit's cache: each
caller gets its own copy, so a page may change its frame), and `shared`/`shared_by` for a page's
computed view, built once and handed to every session as the very same read-only object (a frozen
dataclass, a dict of them); its key must be hashable.
`derived` keeps what the drawing makes of one of those objects (a table's links, a finished chart)
for as long as the object lives, so a rerun redraws it without making it again.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

import pandas as pd
import streamlit as st

import queries


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(db: str, version: int, name: str, params: tuple) -> pd.DataFrame:
    return queries.run(name, db=db, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Run a named query (see queries/) through the cache."""
    db = str(queries.database_path())
    version = queries.data_version(db)
    return _cached(db=db, version=version, name=name, params=tuple(sorted(params.items())))


# Enough for every page's views of many programmes at once: a view evicted by others is built again
# (the Overview's in seconds at national scale). Views of old data versions go first (least used).
MAX_VIEWS = 512
_views: OrderedDict[tuple, object] = OrderedDict()
_building: dict[tuple, threading.Lock] = {}
_views_lock = threading.Lock()


def _view(key: tuple, fn, args: tuple):
    """The view kept under `key`, else `fn(*args)` built once (a second session asking for it while
    it is being built waits for it) and kept. A plain dict: a page asks for 10-25 views on every
    rerun, and Streamlit's own cache hashes every argument of every call (a quarter of a millisecond
    each)."""
    with _views_lock:
        if key in _views:
            _views.move_to_end(key)
            return _views[key]
        building = _building.setdefault(key, threading.Lock())
    with building:
        with _views_lock:
            if key in _views:
                return _views[key]
        try:
            value = fn(*args)
            with _views_lock:
                _views[key] = value
                while len(_views) > MAX_VIEWS:
                    _views.popitem(last=False)
        finally:
            with _views_lock:
                _building.pop(key, None)
    return value


def clear_views() -> None:
    """Forget every kept view (a benchmark's cold start)."""
    with _views_lock:
        _views.clear()


def _where(fn) -> str:
    """Who computes a view: its source file and name. Streamlit runs every page as `__main__`, so a
    module name would let two pages' functions of the same name share one entry."""
    code = getattr(fn, "__code__", None)
    return f"{code.co_filename if code else fn.__module__}:{fn.__qualname__}"


def shared_by(key: tuple, fn, *args):
    """`fn(*args)` computed once per database and data version and `key`, which must say everything
    that decides the result (for arguments that cannot be hashed cheaply, e.g. a report's figures).
    Every session gets the same object: treat it as read-only."""
    db = str(queries.database_path())
    return _view((db, queries.data_version(db), _where(fn), key), fn, args)


def shared(fn, *args):
    """`shared_by` keyed by the (hashable) arguments themselves: a page's view of its settings."""
    return shared_by(args, fn, *args)


_derived: dict[tuple, tuple[weakref.ref, object]] = {}
_derived_lock = threading.Lock()


def derived(obj, fn):
    """`fn(obj)`, made once per object and data version while `obj` lives: for what the drawing makes
    of a shared view's frame or figure on every rerun. `obj` and the result are read-only (every
    session gets the same result); an object that cannot be weakly referenced is not kept."""
    db = str(queries.database_path())
    key = (id(obj), _where(fn), db, queries.data_version(db))
    with _derived_lock:
        found = _derived.get(key)
    if found is not None and found[0]() is obj:
        return found[1]
    value = fn(obj)
    try:  # forgotten when the object goes: its id may then be another object's
        ref = weakref.ref(obj, lambda _gone, key=key: _derived.pop(key, None))
    except TypeError:
        return value
    with _derived_lock:
        _derived[key] = (ref, value)
    return value

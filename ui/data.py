"""Cached reads and views, keyed by database and data version, so a write anywhere refreshes what
everyone sees at their next rerun and nothing else re-runs.

Two caches, each for one kind of thing: `query` for a named query's rows (each caller gets its own
copy, so a page may change its frame), and `shared`/`shared_by` for a page's computed view, built once
and handed to every session as the very same read-only object (a frozen dataclass, a dict of them).
"""
from __future__ import annotations

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
    return _cached(db, version, name, tuple(sorted(params.items())))


# Enough for every page's views of many programmes at once: a view evicted by others is built again
# (the Overview's in seconds at national scale). Views of old data versions go first (least used).
@st.cache_resource(show_spinner=False, max_entries=512)
def _view(db: str, version: int, where: str, key: tuple, _fn, _args):
    return _fn(*_args)


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
    return _view(db, queries.data_version(db), _where(fn), key, fn, args)


def shared(fn, *args):
    """`shared_by` keyed by the (hashable) arguments themselves: a page's view of its settings."""
    return shared_by(args, fn, *args)

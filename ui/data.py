"""Cached reads: every page reads through `query`, keyed by database file and data version, so
a write anywhere refreshes what everyone sees and nothing else re-runs a query."""
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


@st.cache_data(show_spinner=False, max_entries=256)
def _computed(db: str, version: int, name: str, args: tuple, _fn):
    return _fn(*args)


def computed(fn, *args):
    """`fn(*args)` computed once per database file and data version, then served from the cache.

    For a page's heavier derived views (e.g. every programme card, with SPC on every indicator):
    `fn` reads through `query` and calls pure functions; `args` must be hashable.
    """
    db = str(queries.database_path())
    return _computed(db, queries.data_version(db), f"{fn.__module__}.{fn.__qualname__}", args, fn)


# Enough for every page's views of many programmes at once: a view evicted by others is built again
# (the Overview's in seconds at national scale). Views of old data versions go first (least used).
@st.cache_resource(show_spinner=False, max_entries=512)
def _shared(db: str, version: int, name: str, args: tuple, _fn):
    return _fn(*args)


def shared(fn, *args):
    """Like `computed`, but every session gets the very same object, not a copy: for small lookups
    read on every rerun (who is signed in), where copying would cost more than computing. The
    result must be treated as read-only (e.g. a dict of frozen dataclasses)."""
    db = str(queries.database_path())
    return _shared(db, queries.data_version(db), f"{fn.__module__}.{fn.__qualname__}", args, fn)


@st.cache_resource(show_spinner=False, max_entries=128)
def _shared_by(db: str, version: int, name: str, key: tuple, _fn, _args):
    return _fn(*_args)


def shared_by(key: tuple, fn, *args):
    """`shared`, for arguments that cannot be hashed cheaply (e.g. a report's figures): `key` must
    say everything that decides them (with the data version, which is always part of the key)."""
    db = str(queries.database_path())
    return _shared_by(db, queries.data_version(db), f"{fn.__module__}.{fn.__qualname__}", key, fn, args)

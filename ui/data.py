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

"""Cached reads and views, keyed by database and data version, so a write anywhere refreshes what
everyone sees at their next rerun and nothing else re-runs.

Two caches of one kind (`_Kept`), each for one kind of thing: `query` for a named query's rows
(each caller gets its own copy, so a page may change its frame), and `shared`/`shared_by` for a
page's computed view, built once and handed to every session as the very same read-only object (a
frozen dataclass, a dict of them). Keys (a query's parameters, a view's arguments) must be hashable.
`derived` keeps what the drawing makes of one of those objects (a table's links, a finished chart)
for as long as the object lives, so a rerun redraws it without making it again.
"""
from __future__ import annotations

import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pandas as pd

import queries
from queries.loader import run_many

K = TypeVar("K")


class _Kept:
    """Values kept by key in a plain dict, at most `limit`, the least used going first; a value asked
    for while it is being made is made once (the second asker waits for it); a failure is not kept.
    Not Streamlit's caches: a page makes 10-25 cached calls on every rerun, and those hash every
    argument of every call and (for rows) pickle a copy of the frame each time."""

    def __init__(self, limit: int):
        self.limit = limit
        self._values: OrderedDict[tuple, object] = OrderedDict()
        self._making: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple, make):
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            making = self._making.setdefault(key, threading.Lock())
        with making:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = make()
                self._keep(key, value)
            finally:
                with self._lock:
                    self._making.pop(key, None)
        return value

    def start(self, key: tuple, make) -> None:
        """Begin making `key`'s value on a thread of its own, unless it is kept or being made. A `get`
        of it meanwhile waits for it, as for any value being made; if making it fails, that `get`
        makes it again and meets the failure itself."""
        with self._lock:
            if key in self._values or key in self._making:
                return
            making = self._making[key] = threading.Lock()
            making.acquire()

        def done():
            with self._lock:
                self._making.pop(key, None)
            making.release()

        def work():
            try:
                self._keep(key, make())
            except Exception:  # noqa: BLE001 - the asker's own `get` makes it again and raises it
                pass
            finally:
                done()

        try:
            _STARTED.submit(work)
        except RuntimeError:  # the process is ending: nothing more starts
            done()

    def _keep(self, key: tuple, value) -> None:
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.limit:
                self._values.popitem(last=False)

    def __contains__(self, key: tuple) -> bool:
        with self._lock:
            return key in self._values

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


# Views started ahead of the page asking for them (`start_shared`): one a core, the rest queue.
_STARTED = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="views")
# Enough for every page's views of many programmes at once: a view evicted by others is built again
# (the Overview's in seconds at national scale). Views of old data versions go first (least used).
_views = _Kept(512)
_rows = _Kept(1024)


def query(name: str, **params) -> pd.DataFrame:
    """Run a named query (see queries/) through the cache. Each caller gets its own copy of the rows
    (a page may change its frame; values inside a cell, such as a list, are the cache's own)."""
    db = str(queries.database_path())
    key = _row_key(db, queries.data_version(db), name, params)
    return _rows.get(key, lambda: queries.run(name, db=db, **params)).copy()


def _row_key(db: str, version: int, name: str, params: Mapping) -> tuple:
    """What a query's rows are kept under: `query` and `read_ahead` alike, so rows read ahead are found."""
    return db, version, name, tuple(sorted(params.items()))


def read_ahead(*requests: Mapping[K, tuple[str, Mapping]]) -> None:
    """Keep the rows of named queries, each mapping `{key: (name, params)}` (a view's reads, a page's
    own), reading those not kept yet side by side (queries.loader.run_many): a page that knows what
    its views will read asks for it at once, and the views' own `query` calls then find the rows
    kept. A query read alone leaves a core idle while it plans and turns its rows into a frame."""
    _read(requests)


def query_many(requests: Mapping[K, tuple[str, Mapping]], *also: Mapping) -> dict[K, pd.DataFrame]:
    """Several named queries through the cache, `{key: (name, params)}` → `{key: frame}`, each caller
    with its own copy of the rows, as from `query`; read side by side with `also` (other views' reads,
    kept for them: `read_ahead`)."""
    keys = _read((requests, *also))[0]
    # A key holds its database (_row_key): rows another session's eviction dropped are read again there.
    return {k: _rows.get(key, lambda key=key, params=requests[k][1]: queries.run(key[2], db=key[0], **params)).copy()
            for k, key in keys.items()}


def _read(requests: tuple[Mapping, ...]) -> list[dict]:
    """Each mapping's cache keys, after reading the rows not kept yet side by side."""
    db = str(queries.database_path())
    version = queries.data_version(db)
    keys = [{k: _row_key(db, version, name, params) for k, (name, params) in asked.items()} for asked in requests]
    missing = {}  # by cache key: two views reading the same rows read them once
    for n, kept in enumerate(keys):
        for k, key in kept.items():
            if key not in missing and key not in _rows:
                missing[key] = requests[n][k]
    if len(missing) > 1:
        for key, frame in run_many(missing, db=db).items():
            _rows.get(key, lambda frame=frame: frame)  # kept unless another session kept it first
    return keys


def clear() -> None:
    """Forget every kept row and view: after a restore (the database's data version can repeat one
    seen before), and for a benchmark's cold start."""
    _rows.clear()
    _views.clear()
    with _derived_lock:
        _derived.clear()


def _where(fn) -> str:
    """Who computes a view: its source file and name. Streamlit runs every page as `__main__`, so a
    module name would let two pages' functions of the same name share one entry."""
    code = getattr(fn, "__code__", None)
    return f"{code.co_filename if code else fn.__module__}:{fn.__qualname__}"


def shared_by(key: tuple, fn, *args):
    """`fn(*args)` computed once per database and data version and `key`, which must say everything
    that decides the result (for arguments that cannot be hashed cheaply, e.g. a report's figures).
    Every session gets the same object: treat it as read-only."""
    return _views.get(_view_key(fn, key), lambda: fn(*args))


def _view_key(fn, key: tuple) -> tuple:
    """What a view is kept under: `shared_by` and `start_shared` alike, so a view started is found."""
    db = str(queries.database_path())
    return db, queries.data_version(db), _where(fn), key


def shared(fn, *args):
    """`shared_by` keyed by the (hashable) arguments themselves: a page's view of its settings."""
    return shared_by(args, fn, *args)


def start_shared(fn, *args) -> None:
    """Begin `shared(fn, *args)` on a thread of its own, unless it is kept or being made, for a page
    to draw its first elements (filters, headings) while a view it needs is made; its `shared` call
    then waits for that view. `fn` must not draw (it runs outside the page's script)."""
    _views.start(_view_key(fn, args), lambda: fn(*args))


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

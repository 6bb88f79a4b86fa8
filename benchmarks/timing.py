"""Timing helpers shared by the benchmark sections."""
from __future__ import annotations

import statistics
import time


def times(fn, n: int = 5) -> list[float]:
    """Wall-clock seconds of n calls of fn()."""
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def cell(seconds: list[float], decimals: int = 0) -> str:
    """'median ms / worst ms' for a table cell."""
    return f"{statistics.median(seconds) * 1000:.{decimals}f} ms / {max(seconds) * 1000:.{decimals}f} ms"

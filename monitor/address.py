"""The dashboard's own address, for links in files that leave it (a calendar, a CSV, a workbook, a
Word paper): the environment variable MONITOR_BASE_URL, default http://localhost:8501. One rule,
read by the calendar and by where a source leads (monitor.sources.links)."""
from __future__ import annotations

import os

BASE_URL_ENV = "MONITOR_BASE_URL"
DEFAULT_BASE_URL = "http://localhost:8501"


def base_url() -> str:
    """The dashboard's address, without a trailing slash."""
    return (os.environ.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL).rstrip("/")

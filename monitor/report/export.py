"""The Word documents a report exports — one definition for the page's downloads and the command
line (`make report`, `make annual-report`), so both give the same file for the same data."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from monitor.report.annual import annual_report, financial_year_quarters
from monitor.report.docx import build_docx
from monitor.report.record import annual_file_name, current_version, docx_file_name
from monitor.report.view import figures_of


def quarterly(programme_id: str, reports: pd.DataFrame, quarter: str, assemble: Callable[[str], dict]
              ) -> tuple[dict, dict, str]:
    """(figures, the record the paper prints, file name) of the quarter's latest report version: a
    submitted one from its frozen record, any other assembled from the data."""
    record = current_version(reports, quarter)
    status = (record or {}).get("status") or "not started"
    figures, _ = figures_of(record, lambda: assemble(quarter))
    return (figures, dict(record or {}, status=status if record else None),
            docx_file_name(programme_id, quarter, status, (record or {}).get("version")))


def quarterly_docx(programme_id: str, reports: pd.DataFrame, quarter: str, assemble: Callable[[str], dict]
                   ) -> tuple[str, bytes]:
    figures, record, name = quarterly(programme_id, reports, quarter, assemble)
    return name, build_docx(figures, record)


def annual_quarters_of(year: str, programme_quarters: Sequence[str]) -> list[str]:
    """The financial year's quarters the programme ran in, oldest first."""
    return [q for q in financial_year_quarters(year) if q in set(programme_quarters)]


def annual_docx(programme_id: str, year: str, programme_quarters: Sequence[str], reports: pd.DataFrame,
                audience: dict, assemble: Callable[[str], dict], now: str) -> tuple[str, bytes]:
    """The annual report for a financial year: (file name, bytes). ValueError when the programme
    ran in none of the year's quarters."""
    four = annual_quarters_of(year, programme_quarters)
    if not four:
        raise ValueError(f"the programme did not run in the financial year {year}")
    recs = [current_version(reports, q) for q in four]
    figs = [figures_of(r, lambda q=q: assemble(q))[0] for q, r in zip(four, recs)]
    return annual_file_name(programme_id, four[0], four[-1]), build_docx(annual_report(year, figs, recs, audience, now))

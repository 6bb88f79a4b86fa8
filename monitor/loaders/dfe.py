"""DfE statistics files (explore-education-statistics CSVs) as long rows of `dfe_statistic`.

One row per (measure, area, year): `measure` is the file's own column name ("rereferral_percent",
"turnover_rate_fte"...), so the dashboard names a series exactly as DfE does. Every column that is
not a dimension (DIMENSION_COLUMNS) is a measure.

DfE's suppression markers (x not available, c confidential, u low reliability, z not applicable)
become value NaN with the marker kept, never 0. DfE's "low" (a positive value that rounds to 0,
used in the workforce file for a few agency and absence figures) is treated the same way: a gap
with the marker 'low' kept — never 0, because it is not zero. Anything else that is not a number is
a problem.

Local-authority rows are kept whatever their code: dfe_statistic has no foreign key, and DfE
publishes some councils jointly ("E09000021 / E09000027", Kingston and Richmond's shared trust),
which stay under that combined code.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from monitor.loaders import tables
from monitor.loaders.problems import ProblemLog
from monitor.loaders.reading import find_columns, header_key, iter_rows, read_csv_file

# EES dimension columns: everything else in the file is a measure.
DIMENSION_COLUMNS = (
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "category",
)
REQUIRED_COLUMNS = ("time_period", "geographic_level", "country_code", "region_code", "new_la_code")
# EES geographic_level -> (area_level, the column holding that level's area code).
LEVELS = {
    "National": ("national", "country_code"),
    "Regional": ("regional", "region_code"),
    "Local authority": ("local authority", "new_la_code"),
}
SUPPRESSION_MARKERS = tables.SUPPRESSION_MARKERS
LOW_MARKERS = ("low",)


def _value(text: str) -> float | None:
    """A finite number, or None."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def load_dfe_statistics(path: str | Path) -> pd.DataFrame:
    """Every measure of a DfE statistics CSV, one `dfe_statistic` row per measure, area and year."""
    log = ProblemLog.for_path(path)
    frame = read_csv_file(path, log)
    cols = find_columns(frame, REQUIRED_COLUMNS, log) if frame is not None else None
    log.raise_if_any()
    dimensions = {header_key(c) for c in DIMENSION_COLUMNS}
    measures = [c for c in frame.columns if header_key(c) not in dimensions]
    if not measures:
        log.add(None, None, None, "no measure columns: every column is a dimension")
    records: list[dict] = []
    first_row: dict[tuple[str, int], int] = {}
    for row, cells in iter_rows(frame):
        level_text = cells[cols["geographic_level"]]
        level = LEVELS.get(level_text)
        if level is None:
            log.add(row, cols["geographic_level"], level_text, f"unknown level: expected one of {', '.join(LEVELS)}")
            continue
        area_level, code_column = level
        area_code = cells[cols[code_column]]
        if not area_code:
            log.add(row, cols[code_column], area_code, f"a {area_level} row needs an area code in {code_column}")
            continue
        period_text = cells[cols["time_period"]]
        period = int(period_text) if period_text.isdigit() else None
        if period is None or not 2000 <= period <= 2100:
            log.add(row, cols["time_period"], period_text, "time_period must be a year (2000-2100)")
            continue
        if (area_code, period) in first_row:
            log.add(row, cols[code_column], area_code,
                    f"duplicate: {area_code} in {period} is already on row {first_row[(area_code, period)]}")
            continue
        first_row[(area_code, period)] = row
        for measure in measures:
            text = cells[measure]
            value, marker = _value(text), None
            if value is None:
                if text not in SUPPRESSION_MARKERS + LOW_MARKERS:
                    log.add(row, measure, text, f"not a number nor a DfE marker ({', '.join(SUPPRESSION_MARKERS)})")
                    continue
                value, marker = math.nan, text
            records.append({
                "measure": measure, "area_code": area_code, "level": area_level, "time_period": period,
                "value": value, "suppression_marker": marker, "source": log.file,
            })
    log.raise_if_any()
    out = tables.frame(records, tables.DFE_STATISTIC)
    out["time_period"] = out["time_period"].astype("int64")
    out["value"] = out["value"].astype("float64")
    return out

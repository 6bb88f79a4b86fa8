"""Councils that end: local government reorganisation as reference data (`reorganisation`).

data/reference/reorganisation.csv holds one row per council and vesting day, each citing its source:

- done: the reorganisation happened (Somerset 2023, Cumbria 2023, Northamptonshire 2021,
  Bournemouth, Dorset and Poole 2019). The abolition itself lives in `authority.abolished_date` and
  `successor_ons_code` (from data/reference/former_authorities.csv); a 'done' row must agree with it;
- published: decided by the government, not yet in effect (Surrey's twelve councils, 1 Apr 2027);
- proposed: consulted on, not decided (the remaining two-tier areas, 1 Apr 2028): never shown as fact.

A council that has not yet ended has no abolished date: 'published' and 'proposed' rows must name a
council that still exists. Pure: no Streamlit, no database.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from monitor.loaders import tables
from monitor.loaders.authorities import ONS_CODE, REFERENCE_DIR
from monitor.loaders.problems import ProblemLog
from monitor.loaders.reading import date_series, find_columns, iter_rows, read_csv_file, read_date
from monitor.values import as_date

REORGANISATION_PATH = REFERENCE_DIR / "reorganisation.csv"
REORGANISATION_SOURCE = "data/reference/reorganisation.csv"
STATUSES = ("done", "published", "proposed")
COLUMNS = ("ons_code", "vesting_date", "area_name", "status", "successor_ons_code", "successor_name", "source")


def load_reorganisation(authorities: pd.DataFrame, path: str | Path = REORGANISATION_PATH) -> pd.DataFrame:
    """Rows of `reorganisation`, checked against the councils in `authorities` (rows of `authority`).
    Raises LoadError listing every problem."""
    log = ProblemLog(REORGANISATION_SOURCE if Path(path) == REORGANISATION_PATH else Path(path).name)
    councils = {r["ons_code"]: r for r in authorities.to_dict("records")}
    records: list[dict] = []
    seen: dict[tuple, int] = {}
    frame = read_csv_file(path, log)
    cols = find_columns(frame, COLUMNS, log) if frame is not None else None
    for row, cells in (iter_rows(frame) if cols else ()):
        get = {name: cells[col] for name, col in cols.items()}
        code, status, successor = get["ons_code"], get["status"], get["successor_ons_code"]
        vesting = read_date(log, row, "vesting_date", get["vesting_date"], required=True)
        council = councils.get(code)
        if council is None:
            log.add(row, "ons_code", code, "council code not in the authority table")
        if successor and (not ONS_CODE.fullmatch(successor) or successor not in councils):
            log.add(row, "successor_ons_code", successor, "successor code not in the authority table")
        if status not in STATUSES:
            log.add(row, "status", status, f"status must be one of {', '.join(STATUSES)}")
        for column in ("area_name", "source"):
            if not get[column]:
                log.add(row, column, "", "required")
        if vesting and (code, vesting) in seen:
            log.add(row, "ons_code", code, f"listed twice for {vesting.isoformat()} (first on row {seen[(code, vesting)]})")
        seen[(code, vesting)] = row
        if council is not None and vesting is not None:
            abolished = as_date(council.get("abolished_date"))
            if status == "done":
                stored = council.get("successor_ons_code") or ""
                if abolished != vesting:
                    log.add(row, "vesting_date", get["vesting_date"],
                            f"the authority table says this council was abolished on {abolished or 'no date'}: "
                            "an abolition that happened is recorded there (data/reference/former_authorities.csv)")
                if isinstance(stored, str) and successor != stored:
                    log.add(row, "successor_ons_code", successor,
                            f"the authority table names successor {stored or 'none'}")
            elif abolished is not None:
                log.add(row, "status", status, f"this council was already abolished on {abolished}")
        records.append({"ons_code": code, "vesting_date": vesting, "area_name": get["area_name"], "status": status,
                        "successor_ons_code": tables.text_or_none(successor),
                        "successor_name": tables.text_or_none(get["successor_name"]), "source": get["source"]})
    log.raise_if_any()
    out = tables.frame(records, tables.REORGANISATION)
    out["vesting_date"] = date_series(list(out["vesting_date"]))
    return out

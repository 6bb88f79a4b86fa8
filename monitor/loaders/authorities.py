"""Councils (`authority`) and their DfE statistical neighbours (`statistical_neighbour`).

Councils come from three places, joined on codes only:

- d2i_Provider_data_lookup.csv (Data to Insight): the 153 current children's-services councils with
  ONS code, DfE code, Ofsted URN, region and type, plus three former councils whose ONS code is blank
  there (Cumbria 909, Northamptonshire 928, Poole 836);
- data/reference/former_authorities.csv (curated by hand, each row citing its structural-changes
  order): the historical ONS codes of those three and the other abolished councils the product needs
  (Bournemouth, Dorset and Somerset county councils, Sedgemoor, South Somerset), so their Ofsted
  history and DfE series keep their own code;
- the ONS LTLA->UTLA April 2023 lookup: every English district (E07) and its county.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from monitor.loaders import tables
from monitor.loaders.problems import ProblemLog
from monitor.loaders.reading import date_series, find_columns, iter_rows, read_csv_file, read_date

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
FORMER_AUTHORITIES = REFERENCE_DIR / "former_authorities.csv"
FORMER_SOURCE = "data/reference/former_authorities.csv"

# d2i's `ons_la_type` -> authority.tier.
TIER_BY_LA_TYPE = {
    "County": "county",
    "Unitary Authority": "unitary",
    "Metropolitan District": "metropolitan district",
    "London Borough": "London borough",
}
# What the ONS code itself says about the kind of council. It wins over d2i's `ons_la_type` where
# they differ: d2i still calls the 2023 unitaries Cumberland (E06000063), Westmorland and Furness
# (E06000064) and North Yorkshire (E06000065) "County", after the councils they replaced.
TIER_BY_CODE_PREFIX = {
    "E06": "unitary",
    "E07": "district",
    "E08": "metropolitan district",
    "E09": "London borough",
    "E10": "county",
}
ONS_CODE = re.compile(r"E[0-9]{8}")
DFE_CODE = re.compile(r"[0-9]{3}")
BOOLEANS = {"true": True, "false": False}

D2I_COLUMNS = ("urn", "la_code", "la_code_new", "local_authority_ons_name", "region_name", "rgn22nm", "ons_la_type")
LTLA_COLUMNS = ("LTLA23CD", "LTLA23NM", "UTLA23CD")
FORMER_COLUMNS = (
    "ons_code", "dfe_code", "authority_name", "tier", "region_name", "upper_tier_ons_code",
    "is_childrens_services", "abolished_date", "successor_ons_code", "source",
)
SN_RANKS = range(1, 11)
SN_COLUMNS = ("old_la_code", *(f"SN_{k}" for k in SN_RANKS), *(f"SN_{k}P" for k in SN_RANKS))


def _former_rows(path: Path, log: ProblemLog) -> list[dict]:
    """The curated former councils, checked; each dict has its file row under '_row'."""
    frame = read_csv_file(path, log)
    if frame is None:
        return []
    cols = find_columns(frame, FORMER_COLUMNS, log)
    if cols is None:
        return []
    rows = []
    for row, cells in iter_rows(frame):
        get = {name: cells[col] for name, col in cols.items()}
        if not ONS_CODE.fullmatch(get["ons_code"]):
            log.add(row, "ons_code", get["ons_code"], "not an English ONS code (E + 8 digits)")
        if get["dfe_code"] and not DFE_CODE.fullmatch(get["dfe_code"]):
            log.add(row, "dfe_code", get["dfe_code"], "a DfE code has three digits")
        if get["tier"] not in tables.AUTHORITY_TIERS:
            log.add(row, "tier", get["tier"], f"tier must be one of {', '.join(tables.AUTHORITY_TIERS)}")
        if get["is_childrens_services"].lower() not in BOOLEANS:
            log.add(row, "is_childrens_services", get["is_childrens_services"], "expected true or false")
        for name in ("upper_tier_ons_code", "successor_ons_code"):
            if get[name] and not ONS_CODE.fullmatch(get[name]):
                log.add(row, name, get[name], "not an English ONS code (E + 8 digits)")
        abolished = read_date(log, row, "abolished_date", get["abolished_date"], required=True)
        rows.append({
            "_row": row, "_log": log,
            "ons_code": get["ons_code"], "dfe_code": tables.text_or_none(get["dfe_code"]),
            "ofsted_urn": None, "authority_name": get["authority_name"], "tier": get["tier"],
            "region_name": tables.text_or_none(get["region_name"]),
            "upper_tier_ons_code": tables.text_or_none(get["upper_tier_ons_code"]),
            "is_childrens_services": BOOLEANS.get(get["is_childrens_services"].lower(), False),
            "abolished_date": abolished, "successor_ons_code": tables.text_or_none(get["successor_ons_code"]),
            "source": FORMER_SOURCE,
        })
    return rows


def _tier(log: ProblemLog, row: int, column: str, la_type: str, ons_code: str) -> str | None:
    by_type = TIER_BY_LA_TYPE.get(la_type)
    by_code = TIER_BY_CODE_PREFIX.get(ons_code[:3])
    if by_type is None and la_type:
        log.add(row, column, la_type, f"unknown council type: expected one of {', '.join(TIER_BY_LA_TYPE)}")
        return None
    if by_code is None:
        log.add(row, "la_code_new", ons_code, "the ONS code is not a council code (E06, E07, E08, E09 or E10)")
        return None
    return by_code


def load_authorities(d2i_path: str | Path, ltla_utla_path: str | Path, *,
                     former_path: str | Path = FORMER_AUTHORITIES) -> pd.DataFrame:
    """Every council the product knows, as rows of `authority`.

    Order: d2i's councils in file order (current and former), then former councils only the
    curated file has, then districts. Raises LoadError listing every problem in any of the files.
    """
    d2i_log, ltla_log = ProblemLog.for_path(d2i_path), ProblemLog.for_path(ltla_utla_path)
    former_log = ProblemLog(FORMER_SOURCE)
    former = _former_rows(Path(former_path), former_log)
    former_by_dfe = {r["dfe_code"]: r for r in former if r["dfe_code"]}
    used_former: set[str] = set()
    records: list[dict] = []

    d2i = read_csv_file(d2i_path, d2i_log)
    cols = find_columns(d2i, D2I_COLUMNS, d2i_log) if d2i is not None else None
    if cols is not None:
        for row, cells in iter_rows(d2i):
            get = {name: cells[col] for name, col in cols.items()}
            dfe_code, ons_code = get["la_code"], get["la_code_new"]
            if not DFE_CODE.fullmatch(dfe_code):
                d2i_log.add(row, cols["la_code"], dfe_code, "a DfE code has three digits")
            if ons_code == "":
                match = former_by_dfe.get(dfe_code)
                if match is None:
                    d2i_log.add(row, cols["la_code_new"], ons_code,
                                f"ONS code is blank and DfE code {dfe_code} is not in {FORMER_SOURCE}")
                    continue
                used_former.add(match["ons_code"])
                records.append({**match, "ofsted_urn": tables.text_or_none(get["urn"])})
                continue
            if not ONS_CODE.fullmatch(ons_code):
                d2i_log.add(row, cols["la_code_new"], ons_code, "not an English ONS code (E + 8 digits)")
                continue
            tier = _tier(d2i_log, row, cols["ons_la_type"], get["ons_la_type"], ons_code)
            records.append({
                "_row": row, "_log": d2i_log,
                "_columns": {"ons_code": cols["la_code_new"], "dfe_code": cols["la_code"]},
                "ons_code": ons_code, "dfe_code": dfe_code, "ofsted_urn": tables.text_or_none(get["urn"]),
                "authority_name": get["local_authority_ons_name"], "tier": tier,
                "region_name": get["region_name"] or tables.text_or_none(get["rgn22nm"]),
                "upper_tier_ons_code": None, "is_childrens_services": True, "abolished_date": None,
                "successor_ons_code": None, "source": Path(d2i_path).name,
            })
    records.extend(r for r in former if r["ons_code"] not in used_former)

    region_of = {r["ons_code"]: r["region_name"] for r in records}
    ltla = read_csv_file(ltla_utla_path, ltla_log)
    lcols = find_columns(ltla, LTLA_COLUMNS, ltla_log) if ltla is not None else None
    if lcols is not None:
        for row, cells in iter_rows(ltla):
            code, upper = cells[lcols["LTLA23CD"]], cells[lcols["UTLA23CD"]]
            if not code.startswith("E07"):
                continue  # Wales (W), and English unitaries, which d2i already lists
            if upper not in region_of:
                ltla_log.add(row, lcols["UTLA23CD"], upper, "the district's county is not a known council")
            records.append({
                "_row": row, "_log": ltla_log, "_columns": {"ons_code": lcols["LTLA23CD"]},
                "ons_code": code, "dfe_code": None, "ofsted_urn": None,
                "authority_name": cells[lcols["LTLA23NM"]], "tier": "district",
                "region_name": region_of.get(upper), "upper_tier_ons_code": upper,
                "is_childrens_services": False, "abolished_date": None, "successor_ons_code": None,
                "source": Path(ltla_utla_path).name,
            })

    _check_unique(records, "ons_code", "ONS code")
    _check_unique([r for r in records if r["dfe_code"]], "dfe_code", "DfE code")
    problems = [*d2i_log.problems, *former_log.problems, *ltla_log.problems]
    if problems:
        ProblemLog(d2i_log.file, problems).raise_if_any()
    out = tables.frame(records, tables.AUTHORITY)
    out["abolished_date"] = date_series(list(out["abolished_date"]))
    out["is_childrens_services"] = out["is_childrens_services"].astype(bool)
    return out


def _check_unique(records: list[dict], key: str, label: str) -> None:
    """Log a problem on each record whose `key` repeats an earlier record's, in the later file."""
    first: dict[str, dict] = {}
    for rec in records:
        seen = first.setdefault(rec[key], rec)
        if seen is not rec:
            rec["_log"].add(rec["_row"], rec.get("_columns", {}).get(key, key), rec[key],
                            f"duplicate {label}: already used by {seen['authority_name']} "
                            f"({seen['_log'].file} row {seen['_row']})")


def load_statistical_neighbours(sn_model_path: str | Path, authorities: pd.DataFrame) -> pd.DataFrame:
    """Each council's ten DfE statistical neighbours, as rows of `statistical_neighbour`.

    The model file names councils by DfE code (old_la_code, SN_k); both are turned into ONS codes
    through `authorities.dfe_code`, never through names. Closeness words lose their trailing spaces.
    """
    log = ProblemLog.for_path(sn_model_path)
    ons_by_dfe = dict(zip(authorities["dfe_code"].dropna(), authorities.loc[authorities["dfe_code"].notna(), "ons_code"]))
    records: list[dict] = []
    frame = read_csv_file(sn_model_path, log)
    cols = find_columns(frame, SN_COLUMNS, log) if frame is not None else None
    if cols is not None:
        seen: dict[str, int] = {}
        for row, cells in iter_rows(frame):
            dfe_code = cells[cols["old_la_code"]]
            ons_code = ons_by_dfe.get(dfe_code)
            if ons_code is None:
                log.add(row, cols["old_la_code"], dfe_code, "DfE code not in the authority table")
                continue
            if dfe_code in seen:
                log.add(row, cols["old_la_code"], dfe_code, f"council listed twice (first on row {seen[dfe_code]})")
                continue
            seen[dfe_code] = row
            for k in SN_RANKS:
                column = cols[f"SN_{k}"]
                neighbour = ons_by_dfe.get(cells[column])
                if neighbour is None:
                    log.add(row, column, cells[column], "neighbour's DfE code not in the authority table")
                    continue
                if neighbour == ons_code:
                    log.add(row, column, cells[column], "a council cannot be its own neighbour")
                    continue
                records.append({
                    "ons_code": ons_code, "neighbour_rank": k, "neighbour_ons_code": neighbour,
                    "closeness": tables.text_or_none(cells[cols[f"SN_{k}P"]]),
                    "source": log.file,
                })
    log.raise_if_any()
    out = tables.frame(records, tables.STATISTICAL_NEIGHBOUR)
    out["neighbour_rank"] = out["neighbour_rank"].astype("int64")
    return out

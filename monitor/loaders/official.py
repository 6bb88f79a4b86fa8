"""The official data files: one place that names them, says who published them, and loads them.

The loaders live by subject (`authorities`, `ofsted`, `dfe`); this module re-exports them under the
names the database builder uses, lists the files for `data_source` (SOURCES), and offers
`load_official`, which loads every file and reports the problems of all of them at once.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from monitor.loaders.authorities import load_authorities, load_statistical_neighbours
from monitor.loaders.dfe import load_dfe_statistics
from monitor.loaders.frameworks import load_frameworks
from monitor.loaders.ofsted import load_ofsted_ilacs_history, load_ofsted_in_year, load_ofsted_wide_2009_2023
from monitor.loaders.problems import LoadError, Problem
from monitor.loaders.reading import count_data_rows
from monitor.loaders.reorganisation import load_reorganisation

__all__ = [
    "SOURCES", "OFFICIAL_DIR", "load_authorities", "load_statistical_neighbours",
    "load_ofsted_ilacs_history", "load_ofsted_in_year", "load_ofsted_wide_2009_2023",
    "load_dfe_statistics", "load_official", "count_data_rows",
]

OFFICIAL_DIR = Path(__file__).resolve().parents[2] / "data" / "official"
OGL = "Open Government Licence v3.0"
_OFSTED_2025 = "Ofsted, Local authority inspection outcomes as at 31 March 2025"
_WIDE_2023 = "Children's social care data in England 2023, underlying data: local authority inspection outcomes 2009 to 2023"

# One entry per official file, with the columns of table data_source (the builder adds row_count
# and loaded_at). published_date and source_url are filled only where known for certain.
SOURCES: list[dict] = [
    {"source_file": "d2i_Provider_data_lookup.csv", "publisher": "Data to Insight",
     "title": "Local authority lookup (Ofsted URN, DfE and ONS codes, region, type)",
     "published_date": None, "licence": OGL, "source_url": None, "loaded_into": "authority"},
    {"source_file": "dfe_LTLA-UTLA_Apr23_Lookup_England-Wales.csv", "publisher": "Office for National Statistics",
     "title": "Lower Tier Local Authority to Upper Tier Local Authority (April 2023) Lookup in England and Wales",
     "published_date": None, "licence": OGL, "source_url": None, "loaded_into": "authority"},
    {"source_file": "dfe_sn_model_2025_wide.csv", "publisher": "Department for Education",
     "title": "Children's services statistical neighbour benchmarking tool 2025: ten neighbours per local authority",
     "published_date": None, "licence": OGL, "source_url": None, "loaded_into": "statistical_neighbour"},
    {"source_file": "ofsted_ilacs_inspection_history_2018_2025.csv", "publisher": "Ofsted",
     "title": f"{_OFSTED_2025}: ILACS inspection history",
     "published_date": None, "licence": OGL, "source_url": None,
     "loaded_into": "ofsted_inspection, ofsted_judgement"},
    {"source_file": "ofsted_la_in_year_inspections_2024_25.csv", "publisher": "Ofsted",
     "title": f"{_OFSTED_2025}: in-year inspections and visits 2024-25",
     "published_date": None, "licence": OGL, "source_url": None, "loaded_into": "ofsted_inspection"},
    {"source_file": "ofsted_la_inspections_2009_2023_wide.csv", "publisher": "Ofsted", "title": _WIDE_2023,
     "published_date": None, "licence": OGL,
     "source_url": "https://www.gov.uk/government/statistics/childrens-social-care-data-in-england-2023",
     "loaded_into": "ofsted_inspection, ofsted_judgement"},
    {"source_file": "ofsted_la_inspections_2009_2023_wide_former_las.csv", "publisher": "Ofsted",
     "title": f"{_WIDE_2023} (former local authorities)",
     "published_date": None, "licence": OGL,
     "source_url": "https://www.gov.uk/government/statistics/childrens-social-care-data-in-england-2023",
     "loaded_into": "ofsted_inspection, ofsted_judgement"},
    {"source_file": "dfe_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
     "publisher": "Department for Education",
     "title": "Children in need: referrals and re-referrals by local authority, 2013 to 2025",
     "published_date": None, "licence": OGL,
     "source_url": "https://explore-education-statistics.service.gov.uk/find-statistics/children-in-need",
     "loaded_into": "dfe_statistic"},
    {"source_file": "dfe_csww_indicators_2017_to_2025.csv", "publisher": "Department for Education",
     "title": "Children's social work workforce: turnover, agency, vacancy, caseload and absence by local authority, 2017 to 2025",
     "published_date": None, "licence": OGL,
     "source_url": "https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-workforce",
     "loaded_into": "dfe_statistic"},
]

OFSTED_LOADERS = (  # file -> loader, in the order their rows are concatenated
    ("ofsted_la_inspections_2009_2023_wide.csv", load_ofsted_wide_2009_2023),
    ("ofsted_la_inspections_2009_2023_wide_former_las.csv", load_ofsted_wide_2009_2023),
    ("ofsted_ilacs_inspection_history_2018_2025.csv", load_ofsted_ilacs_history),
    ("ofsted_la_in_year_inspections_2024_25.csv", load_ofsted_in_year),
)
DFE_FILES = (
    "dfe_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "dfe_csww_indicators_2017_to_2025.csv",
)


def load_official(directory: str | Path = OFFICIAL_DIR) -> dict[str, pd.DataFrame]:
    """Every official file, as {table name: frame ready to insert}, with the reference tables they
    need (framework versions and areas, reorganisation).

    Loads each file even after another failed, then raises one LoadError with all their problems.
    Authorities must load for the rest to be checked (they are what codes are checked against).
    """
    directory = Path(directory)
    authorities = load_authorities(directory / "d2i_Provider_data_lookup.csv",
                                   directory / "dfe_LTLA-UTLA_Apr23_Lookup_England-Wales.csv")
    problems: list[Problem] = []
    out: dict[str, pd.DataFrame] = {"authority": authorities}

    def attempt(load, *args):
        try:
            return load(*args)
        except LoadError as exc:
            problems.extend(exc.problems)
            return None

    out["statistical_neighbour"] = attempt(load_statistical_neighbours, directory / "dfe_sn_model_2025_wide.csv", authorities)
    out["reorganisation"] = attempt(load_reorganisation, authorities)
    frameworks = attempt(load_frameworks)
    if frameworks is not None:  # reference data the inspections' framework versions refer to
        out["ofsted_framework_version"], out["ofsted_framework_area"] = frameworks.frames()
    pairs = [attempt(load, directory / name, authorities) for name, load in OFSTED_LOADERS]
    stats = [attempt(load_dfe_statistics, directory / name) for name in DFE_FILES]
    if problems:
        raise LoadError(problems)
    out["ofsted_inspection"] = pd.concat([p[0] for p in pairs], ignore_index=True)
    out["ofsted_judgement"] = pd.concat([p[1] for p in pairs], ignore_index=True)
    out["dfe_statistic"] = pd.concat(stats, ignore_index=True)
    return out

"""The columns of each target table, in data/schema.sql order (row_version omitted: it defaults).

Every loader returns frames with exactly these columns, so the database builder can insert them
as they are; a unit test checks these tuples against schema.sql.
"""
from __future__ import annotations

import pandas as pd

AUTHORITY = (
    "ons_code", "dfe_code", "ofsted_urn", "authority_name", "tier", "region_name",
    "upper_tier_ons_code", "is_childrens_services", "abolished_date", "successor_ons_code", "source",
)
STATISTICAL_NEIGHBOUR = ("ons_code", "neighbour_rank", "neighbour_ons_code", "closeness", "source")
OFSTED_FRAMEWORK_VERSION = (
    "framework_version", "framework", "title", "valid_from", "valid_until", "status", "headline_area", "source",
)
OFSTED_FRAMEWORK_AREA = ("framework_version", "judgement_area", "area_order", "source")
OFSTED_INSPECTION = (
    "inspection_id", "ons_code", "framework", "framework_version", "inspection_type", "kind", "inspection_date",
    "published_date", "ofsted_region", "visit_theme", "web_link", "source",
)
OFSTED_JUDGEMENT = ("inspection_id", "judgement_area", "grade", "source")
REORGANISATION = ("ons_code", "vesting_date", "area_name", "status", "successor_ons_code", "successor_name", "source")
DFE_STATISTIC = ("measure", "area_code", "level", "time_period", "value", "suppression_marker", "source")
DATA_SOURCE = ("source_file", "publisher", "title", "published_date", "licence", "source_url", "loaded_into")

# Values the schema's ENUMs allow, so loaders can refuse anything DuckDB would refuse later.
AUTHORITY_TIERS = ("county", "district", "unitary", "metropolitan district", "London borough")
OFSTED_GRADES = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")
AREA_LEVELS = ("national", "regional", "local authority")
SUPPRESSION_MARKERS = ("x", "c", "u", "z")


def text_or_none(value: str | None) -> str | None:
    """Blank cells become NULL in the database, never an empty string."""
    return value if value else None


def frame(records: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    """A frame with exactly `columns`, in order, even when there are no records."""
    return pd.DataFrame.from_records(records, columns=list(columns))

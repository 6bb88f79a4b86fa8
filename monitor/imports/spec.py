"""What each table accepts, derived from the live database's catalogue (information_schema and
duckdb_constraints(), read by queries/import_catalogue_*.sql), so data/schema.sql is the one place
columns, types, ENUM values, NOT NULL, keys, UNIQUE, FOREIGN KEY and CHECK rules are written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

# Tables people maintain through the Data page, in foreign-key order (parents first).
IMPORT_TABLES = (
    "programme", "programme_party", "programme_comparator", "workstream", "milestone", "milestone_snapshot",
    "ofsted_inspection", "ofsted_judgement", "intervention_event", "indicator", "indicator_value",
    "indicator_value_exclusion", "commissioner_report", "saving", "cost_share", "appraisal", "appraisal_option",
    "appraisal_criterion", "criterion_weight", "option_rating", "risk", "risk_snapshot", "key_date",
)
# Columns the database maintains itself: never in a template, never imported.
MANAGED_COLUMNS = ("row_version",)

TABLE_TITLES = {
    "programme": "Programmes", "programme_party": "Programme parties",
    "programme_comparator": "Programme comparators (councils set beside the supported council on the Ofsted page)",
    "workstream": "Work streams",
    "milestone": "Milestones", "milestone_snapshot": "Milestone snapshots (status at each reporting date)",
    "ofsted_inspection": "Ofsted inspections", "ofsted_judgement": "Ofsted judgements",
    "intervention_event": "DfE intervention events", "indicator": "Indicators",
    "indicator_value": "Indicator values",
    "indicator_value_exclusion": "Indicator values left out of SPC limits (ghosted, with the reason)",
    "commissioner_report": "Commissioner reports (metadata)",
    "saving": "Savings", "cost_share": "Cost shares", "appraisal": "Options appraisals",
    "appraisal_option": "Appraisal options", "appraisal_criterion": "Appraisal criteria",
    "criterion_weight": "Criterion weights", "option_rating": "Option ratings", "risk": "Risks",
    "risk_snapshot": "Risk snapshots (scores at each reporting date)", "key_date": "Key dates",
}

_INTEGER_BOUNDS = {
    "TINYINT": (-2**7, 2**7 - 1), "SMALLINT": (-2**15, 2**15 - 1), "INTEGER": (-2**31, 2**31 - 1),
    "BIGINT": (-2**63, 2**63 - 1), "HUGEINT": (-2**127, 2**127 - 1),
}
_ENUM_VALUE = re.compile(r"'((?:[^']|'')*)'")
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # as the catalogue spells it: VARCHAR, DATE, DECIMAL(14,2), ENUM('a', 'b')...
    kind: str  # text, integer, number, decimal, date, timestamp, boolean, enum
    nullable: bool
    has_default: bool
    allowed: tuple[str, ...] = ()  # ENUM values, in the schema's order
    precision: int | None = None  # DECIMAL
    scale: int | None = None
    bounds: tuple[int, int] | None = None  # integer range

    @property
    def required(self) -> bool:
        """A value must be given (NOT NULL and no default)."""
        return not self.nullable and not self.has_default

    @property
    def cast_type(self) -> str:
        """The type to cast text to in SQL (ENUM columns compare as text)."""
        return "VARCHAR" if self.kind == "enum" else self.sql_type


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    referenced: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    columns: tuple[str, ...]
    expression: str  # SQL from data/schema.sql (never from users)


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    uniques: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: tuple[Check, ...] = ()
    _by_name: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._by_name.update({c.name: c for c in self.columns})

    @property
    def title(self) -> str:
        return TABLE_TITLES.get(self.name, self.name.replace("_", " ").capitalize())

    def column(self, name: str) -> Column:
        return self._by_name[name]

    def has(self, name: str) -> bool:
        return name in self._by_name

    @property
    def importable(self) -> tuple[Column, ...]:
        """The columns of its template, in schema order."""
        return tuple(c for c in self.columns if c.name not in MANAGED_COLUMNS)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.importable if c.required or c.name in self.key)

    @property
    def has_row_version(self) -> bool:
        return self.has("row_version")


def parse_type(sql_type: str) -> dict:
    """The kind of a catalogue type and what goes with it (ENUM values, DECIMAL scale...)."""
    upper = sql_type.upper()
    if upper.startswith("ENUM("):
        return {"kind": "enum", "allowed": tuple(v.replace("''", "'") for v in _ENUM_VALUE.findall(sql_type))}
    if upper in _INTEGER_BOUNDS:
        return {"kind": "integer", "bounds": _INTEGER_BOUNDS[upper]}
    if upper in ("DOUBLE", "FLOAT", "REAL"):
        return {"kind": "number"}
    match = _DECIMAL.fullmatch(upper)
    if match:
        return {"kind": "decimal", "precision": int(match[1]), "scale": int(match[2])}
    if upper == "DATE":
        return {"kind": "date"}
    if upper.startswith("TIMESTAMP"):
        return {"kind": "timestamp"}
    if upper == "BOOLEAN":
        return {"kind": "boolean"}
    return {"kind": "text"}


def _names(value) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ()
    return tuple(dict.fromkeys(str(v) for v in value))  # CHECK lists repeat columns


def specs_from_catalogue(columns: pd.DataFrame, constraints: pd.DataFrame) -> dict[str, TableSpec]:
    """{table: TableSpec} from the catalogue frames.

    `columns`: table_name, column_name, ordinal_position, data_type, is_nullable ('YES'/'NO'),
    column_default. `constraints`: table_name, constraint_type, constraint_column_names,
    expression, referenced_table, referenced_column_names.
    """
    specs: dict[str, TableSpec] = {}
    # Records grouped by table in one pass: a pandas group and its itertuples cost ~0.7 ms a table,
    # and the catalogue has some forty tables.
    cons = _by_table(constraints.to_dict("records"))
    for table, group in _by_table(columns.sort_values(["table_name", "ordinal_position"]).to_dict("records")).items():
        cols = []
        for r in group:
            default = r["column_default"]
            cols.append(Column(
                name=r["column_name"], sql_type=r["data_type"], nullable=r["is_nullable"] == "YES",
                has_default=default is not None and not (isinstance(default, float) and pd.isna(default)),
                **parse_type(r["data_type"])))
        key: tuple[str, ...] = ()
        uniques, fks, checks = [], [], []
        for c in cons.get(table, ()):
            names = _names(c["constraint_column_names"])
            if c["constraint_type"] == "PRIMARY KEY":
                key = names
            elif c["constraint_type"] == "UNIQUE":
                uniques.append(names)
            elif c["constraint_type"] == "FOREIGN KEY":
                fks.append(ForeignKey(names, str(c["referenced_table"]), _names(c["referenced_column_names"])))
            elif c["constraint_type"] == "CHECK" and isinstance(c["expression"], str):
                checks.append(Check(names, c["expression"]))
        specs[table] = TableSpec(table, tuple(cols), key, tuple(uniques), tuple(fks), tuple(checks))
    return specs


def _by_table(records: list[dict]) -> dict[str, list[dict]]:
    """Records by their table_name, tables in order of first appearance, rows in order; a missing
    name is left out, as a groupby leaves it."""
    out: dict[str, list[dict]] = {}
    for record in records:
        if not pd.isna(record["table_name"]):
            out.setdefault(record["table_name"], []).append(record)
    return out


def infer_table(headers: list[str], specs: dict[str, TableSpec],
                tables: tuple[str, ...] = IMPORT_TABLES) -> tuple[str | None, str]:
    """The table a file's headers describe, or (None, why not).

    A table matches when every header is one of its columns and every required column is there;
    among matches, the one whose columns the headers cover best wins.
    """
    given = {h.strip().casefold() for h in headers if h and h.strip()}
    best: list[tuple[float, str]] = []
    for name in tables:
        spec = specs.get(name)
        if spec is None:
            continue
        cols = {c.name for c in spec.importable}
        if given <= cols | set(MANAGED_COLUMNS) and set(spec.required_columns) <= given:
            best.append((len(given & cols) / len(cols), name))
    if not best:
        return None, ("the headers match no table's template; download the template for the table "
                      "you are loading, or name the table")
    best.sort(reverse=True)
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None, f"the headers fit more than one table ({best[0][1]}, {best[1][1]}); name the table"
    return best[0][1], ""

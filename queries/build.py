"""Build the database from data/schema.sql, the official files and the demo CSVs.

`python -m queries.build [--db PATH|URL] [--if-missing]` (what `make db` runs). The build writes to
a temporary file beside the target and renames it into place only when complete, so an interrupted
build never leaves a half database. On PostgreSQL (a `postgresql://` address, or $DATABASE_URL) the
same file is built in a temporary folder and then loaded into a new schema that replaces the live
one in a single transaction (queries.transfer): a failed build leaves the previous data as it was.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from monitor import clock
from monitor.loaders import d2i, d2i_plan, official
from monitor.loaders.frameworks import reference_frameworks
from monitor.loaders.problems import LoadError
from monitor.loaders.reorganisation import load_reorganisation
from monitor.loaders.reading import count_data_rows
from monitor.sources import reference
from queries import transfer
from queries.checks import all_violations
from queries.db import DB_ERRORS, ROOT, DatabaseUnavailable, connect, describe, target as database_target
from queries.pg import is_postgres
from queries.report import reconstruct_submitted

DATA = ROOT / "data"
OFFICIAL = DATA / "official"
DEMO = DATA / "demo"
REFERENCE = DATA / "reference"
PAPERS = DATA / "papers"
SCHEMA = DATA / "schema.sql"

# Demo tables in foreign-key order.
DEMO_TABLES = (
    "programme", "programme_party", "programme_comparator", "workstream", "milestone", "milestone_snapshot",
    "intervention_event", "indicator", "indicator_value", "commissioner_report", "report_audience", "saving",
    "cost_share", "appraisal", "appraisal_option", "appraisal_criterion", "criterion_weight",
    "option_rating", "risk", "risk_snapshot", "key_date", "app_user", "app_user_programme",
)
# Demo tables that refer to indicator values derived from DfE's files: loaded after the derivation.
DEMO_TABLES_AFTER_DERIVED = ("indicator_value_exclusion",)

OFSTED_FILES = (
    ("ofsted_la_inspections_2009_2023_wide.csv", official.load_ofsted_wide_2009_2023),
    ("ofsted_la_inspections_2009_2023_wide_former_las.csv", official.load_ofsted_wide_2009_2023),
    ("ofsted_ilacs_inspection_history_2018_2025.csv", official.load_ofsted_ilacs_history),
    ("ofsted_la_in_year_inspections_2024_25.csv", official.load_ofsted_in_year),
)
DFE_FILES = (
    "dfe_c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "dfe_csww_indicators_2017_to_2025.csv",
)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Insert a frame whose columns are a subset of the table's (matched by name, cast by DuckDB)."""
    if frame.empty:
        return 0
    known = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $t", {"t": table}).fetchall()}
    unknown = set(frame.columns) - known
    if unknown:
        raise ValueError(f"{table}: unknown columns {sorted(unknown)}")
    con.register("_frame", frame)
    try:
        con.execute(f"INSERT INTO {_q(table)} BY NAME SELECT * FROM _frame").fetchall()
    finally:
        con.unregister("_frame")
    return len(frame)


def insert_csv(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> int:
    """Insert a demo CSV (all text; DuckDB casts on insert and enforces every constraint)."""
    rel = con.read_csv(str(path), header=True, all_varchar=True)
    con.register("_csv", rel)
    try:
        return con.execute(f"INSERT INTO {_q(table)} BY NAME SELECT * FROM _csv").fetchone()[0]
    finally:
        con.unregister("_csv")


def _derive_indicator_values(con) -> int:
    """Indicators that follow a DfE measure take their values from the official series, so the demo
    never copies official figures by hand."""
    sql = (ROOT / "queries" / "build" / "derive_indicator_values.sql").read_text()
    con.execute(sql).fetchall()
    return con.execute("SELECT count(*) FROM indicator_value WHERE source LIKE 'dfe_%'").fetchall()[0][0]


def _plan_d2i(inspections: pd.DataFrame, judgements: pd.DataFrame, authorities: pd.DataFrame, log) -> d2i_plan.D2IPlan:
    """Data to Insight's workbook against Ofsted's release: its newer inspections are added; where it
    disagrees with the release, the release stands (said in the build's output)."""
    rows = d2i.load_d2i_overview(OFFICIAL / d2i.D2I_FILE, authorities)
    plan = d2i_plan.plan_d2i(rows, inspections, judgements, d2i.D2I_FILE)
    if plan.inspection_updates or plan.judgement_updates or plan.judgement_deletes:
        raise ValueError("a fresh build has no earlier workbook rows to update")  # only inserts are possible
    for difference in plan.differences:
        log(f"  kept Ofsted's release: {difference}")
    return plan


def _load_sources(con, seeds: pd.DataFrame, facts: pd.DataFrame) -> dict[str, int]:
    """The papers split into passages, the derivation rules, the documents cited by address and
    the official files' release facts (data/papers/, data/reference/)."""
    papers, passages = reference.load_papers(PAPERS, seeds)
    loaded = {r[0] for r in con.execute("SELECT source_file FROM data_source").fetchall()}
    release = facts[facts["source_file"].isin(loaded)]
    return {
        "paper": insert_frame(con, "paper", papers),
        "paper_passage": insert_frame(con, "paper_passage", passages),
        "derivation": insert_frame(con, "derivation", reference.load_derivations(REFERENCE / "derivations.csv")),
        "published_document": insert_frame(con, "published_document", reference.load_published_documents(
            REFERENCE / "published_documents.csv")),
        "source_release": insert_frame(con, "source_release", release[["source_file", "published_date",
                                                                       "date_precision", "period_covered",
                                                                       "date_basis"]]),
    }


class BuildRefused(ValueError):
    """The data would break a data rule (queries/checks/): nothing was built."""

    def __init__(self, broken):
        self.broken = broken
        super().__init__("The build was refused; the previous database is unchanged: "
                         + "; ".join(b.describe() for b in broken))


def build(target, *, log=print) -> dict[str, int]:
    """Build a complete database at `target` — a DuckDB file, or a PostgreSQL address — atomically.
    Returns row counts per table."""
    if is_postgres(target):
        return build_postgres(target, build, log=log)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.building-{os.getpid()}")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    loaded_at = clock.now()
    counts: dict[str, int] = {}
    sources: list[dict] = []
    con = duckdb.connect(str(tmp))
    try:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        con.begin()
        authorities = official.load_authorities(
            OFFICIAL / "d2i_Provider_data_lookup.csv", OFFICIAL / "dfe_LTLA-UTLA_Apr23_Lookup_England-Wales.csv")
        counts["authority"] = insert_frame(con, "authority", authorities)
        neighbours = official.load_statistical_neighbours(OFFICIAL / "dfe_sn_model_2025_wide.csv", authorities)
        counts["statistical_neighbour"] = insert_frame(con, "statistical_neighbour", neighbours)
        counts["reorganisation"] = insert_frame(con, "reorganisation", load_reorganisation(authorities))
        versions, areas = reference_frameworks().frames()
        counts["ofsted_framework_version"] = insert_frame(con, "ofsted_framework_version", versions)
        counts["ofsted_framework_area"] = insert_frame(con, "ofsted_framework_area", areas)
        inspections, judgements = [], []
        for name, loader in OFSTED_FILES:
            ins, jud = loader(OFFICIAL / name, authorities)
            inspections.append(ins)
            judgements.append(jud)
        ins, jud = pd.concat(inspections, ignore_index=True), pd.concat(judgements, ignore_index=True)
        newer = _plan_d2i(ins, jud, authorities, log)  # Data to Insight's workbook, after Ofsted's release
        counts["ofsted_inspection"] = insert_frame(con, "ofsted_inspection", pd.concat(
            [ins, newer.inspection_frame()], ignore_index=True))
        counts["ofsted_judgement"] = insert_frame(con, "ofsted_judgement", pd.concat(
            [jud, newer.judgement_frame()], ignore_index=True))
        counts["ofsted_inspection (from D2I)"] = len(newer.inspections)
        stats = pd.concat([official.load_dfe_statistics(OFFICIAL / name) for name in DFE_FILES], ignore_index=True)
        counts["dfe_statistic"] = insert_frame(con, "dfe_statistic", stats)
        for table in DEMO_TABLES:
            path = DEMO / f"{table}.csv"
            if path.exists():
                counts[table] = insert_csv(con, table, path)
        counts["indicator_value (from DfE)"] = _derive_indicator_values(con)
        for table in DEMO_TABLES_AFTER_DERIVED:
            counts[table] = insert_csv(con, table, DEMO / f"{table}.csv")
        facts = reference.load_release_facts(REFERENCE / "official_files.csv")
        for source in reference.official_source_rows([*official.SOURCES, d2i.SOURCE], facts):
            path = OFFICIAL / source["source_file"]
            rows = d2i.count_rows(path) if path.name == d2i.D2I_FILE else count_data_rows(path)
            sources.append({**source, "row_count": rows, "loaded_at": loaded_at})
        seeds = pd.read_csv(REFERENCE / "seed_papers.csv", dtype=str, keep_default_na=False)
        for rec in seeds.to_dict("records"):
            sources.append({**rec, "published_date": rec["published_date"] or None, "row_count": 0,
                            "loaded_at": loaded_at, "source_url": rec.get("source_url") or None})
        counts["data_source"] = insert_frame(con, "data_source", pd.DataFrame(sources))
        counts.update(_load_sources(con, seeds, facts))
        # The demo's submitted reports: their records frozen from the demo data, said to be reconstructed.
        counts["commissioner_report (frozen at build)"] = reconstruct_submitted(con, loaded_at)
        broken = all_violations(con)  # the build is a write like any other
        if broken:
            raise BuildRefused(broken)
        con.commit()
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, target)
    log(f"Built {target} in {time.perf_counter() - started:.1f} s")
    return counts


def build_postgres(url: str, make, *, log=print, **kwargs) -> dict[str, int]:
    """`make(file, ...)` builds a DuckDB file in a temporary folder; it then replaces the live data
    of PostgreSQL database `url` in one transaction."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="monitor-build-") as tmp:
        counts = make(Path(tmp) / "monitor.duckdb", log=lambda *_: None, **kwargs)
        transfer.replace_postgres(url, Path(tmp) / "monitor.duckdb")
    log(f"Built {describe(url)} in {time.perf_counter() - started:.1f} s")
    return counts


def exists(target) -> bool:
    """Whether `target` already holds a database (a file; the data of a PostgreSQL database)."""
    if not is_postgres(target):
        return Path(target).exists()
    try:
        connect(target)
        return True
    except DatabaseUnavailable:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Improvement Monitor database.")
    parser.add_argument("--db", default=None, help="target file or postgresql:// address (default: $DATABASE_URL, "
                        "else $MONITOR_DB, else data/monitor.duckdb)")
    parser.add_argument("--if-missing", action="store_true", help="do nothing when the database already exists")
    args = parser.parse_args(argv)
    target = database_target(args.db)
    if args.if_missing and exists(target):
        print(f"{describe(target)} exists; not rebuilding (run `make db` to rebuild).")
        return 0
    try:
        counts = build(target)
    except LoadError as exc:
        print("The database was not built; the files have problems:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except DB_ERRORS as exc:
        print(f"The database was not built (the previous data are as they were): {exc}", file=sys.stderr)
        return 1
    except BuildRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    for table, n in counts.items():
        print(f"  {table:<28} {n:>8,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

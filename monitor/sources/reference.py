"""The sources' reference data as the builder loads it: the seed papers and their passages,
derivation rules, published documents and the release facts of the official files. Reads files
only (data/papers/, data/reference/); the builder inserts the frames."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from monitor.formatting import format_date
from monitor.sources.papers import paper_number, parse_paper

PRECISIONS = ("day", "month", "year")


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load_papers(papers_dir: Path, seed_papers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(paper, paper_passage) frames for every paper listed in seed_papers.csv. Each listed file
    must be in papers_dir and every file there must be listed."""
    listed = list(seed_papers["source_file"])
    present = sorted(p.name for p in Path(papers_dir).glob("*.txt"))
    if sorted(listed) != present:
        raise ValueError(f"data/papers/ holds {present} but data/reference/seed_papers.csv lists {sorted(listed)}")
    papers, passages = [], []
    for name in listed:
        number = paper_number(name)
        papers.append({"paper": number, "source_file": name})
        for p in parse_paper((Path(papers_dir) / name).read_text(encoding="utf-8")):
            passages.append({"paper": number, "passage_id": p.passage_id, "passage_order": p.order,
                             "heading": p.heading, "passage_text": p.text})
    return pd.DataFrame(papers), pd.DataFrame(passages)


def load_derivations(path: Path) -> pd.DataFrame:
    return _csv(path)[["derivation_id", "figure", "rule"]]


def load_published_documents(path: Path) -> pd.DataFrame:
    return _csv(path)[["url", "publisher", "title", "published_date", "licence", "note"]]


def load_release_facts(path: Path) -> pd.DataFrame:
    """official_files.csv: per official file, its publisher's page, publication date (to the
    precision known), the period its data cover and how the date is known."""
    frame = _csv(path)
    bad = frame[~frame["date_precision"].isin(PRECISIONS)]
    if len(bad):
        raise ValueError(f"{path.name}: date_precision must be one of {PRECISIONS}, not {list(bad['date_precision'])}")
    return frame[["source_file", "publisher_page", "published_date", "date_precision", "period_covered", "date_basis"]]


def official_source_rows(sources: list[dict], facts: pd.DataFrame) -> list[dict]:
    """The data_source rows of the official files: each file's own entry (publisher, title,
    licence, what it loads) with its publisher's page and publication date from the release
    facts. The date goes into data_source only when known to the day; the release facts keep it
    at the precision known. A page stated in both places must agree (one definition)."""
    by_file = {r["source_file"]: r for r in facts.to_dict("records")}
    rows = []
    for source in sources:
        fact = by_file.get(source["source_file"])
        row = dict(source)
        if fact is not None:
            if source.get("source_url") and source["source_url"] != fact["publisher_page"]:
                raise ValueError(f"{source['source_file']}: two publisher pages, {source['source_url']} "
                                 f"and {fact['publisher_page']} (official_files.csv)")
            row["source_url"] = fact["publisher_page"]
            row["published_date"] = (dt.date.fromisoformat(fact["published_date"])
                                     if fact["date_precision"] == "day" else None)
        rows.append(row)
    return rows


def format_published(date, precision: str | None) -> str:
    """A publication date at the precision known: '16 Jul 2025', 'Jul 2025' or '2025'."""
    if date is None or (not isinstance(date, str) and pd.isna(date)):
        return ""
    day = pd.Timestamp(date)
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{day.strftime('%b')} {day.year}"
    return format_date(day)

"""What a row's `source` says, and its provenance in four words — the one definition. The SQL
twin (macros `provenance`, `cited_paper`, `cited_passages` in data/schema.sql) follows the same
grammar, and a test checks that both agree on every source in the demo database.

Grammar (one source per row):

    source    = "illustrative"
              | file [qualifier]              e.g. "dfe_csww_indicators_2017_to_2025.csv"
              | gov.uk address [qualifier]    e.g. "https://www.gov.uk/government/publications/…"
              | paper " " item {", " item} [qualifier]
    paper     = three digits                  the seed paper's number, "000" … "004"
    item      = [kind] ref ["–" ref]          a passage, or a run of passages in reading order
    kind      = "para " | "rec " | "§"        the first item names its kind; later ones may too
    qualifier = " (derived: " id ")"          the figure is computed by the rule `id` in
                                              data/reference/derivations.csv (papers only)
              | " (" words " illustrative)"   the named parts of the row are made up

Provenance:

- *published*: an official file or a document on GOV.UK;
- *council paper*: the cited passage states it;
- *derived from a paper*: computed by a stated rule from a figure a passage gives;
- *illustrative*: made up to show the feature — the word itself, or any source whose qualifier
  says "… illustrative)" (the cited passage then gives only the subject).

A source the grammar does not read has no provenance (None): the data checks list such rows.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

# What the About page's downloads come from (monitor.tidy.Origin).
SOURCE = ("Improvement Monitor's register of the official files, published documents and council papers its "
          "database is built from")

PUBLISHED = "published"
COUNCIL_PAPER = "council paper"
DERIVED = "derived from a paper"
ILLUSTRATIVE = "illustrative"
PROVENANCES = (PUBLISHED, COUNCIL_PAPER, DERIVED, ILLUSTRATIVE)

_FILE = re.compile(r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*\.(?:csv|xlsx)")
_GOV_UK = re.compile(r"https://www\.gov\.uk/[A-Za-z0-9/_.-]+")
_QUALIFIER = re.compile(r" \((?:derived: (?P<derivation>[a-z0-9-]+)|(?P<what>[^()]*\S) illustrative)\)$")
_ILLUSTRATIVE_TAIL = re.compile(r" illustrative\)$")
_ITEM = re.compile(r"(?P<kind>para |rec |§)?(?P<first>\d+(?:\.\d+)*)(?:[–-](?P<last>\d+(?:\.\d+)*))?")
# The whole locator, as the SQL twin matches it: runs of items of one kind; a dotted number only
# after "para" ("rec" and "§" count whole passages).
_D, _I = r"[0-9]+(?:\.[0-9]+)*", r"[0-9]+"
_PARA_RUN = rf"para {_D}(?:[–-]{_D})?(?:, {_D}(?:[–-]{_D})?)*"
_INT_RUN = rf"(?:rec |§){_I}(?:[–-]{_I})?(?:, {_I}(?:[–-]{_I})?)*"
LOCATOR = rf"(?:{_PARA_RUN}|{_INT_RUN})(?:, (?:{_PARA_RUN}|{_INT_RUN}))*"
_PAPER = re.compile(rf"(?P<paper>[0-9]{{3}}) (?P<items>{LOCATOR})")


@dataclass(frozen=True)
class Citation:
    """A source as the grammar reads it. `passages` holds (first, last) passage ids per item
    (first == last for a single passage); ids as in paper_passage ("2.3", "rec 1", "§12")."""

    source: str
    kind: str  # "illustrative" | "file" | "document" | "paper"
    provenance: str
    paper: str | None = None
    passages: tuple[tuple[str, str], ...] = ()
    derivation: str | None = None
    illustrative: str | None = None  # the qualifier's words: "dates", "plan and progress", …
    base: str = ""  # the source without its qualifier


def _passage_id(kind: str, ref: str) -> str:
    return {"para ": ref, "rec ": f"rec {ref}", "§": f"§{ref}"}[kind]


def _items(text: str) -> tuple[tuple[str, str], ...] | None:
    kind = None
    out = []
    for part in text.split(", "):
        match = _ITEM.fullmatch(part)
        if not match:
            return None
        kind = match.group("kind") or kind
        first = match.group("first")
        last = match.group("last") or first
        out.append((_passage_id(kind, first), _passage_id(kind, last)))
    return tuple(out)


def parse(source) -> Citation | None:
    """The source read by the grammar above, or None when it does not follow it."""
    return _parse(str(source if source is not None else "").strip())


# A reading depends on the text alone, and a database repeats a few thousand sources over and over
# (every page's notice and links, About's counts): each is read once per process.
@functools.lru_cache(maxsize=1 << 16)
def _parse(text: str) -> Citation | None:
    if not text:
        return None
    if text.lower() == ILLUSTRATIVE:
        return Citation(text, "illustrative", ILLUSTRATIVE, base=text)
    qualifier = _QUALIFIER.search(text)
    base = text[:qualifier.start()] if qualifier else text
    derivation = qualifier.group("derivation") if qualifier else None
    what = qualifier.group("what") if qualifier else None
    if _FILE.fullmatch(base) or _GOV_UK.fullmatch(base):
        if derivation:
            return None
        kind = "file" if _FILE.fullmatch(base) else "document"
        return Citation(text, kind, ILLUSTRATIVE if what else PUBLISHED, illustrative=what, base=base)
    match = _PAPER.fullmatch(base)
    if not match:
        return None
    passages = _items(match.group("items"))
    if passages is None:
        return None
    provenance = ILLUSTRATIVE if what else DERIVED if derivation else COUNCIL_PAPER
    return Citation(text, "paper", provenance, paper=match.group("paper"), passages=passages,
                    derivation=derivation, illustrative=what, base=base)


def provenance(source) -> str | None:
    """One of PROVENANCES, or None for a source the grammar does not read. A qualifier ending
    "illustrative)" makes any source illustrative, even one whose citation is malformed."""
    citation = parse(source)
    if citation is not None:
        return citation.provenance
    if _ILLUSTRATIVE_TAIL.search(str(source or "").strip()):
        return ILLUSTRATIVE
    return None


def expand(passages: tuple[tuple[str, str], ...], order: dict[str, int]) -> list[str] | None:
    """Every passage id a citation covers, ranges opened in reading order (`order`: id → its place
    in the paper), or None when an end is missing or a range runs backwards."""
    by_place = {place: pid for pid, place in order.items()}
    out: list[str] = []
    for first, last in passages:
        if first not in order or last not in order or order[first] > order[last]:
            return None
        out.extend(by_place[p] for p in range(order[first], order[last] + 1))
    return out


# What each word means, as About explains it and the pages' notices point to.
MEANINGS = {
    PUBLISHED: "an official file or a document on GOV.UK, loaded or cited as its publisher released it",
    COUNCIL_PAPER: "the cited passage of a council paper states it",
    DERIVED: "computed from a figure a cited passage gives, by a rule written beside it",
    ILLUSTRATIVE: "made up to show the feature, where no paper or official file gives it",
}
UNRECOGNISED = "unrecognised source"


def provenance_counts(usage) -> pd.DataFrame:
    """Rows per table and provenance word from (table_name, source, row_count) rows — the
    source_usage query — counted with `provenance`, the rule every page's notice uses. One row
    per table, a column per word (and 'unrecognised source' only when some source is)."""
    sources = usage["source"].tolist()
    # Each distinct source read once: a table's rows share a handful of sources.
    words = {source: provenance(source) or UNRECOGNISED for source in set(sources)}
    counts: dict[str, Counter] = {}
    for table, source, rows in zip(usage["table_name"].tolist(), sources, usage["row_count"].tolist()):
        counts.setdefault(table, Counter())[words[source]] += int(rows)
    columns = [*PROVENANCES, *([UNRECOGNISED] if any(c[UNRECOGNISED] for c in counts.values()) else [])]
    tables = sorted(counts)
    return pd.DataFrame({"table": tables, **{word: np.array([counts[t][word] for t in tables], dtype="int64")
                                             for word in columns}})


def derivation_use(usage) -> dict[str, tuple[int, str]]:
    """For each derivation rule cited: how many rows cite it and the first such source (in sorting
    order), from the same (table_name, source, row_count) rows, read by the citation grammar."""
    found: dict[str, tuple[int, str]] = {}
    for source, rows in zip(usage["source"].tolist(), usage["row_count"].tolist()):
        citation = parse(source) if isinstance(source, str) else None  # parse keeps each text's reading
        if citation is not None and citation.derivation:
            before, first = found.get(citation.derivation, (0, source))
            found[citation.derivation] = (before + int(rows), min(first, source))
    return found

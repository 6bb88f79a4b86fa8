"""Where a source leads, and the citation in words — the one function every page, table cell, CSV
and Word export uses to make a source a link (`source_target`).

- A paper citation ("003 §15 (derived: bsh-savings-per-year)") leads to the Sources reader at its
  first cited passage: the relative app address ``sources?paper=003&passage=%C2%A715``, which the
  reader opens with that passage highlighted.
- An official file leads to its publisher's page (data/reference/official_files.csv, given here as
  `pages`); a document cited by its GOV.UK address leads to that address.
- "illustrative", and a source the grammar does not read, lead nowhere (url None).
- A table cell naming several sources ("003 §15; 004 rec 3; dfe_x.csv") leads to the reader listing
  every one of them in order (`cell_url`): ``sources?paper=003&cite=003+%C2%A715&cite=004+rec+3&cite=…``,
  each passage highlighted, each file with its publisher's link; outside the app a cell's link column
  gives each source's own address (`cell_links`).

The address is built only from what the citation grammar (monitor.sources.citation) reads out of
the source — a three-digit paper number, a passage id — or from a publisher's page that is a plain
https address; everything else is percent-encoded, so no text from the data can make the address
lead anywhere else or break out of a markdown link. Pure: no Streamlit, no database.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote, urlencode

from monitor.address import base_url
from monitor.sources.citation import ILLUSTRATIVE, parse, provenance
from monitor.sources.papers import label_of
from monitor.sources.reference import format_published
from monitor.values import rows_of

READER_PAGE = "sources"  # ui/pages.py: the Sources reader's address
# Table columns that hold sources: each becomes a link on screen, in a CSV and in a workbook.
SOURCE_COLUMNS = ("Source", "Sources", "source", "sources")
CITE_PARAM = "cite"  # the reader's parameter naming one of several cited sources
_CITED_PASSAGE = re.compile(r"(\d{3}) (.+)")  # a cite naming a passage: paper number, passage id
# A publisher's page as a link may hold it: https, a host, then path/query characters only.
_SAFE_PAGE = re.compile(r"https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9/_.~%?&=+:,;@!$*'-]*)?")
_URL_SAFE = "/:?&=%#,;@!$*+~.'-_"


@dataclass(frozen=True)
class SourceTarget:
    """A source as a link: `url` is a relative app address (the reader) or an https address (a
    publisher's page), or None when the source leads nowhere; `words` is the citation in words,
    for a printed page where the address cannot be clicked."""

    source: str
    url: str | None
    words: str
    provenance: str | None
    release: str = ""  # an official file's publication date, period covered and licence
    # How the reader's address names it among several (`cell_url`): '003 §15' (paper and passage id),
    # an official file's name or a document's address; None when it leads nowhere.
    cite: str | None = None

    @property
    def in_app(self) -> bool:
        """The address is the app's own page (relative), not a publisher's."""
        return bool(self.url) and not self.url.startswith("https://")


def reader_url(paper: str, passage_id: str | None = None) -> str:
    """The reader's relative address: 'sources?paper=003&passage=%C2%A712'."""
    params = {"paper": paper, **({"passage": passage_id} if passage_id else {})}
    return f"{READER_PAGE}?{urlencode(params)}"


def safe_page(url) -> str | None:
    """A publisher's page as a link may hold it, or None: only a plain https address passes, with
    anything unusual percent-encoded (never a space, quote, bracket or parenthesis)."""
    text = str(url or "").strip()
    if not text or any(c.isspace() for c in text):
        return None
    text = quote(text, safe=_URL_SAFE)
    return text if _SAFE_PAGE.fullmatch(text) else None


def _passages_in_words(passages: tuple[tuple[str, str], ...]) -> str:
    items = [label_of(first) if first == last else f"{label_of(first)} to {label_of(last)}"
             for first, last in passages]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def source_target(source, pages: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None,
                  releases: Mapping[str, str] | None = None) -> SourceTarget:
    """Where `source` leads and how it reads in words. `pages`: official file → its publisher's page;
    `names`: paper number, file name or document address → its title; `releases`: official file →
    its publication date, period covered and licence in words (`release_words`)."""
    pages, names, releases = pages or {}, names or {}, releases or {}
    text = str(source if source is not None else "").strip()
    word = provenance(text)
    citation = parse(text)
    if not text:
        return SourceTarget(text, None, "no source recorded", None)
    if citation is None:
        return SourceTarget(text, None, f"{text} (a source the citation rules do not read)", word)
    if citation.kind == "illustrative":
        return SourceTarget(text, None, "illustrative: made up for the demonstration; no council paper or official "
                                        "file gives it", ILLUSTRATIVE)
    tail = ""
    if citation.derivation:
        tail = f" (derived by the rule {citation.derivation})"
    elif citation.illustrative:
        tail = f" ({citation.illustrative} illustrative)"
    if citation.kind == "paper":
        title = names.get(citation.paper)
        named = f"council paper {citation.paper}" + (f", “{title}”" if title else "")
        url = reader_url(citation.paper, citation.passages[0][0])
        return SourceTarget(text, url, f"{named}, {_passages_in_words(citation.passages)}{tail}", word,
                            cite=f"{citation.paper} {citation.passages[0][0]}")
    title = names.get(citation.base)
    if citation.kind == "document":
        url = safe_page(citation.base)
        words = (f"“{title}”, " if title else "") + f"published at {citation.base}{tail}"
        return SourceTarget(text, url, words, word, cite=url)
    url = safe_page(pages.get(citation.base))
    release = releases.get(citation.base, "")
    words = f"official file {citation.base}" + (f" ({title})" if title else "") + (f": {release}" if release else "")
    words += (f"; publisher's page {url}" if url else "; publisher's page not recorded") + tail
    return SourceTarget(text, url, words, word, release, cite=citation.base if url else None)


def absolute_url(url: str | None, base: str | None = None) -> str | None:
    """An address that works outside the app (a CSV, a Word file): the app's own pages under the
    dashboard's address (MONITOR_BASE_URL, default http://localhost:8501); others unchanged."""
    if not url:
        return None
    if url.startswith("https://"):
        return url
    return f"{(base or base_url()).rstrip('/')}/{url.lstrip('/')}"


def sources_in(cell) -> list[str]:
    """The sources a table cell names: the cell itself when the grammar reads it as one source (or it
    is empty), else each of its '; '-separated parts once, in order."""
    text = str(cell if cell is not None else "").strip()
    if not text or parse(text) is not None:
        return [text] if text else []
    return list(dict.fromkeys(p.strip() for p in text.split("; ") if p.strip()))


def cell_targets(cell, pages: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None,
                 releases: Mapping[str, str] | None = None) -> list[SourceTarget]:
    """The targets of the sources a cell names that lead somewhere, in order, each address once."""
    found: dict[str, SourceTarget] = {}
    for source in sources_in(cell):
        target = source_target(source, pages, names, releases)
        if target.url and target.url not in found:
            found[target.url] = target
    return list(found.values())


def several_url(targets: list[SourceTarget]) -> str | None:
    """One address opening every target: its only target's address, or the reader listing them all
    in order (the first cited paper shown below the list). None when there is none."""
    if len(targets) <= 1:
        return targets[0].url if targets else None
    papers = [m.group(1) for t in targets if t.in_app and (m := _CITED_PASSAGE.fullmatch(t.cite or ""))]
    params = [("paper", papers[0])] if papers else []
    return f"{READER_PAGE}?{urlencode(params + [(CITE_PARAM, t.cite) for t in targets if t.cite])}"


def cell_url(cell, pages: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None,
             releases: Mapping[str, str] | None = None) -> str | None:
    """Where one click on a source cell leads (relative in the app): every source it names."""
    return several_url(cell_targets(cell, pages, names, releases))


def cell_links(cell, pages: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None,
               releases: Mapping[str, str] | None = None, base: str | None = None) -> str | None:
    """A source cell's link column outside the app (a CSV, a workbook): each source's own address,
    absolute, '; '-separated in the order the cell names them; None when none leads anywhere."""
    return "; ".join(absolute_url(t.url, base) for t in cell_targets(cell, pages, names, releases)) or None


def read_cite(value) -> tuple[str, str] | None:
    """A cite of the reader's address as (paper, passage id) when it names a passage, else None
    (an official file or a document, which `source_target` reads)."""
    match = _CITED_PASSAGE.fullmatch(str(value or "").strip())
    return (match.group(1), match.group(2)) if match else None


def release_words(published, precision, period, licence) -> str:
    """An official file's release in words: 'published 2026; covers Years ending 30 September 2017
    to 2025; Open Government Licence v3.0' (the date to the precision known)."""
    parts = []
    date = format_published(published, precision if isinstance(precision, str) else None)
    if date:
        parts.append(f"published {date}")
    if isinstance(period, str) and period.strip():
        parts.append(f"covers {period.strip()}")
    if isinstance(licence, str) and licence.strip():
        parts.append(licence.strip())
    return "; ".join(parts)


class References(NamedTuple):
    pages: dict[str, str]     # official file → its publisher's page
    names: dict[str, str]     # paper number, file or document address → its title
    releases: dict[str, str]  # official file → its release in words (release_words)


def reference_maps(data_sources, papers=None, documents=None) -> References:
    """What `source_target` needs to know of the sources, from the frames of the queries
    about/data_sources, sources/papers and sources/published_documents."""
    def text(value) -> str | None:
        return value.strip() if isinstance(value, str) and value.strip() else None

    pages = {f: text(u) for f, u in zip(data_sources["source_file"], data_sources["source_url"]) if text(u)}
    names = {f: text(t) for f, t in zip(data_sources["source_file"], data_sources["title"]) if text(t)}
    if papers is not None:
        names.update({p: text(t) for p, t in zip(papers["paper"], papers["title"]) if text(t)})
    if documents is not None:
        names.update({u: text(t) for u, t in zip(documents["url"], documents["title"]) if text(t)})
    releases = {}
    if "period_covered" in data_sources.columns:
        for row in rows_of(data_sources):
            if row.get("licence") != "Public council paper" and text(row.get("period_covered")):
                releases[row["source_file"]] = release_words(row.get("release_date"), row.get("date_precision"),
                                                             row.get("period_covered"), row.get("licence"))
    return References(pages, names, releases)


def cited_sources(sources) -> list[str]:
    """The distinct sources among `sources` that name a passage, a file or a document (in the order
    first met): what a report lists under a section as links. Bare 'illustrative' and sources the
    grammar does not read are left out."""
    seen: dict[str, None] = {}
    for source in sources:
        text = str(source).strip() if isinstance(source, str) else ""
        citation = parse(text) if text and text not in seen else None
        if citation is not None and citation.kind != "illustrative":
            seen[text] = None
    return list(seen)


def references(labels, pages: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None,
               releases: Mapping[str, str] | None = None) -> dict[str, dict[str, str | None]]:
    """Each source label → {"url", "words"} (`source_target`): kept with a report's figures, so a
    frozen report prints the citations as they read when it was submitted."""
    out = {}
    for label in labels:
        found = source_target(label, pages, names, releases)
        out[found.source] = {"url": found.url, "words": found.words}
    return out

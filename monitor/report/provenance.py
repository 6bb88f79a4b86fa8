"""The source note under each of the report's tables and charts: what the figures are and where
each row comes from, in the four provenance words (monitor.sources.citation)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from monitor.formatting import counted
from monitor.sources.citation import COUNCIL_PAPER, DERIVED, ILLUSTRATIVE, PUBLISHED, parse, provenance
from monitor.values import is_missing


def source_note(what: str, sources: Iterable, publications: Mapping[str, str] | None = None) -> str:
    """'Source: <what> (9 records: 4 published (Department for Education, …); 3 from council paper
    001; 2 illustrative).' — where the records behind the figures come from, in the four provenance
    words. `publications` names an official file by its publisher and title."""
    publications = publications or {}
    counts: dict[str, int] = {}
    papers: dict[str, set[str]] = {COUNCIL_PAPER: set(), DERIVED: set()}
    published: list[str] = []
    for source in sources:
        if is_missing(source) or not str(source).strip():
            continue
        word = provenance(source) or ILLUSTRATIVE
        counts[word] = counts.get(word, 0) + 1
        cited = parse(source)
        if word in papers and cited is not None and cited.paper:
            papers[word].add(cited.paper)
        if word == PUBLISHED and cited is not None:
            name = publications.get(cited.base) or cited.base
            if name not in published:
                published.append(name)
    parts = []
    if counts.get(PUBLISHED):
        parts.append(f"{counts[PUBLISHED]} published ({'; '.join(published)})")
    for word, label in ((COUNCIL_PAPER, "from council paper"), (DERIVED, "derived from council paper")):
        if counts.get(word):
            names = sorted(papers[word])
            parts.append(f"{counts[word]} {label}{'s' if len(names) > 1 else ''} {', '.join(names)}".rstrip())
    if counts.get(ILLUSTRATIVE):
        parts.append(f"{counts[ILLUSTRATIVE]} illustrative")
    if not parts:
        return f"Source: {what}."
    return f"Source: {what} ({counted(sum(counts.values()), 'record')}: {'; '.join(parts)})."

"""Sources as links, so every page reaches a figure's passage or publisher in one click: the
reader's address for a paper citation, the publisher's page for an official file or document, and
the text shown as plain text. The rules of what a source says live in monitor.sources.citation."""
from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import streamlit as st

from monitor.sources.citation import cited_first_passage, parse
from monitor.text import plain
from ui.data import query

READER = "/sources"
# LinkColumn shows what follows "#cite=" in the address: the citation itself, not the address.
CITE = "#cite="


def reader_url(paper: str, passage_id: str | None = None) -> str:
    """The reader's address: '/sources?paper=003&passage=%C2%A712'."""
    params = {"paper": paper, **({"passage": passage_id} if passage_id else {})}
    return f"{READER}?{urlencode(params)}"


def publisher_pages() -> dict[str, str]:
    """Official file → its publisher's page (data_source, filled from data/reference)."""
    sources = query("about/data_sources")
    known = sources[sources["source_url"].notna()]
    return dict(zip(known["source_file"], known["source_url"]))


def source_target(source, pages: Mapping[str, str] | None = None) -> str | None:
    """Where a source leads: the reader at the cited passage, a GOV.UK document itself, an official
    file's publisher page; None for 'illustrative' or a source the grammar does not read."""
    citation = parse(source)
    if citation is None or citation.kind == "illustrative":
        return None
    if citation.kind == "paper":
        return reader_url(*cited_first_passage(source))
    if citation.kind == "document":
        return citation.base
    pages = publisher_pages() if pages is None else pages
    return pages.get(citation.base)


def source_link(source, pages: Mapping[str, str] | None = None) -> str:
    """A source as markdown: a link to its passage or publisher, the citation as its text
    ('[003 §15 (derived: …)](/sources?paper=003&passage=%C2%A715)'); plain text when it leads
    nowhere ('illustrative')."""
    text = plain(str(source or "").strip())
    target = source_target(source, pages)
    return f"[{text}]({target.replace(' ', '%20')})" if target else text


def source_href(source, pages: Mapping[str, str] | None = None) -> str | None:
    """The cell value for a source in an st.dataframe LinkColumn (see `source_column`): the target
    with the citation after '#cite=', so the cell reads as the citation and opens the target."""
    target = source_target(source, pages)
    return f"{target}{CITE}{str(source).strip()}" if target else None


def source_column(label: str = "Source", **kwargs):
    """st.column_config for a column of `source_href` values: one click opens the passage."""
    return st.column_config.LinkColumn(label, display_text=r"#cite=(.*)$", **kwargs)

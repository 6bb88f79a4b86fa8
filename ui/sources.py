"""Sources as links on every page, table cell and CSV: one click from a figure's source to the
cited passage (the Sources reader, highlighted) or to an official file's publisher's page. Where a
source leads is decided by one pure function (monitor.sources.links.source_target); this module
only draws it. A link is built ONLY from that function's safe address and text escaped by
monitor.text.plain — text from the data never becomes a link any other way."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.sources.links import (SOURCE_COLUMNS, References, SourceTarget, cell_links, cell_url, reader_url,
                                   reference_maps, source_target)
from monitor.text import plain
from ui.data import derived, query_many, shared

__all__ = ["REFERENCES", "reader_url", "source_references", "target", "source_link", "source_href", "source_column",
           "link_sources", "SOURCE_COLUMNS", "LINK_COLUMN"]

# LinkColumn shows what follows "#cite=" in the address: the citation itself, not the address.
CITE = "#cite="
LINK_COLUMN = "source link"
# Where a table cell that leads nowhere ('illustrative') links to: About, which says what the word means.
ABOUT = "about"


# The query the references are read from, for a page to read ahead with its own (ui.data.read_ahead).
REFERENCES = {"references": ("sources/references", {})}


def _references() -> References:
    """What the link function needs to know of the sources (publisher pages, titles, releases), read
    in one query (through the query cache: a view may read it ahead, side by side with its own)."""
    return reference_maps(query_many(REFERENCES)["references"])


def target(source, references: References | None = None) -> SourceTarget:
    """Where `source` leads and how it reads in words (monitor.sources.links.source_target).
    `references`: source_references(), when the caller has already read them (a column of sources)."""
    return source_target(source, *(references or source_references()))


def source_references() -> References:
    """The sources' publisher pages, titles and releases, as `source_target` reads them (for an
    export made outside the page's drawing: a workbook)."""
    return shared(_references)


def source_link(source, references: References | None = None) -> str:
    """A source as markdown: the citation (plain text) linking to its passage or publisher's page;
    plain text alone when it leads nowhere ('illustrative'). `references` as `target`'s."""
    found = target(source, references)
    text = plain(found.source, one_line=True)
    link = f"[{text}]({found.url})" if found.url else text
    # An official file says when it was published, what period it covers and its licence.
    return f"{link} ({plain(found.release, one_line=True)})" if found.release else link


def source_links(sources, *, none: str = "none recorded") -> str:
    """Several sources as markdown links separated by semicolons (each once, in order)."""
    references = source_references()
    shown = [source_link(s, references) for s in dict.fromkeys(str(s).strip() for s in sources if s is not None) if s]
    return "; ".join(shown) or plain(none)


def source_href(cell, references: References | None = None) -> str | None:
    """The value for a source cell in an st.dataframe LinkColumn (see `source_column`): the target
    with the cell's text after '#cite=', so the cell reads as the citation and opens the target (a
    cell naming several sources opens the reader listing them all). A cell that leads nowhere
    ('illustrative') opens About this data, which says what it means; an empty cell stays empty.
    `references`: source_references(), when the caller has already read them."""
    text = "" if cell is None or (not isinstance(cell, str) and pd.isna(cell)) else str(cell).strip()
    if not text:
        return None
    return f"{cell_url(text, *(references or source_references())) or ABOUT}{CITE}{text}"


def source_column(label: str = "Source", **kwargs):
    """st.column_config for a column of `source_href` values: one click opens the passage."""
    return st.column_config.LinkColumn(label, display_text=r"#cite=(.*)$", **kwargs)


def link_sources(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(what the page shows, what its CSV holds, the column settings) for a table: every source
    column shown as links, and in the CSV the text as it was plus a 'source link' column beside it
    (an address that works outside the app: MONITOR_BASE_URL). A table without a source column
    comes back as it is. Made once per frame (ui.data.derived): a shared view's tables are linked
    once, not on every rerun. The frames returned are read-only."""
    if frame.empty or not any(c in SOURCE_COLUMNS for c in frame.columns):
        return frame, frame, {}
    return derived(frame, _linked)


def _linked(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    columns = [c for c in frame.columns if c in SOURCE_COLUMNS]
    shown, csv = frame.copy(), frame.copy()
    config = {}
    references = source_references()  # read once per table, not once per cell
    for column in columns:
        cells = [c.strip() if isinstance(c, str) else "" for c in frame[column]]
        unique = set(cells)
        hrefs = {c: source_href(c, references) for c in unique}
        absolute = {c: cell_links(c, *references) for c in unique}
        shown[column] = [hrefs[c] for c in cells]
        config[column] = source_column(column)
        links = [absolute[c] for c in cells]
        name = LINK_COLUMN if len(columns) == 1 else f"{column} link"
        csv.insert(csv.columns.get_loc(column) + 1, name, links)
    return shown, csv, config

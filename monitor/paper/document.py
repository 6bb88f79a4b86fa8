"""A council paper as a Word document: the header block, summary and recommendations, contents,
numbered sections, tables and charts each with a caption and a source note, the security marking
on every page (and DRAFT on every page of a draft), page numbers. See monitor/paper/__init__.py."""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from monitor.paper import ooxml, styles
from monitor.paper.widths import column_widths_cm

PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.2
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
CELL_PADDING_CM = 0.1  # each side
HEADER_FILL = "F3F2F1"

# A figure alone in its cell: "£1,234", "−2", "96%", "12.5", "£0.75m", or a dash for none.
_FIGURE = re.compile(r"^[+\-−]?£?[\d,]+(\.\d+)?[%km]?$")
_NONE = {"", "–", "—", "-"}


def figure_columns(rows: Sequence[Sequence]) -> set[int]:
    """The columns that hold only figures (and dashes for none): they are right-aligned, so units,
    tens and hundreds line up down the column as in any printed table of figures."""
    if not rows:
        return set()
    found = set()
    for i in range(len(rows[0])):
        texts = ["" if r[i] is None else str(r[i]).strip() for r in rows]
        if any(t not in _NONE for t in texts) and all(t in _NONE or _FIGURE.match(t) for t in texts):
            found.add(i)
    return found


@dataclass(frozen=True)
class PaperHeader:
    """What a committee clerk needs on the first page."""

    title: str                         # "Commissioner's quarterly report: Q2 2023/24"
    report_to: str                     # the meeting or body: "Department for Education", "Joint Leaders' Board"
    report_by: str                     # the office: "DfE Commissioner", "Programme lead"
    author: str                        # the person
    dated: dt.datetime                 # the moment the paper stands at (its file properties carry it)
    meeting_date: str = "to be set"    # as printed: "31 Oct 2023"
    meeting_label: str = "Date of meeting"
    subtitle: str = ""                 # e.g. the programme
    purpose: str = ""
    marking: str = "OFFICIAL"          # Government Security Classification, top and bottom of every page
    draft: bool = False                # DRAFT on every page
    footer_title: str = ""
    notes: tuple[str, ...] = ()        # lines under the header block (status, provenance)
    extra: tuple[tuple[str, str], ...] = ()  # further header lines (label, value)


@dataclass
class _Heading:
    number: str
    text: str
    level: int
    anchor: str


class Paper:
    """Build a paper top to bottom, then `to_bytes()`:

        paper = Paper(PaperHeader(title=..., report_to=..., report_by=..., author=..., dated=...))
        paper.summary(["One paragraph.", "Another."])
        paper.recommendations("The Board is asked to:", ["note the progress", "agree the level"])
        paper.contents()
        paper.heading("Milestones")                 # "1. Milestones"
        paper.heading("Commentary", level=2)        # "1.1 Commentary"
        paper.table(["Quarter", "Done"], [["Q1 2023/24", "3"]], title="Milestones", source="…")
        paper.chart(png_bytes, title="…", alt="…", source="…")
        data = paper.to_bytes()
    """

    def __init__(self, header: PaperHeader):
        self.header = header
        self.doc = Document()
        styles.apply(self.doc)
        # Style ids looked up once (python-docx looks a name up through every style at each use).
        self._ids = {s.name: s.style_id for s in self.doc.styles}
        self._headings: list[_Heading] = []
        self._numbers = [0, 0, 0]
        self._last_level = 0
        self._tables = self._figures = 0
        self._contents_at = None
        self.overflows: list[str] = []  # tables whose words could not all fit unbroken
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(PAGE_HEIGHT_CM), Cm(PAGE_WIDTH_CM)
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(2.0)
        self._page_furniture()
        self._first_page()

    # --- furniture --------------------------------------------------------------------------------
    @property
    def marking_line(self) -> str:
        return f"{self.header.marking} – DRAFT" if self.header.draft else self.header.marking

    def _page_furniture(self) -> None:
        section = self.doc.sections[0]
        top = section.header.paragraphs[0]
        top.style = self.doc.styles["Marking"]
        top.text = self.marking_line
        foot = section.footer.paragraphs[0]
        foot.style = self.doc.styles["Footer"]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title = self.header.footer_title or self.header.title
        foot.add_run(f"{title}{' (DRAFT)' if self.header.draft else ''} · Page ")
        ooxml.field(foot._p, "PAGE", "1")
        foot.add_run(" of ")
        ooxml.field(foot._p, "NUMPAGES", "1")
        mark = section.footer.add_paragraph(self.marking_line, style="Marking")
        mark.paragraph_format.space_before = 0

    def _first_page(self) -> None:
        h = self.header
        self.doc.add_paragraph(h.title, style="Title")
        if h.subtitle:
            self.doc.add_paragraph(h.subtitle, style="Paper Subtitle")
        lines = [("Report to", h.report_to), (h.meeting_label, h.meeting_date), ("Report by", h.report_by),
                 ("Author", h.author), *h.extra, ("Security marking", self.marking_line)]
        if h.purpose:
            lines.append(("Purpose", h.purpose))
        for label, value in lines:
            p = self.doc.add_paragraph(style="Header Block")
            p.add_run(f"{label}: ", style="Strong")
            p.add_run(str(value))
        for note in h.notes:
            self.doc.add_paragraph(note, style="Notice")

    # --- text -------------------------------------------------------------------------------------
    def heading(self, text: str, level: int = 1, numbered: bool = True) -> str:
        """A heading, numbered "1.", "1.1", "1.1.1" by its place. Levels go down one at a time
        (a screen reader's outline has no gaps). Returns its number ("" when unnumbered)."""
        if level < 1 or level > 3 or level > self._last_level + 1:
            raise ValueError(f"heading level {level} after level {self._last_level}: levels go down one at a time")
        self._last_level = level
        number = ""
        if numbered:
            self._numbers[level - 1] += 1
            for deeper in range(level, 3):
                self._numbers[deeper] = 0
            parts = [str(n) for n in self._numbers[:level]]
            number = f"{parts[0]}." if level == 1 else ".".join(parts)
        shown = f"{number} {text}" if number else text
        p = self.paragraph(shown, f"Heading {level}")
        anchor = f"_Toc{len(self._headings) + 1:04d}"
        ooxml.bookmark(p, anchor, len(self._headings) + 1)
        self._headings.append(_Heading(number, text, level, anchor))
        return number

    def paragraph(self, text: str, style: str | None = None):
        p = self.doc.add_paragraph(str(text))
        if style:
            p._p.style = self._ids[style]
        return p

    def paragraphs(self, text: str) -> None:
        """Text typed with blank lines between paragraphs, one Word paragraph each."""
        for part in str(text or "").split("\n\n"):
            if part.strip():
                self.paragraph(part.strip())

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.paragraph(item, "List Bullet")

    def notice(self, text: str) -> None:
        self.paragraph(text, "Notice")

    def source_note(self, text: str) -> None:
        text = str(text).strip()
        self.paragraph(text if text.lower().startswith("source") else f"Source: {text}", "Source Note")

    def cited(self, items: Iterable[tuple[str, str | None, str]], lead: str = "Sources cited:") -> None:
        """Source notes naming each cited source: (its label, an address or None, the citation in
        words). The label is a hyperlink to the address (the passage in the dashboard's Sources
        reader, or a publisher's page); the words follow, so a printed copy still says where the
        figure comes from."""
        items = list(items)
        if items:
            self.paragraph(lead, "Source Note")
        for label, url, words in items:
            p = self.paragraph("", "Source Note")
            if url:
                ooxml.external_link(p, url, label, self._ids[styles.LINK_STYLE])
            else:
                p.add_run(label)
            p.add_run(f" — {words}" if words and words != label else "")

    def summary(self, paragraphs: Sequence[str], title: str = "Summary") -> None:
        self.heading(title, numbered=False)
        for text in paragraphs:
            self.paragraphs(text)

    def recommendations(self, intro: str, items: Sequence[str], title: str = "Recommendations") -> None:
        self.heading(title, numbered=False)
        self.paragraph(intro, "Lead In")
        for n, item in enumerate(items, 1):
            p = self.paragraph(f"{n}. {item}", "List Paragraph")
            p.paragraph_format.left_indent = Cm(0.75)
            p.paragraph_format.first_line_indent = Cm(-0.75)

    def contents(self, title: str = "Contents") -> None:
        """The numbered sections that follow, each a link to it with its page number (LibreOffice
        fills the numbers in on opening; Word when it lays out the pages or prints)."""
        self.heading(title, numbered=False)
        self._contents_at = (len(self._headings), self.paragraph("", "Contents Entry"))

    # --- tables and charts ------------------------------------------------------------------------
    def table(self, columns: Sequence[str], rows: Sequence[Sequence], *, title: str, source: str,
              empty: str = "None.") -> None:
        """A captioned table ("Table 3: …"), its header row repeated on every page, no row split
        across pages, columns wide enough for their longest word, figures right-aligned; then its
        source note. With no rows: the caption, `empty` and the source note."""
        self._tables += 1
        self.paragraph(f"Table {self._tables}: {title}", "Caption")
        if not rows:
            self.paragraph(empty)
            self.source_note(source)
            return
        columns = [str(c) for c in columns]
        rows = [["" if v is None else str(v) for v in r] for r in rows]
        table = self.doc.add_table(rows=1 + len(rows), cols=len(columns))
        tbl = table._tbl
        tbl.tblStyle_val = self._ids["Table Grid"]
        ooxml.fixed_layout(tbl)
        ooxml.cell_margins(tbl, CELL_PADDING_CM)
        figures = figure_columns(rows)
        ids = self._ids
        trs = tbl.tr_lst
        for n, (tr, values) in enumerate(zip(trs, [columns, *rows])):
            ooxml.row_properties(tr, header=n == 0)
            for i, (tc, value) in enumerate(zip(tr.tc_lst, values)):
                kind = ("Table Heading" if n == 0 else "Table Text") + (" Figure" if i in figures else "")
                p = tc.p_lst[0]
                p.style = ids[kind.replace("Text Figure", "Figure")]
                if value:
                    p.add_r().text = value
                if n == 0:
                    ooxml.shade(tc, HEADER_FILL)
        widths = column_widths_cm(columns, rows, TEXT_WIDTH_CM, styles.TABLE_PT, 2 * CELL_PADDING_CM)
        if widths is None:
            self.overflows.append(title)
            widths = [TEXT_WIDTH_CM / len(columns)] * len(columns)
        table.autofit = False
        for col, width in zip(tbl.tblGrid.gridCol_lst, widths):
            col.w = Cm(width)
        for tr in trs:
            for tc, width in zip(tr.tc_lst, widths):
                tc.width = Cm(width)
        self.source_note(source)

    def chart(self, png: bytes, *, title: str, alt: str, source: str, width_cm: float = TEXT_WIDTH_CM) -> None:
        """A captioned chart ("Figure 2: …") printed at `width_cm` (draw it at that size, so its
        text prints at the sizes it was drawn in), described for screen readers by `alt`, then
        its source note."""
        self._figures += 1
        self.paragraph(f"Figure {self._figures}: {title}", "Caption")
        picture = self.paragraph("", "Figure")
        run = picture.add_run()
        run.add_picture(io.BytesIO(png), width=Cm(width_cm))
        ooxml.alt_text(run, alt, title)
        self.source_note(source)

    # --- output -----------------------------------------------------------------------------------
    def _fill_contents(self) -> None:
        if self._contents_at is None:
            return
        after, placeholder = self._contents_at
        tab = round(TEXT_WIDTH_CM / 2.54 * 1440)
        for h in self._headings[after:]:
            if h.level != 1:
                continue
            entry = placeholder.insert_paragraph_before()
            entry._p.style = self._ids["Contents Entry"]
            ooxml.right_tab(entry, tab)
            ooxml.internal_link(entry, h.anchor, f"{h.number} {h.text}".strip())
        placeholder._p.getparent().remove(placeholder._p)
        self._contents_at = None

    def to_bytes(self) -> bytes:
        """The .docx; the same content always gives the same bytes (dated by the header's moment)."""
        self._fill_contents()
        h = self.header
        props = self.doc.core_properties
        props.title = h.title
        props.subject = h.subtitle or h.title
        props.author = h.author
        props.last_modified_by = h.author
        props.category = self.marking_line
        props.language = styles.LANGUAGE
        props.revision = 1
        props.created = props.modified = h.dated.replace(microsecond=0, tzinfo=None)
        props.comments = ""
        props.keywords = ""
        ooxml.no_grammar_language(self.doc.settings)
        out = io.BytesIO()
        self.doc.save(out)
        return ooxml.stable_zip(out.getvalue(), h.dated)


def headings_of(doc) -> list[tuple[int, str]]:
    """(level, text) of every heading of a python-docx Document, in order (for checks and tests)."""
    found = []
    for p in doc.paragraphs:
        name = p.style.name if p.style is not None else ""
        if name.startswith("Heading "):
            found.append((int(name.split()[1]), p.text))
    return found


def fields_of(element) -> list[str]:
    """The instructions of every field inside an element (e.g. a footer's PAGE and NUMPAGES)."""
    return [t.text.strip() for t in element.iter(qn("w:instrText"))]


__all__ = ["Paper", "PaperHeader", "figure_columns", "headings_of", "fields_of", "TEXT_WIDTH_CM"]

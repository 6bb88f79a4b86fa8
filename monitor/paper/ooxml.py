"""The few pieces of WordprocessingML python-docx has no call for: fields, bookmarks, internal links,
table row and cell properties, a picture's alt text, and a file whose bytes depend only on its
content."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def _run(*children) -> OxmlElement:
    run = OxmlElement("w:r")
    for child in children:
        run.append(child)
    return run


def _el(tag: str, **attrs) -> OxmlElement:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(key), value)
    return el


def field(parent, instruction: str, shown: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, PAGEREF …) appended to a paragraph or hyperlink, showing
    `shown` until the application works it out (LibreOffice on opening, Word when it lays out
    pages or prints)."""
    instr = _el("w:instrText", **{"xml:space": "preserve"})
    instr.text = f" {instruction} "
    text = OxmlElement("w:t")
    text.text = shown
    for child in (_run(_el("w:fldChar", **{"w:fldCharType": "begin"})), _run(instr),
                  _run(_el("w:fldChar", **{"w:fldCharType": "separate"})), _run(text),
                  _run(_el("w:fldChar", **{"w:fldCharType": "end"}))):
        parent.append(child)


def bookmark(paragraph, name: str, number: int) -> None:
    """A bookmark around the paragraph's text (a heading the contents links to)."""
    p = paragraph._p
    start = _el("w:bookmarkStart", **{"w:id": str(number), "w:name": name})
    p_pr = p.find(qn("w:pPr"))
    p.insert(0 if p_pr is None else list(p).index(p_pr) + 1, start)
    p.append(_el("w:bookmarkEnd", **{"w:id": str(number)}))


def internal_link(paragraph, anchor: str, text: str, page_field: bool = True) -> None:
    """`text`, a tab and the page number of bookmark `anchor`, all one link to it."""
    link = _el("w:hyperlink", **{"w:anchor": anchor, "w:history": "1"})
    t = _el("w:t", **{"xml:space": "preserve"})
    t.text = text
    link.append(_run(t))
    if page_field:
        link.append(_run(OxmlElement("w:tab")))
        field(link, f"PAGEREF {anchor} \\h")
    paragraph._p.append(link)


def external_link(paragraph, url: str, text: str, style_id: str) -> None:
    """`text` as a hyperlink to `url` (an address outside the document), in the character style
    `style_id` (the paper's link style: underlined, so it reads as a link in print too)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = _el("w:hyperlink", **{"r:id": r_id, "w:history": "1"})
    props = OxmlElement("w:rPr")
    props.append(_el("w:rStyle", **{"w:val": style_id}))
    t = _el("w:t", **{"xml:space": "preserve"})
    t.text = text
    link.append(_run(props, t))
    paragraph._p.append(link)


def right_tab(paragraph, position_twips: int, leader: str = "dot") -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    tabs = OxmlElement("w:tabs")
    tabs.append(_el("w:tab", **{"w:val": "right", "w:leader": leader, "w:pos": str(position_twips)}))
    p_pr.append(tabs)


def row_properties(tr, header: bool) -> None:
    """Rows never split across pages; the header row repeats on every page the table runs over."""
    tr_pr = tr.get_or_add_trPr()
    tr_pr.append(_el("w:cantSplit", **{"w:val": "true"}))
    if header:
        tr_pr.append(_el("w:tblHeader", **{"w:val": "true"}))


def cell_margins(tbl, side_cm: float) -> None:
    """The same left and right padding in every cell (the widths are worked out with it)."""
    tbl_pr = tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    twips = str(round(side_cm / 2.54 * 1440))
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", **{"w:w": twips, "w:type": "dxa"}))
    tbl_pr.append(margins)


def fixed_layout(tbl) -> None:
    tbl.tblPr.append(_el("w:tblLayout", **{"w:type": "fixed"}))


def shade(tc, fill: str) -> None:
    tc.get_or_add_tcPr().append(_el("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}))


def alt_text(run, description: str, title: str) -> None:
    """The picture in `run` described for a screen reader (Word's "Alt Text")."""
    doc_pr = run._r.find(".//" + qn("wp:docPr"))
    doc_pr.set("descr", description)
    doc_pr.set("title", title)


def no_grammar_language(settings) -> None:
    """The document's own language for proofing (settings part): British English."""
    el = settings.element
    lang = el.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        el.append(lang)
    lang.set(qn("w:val"), "en-GB")


def stable_zip(data: bytes, when: dt.datetime) -> bytes:
    """The .docx rewritten with every member dated `when`: the same content gives the same bytes,
    so a file's hash can stand for it."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()

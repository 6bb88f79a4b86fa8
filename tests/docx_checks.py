"""What a committee clerk and an accessibility check look for in a council paper (monitor.paper),
read back from the .docx with python-docx, and the paper opened by LibreOffice: converted to PDF,
each page's text, and each page drawn as a PNG (for a person to look at)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu

from monitor.paper import TEXT_WIDTH_CM, fields_of, headings_of
from monitor.paper.widths import PT_PER_CM, longest_word_pt

HEADER_LABELS = ("Report to:", "Report by:", "Author:", "Security marking:")
NUMBERED = re.compile(r"^(\d+)\.(?:(\d+))?(?:\.(\d+))? ")


def contrast(hex_colour: str, background: str = "FFFFFF") -> float:
    """WCAG contrast ratio of two sRGB colours."""
    def lum(h: str) -> float:
        channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    a, b = sorted((lum(hex_colour), lum(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def body_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def header_block(doc) -> dict[str, str]:
    found = {}
    for p in doc.paragraphs:
        if p.style.name == "Header Block" and ":" in p.text:
            label, value = p.text.split(":", 1)
            found[label.strip()] = value.strip()
    return found


def numbered_headings(doc) -> list[tuple[int, str]]:
    """(level, text) of the numbered headings, in order."""
    return [(level, text) for level, text in headings_of(doc) if NUMBERED.match(text)]


def problems(data: bytes, *, draft: bool, marking: str = "OFFICIAL") -> list[str]:
    """Every way the paper falls short of the format; [] when it keeps to it."""
    doc = open_docx(data)
    found: list[str] = []
    block = header_block(doc)
    for label in HEADER_LABELS:
        if label[:-1] not in block:
            found.append(f"header block has no '{label}' line")
    if not any(k in block for k in ("Date of meeting", "Date due")):
        found.append("header block has no meeting date")
    if marking not in block.get("Security marking", ""):
        found.append("header block does not give the marking")
    section = doc.sections[0]
    top = "\n".join(p.text for p in section.header.paragraphs)
    bottom = "\n".join(p.text for p in section.footer.paragraphs)
    for where, text in (("page header", top), ("page footer", bottom)):
        if marking not in text:
            found.append(f"{where} has no {marking} marking")
        if draft and "DRAFT" not in text:
            found.append(f"{where} of a draft does not say DRAFT")
        if not draft and "DRAFT" in text:
            found.append(f"{where} of a submitted paper says DRAFT")
    if {"PAGE", "NUMPAGES"} - set(fields_of(section.footer._element)):
        found.append("footer has no page numbers")
    # Headings: levels go down one at a time; the numbered ones count up in order.
    last = 0
    for level, text in headings_of(doc):
        if level > last + 1:
            found.append(f"heading level {level} after {last}: {text!r}")
        last = level
    expected = [0, 0, 0]
    for level, text in numbered_headings(doc):
        expected[level - 1] += 1
        expected[level:] = [0] * (3 - level)
        want = f"{expected[0]}." if level == 1 else ".".join(str(n) for n in expected[:level])
        if not text.startswith(want + " "):
            found.append(f"heading {text!r} should be numbered {want}")
    if not numbered_headings(doc):
        found.append("no numbered sections")
    if not any(t == "Contents" for _, t in headings_of(doc)):
        found.append("no contents")
    for name in ("Summary", "Recommendations"):
        if not any(t == name for _, t in headings_of(doc)):
            found.append(f"no {name.lower()}")
    # Language, styles, fonts, sizes, colours.
    styles_el = doc.styles.element
    lang = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    if lang is None or lang.get(qn("w:val")) != "en-GB":
        found.append("the document's language is not en-GB")
    if doc.core_properties.language != "en-GB":
        found.append("the document properties' language is not en-GB")
    for style in doc.styles.element.findall(qn("w:style")):
        fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and (fonts.get(qn("w:asciiTheme")) or fonts.get(qn("w:ascii")) not in (None, "Arial")):
            found.append(f"style {style.get(qn('w:styleId'))} is not in Arial")
        colour = style.find(f"{qn('w:rPr')}/{qn('w:color')}")
        if colour is not None and colour.get(qn("w:val")) not in (None, "auto") and contrast(colour.get(qn("w:val"))) < 4.5:
            found.append(f"style {style.get(qn('w:styleId'))} colour {colour.get(qn('w:val'))} under 4.5:1")
    sizes = {name: doc.styles[name].font.size.pt for name in
             ("Title", "Heading 1", "Heading 2", "Heading 3", "Normal", "Table Text", "Source Note")}
    order = list(sizes.values())
    if order != sorted(order, reverse=True) or len(set(order[:5])) != 5 or min(order) < 9:
        found.append(f"no clear size hierarchy: {sizes}")
    for name in ("Heading 1", "Heading 2", "Heading 3", "Caption"):
        if not doc.styles[name].paragraph_format.keep_with_next:
            found.append(f"{name} is not kept with the next paragraph")
    body = doc.element.body
    for run in body.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is not None and [c.tag for c in rpr if c.tag != qn("w:rStyle")]:
            found.append("a run carries its own formatting (styles only)")
            break
    # Tables: header row repeated, rows whole, widths on the page, no word broken.
    for table in doc.tables:
        trs = table._tbl.tr_lst
        if trs[0].trPr is None or trs[0].trPr.find(qn("w:tblHeader")) is None:
            found.append(f"table {table.rows[0].cells[0].text!r}: header row not repeated")
        if any(tr.trPr is None or tr.trPr.find(qn("w:cantSplit")) is None for tr in trs):
            found.append(f"table {table.rows[0].cells[0].text!r}: a row may split across pages")
        widths = [Emu(col.w).cm for col in table._tbl.tblGrid.gridCol_lst]
        if abs(sum(widths) - TEXT_WIDTH_CM) > 0.05:
            found.append(f"table {table.rows[0].cells[0].text!r}: {sum(widths):.2f} cm wide, not the text width")
        for i, width in enumerate(widths):
            header = trs[0].tc_lst[i]
            cells = [tr.tc_lst[i] for tr in trs[1:]]
            text_of = (lambda tc: "".join(t.text or "" for t in tc.iter(qn("w:t"))))
            need = max(longest_word_pt([text_of(header)], 10, bold=True), longest_word_pt([text_of(c) for c in cells], 10))
            if need / PT_PER_CM + 0.2 > width + 1e-6:
                found.append(f"table {text_of(trs[0].tc_lst[0])!r} column {i}: {width:.2f} cm splits a word")
    # A source note under every table and every chart; alt text on every picture.
    children = list(body)
    for n, child in enumerate(children):
        is_picture = child.tag == qn("w:p") and child.find(".//" + qn("wp:docPr")) is not None
        if child.tag == qn("w:tbl") or is_picture:
            nxt = children[n + 1] if n + 1 < len(children) else None
            style = None if nxt is None else nxt.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is None or style.get(qn("w:val")) != doc.styles["Source Note"].style_id:
                found.append(f"a {'chart' if is_picture else 'table'} has no source note under it")
    for pr in body.iter(qn("wp:docPr")):
        if not (pr.get("descr") or "").strip():
            found.append(f"picture {pr.get('name')} has no alt text")
    return found


def libreoffice_pdf(data: bytes, folder: Path, name: str) -> Path:
    """The paper opened and converted to PDF by LibreOffice (it must open it)."""
    assert shutil.which("soffice"), "LibreOffice is missing: `make test` installs libreoffice-writer"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / name
    source.write_bytes(data)
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
                           "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                          capture_output=True, text=True, timeout=240)
    pdf = source.with_suffix(".pdf")
    assert pdf.exists(), done.stdout + done.stderr
    return pdf


def pdf_pages_text(pdf: Path) -> list[str]:
    """Each page's text (pdftotext; pages are separated by form feeds)."""
    assert shutil.which("pdftotext"), "poppler-utils is missing: `make test` installs it"
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def render_pages(pdf: Path, out_dir: Path, stem: str, dpi: int = 60) -> list[Path]:
    """Every page drawn as a PNG (pdftoppm) into out_dir, for a person to look at."""
    assert shutil.which("pdftoppm"), "poppler-utils is missing: `make test` installs it"
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out_dir / stem)], check=True, timeout=240)
    return sorted(out_dir.glob(f"{stem}-*.png"))

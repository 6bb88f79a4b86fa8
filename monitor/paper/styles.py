"""The council paper's styles: one font family (Arial; LibreOffice sets it in the metric-identical
Liberation Sans), a clear size hierarchy, near-black text (contrast far above 4.5:1), British
English, headings kept with what follows. Everything the paper prints uses one of these styles;
no run carries its own font, size or colour."""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

FONT = "Arial"
LANGUAGE = "en-GB"
TEXT = RGBColor(0x0B, 0x0C, 0x0C)    # 19.6:1 on white
QUIET = RGBColor(0x50, 0x5A, 0x5F)   # 7.0:1 on white: source notes
LINK = RGBColor(0x1D, 0x70, 0xB8)    # 5.2:1 on white: GOV.UK's link blue, underlined
LINK_STYLE = "Source Link"           # a character style: a hyperlink to a cited source

# Sizes in points, largest first: the hierarchy a reader sees.
TITLE_PT, H1_PT, H2_PT, H3_PT, BODY_PT, TABLE_PT, NOTE_PT = 20, 15, 13, 11.5, 11, 10, 9

# Paragraph styles the paper adds: name -> (size, bold, alignment, keep with next, space after).
PARAGRAPH_STYLES = {
    "Paper Subtitle": (H2_PT, False, None, True, 10),
    "Header Block": (BODY_PT, False, None, True, 2),
    "Table Text": (TABLE_PT, False, None, False, 0),
    "Table Figure": (TABLE_PT, False, WD_ALIGN_PARAGRAPH.RIGHT, False, 0),
    "Table Heading": (TABLE_PT, True, None, False, 0),
    "Table Heading Figure": (TABLE_PT, True, WD_ALIGN_PARAGRAPH.RIGHT, False, 0),
    "Source Note": (NOTE_PT, False, None, False, 10),
    "Figure": (BODY_PT, False, WD_ALIGN_PARAGRAPH.CENTER, True, 2),
    "Notice": (BODY_PT, False, None, False, 8),
    "Lead In": (BODY_PT, False, None, True, 3),  # a line that introduces a list: kept with it
    "Contents Entry": (BODY_PT, False, None, False, 2),
    "Marking": (NOTE_PT, True, WD_ALIGN_PARAGRAPH.CENTER, False, 0),
}


def _plain_fonts(rpr) -> None:
    """The paper's font on every script, in place of the template's theme fonts (Calibri, Cambria)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia"):
        lang.set(qn(attr), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")


def contrast_on_white(hex_colour: str) -> float:
    """The WCAG contrast ratio of a colour on white."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 1.05 / (0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] + 0.05)


def _readable(rpr) -> None:
    """Any colour of the template's styles under 4.5:1 on white (its blue headings, 4.0:1) made near-black."""
    colour = rpr.find(qn("w:color"))
    if colour is None or colour.get(qn("w:val")) in (None, "auto"):
        return
    if contrast_on_white(colour.get(qn("w:val"))) < 4.5:
        for attr in list(colour.attrib):
            del colour.attrib[attr]
        colour.set(qn("w:val"), str(TEXT))


def _defaults(doc) -> None:
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _plain_fonts(rpr)
    _language(rpr)


def _set(style, size: float, bold: bool | None = None, colour: RGBColor = TEXT) -> None:
    font = style.font
    font.name = FONT
    font.size = Pt(size)
    font.color.rgb = colour
    if bold is not None:
        font.bold = bold
    font.italic = False
    _plain_fonts(style.element.get_or_add_rPr())
    colour_el = style.element.rPr.find(qn("w:color"))
    for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
        colour_el.attrib.pop(qn(attr), None)


def apply(doc) -> None:
    """Give `doc` (a fresh python-docx Document) the paper's styles."""
    _defaults(doc)
    styles = doc.styles
    for element in styles.element.findall(qn("w:style")):  # no theme font nor faint colour left anywhere
        rpr = element.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
            _plain_fonts(rpr)
        if rpr is not None:
            _readable(rpr)
    normal = styles["Normal"]
    _set(normal, BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    title = styles["Title"]
    _set(title, TITLE_PT, bold=True)
    p_pr = title.element.get_or_add_pPr()
    border = p_pr.find(qn("w:pBdr"))
    if border is not None:  # the template's blue rule under the title
        p_pr.remove(border)
    title.paragraph_format.space_after = Pt(12)
    title.paragraph_format.keep_with_next = True
    for level, size in ((1, H1_PT), (2, H2_PT), (3, H3_PT)):
        heading = styles[f"Heading {level}"]
        _set(heading, size, bold=True)
        fmt = heading.paragraph_format
        fmt.keep_with_next = True
        fmt.keep_together = True
        fmt.space_before = Pt({1: 18, 2: 12, 3: 10}[level])
        fmt.space_after = Pt(6)
    caption = styles["Caption"]
    _set(caption, TABLE_PT, bold=True)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)
    for name in ("Header", "Footer"):
        _set(styles[name], NOTE_PT)
    _set(styles["List Bullet"], BODY_PT)
    _set(styles["List Number"], BODY_PT)
    _set(styles["Strong"], BODY_PT, bold=True)
    styles["Strong"].font.size = None  # bold at the size of the paragraph it sits in
    link = styles.add_style(LINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = LINK
    link.font.underline = True  # a link in print as well as on screen, never by colour alone
    for name, (size, bold, align, keep, after) in PARAGRAPH_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _set(style, size, bold=bold, colour=QUIET if name == "Source Note" else TEXT)
        fmt = style.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(after)
        fmt.keep_with_next = keep
        if name.startswith("Table"):
            fmt.line_spacing = 1.0
        if align is not None:
            fmt.alignment = align

"""Council papers as Word documents: the reusable format every report of the monitor is printed in.

A committee clerk accepts a paper that reads like the council's own: a header block (report to,
date of meeting, report by, author, security marking), a summary and recommendations, contents,
numbered sections, and tables and charts each captioned and followed by a source note. The
module keeps to what accessibility checks and print ask of it: one font family (Arial) in a clear
size hierarchy, headings in order and kept with what follows, table header rows repeated and rows
never split across pages, columns never breaking a word, charts drawn at their printed size at
220 dpi with text of at least 9 pt, alt text on every image, the document's language British
English, text colours above 4.5:1, the marking (and DRAFT, for a draft) on every page. Styles,
not direct formatting: every paragraph names a style.

Use::

    from monitor.paper import Paper, PaperHeader, charts

    paper = Paper(PaperHeader(title="No-detriment report: Q2 2023/24", report_to="Cabinet",
                              report_by="Chief Executive", author="A. Person",
                              dated=datetime(2023, 10, 20, 10, 0), meeting_date="14 Nov 2023", draft=True))
    paper.summary(["What the Cabinet needs to know, in a paragraph or two."])
    paper.recommendations("Cabinet is asked to:", ["note the report", "agree the next review date"])
    paper.contents()
    paper.heading("Background")                            # "1. Background"
    paper.paragraphs("Text typed by a person.\\n\\nA second paragraph.")
    paper.heading("Figures", level=2)                      # "1.1 Figures"
    paper.table(["Year", "Saving"], [["2022/23", "£750,000"]], title="Savings by year",
                source="Council paper 003 §15")
    with charts.printing():
        fig = charts.figure(16.6, 8)                        # the size it prints at
        ax = fig.add_subplot(); ...
        png = charts.png(fig)
    paper.chart(png, title="Savings by year", alt="Bar chart: ...", source="...")
    data = paper.to_bytes()                                 # same content, same bytes

`PaperHeader.dated` is the moment the paper stands at (a submission, a meeting): the file's
properties and its zip members carry it, so the bytes — and a hash of them — depend on the
content only.
"""
from monitor.paper.document import TEXT_WIDTH_CM, Paper, PaperHeader, fields_of, figure_columns, headings_of

__all__ = ["Paper", "PaperHeader", "TEXT_WIDTH_CM", "figure_columns", "headings_of", "fields_of"]

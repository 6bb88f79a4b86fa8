"""The lending council's no-detriment assessment as a council paper in Word (monitor.paper), for its
Cabinet and scrutiny committee: the header block, summary and recommendations, contents, the summary
table of the indicators (latest value with its unit, verdict in word and symbol, baseline mean,
variation and assurance in words), the verdicts in sentences, the charts of the indicators of concern
now (drawn for print as the quarterly report draws its charts), the financial no-detriment verdict,
and the sources in the four provenance words.

Pure: a council's assessment as the No-detriment page computes it (monitor.no_detriment.council) and
the moment the paper stands at in, .docx bytes out — the same assessment on the same day gives the
same bytes. Nothing here judges anything again: every verdict, sentence and figure is the page's."""
from __future__ import annotations

import datetime as dt
import re

from monitor.formatting import counted, format_date, format_pounds, is_illustrative
from monitor.no_detriment.assessment import Assessment, headline
from monitor.no_detriment.council import CouncilAssessment
from monitor.no_detriment.finance import RULE
from monitor.no_detriment.spc_icons import ICON_LABELS
from monitor.no_detriment.verdicts import AFTER, SINCE, VERDICT_MEANINGS, VERDICTS
from monitor.no_detriment.wording import METHOD, format_value
from monitor.paper import Paper, PaperHeader
from monitor.report.audience import Audience
from monitor.report.docx import ILLUSTRATIVE_NOTICE, PROVENANCE_WORDS
from monitor.report.docx_charts import alt_text, chart_png
from monitor.report.provenance import source_note
from monitor.values import json_number

TITLE = "No-detriment assessment"
MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUMMARY_COLUMNS = ["Indicator", "Latest value", "Verdict", "Baseline mean", "Variation (latest point)",
                   "Assurance against the no-detriment line"]
FINANCE_COLUMNS = ["Financial year", "Part", "Its share of shared posts (£)", "Of which above an equal split (£)", "Its share of support costs (£)",
                   "Recovered (£)", "Net cost (£)", "Net cost above zero"]
NEIGHBOURS = "Statistical neighbours: DfE's 2025 benchmarking model."
LINES = ("The no-detriment lines — targets and tolerances — are illustrative: no council paper sets them.")


def plain_words(markdown: str) -> str:
    """The page's markdown (bold, italics) as the words a printed paper carries."""
    return re.sub(r"\*{1,2}([^*]+)\*{1,2}", r"\1", markdown)


def file_name(programme_id: str, ons_code: str, day: dt.date) -> str:
    """'no-detriment-paper_east-west-sussex_E10000011_2026-12-04.docx' (the day it was assembled)."""
    return f"no-detriment-paper_{programme_id}_{ons_code}_{day.isoformat()}.docx"


def dated(day: dt.date) -> dt.datetime:
    """The moment a paper assembled on `day` stands at: the start of that day, so the page and
    `make no-detriment-report` give the same file for the same data on the same day."""
    return dt.datetime.combine(day, dt.time())


def report_to(council: str, cabinet: str | None = None) -> str:
    """'Hampshire County Council Cabinet and scrutiny committee': the council's Cabinet as its
    programme names it (a DfE commission's annual report goes to it), else the council's name's."""
    return f"{cabinet or council + ' Cabinet'} and scrutiny committee"


def _icon(name: str | None, missing: str) -> str:
    found = ICON_LABELS.get(name or "")
    return found[1] if found else missing


def _latest(a: Assessment) -> str:
    latest = a.latest
    if latest is None:
        return "–"
    return f"{format_value(latest['value'], a.unit)} ({latest['period_label']})"


def summary_rows(assessments: list[Assessment]) -> list[list[str]]:
    """One row per indicator: its latest judged value with its unit and period, the verdict in symbol
    and word, the baseline mean with its unit, the variation and assurance in words."""
    return [[a.name, _latest(a), a.verdict_label,
             format_value(a.baseline_mean, a.unit) if a.baseline_mean is not None else "–",
             _icon(a.variation, "not enough data"), _icon(a.assurance, "no target or tolerance")]
            for a in assessments]


def chart_of(a: Assessment) -> dict:
    """One indicator's XmR chart as the quarterly report's charts are given (monitor.report.docx_charts):
    its values with the baseline mean and process limits, special causes marked by shape. Points after
    the programme closed are never judged, and are left out."""
    f = a.frame[a.frame["part"] != AFTER]
    rows = [[a.name, dt.date.fromisoformat(str(end)[:10]).isoformat(), json_number(value), json_number(mean),
             json_number(lower), json_number(upper), point]
            for end, value, mean, lower, upper, point in zip(f["period_end_date"], f["value"], f["mean"],
                                                                f["lower_limit"], f["upper_limit"], f["point_type"])]
    return {"kind": "spc", "council": a.council, "units": {a.name: a.unit}, "heading": f"{a.council}: no-detriment indicator",
            "title": f"{a.council}: {a.name}, with the baseline mean and process limits",
            "x_title": "Period end", "y_title": a.unit or "Value",
            "columns": ["Indicator", "Period end", "Value", "Mean", "Lower limit", "Upper limit", "Point type"],
            "rows": rows}


def _sources(a: Assessment) -> list[str]:
    return [str(s) for s in a.frame["source"].dropna()]


def _finance_rows(nd: CouncilAssessment) -> list[list[str]]:
    table = nd.check.table
    money = [c for c in FINANCE_COLUMNS if c.endswith("(£)")]
    return [[format_pounds(row[c]) if c in money else str(row[c]) for c in FINANCE_COLUMNS]
            for row in table.to_dict("records")]


def cabinet_paper(nd: CouncilAssessment, *, dated: dt.datetime, audience: Audience) -> bytes:
    """The Cabinet paper of the council's assessment (`nd`), dated `dated` (the day it is assembled:
    the paper's date and its file properties), reported by the office that reports on the programme
    (its `audience`'s author), to the council's Cabinet (as the audience names it, else "<council>
    Cabinet") and its scrutiny committee. Same assessment, audience and moment: same bytes."""
    council, name = nd.council, nd.programme_name
    to = report_to(council, audience.annual_to if audience.annual_council == nd.ons_code else None)
    report_by = audience.author_title
    concern = nd.concern_now
    indicator_sources = [s for a in nd.assessments for s in _sources(a)]
    illustrative = (any(is_illustrative(s) for s in [*indicator_sources, *nd.check.figure_sources])
                    or any(a.threshold is not None for a in nd.assessments))
    window = (f"from {format_date(nd.started)} to its close on {format_date(nd.closed)}" if nd.closed
              else f"from {format_date(nd.started)} to {format_date(nd.on)}")
    notes = [f"Assembled from Improvement Monitor on {format_date(dated)}: the verdicts are those the No-detriment "
             f"page gives for the figures as at {format_date(nd.on)}."]
    if illustrative:
        notes.append(ILLUSTRATIVE_NOTICE)
    paper = Paper(PaperHeader(
        title=f"{TITLE}: {council}", subtitle=name, report_to=to, report_by=report_by,
        author=report_by, dated=dated, meeting_date="to be set",
        purpose=(f"To report whether {council} suffers any detriment from the {name}: each of its no-detriment "
                 f"indicators judged against its own years before the partnership, and the financial promise."),
        footer_title=f"{TITLE}: {council}", extra=(("Figures as at", format_date(nd.on)),), notes=tuple(notes)))

    paper.summary([headline(nd.assessments, council),
                   f"Financial no detriment: {nd.check.sentence}",
                   f"Each indicator is judged on its current state {window}, against its own years before the "
                   f"partnership (the baseline), with NHS England's Making Data Count rules."])
    items = [f"note the no-detriment position of {council}'s indicators (sections 1 and 2): "
             f"{len(concern)} of {counted(len(nd.assessments), 'indicator')} of concern now",
             f"note the financial no-detriment position (section 4): {nd.check.word}"]
    if concern:
        items.append(f"ask for the actions taken on the {counted(len(concern), 'indicator')} of concern now "
                     f"(section 3): {'; '.join(a.name for a in concern)}")
    paper.recommendations(f"The {to} are asked to:", items)
    paper.contents()

    indicators_note = source_note(f"{council}'s no-detriment indicators in Improvement Monitor, judged as at "
                                  f"{format_date(nd.on)}", indicator_sources)
    paper.heading("The indicators at a glance")
    paper.paragraph(f"{council} lends leadership to the {name}, which began on {format_date(nd.started)}. "
                    f"{LINES}")
    paper.table(SUMMARY_COLUMNS, summary_rows(nd.assessments), title=f"{council}: no-detriment indicators",
                source=indicators_note, empty=f"{council} has no no-detriment indicators in this programme.")
    paper.heading("What each verdict means", 2)
    paper.table(["Verdict", "Meaning"], [[f"{symbol} {word}", VERDICT_MEANINGS[key]]
                                         for key, (word, symbol) in VERDICTS.items()],
                title="The verdicts", source="Source: the No-detriment page's rule (NHS England, Making Data Count).")

    paper.heading("The verdicts in words")
    for a in nd.assessments:
        paper.heading(a.name, 2)
        paper.paragraph(f"Verdict: {a.verdict_label}", "Lead In")
        paper.paragraph(a.sentence)
        c = nd.contexts.get(a.indicator_id)
        paper.paragraph(f"Against its neighbours: {c.sentence if c else '–'}")

    paper.heading("Indicators of concern now")
    if not concern:
        paper.paragraph(f"No indicator of {council} is of concern now, so no chart is printed here: the "
                        f"No-detriment page draws every indicator's chart.")
    for a in concern:
        chart = chart_of(a)
        paper.heading(a.name, 2)
        paper.paragraph(a.sentence)
        paper.chart(chart_png(chart), title=chart["title"], alt=alt_text(chart),
                    source=source_note(f"{council}'s {a.name.lower()[:1]}{a.name[1:]} in Improvement Monitor",
                                       _sources(a)))

    check = nd.check
    finance_note = source_note(f"{council}'s cost shares and cost recovery in Improvement Monitor", check.figure_sources)
    paper.heading("Financial no detriment")
    paper.paragraph(f"Verdict: {check.label}", "Lead In")
    paper.paragraph(check.sentence)
    paper.table(FINANCE_COLUMNS, _finance_rows(nd), title=f"{council}: cost of the partnership and cost recovered, "
                "by financial year",
                source=finance_note,
                empty="No cost share or cost recovery is recorded for the council in this programme.")
    paper.paragraph(plain_words(RULE))

    paper.heading("Sources and method")
    paper.paragraph(indicators_note)
    paper.paragraph(finance_note)
    paper.paragraph(f"The indicator values are DfE's published figures. {LINES} {NEIGHBOURS}")
    paper.paragraph(PROVENANCE_WORDS)
    paper.heading("How the indicators are judged (Making Data Count)", 2)
    paper.bullets(plain_words(line) for line in METHOD)
    paper.paragraph(f"Judged: the points {window}; points after the programme closed are not judged. "
                    f"“Since {SINCE}” counts from {format_date(nd.started)}.")
    return paper.to_bytes()

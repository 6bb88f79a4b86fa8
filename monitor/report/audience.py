"""Who a programme's report goes to, who writes it, and how it is worded: the commissioner's
quarterly report to DfE (and the annual report to the improvement partner's council) for a DfE
commission; a quarterly progress report to the programme's own governing board for every other
kind. Read from the programme's `report_audience` row (with its source); a programme without one
gets its kind's default, marked illustrative."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from monitor.permissions import report_author_role
from monitor.sources.citation import parse, provenance
from monitor.values import text

DFE, BOARD = "DfE", "board"
DFE_NAME = "Department for Education"
# The key-date kind that gives the date the report is due or presented.
MEETING_KIND = {DFE: "DfE report due", BOARD: "board"}


@dataclass(frozen=True)
class Audience:
    kind: str                    # DFE or BOARD
    report_to: str               # "Department for Education", "Joint Leaders' Board"
    author_role: str             # the app role that writes the report: "commissioner", "programme officer"
    author_title: str            # the office as the paper names it: "DfE Commissioner", "Programme lead"
    source: str = "illustrative"
    annual_to: str | None = None          # "Hampshire County Council Cabinet"
    annual_council: str | None = None     # its ons_code: whose no-detriment verdict the annual report gives
    annual_council_name: str | None = None

    @property
    def is_dfe(self) -> bool:
        return self.kind == DFE

    @property
    def to_short(self) -> str:
        """'DfE', or the board with its article: 'the Joint Leaders' Board'."""
        return "DfE" if self.is_dfe else f"the {self.report_to}"

    @property
    def report_name(self) -> str:
        return "Commissioner's quarterly report" if self.is_dfe else "Quarterly progress report"

    def title(self, council_quarter: str) -> str:
        return f"{self.report_name} to {'the ' + DFE_NAME if self.is_dfe else self.to_short}: {council_quarter}"

    @property
    def author_possessive(self) -> str:
        """"Commissioner's", "Programme lead's": whose delivery confidence the report gives."""
        words = self.author_title.removeprefix("DfE ")
        return f"{words[:1].upper()}{words[1:]}'s"

    @property
    def confidence_label(self) -> str:
        return f"{self.author_possessive} delivery confidence"

    @property
    def assessment_label(self) -> str:
        return f"{self.author_possessive} assessment"

    @property
    def summary_label(self) -> str:
        return "Summary for DfE" if self.is_dfe else "Summary for the board"

    @property
    def submit_label(self) -> str:
        return f"Submit to {self.to_short}"

    @property
    def meeting_kind(self) -> str:
        return MEETING_KIND[self.kind]

    @property
    def meeting_label(self) -> str:
        return "Date due" if self.is_dfe else "Date of meeting"

    @property
    def illustrative_parts(self) -> str | None:
        """What of the audience is made up: None (all cited), 'all', or the source's own words."""
        if provenance(self.source) != "illustrative":
            return None
        cited = parse(self.source)
        return cited.illustrative if cited is not None and cited.illustrative else "all"

    def source_line(self) -> str:
        """The audience's provenance in a sentence, for the paper's notes."""
        part = self.illustrative_parts
        if part is None:
            return f"Reporting arrangements as the council paper sets them out ({self.source})."
        if part == "all":
            return "Reporting arrangements (board and author) are illustrative: no council paper names them."
        base = parse(self.source).base
        return f"The body reported to is named in the council paper ({base}); the {part} are illustrative."

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> "Audience":
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__ if k in data})


def audience_of(programme_kind: str | None, row: Mapping | None) -> Audience:
    """The programme's audience from its report_audience row (None: its kind's default)."""
    if row:
        return Audience(kind=text(row.get("audience")) or BOARD, report_to=text(row.get("report_to")),
                        author_role=report_author_role(programme_kind, text(row.get("author_role"))),
                        author_title=text(row.get("author_title")), source=text(row.get("source")) or "illustrative",
                        annual_to=text(row.get("annual_to")) or None,
                        annual_council=text(row.get("annual_ons_code")) or None,
                        annual_council_name=text(row.get("annual_council_name")) or None)
    if programme_kind == "DfE commission":
        return Audience(DFE, DFE_NAME, report_author_role(programme_kind, None), "DfE Commissioner")
    return Audience(BOARD, "programme board", report_author_role(programme_kind, None), "Programme lead")

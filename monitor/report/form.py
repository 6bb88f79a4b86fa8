"""The Quarterly report's form: its boxes (each keyed by the report version, so another version's
text never carries over), their labels, and what a click on "Save draft" or "Submit" does with
what they hold — refused with a message naming the box, or the one write to make and what to say
when it is made. The write itself (and its access check) is the page's callback's."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from monitor.changes import Change
from monitor.formatting import in_sentence
from monitor.imports.text import control_problem
from monitor.permissions import Actor
from monitor.report.audience import Audience
from monitor.report.confidence import submission_problems
from monitor.report.submission import first_row, form_values, save_changes, submission

COUNCIL_TITLE = "Council's own assessment"
CONFIRM_MISSING = "Tick the box to confirm the report is ready: once submitted it cannot be changed."


@dataclass(frozen=True)
class LevelBox:
    """A delivery confidence drop-down and its reason, as saved."""
    box: str            # the drop-down's box name ("confidence", "council")
    reason_box: str     # its reason's box name
    title: str          # "Commissioner's delivery confidence"
    level: str | None
    reason: str

    @property
    def reason_label(self) -> str:
        return f"Reason for the {self.title[:1].lower() + self.title[1:]}"


@dataclass(frozen=True)
class ReportForm:
    report_key: str                          # the version's report id, or "new-<programme>-<quarter>"
    commentary: tuple[tuple[str, str], ...]  # (section key, the box's label), the summary first
    narrative: Mapping[str, str]             # the commentary as saved
    levels: tuple[LevelBox, LevelBox]        # the author's confidence, the council's own
    to_short: str                            # "DfE", "the Joint Leaders' Board"
    submit_label: str                        # "Submit to DfE"

    def box(self, name: str) -> str:
        return f"{self.report_key}__{name}"

    @property
    def boxes(self) -> tuple[str, ...]:
        return ("confidence", "reason", "council", "council_reason", *[f"n_{k}" for k, _ in self.commentary])

    @property
    def confirm_label(self) -> str:
        return f"I confirm this report is ready for {self.to_short}: once submitted it is frozen and cannot be changed"

    @property
    def text_boxes(self) -> dict[str, str]:
        """The free-text boxes by the label the person sees (a refusal names the box)."""
        labels = dict(self.commentary)
        return {labels["summary"]: "n_summary", f"Reason for the {self.levels[0].title}": "reason",
                "Reason for the council's own assessment": "council_reason",
                **{text: f"n_{k}" for k, text in self.commentary if k != "summary"}}


def report_form(report_key: str, audience: Audience, sections: list[dict], record: Mapping | None,
                narrative: Mapping[str, str]) -> ReportForm:
    """The form for a report version: a commentary box per section after the summary, the two levels
    with what the version saved."""
    saved = record or {}
    title = audience.confidence_label[:1].upper() + audience.confidence_label[1:]
    return ReportForm(
        report_key=report_key,
        commentary=(("summary", audience.summary_label),
                    *[(s["key"], f"Commentary on {in_sentence(s['title'])}") for s in sections]),
        narrative=dict(narrative),
        levels=(LevelBox("confidence", "reason", title, saved.get("confidence"), saved.get("confidence_reason") or ""),
                LevelBox("council", "council_reason", COUNCIL_TITLE, saved.get("council_confidence"),
                         saved.get("council_confidence_reason") or "")),
        to_short=audience.to_short, submit_label=audience.submit_label)


@dataclass(frozen=True)
class Saving:
    """What a click on Save or Submit comes to: `refused` (a message, nothing to write), or the
    changes to write with the change log's note and the message once written."""
    refused: str | None = None
    changes: tuple[Change, ...] = ()
    note: str = ""
    done: str = ""


def saving(form: ReportForm, boxes: Mapping[str, str | None], *, submit: bool, confirmed: bool,
           seen: Mapping | None, seen_figures: Mapping, proposed: str | None, programme_id: str, quarter: str,
           programme_source: str, actor: Actor, now: dt.datetime) -> Saving:
    """Save the form as a draft, or submit it (freezing the figures the author saw, with the Word
    file's hash): the form sends every box at once."""
    for name, key in form.text_boxes.items():  # the write refuses these too; here the message names the box
        if problem := control_problem(boxes.get(key) or ""):
            return Saving(refused=f"Not saved: “{name}” {problem}.")
    values = form_values(boxes, [k for k, _ in form.commentary], proposed)
    row = dict(seen or first_row(programme_id, quarter, actor.display_name, programme_source))
    if submit:
        problems = submission_problems(values["confidence"], values["confidence_reason"])
        if not confirmed:
            problems.append(CONFIRM_MISSING)
        if problems:
            return Saving(refused="Not submitted. " + " ".join(problems))
        values = submission(row, values, seen_figures, email=actor.email, name=actor.display_name, role=actor.role,
                            now=now)
    when = now.strftime("%H:%M")
    return Saving(changes=tuple(save_changes(row, values, seen, submit=submit, programme_id=programme_id)),
                  note=f"quarterly report {quarter}: {'submitted' if submit else 'draft saved'}",
                  done=f"Submitted to {form.to_short} at {when}; the report is now frozen." if submit
                  else f"Draft saved at {when}. It is kept in the database: reload or come back any time.")

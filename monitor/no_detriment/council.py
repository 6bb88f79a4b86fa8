"""One lending council's no-detriment assessment in a programme, as the No-detriment page computes it
and its Cabinet paper (monitor.no_detriment.paper) prints it: every indicator judged as at a date
(monitor.no_detriment.assessment, the one rule), set beside its statistical neighbours, the summary
table, and the financial check. Pure: the frames of the named queries in, the assessment out — the
page reads them side by side, `make no-detriment-report` one by one from the database."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from monitor.no_detriment.assessment import Assessment, assess_all
from monitor.no_detriment.context import Context, compare_with_neighbours
from monitor.no_detriment.finance import FinancialCheck, financial_check
from monitor.no_detriment.tables import summary_table
from monitor.no_detriment.verdicts import CONCERN_NOW
from monitor.programme import as_at, closed_on


def judged(values: pd.DataFrame, context: pd.DataFrame, *, closed, on) -> tuple[list[Assessment], dict[str, Context],
                                                                                   pd.DataFrame]:
    """Every indicator of the council (rows of no_detriment/values_by_council) judged as at `on` (a
    closed programme: to its closing date `closed`), each set beside its neighbours (rows of
    no_detriment/context), and the summary table the page shows and the files hold."""
    measure_of = dict(zip(values["indicator_id"], values["dfe_measure"]))
    assessments = assess_all(values, closed_on=closed, as_at=on)
    contexts = {a.indicator_id: compare_with_neighbours(a, context[context["measure"] == measure_of.get(a.indicator_id)])
                for a in assessments}
    return assessments, contexts, summary_table(assessments, contexts)


@dataclass
class CouncilAssessment:
    """What the No-detriment page shows of one lending council in one programme."""

    programme_id: str
    programme_name: str
    ons_code: str
    council: str
    started: dt.date
    closed: dt.date | None      # the programme's closing date (points after it are not judged)
    on: dt.date                 # the date the figures are judged as at
    assessments: list[Assessment]
    contexts: dict[str, Context]
    summary: pd.DataFrame
    check: FinancialCheck

    @property
    def concern_now(self) -> list[Assessment]:
        """The indicators of concern now — the only ones that count as of concern."""
        return [a for a in self.assessments if a.verdict == CONCERN_NOW]


Fetch = Callable[..., pd.DataFrame]
# What the assessment needs of a programme's row of programmes/all.
PROGRAMME_KEYS = ("programme_id", "programme_name", "status", "start_date", "end_date")


def council_requests(programme_id: str, ons_code: str) -> dict[str, tuple[str, dict]]:
    """The named queries a council's assessment is computed from, as `{name: (query, params)}`."""
    both = {"programme_id": programme_id, "ons_code": ons_code}
    return {"values": ("no_detriment/values_by_council", both), "context": ("no_detriment/context", both),
            "cost_shares": ("no_detriment/cost_shares", {"programme_id": programme_id}),
            "savings": ("no_detriment/savings_of_council", both)}


def assess_council(fetch: Fetch, programme, ons_code: str, council: str, today: dt.date) -> CouncilAssessment:
    """The council's assessment from `fetch(query name, **params)` (the database's, `make
    no-detriment-report`): the same queries and the same steps as the No-detriment page. `programme`:
    its row of programmes/all (programme_id, programme_name, status, start_date, end_date)."""
    requests = council_requests(str(programme["programme_id"]), ons_code)
    return assess_frames({k: fetch(name, **params) for k, (name, params) in requests.items()},
                         programme, ons_code, council, today)


def assess_frames(frames: dict[str, pd.DataFrame], programme, ons_code: str, council: str,
                  today: dt.date) -> CouncilAssessment:
    """The council's assessment from the frames of `council_requests` (the page reads them side by side)."""
    pid = str(programme["programme_id"])
    closed = closed_on(programme["status"], programme["end_date"], today)
    on = as_at(programme["status"], programme["end_date"], today)
    assessments, contexts, summary = judged(frames["values"], frames["context"], closed=closed, on=on)
    check = financial_check(frames["cost_shares"], frames["savings"], ons_code, council,
                            start=programme["start_date"], end=closed, as_at=on)
    return CouncilAssessment(pid, str(programme["programme_name"]), ons_code, council, programme["start_date"], closed,
                             on, assessments, contexts, summary, check)

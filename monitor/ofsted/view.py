"""What the Ofsted page draws for one council and its comparison, computed at once by the
functions here so the page can keep them per data version and a rerun only draws."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from monitor.loaders.frameworks import Frameworks
from monitor.ofsted.councils import childrens_services_codes, council_facts, council_labels, council_notes
from monitor.ofsted.grades import grid_cells, grid_notes, grids, grids_long
from monitor.ofsted.context import context_figure, context_summary, grade_distribution, neighbours_latest
from monitor.ofsted.trajectory import (
    latest_line,
    trajectory,
    trajectory_figure,
    trajectory_summary,
    trajectory_table,
    visits,
    visits_coverage,
    visits_table,
)


@dataclass(frozen=True)
class Councils:
    """The council choices (the same for every council picked)."""
    labels: dict[str, str]           # ons_code → label for the pickers
    names: dict[str, str]            # ons_code → authority name
    childrens_services: list[str]    # councils one may compare with
    england: list[str]               # current councils with children's services
    visits_coverage: str


def council_choices(councils: pd.DataFrame, inspections: pd.DataFrame) -> Councils:
    return Councils(labels=council_labels(councils),
                    names=dict(zip(councils["ons_code"], councils["authority_name"])),
                    childrens_services=childrens_services_codes(councils),
                    england=childrens_services_codes(councils, current_only=True),
                    visits_coverage=visits_coverage(inspections))


@dataclass(frozen=True)
class Grids:
    """Judgement history of a council and those compared: one table per inspection framework, with
    what its empty cells mean (a version that did not grade an area: ILACS 2026's overall judgement)."""
    tables: list[tuple[object, pd.DataFrame]]   # (framework family, grid cells)
    notes: dict[str, list[str]]                 # family key -> sentences under its grid
    long: pd.DataFrame | None                   # every judgement shown, one row each (the CSV)


def build_grids(inspections, judgements, codes: list[str], names: dict[str, str],
                frameworks: Frameworks | None = None) -> Grids:
    tables = grids(inspections, judgements, codes, names=names, frameworks=frameworks)
    return Grids(tables=[(family, grid_cells(frame, family.areas)) for family, frame in tables],
                 notes={family.key: grid_notes(family, frame) for family, frame in tables},
                 long=grids_long(tables) if tables else None)


@dataclass(frozen=True)
class Trajectory:
    """A council with children's services: its grades over time beside its neighbours and England."""
    figure: go.Figure
    summary: str
    table: pd.DataFrame
    visits: pd.DataFrame              # monitoring and focused visits (visits_table), may be empty
    context_figure: go.Figure
    context_summary: str
    distribution: pd.DataFrame
    neighbours: pd.DataFrame | None   # neighbours' latest grades (None: no neighbours in DfE's model)
    comparators: pd.DataFrame         # the programme's comparator councils drawn beside (ons_code, authority_name, reason, source)
    latest: str                       # the latest graded inspection in a line ('' when none)


def build_trajectory(inspections, judgements, neighbours, latest, england: list[str], code: str,
                     name: str, frameworks: Frameworks | None = None,
                     comparators: pd.DataFrame | None = None) -> Trajectory:
    """`comparators`: councils to draw beside `code` on the trajectory (the programme's comparator
    councils: query ofsted/comparators), one row each."""
    traj = trajectory(inspections, judgements, code, frameworks)
    comparators = comparators if comparators is not None else pd.DataFrame(
        columns=["ons_code", "authority_name", "reason", "source"])
    beside = [trajectory(inspections, judgements, c, frameworks) for c in comparators["ons_code"]]
    beside = pd.concat(beside, ignore_index=True) if beside else traj.iloc[:0]
    visit_rows = visits(inspections, code)
    groups = {}
    sn = neighbours[neighbours["ons_code"] == code]
    if not sn.empty:
        groups[f"statistical neighbours ({len(sn)})"] = list(sn["neighbour_ons_code"])
    groups[f"councils in England ({len(england)})"] = england
    dist = grade_distribution(latest, groups)
    own = latest[latest["ons_code"] == code]
    return Trajectory(
        figure=trajectory_figure(traj, visit_rows, name, beside), summary=trajectory_summary(traj, name, beside),
        table=trajectory_table(pd.concat([traj, beside], ignore_index=True)),
        visits=visits_table(visit_rows) if not visit_rows.empty else visit_rows,
        context_figure=context_figure(dist, name), context_summary=context_summary(name, own, dist),
        distribution=dist, neighbours=None if sn.empty else neighbours_latest(neighbours, latest, code),
        comparators=comparators.reset_index(drop=True), latest=latest_line(traj))


@dataclass(frozen=True)
class CouncilHeader:
    """The chosen council: its row, the one-line facts, and what to say plainly about it."""
    council: pd.Series
    facts: str
    notes: list


def council_header(councils: pd.DataFrame, inspections: pd.DataFrame, code: str) -> CouncilHeader:
    council = councils[councils["ons_code"] == code].iloc[0]
    has_inspections = bool((inspections["ons_code"] == code).any())
    return CouncilHeader(council=council, facts=council_facts(council, inspections),
                         notes=council_notes(council, has_inspections=has_inspections))

"""What the Ofsted page draws for one council and its comparison, computed at once by the
functions here so the page can keep them per data version and a rerun only draws."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from monitor.ofsted.councils import childrens_services_codes, council_facts, council_labels, council_notes
from monitor.ofsted.grades import grid_cells, grids, grids_long
from monitor.ofsted.trajectory import (
    context_figure,
    context_summary,
    grade_distribution,
    neighbours_latest,
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
    """Judgement history of a council and those compared: one table per inspection framework."""
    tables: list[tuple[object, pd.DataFrame]]   # (framework, grid cells)
    long: pd.DataFrame | None                   # every judgement shown, one row each (the CSV)


def build_grids(inspections, judgements, codes: list[str], names: dict[str, str]) -> Grids:
    tables = grids(inspections, judgements, codes, names=names)
    return Grids(tables=[(family, grid_cells(frame, family.areas)) for family, frame in tables],
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


def build_trajectory(inspections, judgements, neighbours, latest, england: list[str], code: str,
                     name: str) -> Trajectory:
    traj = trajectory(inspections, judgements, code)
    visit_rows = visits(inspections, code)
    groups = {}
    sn = neighbours[neighbours["ons_code"] == code]
    if not sn.empty:
        groups[f"statistical neighbours ({len(sn)})"] = list(sn["neighbour_ons_code"])
    groups[f"councils in England ({len(england)})"] = england
    dist = grade_distribution(latest, groups)
    own = latest[latest["ons_code"] == code]
    return Trajectory(
        figure=trajectory_figure(traj, visit_rows, name), summary=trajectory_summary(traj, name),
        table=trajectory_table(traj), visits=visits_table(visit_rows) if not visit_rows.empty else visit_rows,
        context_figure=context_figure(dist, name), context_summary=context_summary(name, own, dist),
        distribution=dist, neighbours=None if sn.empty else neighbours_latest(neighbours, latest, code))


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

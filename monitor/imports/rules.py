"""The rules a file's rows must keep with each other and with the database, beyond each cell's type:
keys repeated inside the file, UNIQUE rules, references to rows that do not exist, the programmes
and councils the person may change, submitted reports that can no longer change, the rules a new
report version keeps (monitor.permissions.report_problem), and a forecast before the
programme's start. Problems are added in the order rows were once checked one by one (rule by rule,
row by row), so that after sorting by row they read the same."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from monitor import clock
from monitor.formatting import format_date
from monitor.imports.cells import text_of
from monitor.permissions import COUNCIL_TABLES, REPORT_TABLE, Actor, may_write, report_problem

if TYPE_CHECKING:
    from monitor.imports.spec import TableSpec
    from monitor.imports.validate import Parsed, Plan, Reference


def check_rows(parsed: Parsed, spec: TableSpec, ref: Reference, plan: Plan, actor: Actor,
               frozen: dict[str, tuple[str, str]] | None = None) -> None:
    """Row-level rules, added to parsed.problems: duplicate keys, UNIQUE, references, who may change
    what, frozen rows, and the forecast-before-start rule."""
    seen = _repeated_keys(parsed, spec)
    _uniques(parsed, spec, ref, plan, seen)
    _references(parsed, spec, ref, plan)
    _who_may_change(parsed, spec, ref, plan, actor, frozen or {})
    _forecasts(parsed, spec, ref, plan)


def _repeated_keys(parsed: Parsed, spec: TableSpec) -> dict[tuple, int]:
    """{key: its first row index} of the file's complete keys, adding a problem for each repeat."""
    keys = parsed.values.keys(spec.key)
    if not any(None in parsed.values.get(c) for c in spec.key):
        seen = dict(zip(keys, range(len(keys))))
        if len(seen) == len(keys):
            return seen  # no key repeats: no problem to add
    seen = {}
    for index, key in enumerate(keys):
        if None in key:
            continue
        first = seen.setdefault(key, index)
        if first != index:
            parsed.add(index, ", ".join(spec.key), ", ".join(map(str, key)),
                       f"this key also appears on row {parsed.numbers[first]}: each row needs its own key")
    return seen


def _uniques(parsed: Parsed, spec: TableSpec, ref: Reference, plan: Plan, seen: dict[tuple, int]) -> None:
    existing = ref.existing
    for unique in spec.uniques:
        if not set(unique) <= set(parsed.columns) and not len(existing):
            continue
        owners = {values: pk for pk, values in zip(existing.keys(spec.key), existing.keys(unique))
                  if None not in values}
        keys = plan.data.keys(spec.key)
        in_file: dict[tuple, int] = {}
        for index, values in enumerate(plan.data.keys(unique)):
            if None in values:
                continue
            pk = keys[index]
            if values in in_file and keys[in_file[values]] != pk:
                first = parsed.numbers[in_file[values]]
                parsed.add(index, ", ".join(unique), ", ".join(map(str, values)),
                           f"the same {', '.join(unique)} as row {first}: they must be unique")
                continue
            in_file[values] = index
            owner = owners.get(values)
            if owner is not None and owner != pk and owner not in seen:
                parsed.add(index, ", ".join(unique), ", ".join(map(str, values)),
                           f"{spec.name} {', '.join(map(str, owner))} already has this "
                           f"{', '.join(unique)}: they must be unique")


def _references(parsed: Parsed, spec: TableSpec, ref: Reference, plan: Plan) -> None:
    """Each foreign key's values must exist (in the database, or for a self-reference in the file)."""
    for fk in spec.foreign_keys:
        known = ref.keys.get((fk.table, fk.referenced), set())
        if fk.table == spec.name:
            known = known | set(plan.data.keys(fk.referenced))
        values_of = plan.data.keys(fk.columns)
        unknown = {v for v in dict.fromkeys(values_of) if None not in v and v not in known}
        if not unknown:
            continue
        for index, values in enumerate(values_of):
            if values in unknown:
                parsed.add(index, ", ".join(fk.columns), ", ".join(map(str, values)),
                           f"there is no {fk.table} with {', '.join(fk.referenced)} "
                           f"'{', '.join(map(str, values))}' (check the spelling, or load the {fk.table} first)")


def _who_may_change(parsed: Parsed, spec: TableSpec, ref: Reference, plan: Plan, actor: Actor,
                    frozen: dict[str, tuple[str, str]]) -> None:
    """Rows that would change must belong to programmes the actor may change (both the programme
    the row names and, for an update, the one it belongs to now) — or, for a council's row (no
    programme), to a council of the actor's programmes — must not be frozen, and reports must keep
    the Quarterly report's rules (monitor.permissions.report_problem)."""
    changing = [i for i, action in enumerate(plan.actions) if action != "unchanged"]
    has_programme = spec.has("programme_id")
    stored = ref.existing.get("programme_id") if has_programme else None
    by_council = spec.name in COUNCIL_TABLES and spec.has("ons_code")
    new_c = plan.data.get("ons_code") if by_council else [None] * len(plan.data)
    old_c = ref.existing.get("ons_code") if by_council else None
    councils = frozenset().union(*(ref.party_councils.get(p, ()) for p in actor.programme_ids))
    rule = frozen.get(spec.name)
    refusals: dict[tuple, str] = {}

    def scopes(index: int) -> list[tuple]:
        at = plan.found[index]
        out = [(plan.programmes[index], new_c[index])]
        if at is not None and (has_programme or by_council):
            out.append((stored[at] if has_programme else plan.programmes[index], old_c[at] if by_council else None))
        return list(dict.fromkeys(out))

    for scope in {s for i in changing for s in scopes(i)}:  # may_write is pure: once per scope
        programme, council = scope
        allowed, reason = may_write(actor, spec.name, programme, council=council, councils=councils,
                                    council_name=ref.council_names.get(council))
        refusals[scope] = "" if allowed else reason
    reports = spec.name == REPORT_TABLE and bool(changing)
    if not rule and not reports and not any(refusals.values()):
        return
    frozen_values = ref.existing.get(rule[0]) if rule else None
    now = clock.now()
    for index in changing:
        at = plan.found[index]
        for programme, council in scopes(index):
            if refusals[(programme, council)]:
                by_row = programme is None and council is not None and by_council
                parsed.add(index, "ons_code" if by_row else "programme_id" if has_programme else None,
                           council if by_row else programme, refusals[(programme, council)])
        if rule and at is not None and frozen_values[at] == rule[1]:
            parsed.add(index, rule[0], frozen_values[at],
                       f"this {spec.name} was {rule[1]} and can no longer be changed; add a corrected version instead")
        elif reports and index not in parsed.bad:
            _report_rules(parsed, ref, plan, actor, index, now)


def _report_rules(parsed: Parsed, ref: Reference, plan: Plan, actor: Actor, index: int, now: dt.datetime) -> None:
    """A report row as it would be, against the page's rules; the report it corrects is the stored
    one, or one in the file."""
    at = plan.found[index]
    before = ref.existing.record(at) if at is not None else None
    after = plan.data.record(index)
    corrects = after.get("corrects_report_id")
    corrected = None
    if corrects is not None:
        where = ref.existing.index(("report_id",)).get((corrects,))
        if where is not None:
            corrected = ref.existing.record(where)
        else:
            where = plan.data.index(("report_id",)).get((corrects,))
            corrected = plan.data.record(where) if where is not None else None
    problem = report_problem(actor, before, after, corrected, now)
    if problem:
        column, message = problem
        value = after.get(column)
        parsed.add(index, column, None if value is None else text_of(value), message)


def _forecasts(parsed: Parsed, spec: TableSpec, ref: Reference, plan: Plan) -> None:
    if not spec.has("forecast_due_date"):
        return
    starts = ref.programme_start
    for index, (programme, forecast) in enumerate(zip(plan.programmes, plan.data.get("forecast_due_date"))):
        if forecast:
            start = starts.get(programme)
            if start and forecast < start:
                parsed.add(index, "forecast_due_date", forecast.isoformat(),
                           f"the forecast is before the programme started ({format_date(start)})")

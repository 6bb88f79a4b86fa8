"""The rules a file's rows must keep with each other and with the database, beyond each cell's type:
keys repeated inside the file, UNIQUE rules, references to rows that do not exist, the programmes
the person may change, submitted reports that can no longer change, and a forecast before the
programme's start. Problems are added in the order rows were once checked one by one (rule by rule,
row by row), so that after sorting by row they read the same."""
from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.formatting import format_date
from monitor.permissions import Actor, may_write

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
    the row names and, for an update, the one it belongs to now), and must not be frozen."""
    changing = [i for i, action in enumerate(plan.actions) if action != "unchanged"]
    has_programme = spec.has("programme_id")
    stored = ref.existing.get("programme_id") if has_programme else None
    rule = frozen.get(spec.name)
    candidates = {plan.programmes[i] for i in changing}
    if has_programme:
        candidates |= {stored[plan.found[i]] for i in changing if plan.found[i] is not None}
    refusals = {}
    for programme in candidates:  # may_write is pure: asking once per programme is enough
        allowed, reason = may_write(actor, spec.name, programme)
        refusals[programme] = "" if allowed else reason
    if not rule and not any(refusals.values()):
        return
    frozen_values = ref.existing.get(rule[0]) if rule else None
    for index in changing:
        at = plan.found[index]
        programmes = {plan.programmes[index]}
        if at is not None and has_programme:
            programmes.add(stored[at])
        for programme in programmes:
            if refusals[programme]:
                parsed.add(index, "programme_id" if has_programme else None, programme, refusals[programme])
        if rule and at is not None and frozen_values[at] == rule[1]:
            parsed.add(index, rule[0], frozen_values[at],
                       f"this {spec.name} was {rule[1]} and can no longer be changed; add a corrected version instead")


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

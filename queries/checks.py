"""The data rules, run inside every write.

Each rule is a file in queries/checks/ that selects the rows breaking it ("select the violations", as
dbt's data tests do), opening with the rule in words (the first comment line) and, where a rule is about
one column, `-- Column: name`. Every write — the page's edits, imports, the build, a restore — runs
the rules that read the tables it changes, in its own transaction, before it commits: a rule that the
write breaks refuses the whole write. A rule already broken before the write (by data loaded long
ago) does not block an unrelated write; only what the write itself breaks refuses it.

The facts a test holds the shipped data to (153 councils with children's services, …) stay in
tests/data_checks/: they are facts about the demo, not rules for every write.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

CHECK_DIR = Path(__file__).resolve().parent / "checks"


# Rules about each row's own source read the all_sources() macro; in a write they read only the
# sources the write sets (WRITTEN), so a one-row edit does not re-read every row of every table.
ALL_SOURCES = "all_sources()"
WRITTEN = "_written_sources"


@dataclass(frozen=True)
class Check:
    name: str
    rule: str          # the rule in words
    sql: str
    tables: frozenset[str]
    column: str | None = None

    @property
    def row_local(self) -> bool:
        """A rule on each row's source alone (see ALL_SOURCES)."""
        return ALL_SOURCES in self.sql


@functools.cache
def load_checks(catalogue: frozenset[str]) -> tuple[Check, ...]:
    """Every rule in queries/checks/, with the tables (of `catalogue`) each one reads."""
    checks = []
    for path in sorted(CHECK_DIR.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        comments = [line[2:].strip() for line in sql.splitlines() if line.startswith("--")]
        rule_lines = []
        for line in comments:
            if line.startswith("Column:"):
                break
            rule_lines.append(line)
        column = next((line.split(":", 1)[1].strip() for line in comments if line.startswith("Column:")), None)
        body = re.sub(r"--[^\n]*", "", sql)
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", body))
        tables = {t for t in catalogue if t in words}
        if "all_sources" in words:  # every table with a source column
            tables |= set(catalogue)
        checks.append(Check(path.stem, " ".join(rule_lines), sql, frozenset(tables), column))
    return tuple(checks)


def checks_for(catalogue, tables) -> list[Check]:
    """The table rules that read any of `tables` (the rules on each row's source are run by
    `source_violations` on the sources a write sets)."""
    changed = set(tables)
    return [c for c in load_checks(frozenset(catalogue)) if c.tables & changed and not c.row_local]


def source_violations(cur, catalogue, written: list[tuple[str, str, str]]) -> list["Broken"]:
    """The rules on each row's source, run on the sources a write sets: (table, row key, source)."""
    if not written:
        return []
    import pandas as pd

    frame = pd.DataFrame(written, columns=["table_name", "row_key", "source"], dtype=object)
    cur.register(WRITTEN, frame)
    try:
        rules = [c for c in load_checks(frozenset(catalogue)) if c.row_local]
        found = {c.name: c for c in rules}
        rows = violations(cur, rules, lambda c: c.sql.replace(ALL_SOURCES, WRITTEN))
    finally:
        cur.unregister(WRITTEN)
    return [Broken(found[name], r) for name, r in rows.items() if r]


def violations(cur, checks: list[Check], sql_of=lambda c: c.sql) -> dict[str, list[dict]]:
    """Each rule's violating rows, as dicts of text (so rows before and after compare exactly)."""
    out = {}
    for check in checks:
        res = cur.execute(sql_of(check))
        names = [d[0] for d in res.description]
        out[check.name] = [dict(zip(names, ("" if v is None else str(v) for v in row))) for row in res.fetchall()]
    return out


@dataclass(frozen=True)
class Broken:
    check: Check
    rows: list[dict]

    def describe(self, most: int = 3) -> str:
        shown = "; ".join(", ".join(f"{k} {v}" for k, v in row.items() if v != "") for row in self.rows[:most])
        more = f" (and {len(self.rows) - most} more)" if len(self.rows) > most else ""
        return f"it would break the rule “{self.check.rule}” ({self.check.name}): {shown}{more}"


def new_violations(checks: list[Check], before: dict[str, list[dict]], after: dict[str, list[dict]]) -> list[Broken]:
    """What the write broke: rows violating a rule after it that did not before."""
    broken = []
    for check in checks:
        seen = {tuple(sorted(r.items())) for r in before.get(check.name, [])}
        new = [r for r in after.get(check.name, []) if tuple(sorted(r.items())) not in seen]
        if new:
            broken.append(Broken(check, new))
    return broken


def all_violations(cur) -> list[Broken]:
    """Every rule broken anywhere in the database (the build and a restore must break none)."""
    catalogue = {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = current_schema()").fetchall()}
    checks = list(load_checks(frozenset(catalogue)))
    found = violations(cur, checks)
    return [Broken(c, found[c.name]) for c in checks if found[c.name]]

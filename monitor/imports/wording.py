"""The rules a file must keep, in plain English, made from the same definitions the checks run: the
schema's CHECK rules (read by monitor.imports.expressions from the catalogue's own text), keys,
UNIQUE rules and references (monitor.imports.spec). The templates' *columns* sheet, their drop-down
prompts, the Data page and the problems an import reports all say a rule in these words.

    check_sentence(Check(("end_date", "start_date"), "((end_date IS NULL) OR (end_date >= start_date))"))
    -> "when end_date is given, it must be on or after start_date"
"""
from __future__ import annotations

from monitor.imports.expressions import (COMPARISONS, And, Between, Call, Cast, Col, ExpressionError, In, IsNull,
                                         Lit, Not, Op, Or, negate, parse)
from monitor.imports.patterns import article, join, pattern_words, quoted, strip_anchors
from monitor.imports.spec import Check, ForeignKey, TableSpec

# What a row of each table is, in the council's words ("a programme", "a council").
THINGS = {
    "programme": "programme", "authority": "council", "workstream": "work stream", "milestone": "milestone",
    "ofsted_inspection": "Ofsted inspection", "ofsted_framework_version": "Ofsted framework version",
    "indicator": "indicator", "commissioner_report": "quarterly report", "appraisal": "options appraisal",
    "appraisal_option": "appraisal option", "appraisal_criterion": "appraisal criterion", "risk": "risk",
    "data_source": "data source", "paper": "paper", "app_user": "user",
}
# The forecast rule of monitor.imports.rules (_forecasts), which the schema cannot state.
FORECAST_RULE = "forecast_due_date cannot be before the programme's start_date"


def thing(table: str) -> str:
    return THINGS.get(table, table.replace("_", " "))


# --- a CHECK rule -----------------------------------------------------------------------------------


def check_sentence(check: Check, kinds: dict[str, str] | None = None) -> str:
    """The rule in words (no full stop): 'planned_gbp cannot be negative'. `kinds` (column ->
    kind, from the table's spec) tells dates apart, so they read 'on or after'."""
    try:
        return _must(parse(check.expression), kinds or {})
    except ExpressionError:
        return f"{join(list(check.columns))} must keep a rule of the database that has no wording yet"


class _Clause:
    """A condition on one subject: `base` is its verb phrase in the base form ('be empty',
    'not be negative', 'contain "@"')."""

    def __init__(self, subject: str, base: str):
        self.subject, self.base = subject, base

    def must(self, subject: str | None = None) -> str:
        return f"{subject or self.subject} {must_phrase(self.base)}"

    def is_(self, subject: str | None = None, many: bool = False) -> str:
        return f"{subject or self.subject} {is_phrase(self.base, many)}"


def must_phrase(base: str) -> str:
    if base.startswith("not be "):
        return "cannot be " + base[len("not be "):]
    if base == "be empty":
        return "must be left empty"
    return "must " + base


def is_phrase(base: str, many: bool = False) -> str:
    if base.startswith("be "):
        return ("are " if many else "is ") + base[3:]
    if base.startswith("not be "):
        return ("are not " if many else "is not ") + base[7:]
    if base.startswith("not "):
        return ("do not " if many else "does not ") + base[4:]
    verb, _, rest = base.partition(" ")
    if many:
        return base
    verb = {"have": "has"}.get(verb, verb + ("es" if verb.endswith(("s", "sh", "ch")) else "s"))
    return f"{verb} {rest}".strip()


def _factor(phrases: list[str]) -> str:
    """'must be at least 1' + 'must be at most 5' -> 'must be at least 1 and at most 5'."""
    for lead in ("must be ", "cannot be ", "is ", "is not ", "must "):
        if all(p.startswith(lead) for p in phrases):
            return lead + join([p[len(lead):] for p in phrases])
    return join(phrases)


def _is_condition(node) -> bool:
    return isinstance(node, (IsNull, And, Or, Not, Between, In, Call)) or (
        isinstance(node, Op) and (node.op in COMPARISONS or node.op == "~"))


def _clause(node, kinds) -> _Clause | None:
    """A condition on one subject, or None for a compound one."""
    if isinstance(node, IsNull):
        return _Clause(value_words(node.value), "be given" if node.negated else "be empty")
    if isinstance(node, Between):
        return _Clause(value_words(node.value),
                       f"be between {value_words(node.low)} and {value_words(node.high)}")
    if isinstance(node, In):
        return _Clause(value_words(node.value), f"be one of {join([value_words(o) for o in node.options], 'or')}")
    if isinstance(node, Call) and len(node.args) == 2 and isinstance(node.args[1], Lit):
        subject, pattern = value_words(node.args[0]), str(node.args[1].value)
        if node.name == "regexp_full_match":
            return _Clause(subject, f"be written as {pattern_words(pattern)}")
        if node.name == "regexp_matches":
            return _Clause(subject, f"contain {pattern_words(pattern)}")
        if node.name == "contains":
            return _Clause(subject, f"contain {quoted(pattern)}")
    if isinstance(node, Not):
        inner = _clause(node.item, kinds)
        if inner is not None:
            return _Clause(inner.subject, _negated(inner.base))
    if isinstance(node, Op) and node.op == "~" and isinstance(_bare(node.right), Lit):
        pattern = str(_bare(node.right).value)
        whole = strip_anchors(pattern)
        verb = "be written as" if whole != pattern else "contain"
        return _Clause(value_words(node.left), f"{verb} {pattern_words(whole)}")
    if isinstance(node, Op) and node.op in COMPARISONS and not (
            node.op == "=" and _is_condition(node.left) and _is_condition(node.right)):
        return _comparison(node, kinds)
    return None


def _negated(base: str) -> str:
    if base.startswith("not "):
        return base[4:]
    return "not " + base


def _bare(node):
    """A value without the casts PostgreSQL writes on literals ('closed'::programme_status)."""
    while isinstance(node, Cast) and isinstance(node.value, (Lit, Col)):
        node = node.value
    return node


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
_NUMBER_WORDS = {">=": "be at least", ">": "be more than", "<=": "be at most", "<": "be less than"}
_DATE_WORDS = {">=": "be on or after", ">": "be after", "<=": "be on or before", "<": "be before",
               "=": "be the same date as", "!=": "be a different date from"}


def _is_date(node, kinds) -> bool:
    node = _bare(node)
    return isinstance(node, Col) and (kinds.get(node.name) in ("date", "timestamp") or (
        node.name not in kinds and node.name.endswith(("_date", "_at"))))


def _comparison(node: Op, kinds) -> _Clause:
    op, left, right = node.op, _bare(node.left), _bare(node.right)
    if isinstance(left, Lit) and not isinstance(right, Lit):
        op, left, right = _FLIP[op], right, left
    idiom = _following_year(op, left, right)
    if idiom:
        return idiom
    subject, other = value_words(left), value_words(right)
    if _is_date(left, kinds) or _is_date(right, kinds):
        return _Clause(subject, f"{_DATE_WORDS[op]} {other}")
    if isinstance(right, Lit):
        if op == "=":
            return _Clause(subject, f"be {other}")
        if op == "!=":
            return _Clause(subject, "not be empty" if right.value == "" else f"not be {other}")
        if op == ">=" and right.value == 0:
            return _Clause(subject, "not be negative")
        if op == ">" and right.value == 0:
            return _Clause(subject, "be more than 0")
        return _Clause(subject, f"{_NUMBER_WORDS[op]} {other}")
    if op == "=":
        return _Clause(subject, f"be the same as {other}")
    if op == "!=":
        return _Clause(subject, f"be different from {other}")
    return _Clause(subject, f"{_NUMBER_WORDS[op]} {other}")


def _substr_of(node):
    """(column, start, length) of CAST(substr(column, start, length) AS a number), else None."""
    node = node.value if isinstance(node, Cast) else node
    if isinstance(node, Call) and node.name in ("substr", "substring") and len(node.args) == 3 \
            and isinstance(node.args[0], Col) and all(isinstance(a, Lit) for a in node.args[1:]):
        return node.args[0].name, node.args[1].value, node.args[2].value
    return None


def _following_year(op, left, right) -> _Clause | None:
    """(year + 1) % 100 = next: the two years of a financial year follow each other (2024/25)."""
    if op != "=" or not (isinstance(left, Op) and left.op == "%" and left.right == Lit(100)):
        return None
    plus = left.left
    if not (isinstance(plus, Op) and plus.op == "+" and plus.right == Lit(1)):
        return None
    first, second = _substr_of(plus.left), _substr_of(right)
    if first and second and first[0] == second[0]:
        return _Clause(f"the second year in {first[0]}", "be the year after the first (as in 2024/25)")
    return None


def value_words(node) -> str:
    """A value in words: a column by its name, text in quotes, arithmetic spelt out."""
    node = _bare(node)
    if isinstance(node, Col):
        return node.name
    if isinstance(node, Lit):
        if node.value is None:
            return "empty"
        if isinstance(node.value, bool):
            return "TRUE" if node.value else "FALSE"
        return quoted(node.value) if isinstance(node.value, str) else f"{node.value:g}"
    if isinstance(node, Cast):
        inner = value_words(node.value)
        return f"the number in {inner}" if _substr_of(node) else inner
    if isinstance(node, Call):
        args = [value_words(a) for a in node.args]
        if _substr_of(node):
            column, start, length = _substr_of(node)
            return f"characters {start} to {start + length - 1} of {column}"
        if node.name in ("length", "char_length") and args:
            return f"the length of {args[0]}"
        if node.name in ("lower", "upper", "trim") and args:
            return args[0]
        return f"the {node.name.replace('_', ' ')} of {join(args)}"
    if isinstance(node, Op):
        left, right = value_words(node.left), value_words(node.right)
        if node.op == "%":
            return f"the last two digits of {left}" if node.right == Lit(100) else \
                f"the remainder of {left} divided by {right}"
        return f"{left} {dict(zip('+-*/', ('plus', 'minus', 'times', 'divided by'))).get(node.op, 'followed by')} {right}"
    return "a value"


def _must(node, kinds) -> str:
    clause = _clause(node, kinds)
    if clause is not None:
        return clause.must()
    if isinstance(node, Not):
        return _must(negate(node.item), kinds)
    if isinstance(node, And):
        return _joined(node.items, kinds, "must")
    if isinstance(node, Or):
        return _either(node, kinds)
    if isinstance(node, Op) and node.op == "=" and _is_condition(node.left) and _is_condition(node.right):
        return _exactly_when(node.left, node.right, kinds)
    return f"{value_words(node)} must hold"


def _is(node, kinds) -> str:
    """The condition as a statement ('end_date is given'), for after 'when'."""
    clause = _clause(node, kinds)
    if clause is not None:
        return clause.is_()
    if isinstance(node, Not):
        return _is(negate(node.item), kinds)
    if isinstance(node, And):
        return _joined(node.items, kinds, "is")
    if isinstance(node, Or):
        return join([_is(i, kinds) for i in node.items], "or")
    if isinstance(node, Op) and node.op == "=" and _is_condition(node.left) and _is_condition(node.right):
        return f"{_is(node.left, kinds)} exactly when {_is(node.right, kinds)}"
    return f"{value_words(node)} holds"


def _joined(items, kinds, mood: str) -> str:
    """Conditions that must all hold: one subject's together ('must be at least 1 and at most 5'),
    one predicate's subjects together ('a and b are both given')."""
    clauses = [_clause(i, kinds) for i in items]
    if any(c is None for c in clauses):
        return _and([(_must if mood == "must" else _is)(i, kinds) for i in items])
    subjects = list(dict.fromkeys(c.subject for c in clauses))
    bases = list(dict.fromkeys(c.base for c in clauses))
    if len(subjects) == 1:
        phrase = _factor([must_phrase(c.base) if mood == "must" else is_phrase(c.base) for c in clauses])
        return f"{subjects[0]} {phrase}"
    if len(bases) == 1:
        named = join(subjects)
        if mood == "must":
            return f"{named} {must_phrase(bases[0])}"
        both = "both " if len(subjects) == 2 else "all "
        return f"{named} {is_phrase(bases[0], many=True).replace('are ', 'are ' + both, 1)}"
    return _and([c.must() if mood == "must" else c.is_() for c in clauses])


def _and(phrases: list[str]) -> str:
    """Phrases that hold their own commas are joined with ', and'."""
    if len(phrases) > 1 and any("," in p for p in phrases):
        return ", ".join(phrases[:-1]) + ", and " + phrases[-1]
    return join(phrases)


def _either(node: Or, kinds) -> str:
    """A OR B OR C: 'at least one of ... must be given', or 'when (not A) and (not B), C'."""
    items = list(node.items)
    if all(isinstance(i, IsNull) and i.negated for i in items):
        names = [value_words(i.value) for i in items]
        if len(names) == 2:
            return f"{names[0]} or {names[1]} (or both) must be given"
        return f"at least one of {join(names)} must be given"
    *conditions, consequence = items
    conditions = [negate(c) for c in conditions]
    when = _is(conditions[0] if len(conditions) == 1 else And(tuple(conditions)), kinds)
    result = _must(consequence, kinds)
    first = _clause(conditions[0], kinds) if len(conditions) == 1 else None
    then = _clause(consequence, kinds)
    if first and then and first.subject == then.subject:
        result = then.must("it")
    return f"when {when}, {result}"


def _exactly_when(left, right, kinds) -> str:
    """(status = 'complete') = (completed_date IS NOT NULL): given exactly when the other holds."""
    for given, condition in ((right, left), (left, right)):
        if isinstance(given, IsNull):
            subject = value_words(given.value)
            if given.negated:
                return f"{subject} must be given when {_is(condition, kinds)}, and left empty otherwise"
            return f"{subject} must be left empty when {_is(condition, kinds)}, and given otherwise"
    return f"{_is(left, kinds)} exactly when {_is(right, kinds)}"


# --- keys, UNIQUE rules and references ---------------------------------------------------------------


def key_sentence(spec: TableSpec) -> str:
    key = list(spec.key)
    if len(key) == 1:
        return (f"Each row needs its own {key[0]}: a row whose {key[0]} is already in the dashboard updates "
                f"that {thing(spec.name)}; a new {key[0]} adds one")
    return (f"Each row needs its own combination of {join(key)}: a row whose combination is already in the "
            f"dashboard updates that row; a new one adds a row")


def unique_sentence(unique: tuple[str, ...]) -> str:
    if len(unique) == 1:
        return f"no two rows may have the same {unique[0]}"
    return f"no two rows may have the same {join(list(unique))}"


def reference_sentence(fk: ForeignKey) -> str:
    """What a column that refers to another table must hold."""
    what = thing(fk.table)
    if len(fk.columns) == 1:
        return (f"{fk.columns[0]} must be the {fk.referenced[0]} of {article(what)} already in the dashboard"
                + ("" if fk.table == "authority" else f" (add the {what} first)"))
    return (f"{join(list(fk.columns))} together must be the {join(list(fk.referenced))} of "
            f"{article(what)} already in the dashboard")

"""The schema's CHECK rules as a small expression tree: read from the text the database's catalogue
gives (DuckDB's, and PostgreSQL's `::type` casts and `~` matches), put into words by
monitor.imports.wording and evaluated on a row by monitor.imports.evaluation.holds (the templates'
example rows are built to keep them). The database itself remains the judge on every write: this reads the same rule, so
the words and the examples cannot drift from it.

Only the SQL a CHECK can hold is read: comparisons, AND / OR / NOT, IS [NOT] NULL, BETWEEN, IN,
arithmetic, CAST, and function calls. Anything else raises ExpressionError.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


class ExpressionError(ValueError):
    """The text is not an expression this module reads."""


@dataclass(frozen=True)
class Col:
    name: str


@dataclass(frozen=True)
class Lit:
    value: object  # str, int, float, bool or None


@dataclass(frozen=True)
class Call:
    name: str  # lower case
    args: tuple


@dataclass(frozen=True)
class Cast:
    value: object
    type: str  # upper case: INTEGER, VARCHAR...


@dataclass(frozen=True)
class Op:
    """A binary operator: comparison (= != < <= > >= ~) or arithmetic (+ - * / % ||)."""
    op: str
    left: object
    right: object


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


@dataclass(frozen=True)
class IsNull:
    value: object
    negated: bool = False  # IS NOT NULL


@dataclass(frozen=True)
class Between:
    value: object
    low: object
    high: object


@dataclass(frozen=True)
class In:
    value: object
    options: tuple


@dataclass(frozen=True)
class Array:
    """PostgreSQL's ARRAY[...], read only as the list of x = ANY (...)."""
    items: tuple


COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^']|'')*')
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<quoted>"(?:[^"]|"")+")
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>::|<>|!=|>=|<=|!~|\|\||[=<>~+\-*/%(),\[\]])
)""", re.VERBOSE)
_KEYWORDS = {"AND", "OR", "NOT", "IS", "NULL", "BETWEEN", "IN", "CAST", "AS", "TRUE", "FALSE", "ANY", "ARRAY"}


def _tokens(text: str) -> list[tuple[str, str]]:
    out, at = [], 0
    text = text.rstrip()
    while at < len(text):
        m = _TOKEN.match(text, at)
        if not m or m.end() == at:
            raise ExpressionError(f"cannot read {text[at:at + 20]!r}")
        at = m.end()
        kind = m.lastgroup
        value = m[kind]
        if kind == "word" and value.upper() in _KEYWORDS:
            kind, value = "key", value.upper()
        out.append((kind, value))
    return out


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self, offset: int = 0) -> tuple[str, str]:
        i = self.at + offset
        return self.tokens[i] if i < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if value is not None and token[1] != value:
            raise ExpressionError(f"expected {value!r}, found {token[1]!r}")
        self.at += 1
        return token

    def accept(self, value: str) -> bool:
        if self.peek()[1] == value and self.peek()[0] in ("key", "op"):
            self.at += 1
            return True
        return False

    def parse(self):
        node = self.or_()
        if self.peek()[0] != "end":
            raise ExpressionError(f"unexpected {self.peek()[1]!r}")
        return node

    def or_(self):
        items = [self.and_()]
        while self.accept("OR"):
            items.append(self.and_())
        return items[0] if len(items) == 1 else Or(tuple(_flat(items, Or)))

    def and_(self):
        items = [self.not_()]
        while self.accept("AND"):
            items.append(self.not_())
        return items[0] if len(items) == 1 else And(tuple(_flat(items, And)))

    def not_(self):
        if self.accept("NOT"):
            return Not(self.not_())
        return self.comparison()

    def comparison(self):
        left = self.sum_()
        kind, value = self.peek()
        if value in ("=", "!=", "<>", "<", "<=", ">", ">=", "~", "!~"):
            self.take()
            if value in ("=", "!=", "<>") and self.accept("ANY"):  # PostgreSQL's x = ANY (ARRAY[...])
                self.take("(")
                inner = self.sum_()
                self.take(")")
                while isinstance(inner, Cast):
                    inner = inner.value
                if not isinstance(inner, Array):
                    raise ExpressionError("ANY of something other than a list")
                node = In(left, inner.items)
                return Not(node) if value != "=" else node
            right = self.sum_()
            if value == "!~":
                return Not(Op("~", left, right))
            return Op("!=" if value == "<>" else value, left, right)
        if self.accept("IS"):
            negated = self.accept("NOT")
            self.take("NULL")
            return IsNull(left, negated)
        negated = self.accept("NOT")
        if self.accept("BETWEEN"):
            low = self.sum_()
            self.take("AND")
            node = Between(left, low, self.sum_())
        elif self.accept("IN"):
            self.take("(")
            options = [self.sum_()]
            while self.accept(","):
                options.append(self.sum_())
            self.take(")")
            node = In(left, tuple(options))
        elif negated:
            raise ExpressionError("NOT in an unexpected place")
        else:
            return left
        return Not(node) if negated else node

    def array(self) -> tuple:
        self.take("[")
        options = [self.sum_()]
        while self.accept(","):
            options.append(self.sum_())
        self.take("]")
        return tuple(options)

    def sum_(self):
        node = self.product()
        while self.peek()[1] in ("+", "-", "||") and self.peek()[0] == "op":
            node = Op(self.take()[1], node, self.product())
        return node

    def product(self):
        node = self.unary()
        while self.peek()[1] in ("*", "/", "%") and self.peek()[0] == "op":
            node = Op(self.take()[1], node, self.unary())
        return node

    def unary(self):
        if self.accept("-"):
            inner = self.unary()
            return Lit(-inner.value) if isinstance(inner, Lit) and isinstance(inner.value, (int, float)) \
                else Op("-", Lit(0), inner)
        node = self.primary()
        while self.accept("::"):  # PostgreSQL's cast: 'closed'::programme_status, x::text
            node = Cast(node, self.type_name())
        return node

    def type_name(self) -> str:
        words = [self.take()[1]]
        while self.peek()[0] == "word" and self.peek()[1].lower() in ("varying", "precision", "zone"):
            words.append(self.take()[1])
        if self.accept("("):
            while not self.accept(")"):
                self.take()
        while self.peek()[1] == "[" and self.peek(1)[1] == "]":  # an array type: text[]
            self.take()
            self.take()
        return " ".join(words).upper()

    def primary(self):
        kind, value = self.take()
        if kind == "string":
            return Lit(value[1:-1].replace("''", "'"))
        if kind == "number":
            return Lit(float(value) if "." in value else int(value))
        if kind == "quoted":
            name = value[1:-1].replace('""', '"')
            if self.accept("("):  # DuckDB quotes some function names ("trim"(reason))
                return self.call(name)
            return Col(name)
        if kind == "key" and value in ("TRUE", "FALSE", "NULL"):
            return Lit({"TRUE": True, "FALSE": False, "NULL": None}[value])
        if kind == "key" and value == "ARRAY":
            return Array(self.array())
        if kind == "key" and value == "CAST":
            self.take("(")
            inner = self.or_()
            self.take("AS")
            type_name = self.type_name()
            self.take(")")
            return Cast(inner, type_name)
        if kind == "op" and value == "(":
            inner = self.or_()
            self.take(")")
            return inner
        if kind == "word":
            if self.accept("("):
                return self.call(value)
            return Col(value)
        raise ExpressionError(f"unexpected {value!r}")

    def call(self, name: str):
        """The arguments of a function call, its "(" already read."""
        args = []
        if not self.accept(")"):
            args.append(self.or_())
            while self.accept(","):
                args.append(self.or_())
            self.take(")")
        return Call(name.lower(), tuple(args))


def _flat(items: list, kind) -> list:
    out = []
    for item in items:
        out.extend(item.items if isinstance(item, kind) else [item])
    return out


def parse(text: str):
    """The expression tree of a CHECK rule's text (as the catalogue gives it)."""
    return _Parser(text).parse()


_OPPOSITE = {"=": "!=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


def negate(node):
    """NOT node, pushed inwards (De Morgan), so that it reads as a plain condition."""
    if isinstance(node, Not):
        return node.item
    if isinstance(node, IsNull):
        return IsNull(node.value, not node.negated)
    if isinstance(node, Op) and node.op in _OPPOSITE:
        return Op(_OPPOSITE[node.op], node.left, node.right)
    if isinstance(node, And):
        return Or(tuple(negate(i) for i in node.items))
    if isinstance(node, Or):
        return And(tuple(negate(i) for i in node.items))
    return Not(node)

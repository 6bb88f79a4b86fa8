"""A CHECK rule (monitor.imports.expressions' tree) evaluated on one row, in SQL's three values
(True, False, None for unknown): what the templates' example rows are built to keep."""
from __future__ import annotations

import datetime as dt
import decimal
import re

from monitor.imports.expressions import (And, Between, Call, Cast, Col, In, IsNull, Lit, Not,
                                         Op, Or)


class _Unknown(Exception):
    pass


def holds(node, row: dict) -> bool:
    """Whether `row` keeps the rule: as a CHECK, an unknown (NULL) result keeps it. A value the
    rule cannot read (a failed CAST) breaks it, as the database would refuse it."""
    try:
        return _value(node, row) is not False
    except (_Unknown, ValueError, TypeError, ArithmeticError, re.error):
        return False


def _value(node, row: dict):
    if isinstance(node, Lit):
        return node.value
    if isinstance(node, Col):
        value = row.get(node.name)
        return float(value) if isinstance(value, decimal.Decimal) else value
    if isinstance(node, IsNull):
        return (_value(node.value, row) is None) != node.negated
    if isinstance(node, Not):
        value = _value(node.item, row)
        return None if value is None else not value
    if isinstance(node, And):
        values = [_value(i, row) for i in node.items]
        return False if False in values else None if None in values else True
    if isinstance(node, Or):
        values = [_value(i, row) for i in node.items]
        return True if True in values else None if None in values else False
    if isinstance(node, Between):
        value, low, high = (_value(x, row) for x in (node.value, node.low, node.high))
        return None if None in (value, low, high) else low <= value <= high
    if isinstance(node, In):
        value = _value(node.value, row)
        return None if value is None else value in [_value(o, row) for o in node.options]
    if isinstance(node, Cast):
        return _cast(_value(node.value, row), node.type)
    if isinstance(node, Call):
        return _call(node.name, [_value(a, row) for a in node.args])
    if isinstance(node, Op):
        left, right = _value(node.left, row), _value(node.right, row)
        if left is None or right is None:
            return None
        return _OPERATORS[node.op](left, right)
    raise _Unknown(type(node).__name__)


_OPERATORS = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "+": lambda a, b: a + b, "-": lambda a, b: a - b,
    "*": lambda a, b: a * b, "/": lambda a, b: a / b, "%": lambda a, b: a % b, "||": lambda a, b: f"{a}{b}",
    "~": lambda a, b: re.search(b, a) is not None,
}


def _cast(value, type_name: str):
    if value is None:
        return None
    if type_name in ("INTEGER", "BIGINT", "SMALLINT", "INT", "INT4", "INT8"):
        return int(str(value).strip())
    if type_name in ("DOUBLE", "FLOAT", "REAL", "NUMERIC", "DECIMAL", "DOUBLE PRECISION"):
        return float(value)
    if type_name == "DATE":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return value if isinstance(value, str) else str(value)


def _call(name: str, args: list):
    if any(a is None for a in args):
        return None
    if name == "regexp_full_match":
        return re.fullmatch(args[1], args[0]) is not None
    if name == "regexp_matches":
        return re.search(args[1], args[0]) is not None
    if name == "contains":
        return args[1] in args[0]
    if name in ("substr", "substring"):
        start = int(args[1])
        return args[0][start - 1:] if len(args) == 2 else args[0][start - 1:start - 1 + int(args[2])]
    if name in ("length", "char_length"):
        return len(args[0])
    if name in ("lower", "upper", "trim"):
        return getattr(str(args[0]), {"trim": "strip"}.get(name, name))()
    raise _Unknown(name)

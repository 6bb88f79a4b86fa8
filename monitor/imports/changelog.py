"""The change log as people read it: one line per change with what changed (before → after), and
one change's before and after side by side."""
from __future__ import annotations

import json

import pandas as pd

from monitor.formatting import format_date

# What a download of the change log comes from (monitor.tidy.Origin).
SOURCE = "Improvement Monitor's change log: every write to its database, with who made it and when"


def _load(text) -> dict:
    if not isinstance(text, str) or not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _show(value) -> str:
    return "" if value is None else str(value)


def changed_fields(before: str | None, after: str | None, limit: int = 6) -> str:
    """'owner: A → B; status: on track → at risk' (row_version left out)."""
    b, a = _load(before), _load(after)
    names = [k for k in dict.fromkeys([*b, *a]) if k != "row_version" and b.get(k) != a.get(k)]
    if not b and a:
        return "new row"
    if b and not a:
        return "row deleted"
    parts = [f"{k}: {_show(b.get(k)) or '(empty)'} → {_show(a.get(k)) or '(empty)'}" for k in names[:limit]]
    if len(names) > limit:
        parts.append(f"and {len(names) - limit} more")
    return "; ".join(parts)


def describe_log(log: pd.DataFrame) -> pd.DataFrame:
    """The log (query change_log_entries) as a table a person reads."""
    rows = []
    for r in log.to_dict("records"):
        when = r["changed_at"]
        rows.append({
            "Change": int(r["change_id"]),
            "When": f"{format_date(when)} {pd.Timestamp(when):%H:%M}" if pd.notna(when) else "",
            "Who": r["changed_by"], "Table": r["table_name"], "Row": _key_text(r["row_key"]),
            "Action": r["action"],
            "What changed": (r.get("note") or "") if r["action"] == "refused" else changed_fields(r["before_json"], r["after_json"]),
            "Note": "" if r["action"] == "refused" else (r.get("note") or ""),
        })
    return pd.DataFrame(rows, columns=["Change", "When", "Who", "Table", "Row", "Action", "What changed", "Note"])


def _key_text(row_key: str) -> str:
    key = _load(row_key)
    return ", ".join(str(v) for v in key.values()) if key else str(row_key or "")


def side_by_side(before: str | None, after: str | None) -> pd.DataFrame:
    """Every field of one change: before, after, and whether it changed."""
    b, a = _load(before), _load(after)
    rows = [{"Field": k, "Before": _show(b.get(k)), "After": _show(a.get(k)),
             "Changed": "yes" if b.get(k) != a.get(k) else ""} for k in dict.fromkeys([*b, *a])]
    return pd.DataFrame(rows, columns=["Field", "Before", "After", "Changed"])

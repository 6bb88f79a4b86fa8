"""The Risks page's register and heat-map tables and sentences: filters, order, the cell a person
picked, what each risk's score and movement read as."""
from __future__ import annotations

import pandas as pd

from monitor.formatting import format_date
from monitor.risks.rules import (
    LEVELS,
    MOVEMENT_DOWN,
    MOVEMENT_RULES,
    MOVEMENT_SAME,
    MOVEMENT_UP,
    POSITIONS,
    SCORE_BANDS,
    _statuses,
    heat_map_counts,
    is_review_overdue,
    mapped_risks,
    score,
    score_band,
    score_bands,
)

CLOSED_EARLIER = "closed earlier"


def describe_movement(row) -> str:
    """'▲ up: 9 → 12', '▼ down: 6 → 4', '► no change (12)', 'new', 'closed'."""
    word = row["movement"]
    before, after = row.get("score_before"), row.get("score_after")
    if word in (MOVEMENT_UP, MOVEMENT_DOWN) and not pd.isna(before) and not pd.isna(after):
        return f"{word}: {int(before)} → {int(after)}"
    if word == MOVEMENT_SAME and not pd.isna(after):
        return f"{word} ({int(after)})"
    return str(word)


def movement_counts(moved: pd.DataFrame) -> dict[str, int]:
    """How many risks moved each way, in the order of ``MOVEMENT_RULES`` (zeros included)."""
    counts = moved["movement"].value_counts() if moved is not None and not moved.empty else pd.Series(dtype=int)
    return {word: int(counts.get(word, 0)) for word, _rule in MOVEMENT_RULES}


def describe_score(likelihood, impact) -> str:
    """'12 (High)' for likelihood 3 × impact 4; '' when either is missing."""
    if pd.isna(likelihood) or pd.isna(impact):
        return ""
    s = score(int(likelihood), int(impact))
    return f"{s} ({score_band(s)})"


def review_state(row, today) -> str:
    """What a risk's review date means today, in words: 'Overdue by 12 days', 'Due today',
    'Due in 23 days', 'No review date set', or 'Closed' for a closed risk."""
    status = str(row.get("status") or "").strip().lower()
    if status == "closed":
        return "Closed"
    due = row.get("next_review_date")
    if due is None or pd.isna(due):
        return "No review date set"
    days = (pd.Timestamp(due).normalize() - pd.Timestamp(today).normalize()).days
    if days < 0:
        return f"⚠ Overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "Due today"
    return f"Due in {days} day{'s' if days != 1 else ''}"


def filter_register(risks: pd.DataFrame, categories=(), owners=(), statuses=()) -> pd.DataFrame:
    """The risks matching every non-empty filter (an empty filter means all)."""
    out = risks
    for column, chosen in (("category", categories), ("owner", owners), ("status", statuses)):
        if chosen:
            out = out.loc[out[column].astype(str).isin(list(chosen))]
    return out


def order_register(risks: pd.DataFrame, today) -> pd.DataFrame:
    """Reviews overdue first (longest overdue first), then the other open risks by current score,
    highest first, then the closed ones; ties by risk_id."""
    if risks is None or risks.empty:
        return risks
    late = is_review_overdue(risks, today)
    due = pd.to_datetime(risks["next_review_date"]).dt.normalize()
    days_over = (pd.Timestamp(today).normalize() - due).dt.days.where(late, 0).fillna(0)
    keys = pd.DataFrame({
        "late": ~late,  # False sorts first
        "days_over": -days_over,
        "closed": _statuses(risks) == "closed",
        "score": -score(risks["likelihood"], risks["impact"]).astype("float").fillna(0).to_numpy(),
        "risk_id": risks["risk_id"].astype(str),
    }, index=risks.index)
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return risks.loc[order]


def cell_risks(risks: pd.DataFrame, likelihood: int, impact: int, include_closed: bool = False) -> pd.DataFrame:
    """The risks sitting in one heat-map cell (the same rule as ``heat_map_counts``)."""
    if risks is None or risks.empty:
        return risks
    work = mapped_risks(risks, include_closed)
    return work.loc[(pd.to_numeric(work["likelihood"]) == likelihood) & (pd.to_numeric(work["impact"]) == impact)]


def cell_options(counts: pd.DataFrame) -> list[str]:
    """The heat-map cells that hold risks as 'likelihood-impact' keys, highest score first."""
    cells = [(int(l), int(i), int(counts.loc[l, i])) for l in counts.index for i in counts.columns if counts.loc[l, i]]
    cells.sort(key=lambda c: (-c[0] * c[1], -c[0], -c[1]))
    return [f"{l}-{i}" for l, i, _n in cells]


def parse_cell(key: str | None) -> tuple[int, int] | None:
    """'3-4' → (3, 4); None for anything else."""
    if not key or "-" not in str(key):
        return None
    try:
        likelihood, impact = (int(part) for part in str(key).split("-", 1))
    except ValueError:
        return None
    if likelihood in LEVELS and impact in LEVELS:
        return likelihood, impact
    return None


def describe_cell(key: str, counts: pd.DataFrame | None = None) -> str:
    """'Likelihood 3 × impact 4 — score 12 (High), 2 risks'."""
    cell = parse_cell(key)
    if cell is None:
        return str(key)
    likelihood, impact = cell
    text = f"Likelihood {likelihood} × impact {impact} — score {describe_score(likelihood, impact)}"
    if counts is not None:
        n = int(counts.loc[likelihood, impact])
        text += f", {n} risk{'' if n == 1 else 's'}"
    return text


def heat_map_summary(risks: pd.DataFrame, include_closed: bool = False, what: str = "current") -> str:
    """One sentence: how many risks are mapped, by band, and the highest."""
    work = mapped_risks(risks, include_closed)
    label = "risks" if include_closed else "open risks"
    if work is None or work.empty:
        return f"No {label} to map."
    scores = score(work["likelihood"], work["impact"])
    bands = score_bands(scores).value_counts()
    parts = [f"{int(bands.get(b, 0))} {b}" for _lo, _hi, b in reversed(SCORE_BANDS)]
    top = work.assign(_s=scores.to_numpy()).sort_values(["_s", "risk_id"], ascending=[False, True]).iloc[0]
    top_score = int(top["_s"])
    return (f"{len(work)} {label} by {what} score: {', '.join(parts)}. Highest: {top['risk_id']} "
            f"(score {top_score}, {score_band(top_score)}).")


REGISTER_COLUMNS = [
    "Risk", "Review", "Movement", "Current score", "Description", "Owner", "Category", "Likelihood", "Impact",
    "Inherent score", "Target score", "Mitigation", "Status", "Raised", "Last reviewed", "Next review", "Closed",
    "Source",
]


def _closed(row) -> bool:
    return str(row.get("status") or "").strip().lower() == "closed"


def register_table(risks: pd.DataFrame, moved: pd.DataFrame | None, today) -> pd.DataFrame:
    """The register as people read it: ordered by ``order_register`` (overdue reviews first), scores
    as '12 (High)', movement and review in words and symbols, dates as '3 Feb 2020' (text, so no
    '00:00:00'), likelihood and impact as numbers. Columns ``REGISTER_COLUMNS``."""
    if risks is None or risks.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in REGISTER_COLUMNS})
    ordered = order_register(risks, today)
    words = {}
    if moved is not None and not moved.empty:
        words = {r["risk_id"]: describe_movement(r) for _, r in moved.iterrows()}

    def pair(row, which):
        l_col, i_col = POSITIONS[which]
        return describe_score(row[l_col], row[i_col])

    rows = []
    for _, r in ordered.iterrows():
        rows.append({
            "Risk": r["risk_id"], "Description": r["description"], "Category": r["category"], "Owner": r["owner"],
            "Review": review_state(r, today),
            "Movement": words.get(str(r["risk_id"]), CLOSED_EARLIER if moved is not None and _closed(r) else "not compared"),
            "Likelihood": int(r["likelihood"]), "Impact": int(r["impact"]),
            "Inherent score": pair(r, "inherent"), "Current score": pair(r, "current"), "Target score": pair(r, "target"),
            "Mitigation": r.get("mitigation") if isinstance(r.get("mitigation"), str) else "",
            "Status": str(r["status"]), "Raised": format_date(r["raised_date"]),
            "Last reviewed": format_date(r.get("last_reviewed_date")), "Next review": format_date(r.get("next_review_date")),
            "Closed": format_date(r.get("closed_date")), "Source": r["source"],
        })
    return pd.DataFrame(rows, columns=REGISTER_COLUMNS)


def heat_map_table(risks: pd.DataFrame, include_closed: bool = False) -> pd.DataFrame:
    """What the heat map shows, as a table: one row per cell (25), highest score first, with the
    number of risks and their ids."""
    counts = heat_map_counts(risks, include_closed=include_closed)
    in_cell: dict[tuple, list[str]] = {}  # the risks of every cell in one pass (cell_risks' rule)
    if risks is not None and not risks.empty:
        work = mapped_risks(risks, include_closed)
        for cell in zip(pd.to_numeric(work["likelihood"]), pd.to_numeric(work["impact"]), work["risk_id"].astype(str)):
            in_cell.setdefault(cell[:2], []).append(cell[2])
    rows = []
    for likelihood in LEVELS:
        for impact in LEVELS:
            ids = sorted(in_cell.get((likelihood, impact), []))
            s = likelihood * impact
            rows.append({"Likelihood": likelihood, "Impact": impact, "Score": s, "Band": score_band(s),
                         "Risks": int(counts.loc[likelihood, impact]), "Risk ids": ", ".join(ids)})
    table = pd.DataFrame(rows)
    return table.sort_values(["Score", "Likelihood"], ascending=False, kind="stable").reset_index(drop=True)

"""A change to one row, as the pure code that plans writes describes it (an Ofsted reload, an
import's plan) and the one write function (queries.write) applies."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["insert", "update", "upsert", "delete"]


@dataclass(frozen=True)
class Change:
    """One row to write. `key` is the primary key; `values` the other columns to set.

    `expected_version` (optimistic concurrency): the row_version the editor saw; the write is
    refused when the row has changed since.
    """

    table: str
    action: Action
    key: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None
    programme_id: str | None = None

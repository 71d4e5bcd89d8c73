"""Outcomes: what became of ingested data (accepted, rate limited, filtered ...), for stats.

The ingest path reports the fate of every item it was sent with :func:`record_outcomes`;
a plugin that keeps counts (stats) receives them through its ``record_outcomes`` hook,
``hooks={"record_outcomes": fn}`` with ``fn(records: list[OutcomeRecord])``. Hooks add
rows or counters to ``db.session`` and do not commit: the ingest endpoint commits once,
with the events it accepted, so counts and events stay consistent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum

from .database import utcnow
from .web.hooks import call_hook


class Outcome(IntEnum):
    """Sentry's outcome codes (``outcome`` in the stats API is the lower-case name)."""

    ACCEPTED = 0
    FILTERED = 1
    RATE_LIMITED = 2
    INVALID = 3
    ABUSE = 4
    CLIENT_DISCARD = 5
    CARDINALITY_LIMITED = 6

    @property
    def api_name(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class OutcomeRecord:
    outcome: Outcome
    category: str  # a data category: "error", "transaction", "attachment" ...
    quantity: int
    organization_id: int
    project_id: int | None
    key_id: int | None = None
    reason: str | None = None  # e.g. the quota's reason code, "key_quota"
    timestamp: dt.datetime = field(default_factory=utcnow)
    #: How many items (outcomes) ``quantity`` is made of: Sentry's ``times_seen``. It differs
    #: from ``quantity`` where that is bytes (attachments); ``None``: the same as ``quantity``.
    times_seen: int | None = None

    @property
    def count(self) -> int:
        """``times_seen``, or ``quantity`` when the record does not say."""
        return self.quantity if self.times_seen is None else self.times_seen


def rate_limited_outcomes(exceeded: Iterable, quantities: Mapping[str, int], *,
                          organization_id: int, project_id: int | None,
                          key_id: int | None = None) -> list[OutcomeRecord]:
    """RATE_LIMITED records for what quotas refused (``consume_quotas``'s result)."""
    return [
        OutcomeRecord(Outcome.RATE_LIMITED, category, quantities[category], organization_id,
                      project_id, key_id, item.reason_code)
        for item in exceeded for category in sorted(item.refused) if quantities.get(category)
    ]


def record_outcomes(records: Iterable[OutcomeRecord]) -> int:
    """Give ``records`` to every plugin's ``record_outcomes`` hook; return how many took them."""
    records = list(records)
    if not records:
        return 0
    return len(call_hook("record_outcomes", records))

"""Outcomes: what became of ingested data (accepted, rate limited, filtered ...), for stats.

One vocabulary from ingestion to the API: :class:`Outcome`, whose values are Sentry's
outcome names. The ingest path reports the fate of every item it was sent with
:func:`record_outcomes`; the plugin that stores them (stats) implements the
``record_outcomes`` hook (``sentryapi.hookspecs``). Hooks add rows or counters to
``db.session`` and do not commit: the caller commits, so counts and events stay consistent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .database import utcnow
from .web.hooks import call_hook


class Outcome(StrEnum):
    """Sentry's outcomes, by the names its stats API and Relay use (Relay's codes 0-6, in order)."""

    ACCEPTED = "accepted"
    FILTERED = "filtered"
    RATE_LIMITED = "rate_limited"
    INVALID = "invalid"
    ABUSE = "abuse"
    CLIENT_DISCARD = "client_discard"
    CARDINALITY_LIMITED = "cardinality_limited"


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

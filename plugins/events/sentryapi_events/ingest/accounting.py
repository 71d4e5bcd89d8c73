"""What ingestion counts: each item's outcome (accepted, invalid, rate limited, client
discards) and the quotas it consumes, refusing items past their organization's or key's
quota as Relay does."""

from __future__ import annotations

import contextlib
import datetime as dt

from sentryapi.api import (
    Outcome,
    consume_quotas,
    key_quota,
    organization_quota,
    rate_limits_header,
)

from .. import outcomes
from .envelope import Item
from .errors import BadRequest, RateLimited, TooLarge


def count_items(key, items: list[Item], received: dt.datetime) -> None:
    """Accept and count what we do not store (sessions, attachments, client reports...)."""
    for item in items:
        if item.type == "client_report":
            _count_client_report(key, item, received)
            continue
        outcomes.record(key.organization_id, key.project_id, key.key_id,
                        outcomes.category_of(item.type), Outcome.ACCEPTED,
                        quantity=item_quantity(item), when=received)


def _session_aggregates(item: Item) -> int:
    try:
        aggregates = item.json().get("aggregates")
    except (BadRequest, AttributeError):
        return 1
    total = 0
    for bucket in aggregates if isinstance(aggregates, list) else []:
        if isinstance(bucket, dict):
            total += sum(v for k, v in bucket.items()
                         if k in ("exited", "errored", "abnormal", "crashed")
                         and isinstance(v, int) and v > 0)
    return max(total, 1)


def _count_client_report(key, item: Item, received: dt.datetime) -> None:
    """An SDK's own losses become ``client_discard`` outcomes (Sentry counts them too)."""
    try:
        report = item.json()
    except BadRequest:
        return
    if not isinstance(report, dict):
        return
    for field in ("discarded_events", "rate_limited_events", "filtered_events"):
        entries = report.get(field)
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            quantity = entry.get("quantity")
            if isinstance(quantity, int) and 0 < quantity < 2**31:
                outcomes.record(key.organization_id, key.project_id, key.key_id,
                                str(entry.get("category") or "default")[:32],
                                Outcome.CLIENT_DISCARD, str(entry.get("reason") or "")[:64],
                                quantity, when=received)


def item_quantity(item: Item) -> int:
    """How much of its data category an item is (attachments count in bytes, as in Sentry)."""
    if item.type == "attachment":
        return len(item.payload)
    if item.type == "sessions":
        return _session_aggregates(item)
    return 1


def enforce_quotas(key, items: list[Item], received: dt.datetime) -> tuple[list[Item], dict]:
    """Count the items against the key's and organization's quotas (before storing any).

    Refused items are dropped and counted as ``rate_limited``; the rest go on, with the
    ``X-Sentry-Rate-Limits`` header that tells the SDK to hold back. If nothing is left,
    the answer is 429, as Relay's.
    """
    quotas = [q for q in (key_quota(key.key_id, key.rate_limit_count, key.rate_limit_window),
                          organization_quota(key.organization_id)) if q is not None]
    if not quotas or not items:
        return items, {}
    quantities: dict[str, int] = {}
    for item in items:
        category = outcomes.category_of(item.type)
        quantities[category] = quantities.get(category, 0) + item_quantity(item)
    exceeded = consume_quotas(quotas, quantities)
    if not exceeded:
        return items, {}
    headers = {"X-Sentry-Rate-Limits": rate_limits_header(exceeded),
               "Retry-After": str(max(e.retry_after for e in exceeded))}
    refused: dict[str, str] = {}
    for item in exceeded:
        for category in item.refused:
            refused.setdefault(category, item.reason_code or "")
    for category, reason in refused.items():
        outcomes.record(key.organization_id, key.project_id, key.key_id, category,
                        Outcome.RATE_LIMITED, reason, quantities.get(category, 0), received)
    kept = [item for item in items if outcomes.category_of(item.type) not in refused]
    if not kept:
        raise RateLimited(RateLimited.MESSAGE, headers=headers)
    return kept, headers


@contextlib.contextmanager
def counting_invalid(key, received: dt.datetime, category: str = "error"):
    """An event refused as malformed or too large counts as an ``invalid`` outcome."""
    try:
        yield
    except (BadRequest, TooLarge) as error:
        reason = "too_large" if isinstance(error, TooLarge) else "invalid_json"
        outcomes.record(key.organization_id, key.project_id, key.key_id, category,
                        Outcome.INVALID, reason, 1, received)
        raise

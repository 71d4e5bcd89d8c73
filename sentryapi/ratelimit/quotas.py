"""Ingestion quotas: count events per project key and per organization, refuse the excess.

The ingest endpoint (the events plugin) decides before it stores anything::

    quotas = [key_quota(key.id, key.rate_limit_count, key.rate_limit_window),
              organization_quota(project.organization_id)]
    exceeded = consume_quotas([q for q in quotas if q], {"error": 1, "attachment": 2})
    if exceeded:    # answer 429, drop the ``refused`` categories, record them as outcomes
        headers = {"X-Sentry-Rate-Limits": rate_limits_header(exceeded),
                   "Retry-After": str(max(e.retry_after for e in exceeded))}

Counting follows Relay: a quota has one counter per fixed window (``window`` seconds,
aligned to the epoch) that every category it covers adds to; a category is refused when
any quota covering it would go over, and then it is counted against none of them. The
counters live in the rate-limit storage (Redis in production, so every host shares them);
while Redis is unreachable each process counts in memory and nothing is refused for
want of Redis.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage, RedisStorage, storage_from_string

from .outage import StorageOutage

#: Sentry's data categories (``X-Sentry-Rate-Limits`` and outcomes use these names).
DATA_CATEGORIES = frozenset({
    "default", "error", "transaction", "security", "attachment", "session", "profile",
    "profile_chunk", "replay", "feedback", "monitor", "span", "log_item", "log_byte",
    "trace_metric", "trace_metric_byte", "internal", "metric_bucket",
})
#: What a project key's rate limit covers in Sentry: error events only.
ERROR_CATEGORIES = frozenset({"default", "error", "security"})
SCOPES = ("organization", "project", "key")


@dataclass(frozen=True)
class Quota:
    """At most ``limit`` items of ``categories`` (empty: all) per ``window`` seconds, per scope.

    ``limit=None`` counts without refusing; ``limit=0`` refuses everything.
    """

    id: str  # counter name, e.g. "k" (key), "o" (organization)
    scope: str  # "organization", "project" or "key"
    scope_id: str
    limit: int | None
    window: int
    categories: frozenset[str] = frozenset()
    reason_code: str | None = None

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ValueError(f"Quota.scope must be one of {SCOPES}, got {self.scope!r}")
        if self.window < 1:
            raise ValueError("Quota.window must be at least 1 second")
        if unknown := set(self.categories) - DATA_CATEGORIES:
            raise ValueError(f"unknown data categories: {', '.join(sorted(unknown))}")

    def covers(self, category: str) -> bool:
        return not self.categories or category in self.categories


@dataclass(frozen=True)
class QuotaExceeded:
    """One quota said no: an ``X-Sentry-Rate-Limits`` entry, and what it refused now.

    ``categories`` are the quota's (empty: all), so clients hold back everything it
    counts; ``refused`` are the categories of this request that must be dropped.
    """

    categories: frozenset[str]
    scope: str
    reason_code: str | None
    retry_after: int
    refused: frozenset[str]
    quota: Quota = field(compare=False, repr=False)


def key_quota(key_id, count: int | None, window: int | None) -> Quota | None:
    """A project key's own limit (its ``rateLimit`` setting), on error events, as in Sentry."""
    if not count or not window:
        return None
    return Quota("k", "key", str(key_id), count, window, ERROR_CATEGORIES, "key_quota")


def organization_quota(organization_id) -> Quota | None:
    """The organization-wide quota from ``SENTRYAPI_INGEST_ORGANIZATION_QUOTA`` (all categories)."""
    setting = current_app.config.get("INGEST_ORGANIZATION_QUOTA")
    if not setting:
        return None
    item = parse(setting)
    return Quota("o", "organization", str(organization_id), item.amount, item.get_expiry(),
                 reason_code="org_quota")


def consume_quotas(quotas: Iterable[Quota], quantities: Mapping[str, int]) -> list[QuotaExceeded]:
    """Count ``quantities`` (category -> items) against ``quotas``; return what was refused."""
    return _counter().consume(list(quotas), {c: n for c, n in quantities.items() if n > 0})


def rate_limits_header(exceeded: Iterable[QuotaExceeded]) -> str:
    """``X-Sentry-Rate-Limits``: ``retry_after:categories:scope:reason_code``, comma-separated."""
    parts = []
    for item in exceeded:
        part = f"{item.retry_after}:{';'.join(sorted(item.categories))}:{item.scope}"
        parts.append(f"{part}:{item.reason_code}" if item.reason_code else part)
    return ", ".join(parts)


class QuotaCounter:
    """Fixed-window counters in the rate-limit storage, with a memory fallback."""

    def __init__(self, storage, prefix: str, errors: tuple = ()):
        self.shared = storage
        self.local = storage if isinstance(storage, MemoryStorage) else MemoryStorage()
        self.prefix = prefix
        self.errors = errors
        self.outage = StorageOutage("Redis for ingestion quotas")

    def consume(self, quotas: list[Quota], quantities: dict[str, int]) -> list[QuotaExceeded]:
        storage = self.shared if self.outage.available() else self.local
        try:
            exceeded = self._consume(storage, quotas, quantities)
        except self.errors as error:
            self.outage.failed(error)
            return self._consume(self.local, quotas, quantities)
        if storage is self.shared:
            self.outage.succeeded()
        return exceeded

    def _consume(self, storage, quotas, quantities) -> list[QuotaExceeded]:
        now = time.time()
        refused: dict[Quota, set[str]] = {}
        for category, quantity in quantities.items():
            counted: list[tuple[str, int]] = []
            for quota in quotas:
                if not quota.covers(category):
                    continue
                if quota.limit == 0:
                    refused.setdefault(quota, set()).add(category)
                    break
                key, expiry = self._window_key(quota, now)
                if storage.incr(key, expiry, amount=quantity) > (quota.limit or math.inf):
                    storage.incr(key, expiry, amount=-quantity)
                    refused.setdefault(quota, set()).add(category)
                    break
                counted.append((key, expiry))
            else:
                continue
            for key, expiry in counted:  # refused by a later quota: count it nowhere
                storage.incr(key, expiry, amount=-quantity)
        return [
            QuotaExceeded(quota.categories, quota.scope, quota.reason_code,
                          self._retry_after(quota, now), frozenset(categories), quota)
            for quota, categories in refused.items()
        ]

    def _window_key(self, quota: Quota, now: float) -> tuple[str, int]:
        slot = int(now // quota.window)
        key = f"{self.prefix}:quota:{quota.id}:{quota.scope}:{quota.scope_id}:{quota.window}:{slot}"
        return key, quota.window

    @staticmethod
    def _retry_after(quota: Quota, now: float) -> int:
        if quota.limit == 0:
            return 60  # nothing will ever pass; let SDKs check back now and then
        return max(1, math.ceil((int(now // quota.window) + 1) * quota.window - now))


def _counter() -> QuotaCounter:
    return current_app.extensions["sentryapi.quotas"]


def install(app, storage_uri: str, options: dict) -> QuotaCounter:
    """Quota counters for ``app``, whether or not the management API is rate-limited."""
    storage = storage_from_string(storage_uri, **options)
    errors = storage.base_exceptions if isinstance(storage, RedisStorage) else ()
    counter = QuotaCounter(storage, app.config["RATELIMIT_KEY_PREFIX"], errors)
    app.extensions["sentryapi.quotas"] = counter
    return counter

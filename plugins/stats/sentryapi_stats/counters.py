"""Keeping the counters: the ``record_outcomes`` hook adds records to every resolution.

The events plugin reports what became of ingested items (accepted, rate_limited,
filtered, invalid, client_discard...) through the core's ``record_outcomes`` hook, at
most once a second per process and stamped with their 10-second bucket. Each batch
becomes one upsert per resolution that adds to the counters, in the caller's transaction.
Expired buckets are deleted from the same hook, at most once a minute per process, so
the table stays bounded without a scheduler.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

from flask import current_app
from sentryapi_projects import Project
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from sentryapi.api import Outcome, db

from .models import DAY, HOUR, RESOLUTIONS, TEN_SECONDS, OutcomeCount

UTC = dt.UTC
#: Seconds each resolution is kept (``STATS_RETENTION`` overrides any of them).
DEFAULT_RETENTION = {TEN_SECONDS: 3600, HOUR: 90 * DAY, DAY: 400 * DAY}
PRUNE_EVERY = 60.0
KEY = ("organization_id", "resolution", "bucket", "project_id", "category", "outcome", "reason")

_last_prune: dict[str, float] = {}
_prune_lock = threading.Lock()


def retention() -> dict[int, int]:
    return {**DEFAULT_RETENTION, **current_app.config.get("STATS_RETENTION", {})}


def floor(moment: dt.datetime, seconds: int) -> dt.datetime:
    """The start of ``moment``'s bucket ``seconds`` wide (buckets start at the epoch, UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    stamp = int(moment.timestamp())
    return dt.datetime.fromtimestamp(stamp - stamp % seconds, UTC)


def tally(records) -> tuple[Counter, Counter]:
    """Quantities and item counts per counter key, at every resolution."""
    quantities, times = Counter(), Counter()
    for record in records:
        if record.project_id is None or record.quantity <= 0:
            continue
        for resolution in RESOLUTIONS:
            key = (record.organization_id, resolution, floor(record.timestamp, resolution),
                   record.project_id, record.category[:32], Outcome(record.outcome).value,
                   (record.reason or "")[:64])
            quantities[key] += record.quantity
            times[key] += record.count
    return quantities, times


def store_records(records) -> int:
    """The ``record_outcomes`` hook: add ``records`` to the counters (no commit)."""
    quantities, times = tally(records)
    if not quantities:
        return 0
    # Counts of projects deleted since they were taken go with them.
    projects = {key[3] for key in quantities}
    existing = set(db.session.scalars(select(Project.id).where(Project.id.in_(projects))))
    # A stable order: concurrent writers then lock rows in the same order (no deadlocks).
    rows = [dict(zip(KEY, key, strict=True), quantity=quantity, times_seen=times[key])
            for key, quantity in sorted(quantities.items(), key=lambda kv: kv[0])
            if key[3] in existing]
    add_counts(rows)
    prune_if_due()
    return len(rows)


def add_counts(rows: list[dict]) -> None:
    """Insert counter rows, adding to those that exist (one statement)."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(OutcomeCount)
    table = OutcomeCount.__table__
    stmt = stmt.on_conflict_do_update(index_elements=list(KEY), set_={
        "quantity": table.c.quantity + stmt.excluded.quantity,
        "times_seen": table.c.times_seen + stmt.excluded.times_seen,
    })
    db.session.execute(stmt, rows)


def prune(now: dt.datetime | None = None) -> int:
    """Delete the buckets older than their resolution's retention; returns how many."""
    now = now or dt.datetime.now(UTC)
    deleted = 0
    for resolution, seconds in sorted(retention().items()):
        cutoff = floor(now - dt.timedelta(seconds=seconds), resolution)
        result = db.session.execute(delete(OutcomeCount).where(
            OutcomeCount.resolution == resolution, OutcomeCount.bucket < cutoff))
        deleted += result.rowcount or 0
    return deleted


def prune_if_due() -> None:
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    now = time.monotonic()
    with _prune_lock:
        if now - _last_prune.get(database, -PRUNE_EVERY) < PRUNE_EVERY:
            return
        _last_prune[database] = now
    prune()

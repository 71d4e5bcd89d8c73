"""Outcome counters: what became of each item SDKs sent (accepted, rate_limited, invalid...).

Requests never write a counter row themselves (every request would fight for the same
hot row): :func:`record` adds to a per-process tally, and the background thread
(``worker.py``) writes the tallies every second with one upsert per counter, adding to
what is there. Accepted *events* are counted by the digest from the durable queue, in
the transaction that stores them, so that count is exact; the rest (rejections,
sessions, client reports) may lose up to a second of counts if the process is killed.

Other plugins (rate limits, stats) call :func:`record` through the ``record_outcome``
hook and read :class:`~sentryapi_events.models.Outcome` rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter

from sqlalchemy.exc import IntegrityError

from sentryapi.api import db

from .models import Outcome
from .upsert import increment

ACCEPTED, FILTERED, RATE_LIMITED, INVALID, CLIENT_DISCARD = (
    "accepted", "filtered", "rate_limited", "invalid", "client_discard")

#: Envelope item type -> Sentry's data category (as the SDKs map them).
ITEM_CATEGORY = {
    "event": "error",
    "transaction": "transaction",
    "attachment": "attachment",
    "session": "session",
    "sessions": "session",
    "client_report": "internal",
    "check_in": "monitor",
    "profile": "profile",
    "profile_chunk": "profile_chunk",
    "replay_event": "replay",
    "replay_recording": "replay",
    "replay_video": "replay",
    "span": "span",
    "log": "log_item",
    "trace_metric": "trace_metric",
    "feedback": "feedback",
    "user_report": "user_report_v2",
    "statsd": "metric_bucket",
    "metric_buckets": "metric_bucket",
}

log = logging.getLogger("sentryapi.events.outcomes")
_lock = threading.Lock()
#: One flush at a time per process, so a flush that returns has written everything before it.
_flush_lock = threading.Lock()
_pending: Counter = Counter()


def hour(moment: dt.datetime) -> dt.datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def category_of(item_type: str) -> str:
    return ITEM_CATEGORY.get(item_type, "default")


def record(organization_id: int, project_id: int, key_id: int | None, category: str,
           outcome: str, reason: str = "", quantity: int = 1,
           when: dt.datetime | None = None) -> None:
    """Count ``quantity`` items of ``category`` with ``outcome``; written within a second."""
    if quantity <= 0:
        return
    bucket = hour(when or dt.datetime.now(dt.UTC))
    key = (organization_id, project_id, key_id or 0, bucket, category, outcome, (reason or "")[:64])
    with _lock:
        _pending[key] += quantity


def take_pending() -> Counter:
    global _pending
    with _lock:
        taken, _pending = _pending, Counter()
    return taken


def restore(tallies: Counter) -> None:
    """Put tallies back after a failed write, so the next flush tries again."""
    with _lock:
        _pending.update(tallies)


def write(tallies: Counter) -> None:
    """Add ``tallies`` to the counter rows (in the caller's transaction)."""
    if not tallies:
        return
    rows = [
        {"organization_id": org, "project_id": project, "key_id": key, "bucket": bucket,
         "category": category, "outcome": outcome, "reason": reason, "quantity": quantity}
        for (org, project, key, bucket, category, outcome, reason), quantity in sorted(
            tallies.items(), key=lambda kv: tuple(map(str, kv[0])))
    ]
    increment(Outcome, rows, keys=("organization_id", "project_id", "key_id", "bucket", "category",
                                   "outcome", "reason"), add=("quantity",))


def flush() -> int:
    """Write what :func:`record` tallied since the last flush; returns how many counters."""
    if not _pending:
        return 0
    from flask import current_app

    from .writes import sqlite_writer

    with _flush_lock, sqlite_writer(current_app.config["SQLALCHEMY_DATABASE_URI"]):
        return _flush()


def _flush() -> int:
    tallies = take_pending()
    if not tallies:
        return 0
    try:
        write(tallies)
        db.session.commit()
    except IntegrityError:
        # A project went away since the count was taken; its counts go with it.
        db.session.rollback()
        log.warning("dropped %d outcome counters of deleted projects", len(tallies))
    except Exception:
        db.session.rollback()
        restore(tallies)
        raise
    return len(tallies)

"""Outcomes of ingestion: what became of each item SDKs sent (accepted, rate_limited, invalid...).

Requests never write a counter row themselves (every request would fight for the same
hot row): :func:`record` adds to a per-process tally, and the background thread
(``digest/worker.py``) writes the tallies every second with one upsert per counter, adding to
what is there. Accepted *events* are counted by the digest from the durable queue, in
the transaction that stores them, so that count is exact; the rest (rejections,
sessions, client reports) may lose up to a second of counts if the process is killed.

The tallies reach the core's ``record_outcomes`` hook as ``OutcomeRecord``s stamped
with their 10-second bucket; the plugin implementing it (stats) is the one store of
outcomes, and this plugin keeps none. Outcomes are the core's :class:`Outcome` (Sentry's
names) from here to the API. Each tally holds the quantity and how many items made it
(``times_seen``: they differ for attachments, counted in bytes).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter

from sqlalchemy.exc import IntegrityError

from sentryapi.api import Outcome, OutcomeRecord, db, record_outcomes

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
#: Database URI -> (quantities, item counts) not yet written (per database: tests run
#: several apps at once).
_pending: dict[str, tuple[Counter, Counter]] = {}
#: The finest bucket the records carry (seconds).
RECORD_BUCKET = 10


def _database() -> str:
    from flask import current_app

    return current_app.config["SQLALCHEMY_DATABASE_URI"]


def fine_bucket(moment: dt.datetime) -> dt.datetime:
    """The 10-second bucket of ``moment`` (UTC), the time every record carries."""
    moment = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
    return moment.replace(second=moment.second - moment.second % RECORD_BUCKET, microsecond=0)


def category_of(item_type: str) -> str:
    return ITEM_CATEGORY.get(item_type, "default")


def record(organization_id: int, project_id: int, key_id: int | None, category: str,
           outcome: Outcome, reason: str = "", quantity: int = 1,
           when: dt.datetime | None = None) -> None:
    """Count ``quantity`` items of ``category`` with ``outcome``; written within a second."""
    if quantity <= 0:
        return
    bucket = fine_bucket(when or dt.datetime.now(dt.UTC))
    key = (organization_id, project_id, key_id or 0, bucket, category, outcome, (reason or "")[:64])
    with _lock:
        quantities, times = _pending.setdefault(_database(), (Counter(), Counter()))
        quantities[key] += quantity
        times[key] += 1


def take_pending() -> tuple[Counter, Counter]:
    with _lock:
        taken = _pending.pop(_database(), (Counter(), Counter()))
    return taken


def restore(tallies: Counter, times: Counter) -> None:
    """Put tallies back after a failed write, so the next flush tries again."""
    with _lock:
        quantities, counts = _pending.setdefault(_database(), (Counter(), Counter()))
        quantities.update(tallies)
        counts.update(times)


def write(tallies: Counter, times: Counter | None = None) -> None:
    """Report ``tallies`` to the plugin storing outcomes (in the caller's transaction).

    ``times`` counts the items behind each tally (``None``: one per unit of quantity).
    """
    if not tallies:
        return
    records = []
    for tally_key, quantity in tallies.items():
        org, project, key_id, bucket, category, outcome, reason = tally_key
        records.append(OutcomeRecord(
            Outcome(outcome), category, quantity, org, project, key_id or None,
            reason or None, bucket, times_seen=None if times is None else times[tally_key]))
    record_outcomes(records)


def flush() -> int:
    """Write what :func:`record` tallied since the last flush; returns how many counters."""
    from flask import current_app

    from .ingest.writes import sqlite_writer

    with _flush_lock:  # held while checking too: a flush under way finishes first
        if not _pending.get(_database(), (None,))[0]:
            return 0
        with sqlite_writer(current_app.config["SQLALCHEMY_DATABASE_URI"]):
            return _flush()


def _flush() -> int:
    tallies, times = take_pending()
    if not tallies:
        return 0
    try:
        write(tallies, times)
        db.session.commit()
    except IntegrityError:
        # A project went away since the count was taken; its counts go with it.
        db.session.rollback()
        log.warning("dropped %d outcome counters of deleted projects", len(tallies))
    except Exception:
        db.session.rollback()
        restore(tallies, times)
        raise
    return len(tallies)

"""The digest: queued events become events and issues, in batches, one transaction each.

A batch is claimed from the queue (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several
digest processes share it without waiting on each other), normalized, then deleted from
the queue and stored in one transaction: if anything fails, the rows stay queued. On
SQLite the write lock is taken only for that short last step, so SDK requests are not
kept waiting while events are parsed. Storing the batch (``store``) costs a dozen
statements, not a dozen per event.
"""

from __future__ import annotations

import json
import logging

from flask import current_app
from sqlalchemy import delete, select, tuple_

from sentryapi.api import call_hook, db

from ..ingest.writes import sqlite_writer
from ..models import IngestEvent
from . import notify
from .derived import derive, event_tags
from .grouping import group_hash
from .normalize import normalize
from .store import Pending, store

log = logging.getLogger("sentryapi.events.digest")


QUEUED = (IngestEvent.id, IngestEvent.project_id, IngestEvent.organization_id,
          IngestEvent.key_id, IngestEvent.event_id, IngestEvent.received,
          IngestEvent.remote_addr, IngestEvent.payload)


def claim(limit: int) -> list:
    """Up to ``limit`` queued rows, oldest first, locked for this transaction.

    PostgreSQL locks the rows (``FOR UPDATE SKIP LOCKED``: other digest processes take
    the next ones). SQLite reads them without a lock, so that the slow part (parsing,
    normalizing) runs while SDK requests can still write; :func:`release` then deletes
    them, which is where the write lock is taken, and tells whether another digest took
    them first.
    """
    stmt = select(*QUEUED).order_by(IngestEvent.id).limit(limit)
    if _dialect() == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return db.session.execute(stmt).all()


def release(rows) -> bool:
    """Delete the claimed rows from the queue; ``False`` if some were gone already.

    Rows are matched by id, event id *and* time received: SQLite hands a freed highest row
    id to the next insert, so after another digest stored our rows an id alone may name a
    newer event, and an event id alone a resent copy of it (or, in tests, a new payload).
    """
    claimed = [(row.id, row.event_id, row.received) for row in rows]
    deleted = db.session.execute(
        delete(IngestEvent).where(tuple_(IngestEvent.id, IngestEvent.event_id,
                                         IngestEvent.received).in_(claimed))
        .execution_options(synchronize_session=False)).rowcount
    return deleted == len(claimed)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def prepare(row) -> Pending:
    """Normalize and fingerprint one queued event; never raises (a broken one is kept)."""
    payload = bytes(row.payload)
    try:
        sent = json.loads(payload)
        data = normalize(sent, event_id=row.event_id, received=row.received,
                         remote_addr=row.remote_addr)
        rewrite_frames(data, sent, row)
    except Exception as error:  # noqa: BLE001 - an event must never be lost to a bug here
        log.exception("could not normalize event %s", row.event_id)
        data = normalize({}, event_id=row.event_id, received=row.received)
        data.setdefault("errors", []).append({"type": "processing_error", "message": str(error)[:200]})
    fingerprint = group_hash(data)
    data["hashes"] = [fingerprint]
    tags = event_tags(data)
    data["tags"] = tags
    return Pending(row.project_id, row.organization_id, row.key_id, row.event_id, row.received,
                   len(payload), data, fingerprint, tags)


def rewrite_frames(data: dict, sent: dict, row) -> None:
    """Let plugins rewrite the event's stack frames (``rewrite_stack_frames``: source maps)
    before it is grouped; the fields derived from frames are derived again from theirs."""
    try:
        changed = any(call_hook("rewrite_stack_frames", data, sent, row.project_id, row.organization_id))
    except Exception as error:  # noqa: BLE001 - a plugin's bug must not cost the event
        log.exception("rewriting the frames of event %s failed", row.event_id)
        data.setdefault("errors", []).append({"type": "processing_error", "message": str(error)[:200]})
        return
    if not changed:
        return
    if not isinstance(sent, dict) or "culprit" not in sent:
        data.pop("culprit", None)  # it was derived from the frames as sent
    derive(data)


def digest_batch(limit: int = 200) -> int:
    """Digest up to ``limit`` queued events in one transaction; returns how many were taken."""
    rows = claim(limit)
    if not rows:
        db.session.rollback()
        return 0
    try:
        prepared = [prepare(row) for row in rows]
        with sqlite_writer(current_app.config["SQLALCHEMY_DATABASE_URI"]):
            if not release(rows):
                db.session.rollback()  # another digest process had them; it stores them
                return 0
            result = store(prepared)
            notify.remember(result)  # which webhooks are owed; their payloads come after
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    notify.send_pending()
    return len(rows)


def digest_all(limit: int = 200) -> int:
    """Digest until the queue is empty (tests, the CLI), after sending the webhooks an
    interrupted run still owed."""
    notify.send_pending()
    total = 0
    while True:
        taken = digest_batch(limit)
        if not taken:
            return total
        total += taken

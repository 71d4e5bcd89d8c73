"""Deleting attachments with their events: the rows in the caller's transaction, the bytes
once that transaction commits (a rolled-back deletion keeps its files)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import current_app, has_app_context
from sqlalchemy import Select, delete, event, select, tuple_
from sqlalchemy.orm import Session

from sentryapi.api import db

from .models import EventAttachment
from .storage import store_of

log = logging.getLogger("sentryapi.events.attachments")
#: ``session.info`` key: blob keys to delete after the session's next commit.
PENDING = "sentryapi_events.attachment_blobs"
#: Pairs per ``IN`` list (SQLite binds at most 32766 parameters per statement).
CHUNK = 500


def delete_attachments_of(events: Select | Iterable[tuple[int, str]]) -> int:
    """Delete the attachments of these events; returns how many.

    ``events`` is a SELECT of ``(project_id, event_id)`` rows (e.g.
    ``select(Event.project_id, Event.event_id).where(Event.timestamp < cutoff)``) or an
    iterable of such pairs. Rows go in the caller's transaction (no commit here); the
    stored bytes are removed after it commits.
    """
    columns = tuple_(EventAttachment.project_id, EventAttachment.event_id)
    if isinstance(events, Select):
        conditions = [columns.in_(events)]
    else:
        pairs = list(events)
        conditions = [columns.in_(pairs[i:i + CHUNK]) for i in range(0, len(pairs), CHUNK)]
    deleted = 0
    for condition in conditions:
        keys = list(db.session.scalars(select(EventAttachment.blob_key).where(condition)))
        if not keys:
            continue
        db.session.execute(delete(EventAttachment).where(condition)
                           .execution_options(synchronize_session=False))
        db.session.info.setdefault(PENDING, []).extend(keys)
        deleted += len(keys)
    return deleted


@event.listens_for(Session, "after_commit")
def _delete_blobs(session) -> None:
    keys = session.info.pop(PENDING, None)
    if not keys or not has_app_context():
        return
    try:
        store_of(current_app).delete(keys)
    except Exception as error:  # noqa: BLE001 - the rows are gone; a leftover file is harmless
        log.warning("could not delete %d attachment files: %s", len(keys), error.__class__.__name__)


@event.listens_for(Session, "after_rollback")
def _keep_blobs(session) -> None:
    session.info.pop(PENDING, None)

"""Deleting attachments with their events: the rows in the caller's transaction, the bytes
once that transaction commits (a rolled-back deletion keeps its files)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, delete, select, tuple_

from sentryapi.api import db, delete_after_commit

from .models import EventAttachment

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
        delete_after_commit(keys)
        deleted += len(keys)
    return deleted

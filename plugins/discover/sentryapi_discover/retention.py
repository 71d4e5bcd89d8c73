"""Expired transactions and tag rows deleted in small batches (the ``cleanup_expired`` hook).

The cutoff is each project's, as for errors (``eventRetentionDays`` or the setting); tag
rows of errors go by the same age as their events; rolled-up days of durations go once
retention reaches any part of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sentryapi_events import retention_by_project
from sqlalchemy import delete, func, select

from sentryapi.api import db

from . import rollup
from .models import Tag, Transaction

BATCH = 2000


def cleanup_expired(now, default_days, dry_run, progress) -> dict:
    totals: Counter = Counter()
    for project_id, days in retention_by_project(default_days):
        cutoff = now - dt.timedelta(days=days)
        for name, model in (("transactions", Transaction), ("discover tags", Tag)):
            if dry_run:
                totals[name] += db.session.scalar(select(func.count()).select_from(model).where(
                    model.project_id == project_id, model.timestamp < cutoff))
                continue
            while deleted := _delete_batch(model, project_id, cutoff):
                totals[name] += deleted
                if model is Transaction:
                    progress(deleted)
        totals["transaction duration days"] += rollup.expire(project_id, cutoff, dry_run)
    db.session.rollback()
    return {name: n for name, n in totals.items() if n}


def _delete_batch(model, project_id: int, cutoff: dt.datetime) -> int:
    ids = db.session.scalars(select(model.id).where(
        model.project_id == project_id, model.timestamp < cutoff).limit(BATCH)).all()
    if ids:
        db.session.execute(delete(model).where(model.id.in_(ids)))
    db.session.commit()
    return len(ids)

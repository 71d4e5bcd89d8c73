"""A project's issue counts by level and status (``events-stats`` is the discover plugin's)."""

from __future__ import annotations

import datetime as dt

from sentryapi_events import Group
from sqlalchemy import func, select

from sentryapi.api import db

from .periods import parse_period


def issue_counts(project, args, now: dt.datetime) -> dict:
    """``{"total": n, "byLevel": {...}, "byStatus": {...}}`` for a project's issues."""
    stmt = (select(Group.level, Group.status, func.count())
            .where(Group.project_id == project.id).group_by(Group.level, Group.status))
    if args.get("statsPeriod"):
        since = now - dt.timedelta(seconds=parse_period(args["statsPeriod"], "statsPeriod"))
        stmt = stmt.where(Group.last_seen >= since)
    by_level: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for level, status, count in db.session.execute(stmt):
        by_level[level] = by_level.get(level, 0) + count
        by_status[status] = by_status.get(status, 0) + count
    return {"total": sum(by_level.values()), "byLevel": dict(sorted(by_level.items())),
            "byStatus": dict(sorted(by_status.items()))}

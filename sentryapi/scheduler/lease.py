"""Claiming a task's run: one atomic statement on the shared database decides who runs it.

Claims and releases go through their own short transactions on ``db.engine`` (never the
request's session), so a claim is visible to every other host as soon as it is made.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import ScheduledTask
from .tasks import PeriodicTask


def due(now: dt.datetime):
    return and_(ScheduledTask.next_run_at <= now,
                or_(ScheduledTask.locked_until.is_(None), ScheduledTask.locked_until <= now))


def claim(task: PeriodicTask, now: dt.datetime, *, force: bool = False) -> bool:
    """Whether this process may run ``task`` now: its lease row was due (or is new) and is
    now ours until ``now + lease``, and its next run is ``now + every``."""
    values = {"next_run_at": now + dt.timedelta(seconds=task.every),
              "locked_until": now + dt.timedelta(seconds=task.lease), "last_started_at": now}
    condition = ScheduledTask.name == task.name
    if not force:
        condition = and_(condition, due(now))
    with db.engine.begin() as connection:
        if connection.execute(update(ScheduledTask).where(condition).values(**values)).rowcount:
            return True
    try:
        with db.engine.begin() as connection:
            connection.execute(ScheduledTask.__table__.insert().values(name=task.name, last_error="", **values))
    except IntegrityError:  # the row exists: it was not due, or another process took it first
        return False
    return True


def release(task: PeriodicTask, finished: dt.datetime, error: str = "") -> None:
    with db.engine.begin() as connection:
        connection.execute(update(ScheduledTask).where(ScheduledTask.name == task.name)
                           .values(locked_until=None, last_finished_at=finished, last_error=error[:2000]))

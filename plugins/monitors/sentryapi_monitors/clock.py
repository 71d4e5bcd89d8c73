"""The clock: every minute (``monitors.clock`` on the core's scheduler) it records a
``missed`` check-in for each environment whose latest expected check-in has passed, and a
``timeout`` for each in-progress check-in past its ``max_runtime``.

Each is claimed with one conditional UPDATE (the expected time it was seen with, or the
``in_progress`` status), so two hosts ticking at once record it once. An environment that
never checked in has no expected time: it waits for its first check-in, as in Sentry.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from sentryapi.api import db, utcnow

from . import schedule
from .checkins import missed
from .incidents import record_result
from .models import ACTIVE, IN_PROGRESS, TIMEOUT, Monitor, MonitorCheckIn, MonitorEnvironment

#: Rows looked at per tick (the rest wait for the next one).
BATCH = 500
#: Missed check-ins recorded for one environment in one tick (a server down for long).
MAX_CATCH_UP = 60


def tick(now: dt.datetime | None = None) -> dict[str, int]:
    """Record what is missed and timed out at ``now``; commit. Answer the counts."""
    now = now or utcnow()
    counts = {"missed": mark_missed(now), "timeout": mark_timeouts(now)}
    db.session.commit()
    return counts


def run() -> None:
    """The scheduler's entry point."""
    tick()


def mark_missed(now: dt.datetime) -> int:
    rows = db.session.execute(
        select(MonitorEnvironment, Monitor).join(Monitor, Monitor.id == MonitorEnvironment.monitor_id)
        .where(MonitorEnvironment.next_checkin_latest <= now, Monitor.status == ACTIVE)
        .order_by(MonitorEnvironment.next_checkin_latest).limit(BATCH)).all()
    count = 0
    for environment, monitor in rows:
        for _ in range(MAX_CATCH_UP):
            if environment.next_checkin_latest is None or environment.next_checkin_latest > now:
                break
            expected = environment.next_checkin
            if not _claim_environment(monitor, environment, expected):
                break  # another host recorded it
            missed(monitor, environment, expected, now)
            count += 1
    return count


def _claim_environment(monitor: Monitor, environment: MonitorEnvironment, expected: dt.datetime) -> bool:
    """Move the environment's expectation past ``expected``, if it is still the one we saw."""
    following = schedule.next_expected(monitor.config, expected)
    latest = following + schedule.margin(monitor.config)
    claimed = db.session.execute(
        update(MonitorEnvironment)
        .where(MonitorEnvironment.id == environment.id,
               MonitorEnvironment.next_checkin_latest == environment.next_checkin_latest)
        .values(next_checkin=following, next_checkin_latest=latest)
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.refresh(environment)
        return False
    set_committed_value(environment, "next_checkin", following)
    set_committed_value(environment, "next_checkin_latest", latest)
    return True


def mark_timeouts(now: dt.datetime) -> int:
    rows = db.session.execute(
        select(MonitorCheckIn, MonitorEnvironment, Monitor)
        .join(MonitorEnvironment, MonitorEnvironment.id == MonitorCheckIn.monitor_environment_id)
        .join(Monitor, Monitor.id == MonitorCheckIn.monitor_id)
        .where(MonitorCheckIn.status == IN_PROGRESS, MonitorCheckIn.timeout_at <= now)
        .order_by(MonitorCheckIn.timeout_at).limit(BATCH)).all()
    count = 0
    for checkin, environment, monitor in rows:
        claimed = db.session.execute(
            update(MonitorCheckIn).where(MonitorCheckIn.id == checkin.id,
                                         MonitorCheckIn.status == IN_PROGRESS)
            .values(status=TIMEOUT, date_updated=now)
            .execution_options(synchronize_session=False)).rowcount
        if not claimed:
            continue
        checkin.status, checkin.date_updated = TIMEOUT, now
        record_result(monitor, environment, checkin, now)
        count += 1
    return count

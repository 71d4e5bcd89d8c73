"""Taking a check-in, whichever way it came (an envelope's ``check_in`` item, the HTTP
check-in endpoint, ``sentry-cli monitors run``): upsert the monitor from its
``monitor_config``, then record it, or close the in-progress check-in of the same
``check_in_id``. Invalid check-ins are dropped, as Relay drops them (the SDK is never told).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid

from sqlalchemy import select

from sentryapi.api import ValidationError, db, slugify

from . import schedule
from .incidents import record_result
from .models import (
    ACTIVE,
    DISABLED,
    ERROR,
    IN_PROGRESS,
    MISSED,
    OK,
    Monitor,
    MonitorCheckIn,
    MonitorEnvironment,
)
from .schemas import SLUG_RE, MonitorConfigInputSchema
from .services import full_config, new_monitor

log = logging.getLogger("sentryapi.monitors")
#: What an SDK may report; ``missed`` and ``timeout`` are the clock's.
REPORTED = (IN_PROGRESS, OK, ERROR)
DEFAULT_ENVIRONMENT = "production"
ENVIRONMENT_RE = re.compile(r"^[^\n\r\f/]{1,64}$")


#: Built once: a marshmallow schema's construction costs more than a check-in's load.
CONFIG_SCHEMA = MonitorConfigInputSchema()


class Rejected(ValueError):
    """A check-in that is dropped (the reason is logged)."""


def sdk_config(raw) -> dict:
    """An SDK's ``monitor_config`` (``{"schedule": {"type", "value", "unit"}, ...}``) as a
    validated API config."""
    if not isinstance(raw, dict):
        raise Rejected("monitor_config is not an object")
    body = {key: value for key, value in raw.items() if key != "schedule"}
    sched = raw.get("schedule")
    if isinstance(sched, dict):
        body["schedule_type"] = sched.get("type")
        body["schedule"] = ([sched.get("value"), sched.get("unit")] if sched.get("type") == "interval"
                            else sched.get("value"))
    else:
        body["schedule"] = sched
    try:
        return CONFIG_SCHEMA.load(body)
    except ValidationError as error:
        raise Rejected(f"invalid monitor_config: {error.messages}") from None


def check_in_guid(value) -> str:
    if value is None:
        return uuid.uuid4().hex
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        raise Rejected("invalid check_in_id") from None


def _duration_ms(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 10**9:
        raise Rejected("invalid duration")
    return round(value * 1000)


def _monitor(organization_id: int, project_id: int, slug, config_raw) -> Monitor:
    if not isinstance(slug, str) or not slug:
        raise Rejected("no monitor_slug")
    slug = slug.strip().lower() if SLUG_RE.match(slug.strip().lower()) else slugify(slug)
    monitor = db.session.scalar(select(Monitor).where(Monitor.organization_id == organization_id,
                                                      Monitor.slug == slug))
    config = sdk_config(config_raw) if config_raw is not None else None
    if monitor is None:
        if config is None:
            raise Rejected(f"no monitor {slug!r} and no monitor_config to create it")
        monitor = new_monitor(organization_id, project_id, slug, slug)
        db.session.flush()
    elif monitor.project_id != project_id:
        raise Rejected(f"monitor {slug!r} belongs to another project")
    if config is not None:
        monitor.config = full_config(config, monitor.config)
    if monitor.status == DISABLED:
        raise Rejected(f"monitor {slug!r} is disabled")
    return monitor


def environment_name(name) -> str:
    name = name or DEFAULT_ENVIRONMENT
    if not isinstance(name, str) or not ENVIRONMENT_RE.match(name):
        raise Rejected("invalid environment")
    return name


def environment_of(monitor: Monitor, name: str) -> MonitorEnvironment:
    found = db.session.scalar(select(MonitorEnvironment).where(
        MonitorEnvironment.monitor_id == monitor.id, MonitorEnvironment.environment == name))
    if found is None:
        found = MonitorEnvironment(monitor_id=monitor.id, environment=name, status=ACTIVE,
                                   is_muted=monitor.is_muted, failures=0, successes=0)
        db.session.add(found)
        db.session.flush()
    return found


def schedule_next(monitor: Monitor, environment: MonitorEnvironment, after: dt.datetime) -> None:
    """Expect the next check-in at the first scheduled time after ``after``."""
    environment.next_checkin = schedule.next_expected(monitor.config, after)
    environment.next_checkin_latest = environment.next_checkin + schedule.margin(monitor.config)


def take(organization_id: int, project_id: int, data: dict, now: dt.datetime) -> MonitorCheckIn | None:
    """Record one check-in (no commit); ``None`` when it is dropped."""
    try:
        return _take(organization_id, project_id, data, now)
    except Rejected as why:
        log.info("check-in dropped: %s", why)
        return None


def _take(organization_id: int, project_id: int, data: dict, now: dt.datetime) -> MonitorCheckIn:
    if not isinstance(data, dict):
        raise Rejected("not an object")
    status = data.get("status")
    if status not in REPORTED:
        raise Rejected(f"invalid status {status!r}")
    guid = check_in_guid(data.get("check_in_id"))
    duration = _duration_ms(data.get("duration"))
    environment_named = environment_name(data.get("environment"))
    monitor = _monitor(organization_id, project_id, data.get("monitor_slug"), data.get("monitor_config"))
    environment = environment_of(monitor, environment_named)
    existing = db.session.scalar(select(MonitorCheckIn).where(
        MonitorCheckIn.monitor_id == monitor.id, MonitorCheckIn.guid == guid))
    if existing is not None:
        return _close(monitor, environment, existing, status, duration, now)
    checkin = MonitorCheckIn(
        guid=guid, monitor_id=monitor.id, monitor_environment_id=environment.id,
        project_id=project_id, status=status, duration=duration, date_added=now, date_updated=now,
        date_clock=now, expected_time=environment.next_checkin, monitor_config=dict(monitor.config),
        date_in_progress=now if status == IN_PROGRESS else None,
        timeout_at=now + schedule.max_runtime(monitor.config) if status == IN_PROGRESS else None)
    db.session.add(checkin)
    environment.last_checkin = now
    schedule_next(monitor, environment, now)
    if status != IN_PROGRESS:
        record_result(monitor, environment, checkin, now)
    return checkin


def _close(monitor, environment, checkin: MonitorCheckIn, status: str, duration, now) -> MonitorCheckIn:
    """The end of an in-progress check-in; a check-in already closed (or timed out) stays."""
    if checkin.status != IN_PROGRESS or status == IN_PROGRESS:
        raise Rejected("the check-in is not in progress any more")
    if checkin.monitor_environment_id != environment.id:
        raise Rejected("the check-in belongs to another environment")
    checkin.status = status
    checkin.date_updated = now
    checkin.timeout_at = None
    started = checkin.date_in_progress or checkin.date_added
    checkin.duration = duration if duration is not None else int((now - started).total_seconds() * 1000)
    record_result(monitor, environment, checkin, now)
    return checkin


def missed(monitor: Monitor, environment: MonitorEnvironment, expected: dt.datetime,
           now: dt.datetime) -> MonitorCheckIn:
    """The clock's record of a check-in that never came (no commit)."""
    checkin = MonitorCheckIn(
        guid=uuid.uuid4().hex, monitor_id=monitor.id, monitor_environment_id=environment.id,
        project_id=monitor.project_id, status=MISSED, duration=None, date_added=now,
        date_updated=now, date_clock=expected, expected_time=expected,
        monitor_config=dict(monitor.config))
    db.session.add(checkin)
    record_result(monitor, environment, checkin, now)
    return checkin


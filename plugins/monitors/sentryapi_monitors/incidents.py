"""What a finished check-in does to its environment: consecutive failures past
``failure_issue_threshold`` open an incident (an issue, through the events plugin's
``capture_event``, fingerprinted per monitor and environment, and the ``monitor.failed``
webhook); ``recovery_threshold`` successes in a row close it (``resolve_fingerprint``,
``monitor.recovered``). A muted monitor or environment changes state but opens nothing."""

from __future__ import annotations

import datetime as dt
import uuid

from sentryapi.api import call_hook
from sentryapi.webhooks import emit

from .models import (
    ERROR,
    FAILURES,
    MISSED,
    OK,
    TIMEOUT,
    Monitor,
    MonitorCheckIn,
    MonitorEnvironment,
)

REASONS = {
    MISSED: "No check-in was received in time",
    TIMEOUT: "The job ran longer than its maximum runtime",
    ERROR: "The job reported an error",
}


def fingerprint(monitor: Monitor, environment: MonitorEnvironment) -> list[str]:
    """One issue per monitor and environment."""
    return ["monitor", str(monitor.id), environment.environment]


def failure_event(monitor: Monitor, environment: MonitorEnvironment, checkin: MonitorCheckIn) -> dict:
    """The event an incident's issue is made of (as an SDK would send it)."""
    reason = REASONS.get(checkin.status, checkin.status)
    return {
        "event_id": uuid.uuid4().hex,
        "timestamp": checkin.date_updated.timestamp(),
        "platform": "other",
        "level": "error",
        "logger": "monitors",
        "environment": environment.environment,
        "logentry": {"formatted": f"Cron failure: {monitor.name}"},
        "culprit": reason,
        "fingerprint": fingerprint(monitor, environment),
        "tags": {"monitor.slug": monitor.slug, "monitor.id": str(monitor.id),
                 "monitor.status": checkin.status},
        "contexts": {"monitor": {"id": str(monitor.id), "slug": monitor.slug, "name": monitor.name,
                                 "config": monitor.config, "status": checkin.status}},
    }


def webhook_data(monitor: Monitor, environment: MonitorEnvironment, checkin: MonitorCheckIn) -> dict:
    return {
        "monitor": {"id": str(monitor.id), "slug": monitor.slug, "name": monitor.name,
                    "projectId": str(monitor.project_id), "config": monitor.config},
        "environment": environment.environment,
        "status": environment.status,
        "checkIn": {"id": str(uuid.UUID(checkin.guid)), "status": checkin.status,
                    "dateCreated": checkin.date_added.isoformat().replace("+00:00", "Z")},
    }


def _threshold(monitor: Monitor, key: str) -> int:
    return monitor.config.get(key) or 1


def record_result(monitor: Monitor, environment: MonitorEnvironment, checkin: MonitorCheckIn,
                  now: dt.datetime) -> None:
    """Count a check-in that reached its final status (no commit)."""
    muted = monitor.is_muted or environment.is_muted
    if checkin.status in FAILURES:
        environment.failures = (environment.failures or 0) + 1
        environment.successes = 0
        if (environment.incident_started is None
                and environment.failures >= _threshold(monitor, "failure_issue_threshold")):
            environment.status = ERROR
            if not muted:
                environment.incident_started = now
                emit(monitor.organization_id, "monitor", "failed",
                     lambda: webhook_data(monitor, environment, checkin), project=monitor.project_id)
        if environment.incident_started is not None:
            # Each failure of an incident is an event of its issue (the first one opens it).
            call_hook("capture_event", monitor.project_id, failure_event(monitor, environment, checkin))
        return
    if checkin.status != OK:
        return
    environment.successes = (environment.successes or 0) + 1
    environment.failures = 0
    if environment.incident_started is None:
        environment.status = OK
    elif environment.successes >= _threshold(monitor, "recovery_threshold"):
        environment.status = OK
        environment.incident_started = None
        call_hook("resolve_fingerprint", monitor.project_id, fingerprint(monitor, environment))
        emit(monitor.organization_id, "monitor", "recovered",
             lambda: webhook_data(monitor, environment, checkin), project=monitor.project_id)

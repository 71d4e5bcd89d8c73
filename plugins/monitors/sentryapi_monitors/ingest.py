"""Check-ins from SDKs: ``check_in`` envelope items (handed over by the events plugin's
``envelope_items`` hook: sentry-sdk's ``monitor``, ``capture_checkin``, and
``sentry-cli monitors run``), and Sentry's HTTP check-in endpoint for curl and cron lines,
``/api/<project_id>/cron/<monitor_slug>/<sentry_key>/?status=ok`` (GET or POST, the key
also as ``sentry_key=`` or ``X-Sentry-Auth``), which answers 202 as Relay does. The
endpoint is one of the plugin's ``wsgi_routes`` (served below Flask's request machinery,
as SDK ingestion is), so it takes the request as an argument."""

from __future__ import annotations

import datetime as dt
import json
import re

from flask import current_app
from sentryapi_projects import find_ingest_key

from sentryapi.api import (
    Outcome,
    OutcomeRecord,
    consume_quotas,
    db,
    organization_quota,
    rate_limits_header,
    record_outcomes,
)
from sentryapi.plugins import FastRoute

from .checkins import take

CATEGORY = "monitor"
KEY_RE = re.compile(r"sentry_key=([0-9a-fA-F]{32})")
#: Fields a check-in takes from the query string; ``monitor_config`` only from a JSON body.
QUERY_FIELDS = ("status", "check_in_id", "environment", "duration")

def envelope_items(key, items, received: dt.datetime) -> int | None:
    """The ``check_in`` items of an accepted envelope (the events plugin commits)."""
    taken = 0
    for item in items:
        if item.type != "check_in":
            continue
        try:
            data = json.loads(item.payload)
        except ValueError:
            continue
        if take(key.organization_id, key.project_id, data, received) is not None:
            taken += 1
    return taken or None


def _error(status: int, detail: str, headers=None):
    response = current_app.json.response({"detail": detail})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _public_key(request, path_key: str | None) -> str | None:
    if path_key:
        return path_key
    if request.args.get("sentry_key"):
        return request.args["sentry_key"]
    found = KEY_RE.search(request.headers.get("X-Sentry-Auth", "") or request.headers.get("Authorization", ""))
    return found.group(1) if found else None


def _fields(request) -> dict:
    data = {name: request.args[name] for name in QUERY_FIELDS if name in request.args}
    if request.method == "POST" and request.get_data():
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise ValueError("the body is not a JSON object")
        data.update({k: v for k, v in body.items() if k in (*QUERY_FIELDS, "monitor_config")})
    if "duration" in data and isinstance(data["duration"], str):
        data["duration"] = float(data["duration"])  # ValueError: a 400
    return data


def cron_checkin(request, project_id: int, monitor_slug: str, sentry_key: str | None = None):
    """``GET|POST /api/<project_id>/cron/<monitor_slug>/[<sentry_key>/]``: a check-in."""
    key = find_ingest_key(_public_key(request, sentry_key) or "")
    if key is None or not key.is_active or key.project_id != project_id:
        return _error(403, "the project key is unknown, disabled, or not this project's")
    try:
        data = _fields(request)
    except ValueError as error:
        return _error(400, f"invalid check-in: {error}")
    data["monitor_slug"] = monitor_slug
    received = dt.datetime.now(dt.UTC)
    quota = organization_quota(key.organization_id)
    exceeded = consume_quotas([quota], {CATEGORY: 1}) if quota else []
    outcome = Outcome.RATE_LIMITED if exceeded else Outcome.ACCEPTED
    record_outcomes([OutcomeRecord(
        outcome=outcome, category=CATEGORY, quantity=1, organization_id=key.organization_id,
        project_id=key.project_id, key_id=key.key_id, timestamp=received,
        reason=exceeded[0].reason_code if exceeded else None)])
    if exceeded:
        db.session.commit()
        return _error(429, "Too many check-ins", {
            "X-Sentry-Rate-Limits": rate_limits_header(exceeded),
            "Retry-After": str(max(e.retry_after for e in exceeded))})
    take(key.organization_id, key.project_id, data, received)
    db.session.commit()
    return current_app.response_class("", status=202)


ENDPOINT = "monitors_ingest.cron_checkin"
ROUTES = (
    FastRoute("/api/<int:project_id>/cron/<monitor_slug>/<sentry_key>/", cron_checkin,
              ("GET", "POST"), ENDPOINT),
    FastRoute("/api/<int:project_id>/cron/<monitor_slug>/", cron_checkin, ("GET", "POST"),
              ENDPOINT),
)

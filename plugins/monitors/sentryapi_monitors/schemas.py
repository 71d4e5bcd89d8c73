"""What the monitor endpoints read and write (Sentry's field names, limits and messages).

Sentry's monitor validators take snake_case and camelCase alike (``is_muted`` or
``isMuted``, ``checkin_margin`` or ``checkinMargin``): ``SnakeCaseSchema`` reads both.
"""

from __future__ import annotations

import re
import zoneinfo

from sentryapi_projects import ProjectSchema

from sentryapi.api import (
    DateTime,
    Id,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from .models import ACTIVE, CHECKIN_STATUSES, DISABLED
from .schedule import CRONTAB, INTERVAL, crontab_error, interval_error

SLUG_RE = re.compile(r"^(?![0-9]+$)[a-z0-9_\-]+$")
MAX_MINUTES = 40320
MAX_THRESHOLD = 720
TIME_ZONES = frozenset(zoneinfo.available_timezones())
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake(key: str) -> str:
    return _CAMEL.sub("_", key).lower()


class SnakeCaseSchema(Schema):
    @pre_load
    def _snake_keys(self, data, **kwargs):
        if isinstance(data, dict):
            return {snake(key) if isinstance(key, str) else key: value for key, value in data.items()}
        return data


def _minutes(**kwargs):
    return fields.Integer(allow_none=True, validate=validate.Range(min=1, max=MAX_MINUTES), **kwargs)


def _threshold(**kwargs):
    return fields.Integer(allow_none=True, validate=validate.Range(min=1, max=MAX_THRESHOLD), **kwargs)


class MonitorConfigInputSchema(SnakeCaseSchema):
    schedule_type = fields.String(validate=validate.OneOf((CRONTAB, INTERVAL)), metadata={
        "description": "`crontab` or `interval`; read from `schedule` when left out."})
    schedule = fields.Raw(required=True, metadata={
        "description": "A crontab (`0 * * * *`), or for intervals `[count, unit]` (`[10, \"minute\"]`).",
        "example": "0 * * * *"})
    checkin_margin = _minutes(metadata={"description": "Minutes after the expected time before a check-in is missed."})
    max_runtime = _minutes(metadata={"description": "Minutes a check-in may stay in progress before it times out."})
    timezone = fields.String(allow_none=True, metadata={"description": "A tz database name (`Europe/Vienna`)."})
    failure_issue_threshold = _threshold(metadata={"description": "Consecutive failures that open an issue."})
    recovery_threshold = _threshold(metadata={"description": "Consecutive successes that resolve it."})

    @validates("timezone")
    def _timezone(self, value, **kwargs):
        if value is not None and value not in TIME_ZONES:
            raise ValidationError(f'"{value}" is not a valid choice.')

    @validates_schema
    def _schedule(self, data, **kwargs):
        schedule = data.get("schedule")
        kind = data.get("schedule_type") or (INTERVAL if isinstance(schedule, list) else CRONTAB)
        data["schedule_type"] = kind
        if kind == INTERVAL:
            error = interval_error(schedule)
        else:
            error = "Schedule was not parseable" if not isinstance(schedule, str) else crontab_error(schedule)
        if error:
            raise ValidationError(error, "schedule")


class MonitorCreateSchema(SnakeCaseSchema):
    project = fields.Raw(required=True, metadata={
        "description": "The project ID or slug to associate the monitor to.", "type": "string"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=128))
    slug = fields.String(validate=[validate.Length(min=1, max=50), validate.Regexp(
        SLUG_RE, error="Invalid monitor slug. Must match the pattern [a-zA-Z0-9_-]+")])
    config = fields.Nested(MonitorConfigInputSchema, required=True)
    status = fields.String(validate=validate.OneOf((ACTIVE, DISABLED)))
    owner = fields.String(allow_none=True, metadata={
        "description": "The team or user that owns the monitor: `user:51` or `team:6`."})
    is_muted = fields.Boolean(metadata={"description": "Whether the monitor opens no issues."})

    @validates("project")
    def _project(self, value, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError("Invalid project id or slug")


class MonitorUpdateSchema(MonitorCreateSchema):
    """Every field optional: what is sent changes."""

    project = fields.Raw(metadata={"description": "Move the monitor to this project (ID or slug).",
                                   "type": "string"})
    name = fields.String(validate=validate.Length(min=1, max=128))
    config = fields.Nested(MonitorConfigInputSchema)


class MonitorEnvironmentUpdateSchema(SnakeCaseSchema):
    is_muted = fields.Boolean(required=True)


class MonitorListArgs(Schema):
    project = fields.List(fields.String(), metadata={"description": "Project ids or slugs (`-1`: all the caller reaches)."})
    environment = fields.List(fields.String(), metadata={"description": "Only monitors with these environments."})
    owner = fields.List(fields.String(), metadata={"description": "`user:ID`, `team:ID` or `me`."})
    query = fields.String(metadata={"description": "Text in the monitor's name or slug."})


class MonitorDeleteArgs(Schema):
    environment = fields.List(fields.String(), metadata={
        "description": "Delete only the monitor's state in these environments."})


class CheckInListArgs(Schema):
    environment = fields.List(fields.String(), metadata={"description": "Only these environments' check-ins."})


# Output


class MonitorConfigSchema(Schema):
    schedule_type = fields.String(validate=validate.OneOf((CRONTAB, INTERVAL)))
    schedule = fields.Raw(metadata={"anyOf": [{"type": "string"}, {"type": "array", "items": {}}]})
    checkin_margin = fields.Integer(allow_none=True)
    max_runtime = fields.Integer(allow_none=True)
    timezone = fields.String(allow_none=True)
    failure_issue_threshold = fields.Integer(allow_none=True)
    recovery_threshold = fields.Integer(allow_none=True)
    alert_rule_id = fields.Integer(allow_none=True)


class ActiveIncidentSchema(Schema):
    startingTimestamp = DateTime()
    resolvingTimestamp = DateTime(allow_none=True)
    brokenNotice = fields.Dict(allow_none=True)


class MonitorEnvironmentSchema(Schema):
    name = fields.String()
    status = fields.String(metadata={"description": "`active` (waiting for its first check-in), `ok` or `error`."})
    isMuted = fields.Boolean()
    dateCreated = DateTime()
    lastCheckIn = DateTime(allow_none=True)
    nextCheckIn = DateTime(allow_none=True)
    nextCheckInLatest = DateTime(allow_none=True)
    activeIncident = fields.Nested(ActiveIncidentSchema, allow_none=True)


class OwnerSchema(Schema):
    type = fields.String(validate=validate.OneOf(("user", "team")))
    id = Id()
    name = fields.String()
    email = fields.String()


class MonitorSchema(Schema):
    id = Id()
    name = fields.String()
    slug = fields.String()
    status = fields.String(validate=validate.OneOf((ACTIVE, DISABLED)))
    isMuted = fields.Boolean()
    isUpserting = fields.Boolean()
    config = fields.Nested(MonitorConfigSchema)
    dateCreated = DateTime()
    project = fields.Nested(ProjectSchema, metadata={"description": "The project, as in the project list."})
    environments = fields.List(fields.Nested(MonitorEnvironmentSchema))
    owner = fields.Nested(OwnerSchema, allow_none=True)


class CheckInSchema(Schema):
    id = fields.String(metadata={"description": "The check-in id (a UUID)."})
    environment = fields.String()
    status = fields.String(validate=validate.OneOf(CHECKIN_STATUSES))
    duration = fields.Integer(allow_none=True, metadata={"description": "Milliseconds."})
    dateCreated = DateTime()
    dateAdded = DateTime()
    dateUpdated = DateTime()
    dateInProgress = DateTime(allow_none=True)
    dateClock = DateTime()
    expectedTime = DateTime(allow_none=True)
    monitorConfig = fields.Nested(MonitorConfigSchema)
    groups = fields.List(fields.String())

"""Organization settings Sentry exposes, with their defaults and input fields.

They are stored in ``Organization.options`` (JSON) and only the keys set by a user are
kept; every read falls back to the default here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from marshmallow import fields, validate

from ..auth.scopes import ROLES


@dataclass(frozen=True)
class Option:
    default: object
    make_field: Callable[[], fields.Field]


_ROLE = validate.OneOf(list(ROLES))


def _field_names() -> fields.List:
    return fields.List(fields.String(validate=validate.Length(max=200)), validate=validate.Length(max=100))


ORGANIZATION_OPTIONS: dict[str, Option] = {
    "isEarlyAdopter": Option(False, fields.Boolean),
    "defaultRole": Option("member", lambda: fields.String(validate=_ROLE)),
    "openMembership": Option(True, fields.Boolean),
    "allowSharedIssues": Option(True, fields.Boolean),
    "enhancedPrivacy": Option(False, fields.Boolean),
    "dataScrubber": Option(False, fields.Boolean),
    "dataScrubberDefaults": Option(False, fields.Boolean),
    "scrubIPAddresses": Option(False, fields.Boolean),
    "sensitiveFields": Option([], _field_names),
    "safeFields": Option([], _field_names),
    "storeCrashReports": Option(0, lambda: fields.Integer(validate=validate.Range(min=-1, max=20))),
    "scrapeJavaScript": Option(True, fields.Boolean),
    "allowJoinRequests": Option(True, fields.Boolean),
    "eventsMemberAdmin": Option(True, fields.Boolean),
    "alertsMemberWrite": Option(True, fields.Boolean),
    "attachmentsRole": Option("member", lambda: fields.String(validate=_ROLE)),
    "debugFilesRole": Option("admin", lambda: fields.String(validate=_ROLE)),
    "hideAiFeatures": Option(False, fields.Boolean),
    "issueAlertsThreadFlag": Option(True, fields.Boolean),
    "metricAlertsThreadFlag": Option(True, fields.Boolean),
}

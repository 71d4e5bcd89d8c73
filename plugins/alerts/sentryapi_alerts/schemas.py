"""Rules as Sentry shows them, and what clients may send."""

from sentryapi.api import DateTime, Id, Schema, fields, validate

from .registry import MATCHES

MATCH = validate.OneOf(MATCHES)


class UserRefSchema(Schema):
    id = Id()
    name = fields.String()
    email = fields.String()


class RuleSchema(Schema):
    id = Id()
    name = fields.String()
    conditions = fields.List(fields.Dict())
    filters = fields.List(fields.Dict())
    actions = fields.List(fields.Dict())
    actionMatch = fields.String()
    filterMatch = fields.String()
    frequency = fields.Integer()
    environment = fields.String(allow_none=True)
    owner = fields.String(allow_none=True)
    createdBy = fields.Nested(UserRefSchema, allow_none=True)
    projects = fields.List(fields.String())
    status = fields.String()
    snooze = fields.Boolean()
    dateCreated = DateTime()


class RuleWriteSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=256))
    frequency = fields.Integer(required=True, validate=validate.Range(5, 43200),
                               metadata={"description": "Minutes between notifications for one issue (5 to 43200)."})
    actionMatch = fields.String(required=True, validate=MATCH)
    filterMatch = fields.String(validate=MATCH, load_default="all")
    conditions = fields.List(fields.Dict(), required=True)
    filters = fields.List(fields.Dict(), load_default=list)
    actions = fields.List(fields.Dict(), required=True)
    environment = fields.String(allow_none=True, validate=validate.Length(max=64))
    owner = fields.String(allow_none=True, validate=validate.Length(max=64),
                          metadata={"description": "`user:<id>` or `team:<id>`."})


class GroupHistorySchema(Schema):
    group = fields.Dict()
    count = fields.Integer()
    lastTriggered = DateTime()
    eventId = fields.String(allow_none=True)


class HistoryArgs(Schema):
    start = fields.DateTime(load_default=None)
    end = fields.DateTime(load_default=None)


class NotificationOptionSchema(Schema):
    id = Id()
    type = fields.String()
    scopeType = fields.String()
    scopeIdentifier = fields.String()
    value = fields.String()
    user_id = fields.String(data_key="user_id")


class NotificationOptionWriteSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(("alerts",)))
    scopeType = fields.String(required=True, validate=validate.OneOf(("user", "organization", "project")))
    scopeIdentifier = fields.String(required=True, validate=validate.Length(min=1, max=20))
    value = fields.String(required=True, validate=validate.OneOf(("always", "never")))


class MetricAlertRuleSchema(Schema):
    id = Id()
    name = fields.String()

"""User reports' request and response shapes (Sentry's ``UserReport`` serializer)."""

from __future__ import annotations

from sentryapi.api import Schema, fields, validate

from ..issues.schemas import IssueSchema, Rendered


class UserReportEventSchema(Schema):
    id = fields.String(allow_none=True, metadata={
        "description": "The event's id once it is stored, else null."})
    eventID = fields.String()  # noqa: N815


class UserReportSchema(Rendered):
    id = fields.String()
    eventID = fields.String()  # noqa: N815
    name = fields.String()
    email = fields.String()
    comments = fields.String()
    dateCreated = fields.String()  # noqa: N815
    user = fields.Dict(allow_none=True)
    event = fields.Nested(UserReportEventSchema)


class ProjectUserReportSchema(UserReportSchema):
    issue = fields.Nested(IssueSchema, allow_none=True, metadata={
        "description": "The issue of the report's event, once the event is stored."})


class UserReportCreateSchema(Schema):
    event_id = fields.String(required=True, metadata={
        "description": "The id of the event the user reports about (32 hex digits)."})
    name = fields.String(required=True, validate=validate.Length(max=128))
    email = fields.String(required=True, validate=validate.Length(max=75))
    comments = fields.String(required=True, validate=validate.Length(min=1, max=4096))

"""Request arguments, and the documented shapes of issues and events (Sentry's names).

Responses are built by ``serializers``/``event_json`` in one pass per page; the response
schemas here document them in the OpenAPI document and pass the built JSON through.
"""

from __future__ import annotations

import datetime as dt

from sentryapi.api import Schema, ValidationError, fields, validate, validates_schema

STATUSES = ("resolved", "unresolved", "ignored", "resolvedInNextRelease", "muted", "archived",
)
EXPANDABLE = ("owners", "inbox", "sessions", "pluginActions", "integrationIssues",
              "sentryAppIssues", "latestEventHasAttachments")
SORTS = ("date", "new", "freq", "user", "trends", "inbox", "recommended", "priority")


class Rendered(Schema):
    """Documents a response; the view's JSON, already built, is sent unchanged."""

    def dump(self, obj, *, many=None):
        return obj


class IssueListArgs(Schema):
    query = fields.String(load_default=None, metadata={
        "description": "Sentry search syntax; `is:unresolved` when absent, `\"\"` for all."})
    sort = fields.String(load_default="date", validate=validate.OneOf(SORTS))
    statsPeriod = fields.String(load_default=None)  # noqa: N815 - Sentry's parameter name
    groupStatsPeriod = fields.String(load_default=None)  # noqa: N815
    shortIdLookup = fields.String(load_default="0")  # noqa: N815
    collapse = fields.List(fields.String(validate=validate.OneOf(
        ("stats", "lifetime", "filtered", "unhandled", "base"))), load_default=list, metadata={
        "description": "Parts left out of each issue: `stats`, `lifetime`, `filtered`, `unhandled`."})
    environment = fields.List(fields.String(), load_default=list)
    project = fields.List(fields.String(), load_default=list)
    start = fields.AwareDateTime(load_default=None, default_timezone=dt.UTC, metadata={
        "description": "Organization list: issues seen at or after this time (`statsPeriod` wins)."})
    end = fields.AwareDateTime(load_default=None, default_timezone=dt.UTC, metadata={
        "description": "Organization list: issues first seen at or before this time."})
    expand = fields.List(fields.String(validate=validate.OneOf(EXPANDABLE)), load_default=list, metadata={
        "description": "Sentry's expandable parts of an issue on the organization list; they are "
                       "always included here (`latestEventHasAttachments` is computed per page)."})

    @validates_schema
    def check_range(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("start must be before end.", "start")


class BulkArgs(IssueListArgs):
    id = fields.List(fields.String(), load_default=list)
    status = fields.String(load_default=None)


class IssueUpdateSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    statusDetails = fields.Dict(load_default=dict)  # noqa: N815
    substatus = fields.String(allow_none=True)
    ignoreDuration = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=10**7))  # noqa: N815
    snoozeDuration = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=10**7))  # noqa: N815
    assignedTo = fields.String(allow_none=True)  # noqa: N815
    hasSeen = fields.Boolean()  # noqa: N815
    isBookmarked = fields.Boolean()  # noqa: N815
    isPublic = fields.Boolean()  # noqa: N815
    isSubscribed = fields.Boolean()  # noqa: N815
    priority = fields.String(validate=validate.OneOf(("low", "medium", "high")))
    merge = fields.Boolean()
    discard = fields.Boolean()
    inbox = fields.Boolean()


class EventListArgs(Schema):
    full = fields.Boolean(load_default=False)
    statsPeriod = fields.String(load_default=None)  # noqa: N815
    start = fields.DateTime(load_default=None)
    end = fields.DateTime(load_default=None)
    query = fields.String(load_default=None)
    environment = fields.List(fields.String(), load_default=list)
    sample = fields.Boolean(load_default=False, metadata={
        "description": "Return events in pseudo-random order (by event id): the same query always "
                       "answers the same events in the same order."})


class ProjectRef(Schema):
    id = fields.String()
    name = fields.String()
    slug = fields.String()
    platform = fields.String(allow_none=True)


class IssueSchema(Rendered):
    id = fields.String()
    shortId = fields.String()  # noqa: N815
    title = fields.String()
    culprit = fields.String()
    permalink = fields.String()
    level = fields.String()
    status = fields.String()
    statusDetails = fields.Dict()  # noqa: N815
    substatus = fields.String(allow_none=True)
    project = fields.Nested(ProjectRef)
    type = fields.String()
    metadata = fields.Dict()
    assignedTo = fields.Dict(allow_none=True)  # noqa: N815
    isBookmarked = fields.Boolean()  # noqa: N815
    hasSeen = fields.Boolean()  # noqa: N815
    count = fields.String(metadata={"description": "Events in the issue (a string, as Sentry's)."})
    userCount = fields.Integer()  # noqa: N815
    firstSeen = fields.String()  # noqa: N815
    lastSeen = fields.String()  # noqa: N815
    stats = fields.Dict(metadata={"description": "`{period: [[unix_ts, count], ...]}`"})


class IssueUpdateResultSchema(Rendered):
    status = fields.String()
    statusDetails = fields.Dict()  # noqa: N815
    assignedTo = fields.Dict(allow_none=True)  # noqa: N815
    hasSeen = fields.Boolean()  # noqa: N815
    isBookmarked = fields.Boolean()  # noqa: N815
    isPublic = fields.Boolean()  # noqa: N815


class TagSchema(Schema):
    key = fields.String()
    value = fields.String()


class EventSchema(Rendered):
    id = fields.String()
    eventID = fields.String()  # noqa: N815
    groupID = fields.String(allow_none=True)  # noqa: N815
    projectID = fields.String()  # noqa: N815
    title = fields.String()
    message = fields.String()
    culprit = fields.String(allow_none=True)
    location = fields.String(allow_none=True)
    platform = fields.String(allow_none=True)
    dateCreated = fields.String()  # noqa: N815
    user = fields.Dict(allow_none=True)
    tags = fields.List(fields.Nested(TagSchema))
    metadata = fields.Dict()


class EventDetailSchema(EventSchema):
    dateReceived = fields.String()  # noqa: N815
    entries = fields.List(fields.Dict())
    contexts = fields.Dict()
    context = fields.Dict()
    sdk = fields.Dict(allow_none=True)
    errors = fields.List(fields.Dict())
    nextEventID = fields.String(allow_none=True)  # noqa: N815
    previousEventID = fields.String(allow_none=True)  # noqa: N815


class TagValueSchema(Rendered):
    key = fields.String()
    name = fields.String()
    value = fields.String()
    count = fields.Integer()
    firstSeen = fields.String()  # noqa: N815
    lastSeen = fields.String()  # noqa: N815


class TagKeySchema(Rendered):
    key = fields.String()
    name = fields.String()
    totalValues = fields.Integer()  # noqa: N815
    uniqueValues = fields.Integer()  # noqa: N815
    topValues = fields.List(fields.Nested(TagValueSchema))  # noqa: N815


class ShortIdLookupSchema(Rendered):
    organizationSlug = fields.String()  # noqa: N815
    projectSlug = fields.String()  # noqa: N815
    groupId = fields.String()  # noqa: N815
    shortId = fields.String()  # noqa: N815
    group = fields.Nested(IssueSchema)


class EventIdLookupSchema(Rendered):
    organizationSlug = fields.String()  # noqa: N815
    projectSlug = fields.String()  # noqa: N815
    groupId = fields.String(allow_none=True)  # noqa: N815
    eventId = fields.String()  # noqa: N815
    event = fields.Nested(EventDetailSchema)

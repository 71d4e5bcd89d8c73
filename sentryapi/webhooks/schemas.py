"""Request and response schemas of the service-hook API (Sentry's shapes, plus the log)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates

from ..web.schemas import DateTime, Schema
from . import ssrf

MAX_EVENTS = 50


class ServiceHookSchema(Schema):
    id = fields.String(metadata={"description": "The hook's GUID."})
    url = fields.String()
    events = fields.List(fields.String())
    secret = fields.String(metadata={"description": "Key of the `Sentry-Hook-Signature` HMAC."})
    status = fields.String(metadata={"description": "`active` or `disabled`."})
    disabledReason = fields.String(allow_none=True, metadata={
        "description": "Why the hook was disabled (failing deliveries); `null` when active."})
    dateCreated = DateTime()


def _url(value: str) -> None:
    try:
        ssrf.parse(value)
    except ssrf.UnsafeURL as error:
        raise ValidationError(str(error)) from None


class ServiceHookCreateSchema(Schema):
    url = fields.String(required=True, validate=_url, metadata={"description": "The URL for the webhook."})
    events = fields.List(fields.String(validate=validate.Length(min=1, max=64)), required=True,
                         validate=validate.Length(min=1, max=MAX_EVENTS),
                         metadata={"description": "The events to subscribe to: `resource.action` "
                                   "(`issue.created`), a resource (`issue`) or Sentry's "
                                   "`event.created` and `event.alert`."})

    @validates("events")
    def _known_events(self, value, **kwargs):
        from flask import current_app

        from .names import is_subscribable

        declared = current_app.extensions["sentryapi.webhooks"].declared
        unknown = [name for name in value if not is_subscribable(name, declared)]
        if unknown:
            raise ValidationError([f"Invalid event name: {name}" for name in unknown])


class ServiceHookUpdateSchema(ServiceHookCreateSchema):
    url = fields.String(validate=_url, metadata={"description": "The URL for the webhook."})
    events = fields.List(fields.String(validate=validate.Length(min=1, max=64)),
                         validate=validate.Length(min=1, max=MAX_EVENTS),
                         metadata={"description": "The events to subscribe to."})
    status = fields.String(validate=validate.OneOf(("active", "disabled")), metadata={
        "description": "`active` re-enables a disabled hook (and clears its failure streak); "
                       "`disabled` pauses it."})


class ServiceHookAttemptSchema(Schema):
    id = fields.String()
    dateCreated = DateTime()
    success = fields.Boolean()
    statusCode = fields.Integer(allow_none=True)
    duration = fields.Integer(metadata={"description": "Milliseconds."})
    responseBody = fields.String(allow_none=True, metadata={"description": "The first 1024 characters."})
    error = fields.String(allow_none=True)


class ServiceHookDeliverySchema(Schema):
    id = fields.String(metadata={"description": "The `Request-ID` header of every attempt."})
    event = fields.String(metadata={"description": "`resource.action`"})
    status = fields.String(metadata={"description": "`pending`, `delivered` or `failed`."})
    attempts = fields.List(fields.Nested(ServiceHookAttemptSchema), metadata={
        "description": "The latest attempts, newest first."})
    dateCreated = DateTime()
    dateDelivered = DateTime(allow_none=True)
    nextAttempt = DateTime(allow_none=True, metadata={"description": "When it is tried again (pending)."})

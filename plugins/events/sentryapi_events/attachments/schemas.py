"""An event attachment's shape (Sentry's ``EventAttachment`` serializer) and list arguments."""

from __future__ import annotations

from sentryapi.api import Schema, fields

from ..issues.schemas import Rendered


class AttachmentSchema(Rendered):
    id = fields.String()
    event_id = fields.String()
    type = fields.String()
    name = fields.String()
    mimetype = fields.String(allow_none=True)
    dateCreated = fields.String()  # noqa: N815
    size = fields.Integer()
    headers = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    sha1 = fields.String(allow_none=True)


class AttachmentListArgs(Schema):
    query = fields.String(load_default=None, metadata={
        "description": "A part of the name, or `is:screenshot` for screenshots only."})


class AttachmentArgs(Schema):
    download = fields.String(load_default=None, metadata={
        "description": "Present (any value): answer the attachment's bytes, not its metadata."})

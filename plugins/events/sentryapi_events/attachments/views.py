"""An event's attachments: list, metadata, and the stored bytes (``?download``)."""

from __future__ import annotations

import io

from flask import send_file
from sqlalchemy import or_, select

from sentryapi.api import (
    EVENT_READ,
    NUMBER,
    PROJECT_READ,
    NotFound,
    Ordering,
    ParseError,
    ProjectEndpoint,
    blob_store,
    contains,
    db,
    paginate,
    parse_id,
    parse_query,
)

from ..issues.event_views import normalized_event_id
from ..issues.serializers import iso
from ..issues.views import blp
from ..models import Event
from .examples import ATTACHMENT
from .models import EventAttachment
from .schemas import AttachmentArgs, AttachmentListArgs, AttachmentSchema

#: Sentry reads an event's attachments with project and event scopes alike.
ATTACHMENTS_READ = (*PROJECT_READ, *EVENT_READ)
IN_ORDER = Ordering(EventAttachment.id, EventAttachment.id, descending=False, kind=NUMBER)
EVENT_PATH = "/projects/<organization_id_or_slug>/<project_id_or_slug>/events/<event_id>/attachments/"


def serialize_attachment(row: EventAttachment) -> dict:
    return {"id": str(row.id), "event_id": row.event_id, "type": row.type, "name": row.name,
            "mimetype": row.content_type, "dateCreated": iso(row.date_created), "size": row.size,
            "headers": {"Content-Type": row.content_type}, "sha1": row.sha1}


def _screenshot_condition():
    return or_(EventAttachment.name.like("screenshot%"), EventAttachment.name == "screenshot")


def attachment_filter(query: str | None):
    """``query=``: free text matches the name; ``is:screenshot`` keeps screenshots."""
    conditions = []
    parsed = parse_query(query)
    for search in parsed.filters:
        if search.key == "is" and search.value == "screenshot" and not search.negated:
            conditions.append(_screenshot_condition())
        else:
            raise ParseError(f"Invalid query. Unsupported filter: {search.token}")
    if parsed.text:
        conditions.append(contains(EventAttachment.name, parsed.text))
    return conditions


@blp.route(EVENT_PATH)
class EventAttachments(ProjectEndpoint):
    scope_map = {"GET": ATTACHMENTS_READ}
    public = frozenset({"GET"})

    @blp.arguments(AttachmentListArgs, location="query")
    @blp.paginated_response(AttachmentSchema(many=True), example=[ATTACHMENT])
    def get(self, args, organization_id_or_slug, project_id_or_slug, event_id):
        """List an event's attachments, in the order they came.

        An event the project does not have (nor any attachment of) is a 404, as in Sentry.
        """
        event_id = normalized_event_id(event_id)
        known = (select(Event.id).where(Event.project_id == self.project.id,
                                        Event.event_id == event_id)
                 .union_all(select(EventAttachment.id).where(
                     EventAttachment.project_id == self.project.id,
                     EventAttachment.event_id == event_id)).limit(1))
        if db.session.scalar(known) is None:
            raise NotFound()
        stmt = select(EventAttachment).where(
            EventAttachment.project_id == self.project.id,
            EventAttachment.event_id == event_id, *attachment_filter(args["query"]))
        return paginate(stmt, IN_ORDER).serialize(
            lambda rows: [serialize_attachment(row) for row in rows])


@blp.route(EVENT_PATH + "<attachment_id>/")
class EventAttachmentDetails(ProjectEndpoint):
    scope_map = {"GET": ATTACHMENTS_READ}
    public = frozenset({"GET"})

    @blp.arguments(AttachmentArgs, location="query")
    @blp.response(200, AttachmentSchema, example=ATTACHMENT)
    def get(self, args, organization_id_or_slug, project_id_or_slug, event_id, attachment_id):
        """Retrieve an event's attachment, or its bytes with `download`.

        With `download` (any value) the answer is the file exactly as the SDK sent it,
        with its content type and a `Content-Disposition: attachment` naming it.
        """
        row = db.session.scalar(select(EventAttachment).where(
            EventAttachment.project_id == self.project.id,
            EventAttachment.event_id == normalized_event_id(event_id),
            EventAttachment.id == parse_id(attachment_id)))
        if row is None:
            raise NotFound()
        if args["download"] is None:
            return serialize_attachment(row)
        try:
            data = blob_store().get(row.blob_key)
        except KeyError:
            raise NotFound("The attachment's file is missing.") from None
        return send_file(io.BytesIO(data), mimetype=row.content_type or "application/octet-stream",
                         as_attachment=True, download_name=row.name, conditional=False,
                         etag=False, max_age=0)

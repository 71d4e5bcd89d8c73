"""An issue's notes (comments) and activity, as the ``sentry`` CLI and the MCP server read them."""

from __future__ import annotations

from sqlalchemy import select

from sentryapi.api import (
    DATETIME,
    EVENT_ADMIN,
    EVENT_READ,
    EVENT_WRITE,
    NotFound,
    Ordering,
    PermissionDenied,
    Schema,
    db,
    fields,
    paginate,
    validate,
)

from ..activity import NOTE, GroupActivity
from .activity_json import issue_activity, serialize_activities
from .schemas import Rendered
from .views import IssueEndpoint, blp

NOTE_ORDER = Ordering(GroupActivity.date_created, GroupActivity.id, kind=DATETIME)
NOTE_SCOPES = {"GET": EVENT_READ, "POST": EVENT_WRITE, "PUT": EVENT_WRITE, "DELETE": EVENT_ADMIN}
NO_USER = "Notes are written by users: an organization token cannot write one."


class NoteBodySchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=80_000))
    mentions = fields.List(fields.String(), load_default=list)


class ActivitySchema(Rendered):
    id = fields.String()
    type = fields.String()
    data = fields.Dict()
    user = fields.Dict(allow_none=True)
    dateCreated = fields.String()  # noqa: N815
    sentry_app = fields.Dict(allow_none=True)


class ActivityListSchema(Rendered):
    activity = fields.List(fields.Nested(ActivitySchema))


NOTE_EXAMPLE = {"id": "1", "type": "note", "data": {"text": "Seen after the 2.0 deploy."},
                "user": None, "dateCreated": "2026-12-03T10:00:00Z", "sentry_app": None}


class NoteIndexBase(IssueEndpoint):
    scope_map = NOTE_SCOPES

    @blp.paginated_response(ActivitySchema(many=True), example=[NOTE_EXAMPLE])
    def get(self, issue_id, organization_id_or_slug=None):
        """List an issue's notes (comments), newest first."""
        group = self.issue(issue_id)
        page = paginate(select(GroupActivity).where(GroupActivity.group_id == group.id,
                                                    GroupActivity.type == NOTE), NOTE_ORDER)
        return page.serialize(serialize_activities)

    @blp.arguments(NoteBodySchema)
    @blp.response(201, ActivitySchema, example=NOTE_EXAMPLE)
    def post(self, data, issue_id, organization_id_or_slug=None):
        """Add a note (a comment) to an issue."""
        group = self.issue(issue_id)
        if self.user is None:
            raise PermissionDenied(NO_USER)
        note = GroupActivity(group_id=group.id, type=NOTE, user_id=self.user.id,
                             data={"text": data["text"], "mentions": data["mentions"]})
        db.session.add(note)
        db.session.commit()
        return serialize_activities([note])[0]


class NoteDetailsBase(IssueEndpoint):
    scope_map = NOTE_SCOPES

    def note(self, issue_id: str, note_id: str) -> GroupActivity:
        """The caller's own note on this issue (anyone else's is a 404, as in Sentry)."""
        group = self.issue(issue_id)
        note = db.session.scalars(select(GroupActivity).where(
            GroupActivity.group_id == group.id, GroupActivity.type == NOTE,
            GroupActivity.id == (int(note_id) if note_id.isdigit() and len(note_id) < 19 else -1),
        )).first()
        if note is None or self.user is None or note.user_id != self.user.id:
            raise NotFound()
        return note

    @blp.arguments(NoteBodySchema)
    @blp.response(200, ActivitySchema, example=NOTE_EXAMPLE)
    def put(self, data, issue_id, note_id, organization_id_or_slug=None):
        """Edit one of your notes on an issue."""
        note = self.note(issue_id, note_id)
        note.data = {**(note.data or {}), "text": data["text"], "mentions": data["mentions"]}
        db.session.commit()
        return serialize_activities([note])[0]

    @blp.response(204)
    def delete(self, issue_id, note_id, organization_id_or_slug=None):
        """Delete one of your notes on an issue."""
        db.session.delete(self.note(issue_id, note_id))
        db.session.commit()
        return "", 204


@blp.route("/organizations/<organization_id_or_slug>/issues/<issue_id>/notes/")
class IssueNoteIndex(NoteIndexBase):
    pass


@blp.route("/issues/<issue_id>/notes/")
class LegacyIssueNoteIndex(NoteIndexBase):
    """``/api/0/issues/{id}/notes/``: the path older clients use."""


@blp.route("/organizations/<organization_id_or_slug>/issues/<issue_id>/notes/<note_id>/")
class IssueNoteDetails(NoteDetailsBase):
    pass


@blp.route("/issues/<issue_id>/notes/<note_id>/")
class LegacyIssueNoteDetails(NoteDetailsBase):
    """``/api/0/issues/{id}/notes/{note_id}/``."""


class ActivityIndexBase(IssueEndpoint):
    scope_map = {"GET": EVENT_READ}
    unpaginated = {"GET": "Sentry answers {activity: [...]}, the newest 100, and no cursor"}

    @blp.response(200, ActivityListSchema, example={"activity": [NOTE_EXAMPLE]})
    def get(self, issue_id, organization_id_or_slug=None):
        """List an issue's activity, newest first: notes, status changes, assignment, merges,
        regressions, release resolutions; its first seen last."""
        return {"activity": issue_activity(self.issue(issue_id))}


@blp.route("/organizations/<organization_id_or_slug>/issues/<issue_id>/activities/")
class IssueActivityIndex(ActivityIndexBase):
    pass


@blp.route("/issues/<issue_id>/activities/")
class LegacyIssueActivityIndex(ActivityIndexBase):
    """``/api/0/issues/{id}/activities/``."""


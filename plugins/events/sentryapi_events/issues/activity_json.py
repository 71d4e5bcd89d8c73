"""An issue's activity and notes as Sentry renders them, a page (or a list of issues) at once."""

from __future__ import annotations

from sqlalchemy import func, select

from sentryapi.api import User, db, serialize_user

from ..activity import NOTE, GroupActivity
from .serializers import iso

#: How many activities an issue's activity (and its detail) shows: Sentry's cap.
ACTIVITY_LIMIT = 100


def serialize_activities(rows: list[GroupActivity]) -> list[dict]:
    """Activities with their users, loaded in one query for the page."""
    user_ids = {row.user_id for row in rows if row.user_id}
    users = {user.id: serialize_user(user) for user in db.session.scalars(
        select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    return [{"id": str(row.id), "type": row.type, "data": row.data or {},
             "user": users.get(row.user_id), "dateCreated": iso(row.date_created),
             "sentry_app": None} for row in rows]


def issue_activity(group) -> list[dict]:
    """The newest activities of an issue, then its first seen (synthesized, id ``0``)."""
    rows = list(db.session.scalars(select(GroupActivity).where(GroupActivity.group_id == group.id)
                                   .order_by(GroupActivity.date_created.desc(),
                                             GroupActivity.id.desc()).limit(ACTIVITY_LIMIT)))
    first_seen = {"id": "0", "type": "first_seen", "data": {}, "user": None,
                  "dateCreated": iso(group.first_seen), "sentry_app": None}
    return [*serialize_activities(rows), first_seen]


def note_counts(group_ids: list[int]) -> dict[int, int]:
    """``numComments`` for a page of issues (one query)."""
    if not group_ids:
        return {}
    return dict(db.session.execute(
        select(GroupActivity.group_id, func.count()).where(
            GroupActivity.group_id.in_(group_ids), GroupActivity.type == NOTE)
        .group_by(GroupActivity.group_id)).all())

"""An issue's activity (notes, status changes, assignment, merges, regressions) and the ids of
issues merged away (``GroupRedirect``: a merged issue's id keeps answering, as its parent).

Types are Sentry's names (``note``, ``set_resolved``, ``set_resolved_in_release``,
``set_unresolved``, ``set_ignored``, ``set_regression``, ``set_escalating``, ``assigned``,
``unassigned``, ``merge``, ``set_public``, ``set_private``, ``set_priority``). ``first_seen`` is
not stored: it is the issue's first seen, added when the activity is listed (as Sentry does).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, insert
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import BigId, UTCDateTime, db, utcnow

NOTE = "note"


class GroupActivity(db.Model):
    __tablename__ = "event_group_activity"
    __table_args__ = (Index("ix_event_group_activity_group_date", "group_id", "date_created", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("event_group.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    #: Who did it; ``None`` for the server (a regression) or an organization token.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("sentry_user.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class GroupRedirect(db.Model):
    """An issue merged into another: its id resolves to the parent."""

    __tablename__ = "event_group_redirect"

    previous_group_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("event_group.id", ondelete="CASCADE"),
                                          index=True)


def record(group_ids, type_: str, user=None, data: dict | None = None) -> None:
    """Add one activity of ``type_`` to each issue (in the caller's transaction)."""
    rows = [{"group_id": group_id, "type": type_, "user_id": getattr(user, "id", None),
             "data": dict(data or {}), "date_created": dt.datetime.now(dt.UTC)}
            for group_id in group_ids]
    if rows:
        db.session.execute(insert(GroupActivity), rows)

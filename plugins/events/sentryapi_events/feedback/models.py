"""User reports: what a user wrote about an error (Sentry's ``UserReport``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import BigId, UTCDateTime, db, utcnow


class UserReport(db.Model):
    """A user's name, email and comments about an event.

    The report names its event by ``event_id``; its issue is found through that event when
    read (``event`` joined on ``(project_id, event_id)``), so a report that arrives before
    its event links to the issue as soon as the event is digested, and follows it through
    a merge.
    """

    __tablename__ = "user_report"
    __table_args__ = (
        # A project's reports newest first; the ones of an event.
        Index("ix_user_report_project_date_created", "project_id", "date_created", "id"),
        # One report per event, as in Sentry: a resend within minutes replaces it.
        UniqueConstraint("project_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(128), default="")
    email: Mapped[str] = mapped_column(String(75), default="")
    comments: Mapped[str] = mapped_column(Text, default="")
    environment: Mapped[str | None] = mapped_column(String(64))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

"""An event's attachment: its metadata here, its bytes in the core's blob store."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import BigId, UTCDateTime, db, utcnow


class EventAttachment(db.Model):
    """A file an SDK sent with an event (``attachment`` envelope item).

    It names its event by ``event_id`` only, like Sentry's: the attachment is usually stored
    before the digest has written the event, and an issue merge moves events, not files.
    """

    __tablename__ = "event_attachment"
    __table_args__ = (
        # An event's attachments, in the order they came.
        Index("ix_event_attachment_project_event_id", "project_id", "event_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(32))
    #: Sentry's attachment type: ``event.attachment``, ``event.minidump``,
    #: ``event.view_hierarchy``...
    type: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(256))
    content_type: Mapped[str | None] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(BigInteger)
    sha1: Mapped[str] = mapped_column(String(40))
    #: Where the bytes are in the blob store.
    blob_key: Mapped[str] = mapped_column(String(128))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

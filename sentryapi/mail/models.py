"""The mail outbox: one row per message owed, the source of truth for its delivery."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import BigId, UTCDateTime, utcnow
from ..extensions import db

PENDING, SENT, FAILED = "pending", "sent", "failed"


class MailOutbox(db.Model):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: The ``Message-ID``'s left part: the same on every attempt.
    guid: Mapped[str] = mapped_column(String(32), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(500))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    #: What sent it (``alerts``, ``invitation``...), for the log and the operator.
    kind: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=10)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Held by an attempt until then; a crashed attempt's row is free again after it.
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    date_sent: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

"""Service hooks (subscriptions), the outbox of deliveries, and the log of each attempt.

A :class:`ServiceHook` belongs to an organization, and optionally to one of its projects
(Sentry's project service hooks; ``project_id`` is a plain column because projects are a
plugin's table). Each delivery owed to a hook is a :class:`WebhookOutbox` row, written in
the transaction of the change that caused it; it is the source of truth, the queue only
carries its id. Every HTTP attempt is a :class:`WebhookAttempt`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import BigId, UTCDateTime, utcnow
from ..extensions import db

ACTIVE, DISABLED = "active", "disabled"
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class ServiceHook(db.Model):
    __tablename__ = "service_hook"
    __table_args__ = (
        Index("ix_service_hook_organization_id_project_id_id", "organization_id", "project_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: The id clients see (Sentry's hook GUID) and the delivery's ``installation.uuid``.
    guid: Mapped[str] = mapped_column(String(32), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    #: ``None``: an organization-level hook, sent every event of the organization.
    project_id: Mapped[int | None] = mapped_column(BigInteger)
    url: Mapped[str] = mapped_column(String(512))
    #: HMAC key of ``Sentry-Hook-Signature``; kept as is, since signing needs it.
    secret: Mapped[str] = mapped_column(String(64))
    events: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    #: Why the hook was disabled (shown to its owner); cleared when re-enabled.
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    #: The failure streak: attempts failed in a row, and since when (``None``: healthy).
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    failing_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookOutbox(db.Model):
    """One delivery owed to a hook: the exact body, and where it stands."""

    __tablename__ = "webhook_outbox"
    __table_args__ = (
        Index("ix_webhook_outbox_status_due_at", "status", "due_at"),
        Index("ix_webhook_outbox_hook_id_id", "hook_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: The ``Request-ID`` header: the same on every attempt, so receivers can de-duplicate.
    guid: Mapped[str] = mapped_column(String(32), unique=True)
    hook_id: Mapped[int] = mapped_column(ForeignKey("service_hook.id", ondelete="CASCADE"))
    resource: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    #: Sent by hand (test ping, redelivery): goes out even to a disabled hook, and its
    #: failures do not count towards disabling it.
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When the next attempt is due.
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When a queue last took it (``None``: no queue holds it; the sweeper sends it).
    enqueued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: An attempt in progress holds the row until then (a crashed worker's lease expires).
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    date_delivered: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    hook: Mapped[ServiceHook] = relationship()

    @property
    def event(self) -> str:
        return f"{self.resource}.{self.action}"


class WebhookAttempt(db.Model):
    """One HTTP attempt of a delivery (the delivery log)."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (Index("ix_webhook_attempt_outbox_id_id", "outbox_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("webhook_outbox.id", ondelete="CASCADE"))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean)
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    #: The start of the receiver's answer (``RESPONSE_BODY_LIMIT`` characters at most).
    response_body: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(String(300))


MODELS = (ServiceHook, WebhookOutbox, WebhookAttempt)

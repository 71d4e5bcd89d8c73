"""Organizations (the tenant root) and their members."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..database import BigId, UTCDateTime, utcnow
from ..extensions import db
from .options import ORGANIZATION_OPTIONS


class Organization(db.Model):
    __tablename__ = "organization"
    __table_args__ = (Index("ix_organization_date_created_id", "date_created", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), default="active")
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Settings Sentry exposes on the organization (see schemas.ORGANIZATION_OPTIONS).
    options: Mapped[dict] = mapped_column(JSON, default=dict)

    def option(self, key: str):
        return (self.options or {}).get(key, ORGANIZATION_OPTIONS[key].default)


class OrganizationMember(db.Model):
    """A user's membership, or a pending invitation (``user_id`` null, ``email`` set)."""

    __tablename__ = "organization_member"
    __table_args__ = (
        UniqueConstraint("organization_id", "user_id"),
        UniqueConstraint("organization_id", "email"),
        Index("ix_organization_member_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("sentry_user.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(32), default="member")
    inviter_id: Mapped[int | None] = mapped_column(ForeignKey("sentry_user.id", ondelete="SET NULL"))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")
    inviter: Mapped[User | None] = relationship(foreign_keys=[inviter_id])

    @property
    def is_pending(self) -> bool:
        return self.user_id is None

    @property
    def display_email(self) -> str:
        return self.user.email if self.user is not None else (self.email or "")

"""Teams of an organization and the members on them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sentryapi.api import BigId, OrganizationMember, UTCDateTime, db, utcnow


class Team(db.Model):
    __tablename__ = "team"
    # (organization_id, slug) serves the slug-ordered list and slug lookups.
    __table_args__ = (UniqueConstraint("organization_id", "slug"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(64))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamMember(db.Model):
    """An organization member (or pending invitation) on a team, with a team role.

    ``role`` is ``None`` (the default, contributor) or ``"admin"``/``"contributor"``
    when set explicitly, as Sentry stores it.
    """

    __tablename__ = "team_member"
    __table_args__ = (
        UniqueConstraint("team_id", "member_id"),
        Index("ix_team_member_member_id", "member_id"),
        # A team's members in the order they joined, page by page (a team can be large).
        Index("ix_team_member_team_id_date_created_id", "team_id", "date_created", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("organization_member.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(String(32))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[OrganizationMember] = relationship()
    team: Mapped[Team] = relationship()

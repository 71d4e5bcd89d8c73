"""Projects, the teams that hold them, their client keys (DSNs) and users' bookmarks.

Other plugins hang their rows on :class:`Project` with
``ForeignKey("project.id", ondelete="CASCADE")``: deleting a project is one DELETE of its
row, and the database removes everything under it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import BigId, UTCDateTime, db, utcnow

ACTIVE = "active"
PENDING_DELETION = "pending_deletion"


class Project(db.Model):
    __tablename__ = "project"
    __table_args__ = (
        # (organization_id, slug): slug lookups and the slug-ordered lists.
        UniqueConstraint("organization_id", "slug"),
        Index("ix_project_date_created_id", "date_created", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str | None] = mapped_column(String(64))
    #: ``active``, or ``pending_deletion`` from the moment its deletion is asked for.
    status: Mapped[str] = mapped_column(String(32), default=ACTIVE)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set by the plugin that stores events when the first one arrives.
    first_event: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Settings a user writes (``subjectPrefix``, ``resolveAge``...; see schemas.PROJECT_OPTIONS).
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    #: What the project has received, by Sentry's name (``hasSessions``, ``hasReplays``...):
    #: other plugins set them; absent means false.
    flags: Mapped[dict] = mapped_column(JSON, default=dict)

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE


class ProjectTeam(db.Model):
    """A team's access to a project (a project may have several teams, or none)."""

    __tablename__ = "project_team"
    __table_args__ = (
        UniqueConstraint("project_id", "team_id"),
        Index("ix_project_team_team_id", "team_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))


class ProjectKey(db.Model):
    """A client key: its public key is the DSN's user part and its API id.

    The secret half of a DSN is deprecated (SDKs send it, nothing checks it); it is not
    stored but derived from the public key and the server's secret, see ``keys.py``.
    """

    __tablename__ = "project_key"
    __table_args__ = (Index("ix_project_key_project_id_id", "project_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    public_key: Mapped[str] = mapped_column(String(32), unique=True)
    label: Mapped[str] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Events accepted per ``rate_limit_window`` seconds (both null: no key limit).
    rate_limit_count: Mapped[int | None] = mapped_column(Integer)
    rate_limit_window: Mapped[int | None] = mapped_column(Integer)
    browser_sdk_version: Mapped[str] = mapped_column(String(16), default="latest")
    #: The JavaScript loader's options (``hasReplay``, ``hasPerformance``...).
    loader_options: Mapped[dict] = mapped_column(JSON, default=dict)
    use_case: Mapped[str] = mapped_column(String(32), default="user")
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectBookmark(db.Model):
    __tablename__ = "project_bookmark"
    __table_args__ = (
        UniqueConstraint("project_id", "user_id"),
        Index("ix_project_bookmark_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("sentry_user.id", ondelete="CASCADE"))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

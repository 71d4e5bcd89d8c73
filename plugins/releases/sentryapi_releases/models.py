"""Releases, the projects and environments they ship to, their deploys and commits.

Rows hang on the organization and on projects with ``ondelete="CASCADE"``: deleting
either removes what is under it in one statement. A release belongs to the organization
(one version, many projects), as in Sentry.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import BigId, UTCDateTime, db, utcnow

OPEN = "open"
ARCHIVED = "archived"
STATUSES = (OPEN, ARCHIVED)


class Release(db.Model):
    __tablename__ = "release"
    __table_args__ = (
        UniqueConstraint("organization_id", "version"),
        # The newest-first lists, within an organization.
        Index("ix_release_organization_id_date_created_id", "organization_id", "date_created", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(250))
    ref: Mapped[str | None] = mapped_column(String(250))
    url: Mapped[str | None] = mapped_column(String(2048))
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("sentry_user.id", ondelete="SET NULL"))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    date_started: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Set when the release is finalized (went live).
    date_released: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    user_agent: Mapped[str | None] = mapped_column(String(256))
    #: Kept by set_commits: how many, the newest, and who wrote them (commit author ids).
    commit_count: Mapped[int] = mapped_column(Integer, default=0)
    last_commit_id: Mapped[int | None] = mapped_column(BigId)
    authors: Mapped[list] = mapped_column(JSON, default=list)
    #: Kept by create_deploy.
    total_deploys: Mapped[int] = mapped_column(Integer, default=0)
    last_deploy_id: Mapped[int | None] = mapped_column(BigId)


class ReleaseProject(db.Model):
    """A project a release ships in, with what its events told about it there."""

    __tablename__ = "release_project"
    __table_args__ = (
        UniqueConstraint("project_id", "release_id"),
        Index("ix_release_project_release_id", "release_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"))
    #: Issues first seen in this release in this project.
    new_groups: Mapped[int] = mapped_column(Integer, default=0)
    first_event: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_event: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ReleaseProjectEnvironment(db.Model):
    """A release seen (events) or deployed in one environment of one project."""

    __tablename__ = "release_project_environment"
    __table_args__ = (
        UniqueConstraint("release_id", "project_id", "environment"),
        Index("ix_release_project_environment_project_id_environment", "project_id", "environment"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    environment: Mapped[str] = mapped_column(String(64))
    new_issues_count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_seen: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_deploy_id: Mapped[int | None] = mapped_column(BigId)


class Deploy(db.Model):
    __tablename__ = "release_deploy"
    __table_args__ = (Index("ix_release_deploy_release_id_date_finished_id", "release_id",
                            "date_finished", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"))
    environment: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(String(2048))
    date_started: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    date_finished: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Repository(db.Model):
    """A repository known by name; commits and refs name it (nothing is fetched from it)."""

    __tablename__ = "release_repository"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommitAuthor(db.Model):
    __tablename__ = "release_commit_author"
    __table_args__ = (UniqueConstraint("organization_id", "email"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(128))


class Commit(db.Model):
    __tablename__ = "release_commit"
    __table_args__ = (UniqueConstraint("repository_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    repository_id: Mapped[int] = mapped_column(ForeignKey("release_repository.id", ondelete="CASCADE"))
    #: The commit's SHA (or whatever id the VCS gives it).
    key: Mapped[str] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("release_commit_author.id", ondelete="SET NULL"))
    date_added: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: ``[{"path": ..., "type": "A"|"M"|"D"}, ...]`` as the client sent it.
    patch_set: Mapped[list] = mapped_column(JSON, default=list)


class ReleaseCommit(db.Model):
    """A commit in a release, in the order the client listed them (0 = newest)."""

    __tablename__ = "release_commit_link"
    __table_args__ = (
        UniqueConstraint("release_id", "commit_id"),
        Index("ix_release_commit_link_release_id_position", "release_id", "position"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"))
    commit_id: Mapped[int] = mapped_column(ForeignKey("release_commit.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)


class ReleaseHeadCommit(db.Model):
    """A ref: the head commit of one repository in a release (and the previous release's)."""

    __tablename__ = "release_head_commit"
    __table_args__ = (UniqueConstraint("release_id", "repository_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"))
    repository_id: Mapped[int] = mapped_column(ForeignKey("release_repository.id", ondelete="CASCADE"))
    commit: Mapped[str] = mapped_column(String(200))
    previous_commit: Mapped[str | None] = mapped_column(String(64))


class GroupResolution(db.Model):
    """An issue resolved in a release, or in the release after the current one.

    Kept for the plugin that stores issues (``group_id`` is its issue's id): its events
    reopen the issue only from a later release (see ``resolutions.py``).
    """

    __tablename__ = "release_group_resolution"
    __table_args__ = (UniqueConstraint("group_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    group_id: Mapped[int] = mapped_column(BigId)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"), index=True)
    #: ``in_release`` or ``in_next_release``.
    kind: Mapped[str] = mapped_column(String(16))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


MODELS = (Release, ReleaseProject, ReleaseProjectEnvironment, Deploy, Repository, CommitAuthor,
          Commit, ReleaseCommit, ReleaseHeadCommit, GroupResolution)

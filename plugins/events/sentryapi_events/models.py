"""Tables: the ingest queue, issues (groups) and their hashes, events, tag values, counters.

An SDK's event goes through two steps. The request writes it, as received, to
``ingest_event`` and commits (that commit is the promise behind the 200). The digest
(``digest/batch.py``) then takes queued rows in batches, normalizes and groups them, writes
``event`` and ``event_group`` rows and the counters, and deletes the queue rows, all
in one transaction per batch.

Every row hangs on ``project.id`` with ``ON DELETE CASCADE``, so deleting a project
removes its issues and events in the same statement.
"""

from __future__ import annotations

import datetime as dt

from sentryapi_projects import Project
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sentryapi.api import BigId, UTCDateTime, db, utcnow

PROJECT_FK = "project.id"

UNRESOLVED, RESOLVED, IGNORED = "unresolved", "resolved", "ignored"


class IngestEvent(db.Model):
    """An accepted event waiting for the digest: the raw item bytes, nothing parsed twice.

    (project_id, event_id) is unique, so an SDK that resends after a timeout never
    queues the same event twice.
    """

    __tablename__ = "ingest_event"
    __table_args__ = (UniqueConstraint("project_id", "event_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey(PROJECT_FK, ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(BigInteger)
    #: The project key it came with (for the per-key outcome counters).
    key_id: Mapped[int] = mapped_column(BigInteger, default=0)
    event_id: Mapped[str] = mapped_column(String(32))
    received: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: The client's address, for ``user.ip_address: "{{auto}}"``.
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    #: The event item's JSON, as the SDK sent it (after decompression).
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class Group(db.Model):
    """An issue: the events that share one fingerprint hash (or several, after a merge)."""

    __tablename__ = "event_group"
    __table_args__ = (
        UniqueConstraint("project_id", "short_id"),
        # Issue lists filter by project and (nearly always) status, and sort by one of
        # these keys with the id as tie-breaker: one index per sort makes every page,
        # first or deep, an index range scan (keyset pagination, see sentryapi.api).
        Index("ix_event_group_project_status_last_seen", "project_id", "status", "last_seen", "id"),
        Index("ix_event_group_project_status_first_seen", "project_id", "status", "first_seen", "id"),
        Index("ix_event_group_project_status_times_seen", "project_id", "status", "times_seen", "id"),
        Index("ix_event_group_project_status_user_count", "project_id", "status", "user_count", "id"),
        # ``query=`` (all statuses) sorted by last seen, the other common list.
        Index("ix_event_group_project_last_seen", "project_id", "last_seen", "id"),
        Index("ix_event_group_assignee_user_id", "assignee_user_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey(PROJECT_FK, ondelete="CASCADE"))
    #: The number in ``PROJECT-1A`` (base 36 after the project's slug).
    short_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default=UNRESOLVED)
    substatus: Mapped[str | None] = mapped_column(String(32), default="new")
    #: ``resolved``/``ignored`` details: ``ignoreUntil``, ``ignoreCount``... (Sentry's shape).
    status_details: Mapped[dict] = mapped_column(JSON, default=dict)
    level: Mapped[str] = mapped_column(String(16), default="error")
    type: Mapped[str] = mapped_column(String(16), default="error")
    title: Mapped[str] = mapped_column(Text, default="")
    culprit: Mapped[str] = mapped_column(Text, default="")
    logger: Mapped[str | None] = mapped_column(String(64))
    platform: Mapped[str | None] = mapped_column(String(64))
    #: Sentry's issue metadata: ``type``, ``value``, ``filename``, ``function``, ``title``.
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    first_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    times_seen: Mapped[int] = mapped_column(BigInteger, default=0)
    user_count: Mapped[int] = mapped_column(BigInteger, default=0)
    first_release: Mapped[str | None] = mapped_column(String(250))
    last_release: Mapped[str | None] = mapped_column(String(250))
    is_unhandled: Mapped[bool] = mapped_column(Boolean, default=False)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[str | None] = mapped_column(String(8), default="high")
    assignee_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("sentry_user.id", ondelete="SET NULL"))
    assignee_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Until when an ``ignored`` issue stays ignored (``ignoreDuration``); null: for good.
    ignore_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    #: Every rendering of an issue shows its project: loaded in the same query.
    project: Mapped[Project] = relationship(lazy="joined", innerjoin=True)


class GroupHash(db.Model):
    """Fingerprint hash -> issue; a merge points several hashes at one issue."""

    __tablename__ = "group_hash"
    __table_args__ = (
        UniqueConstraint("project_id", "hash"),
        Index("ix_group_hash_group_id", "group_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey(PROJECT_FK, ondelete="CASCADE"))
    hash: Mapped[str] = mapped_column(String(32))
    group_id: Mapped[int] = mapped_column(ForeignKey("event_group.id", ondelete="CASCADE"))


class Event(db.Model):
    """A processed event; ``data`` is its whole normalized payload (the API's entries etc.)."""

    __tablename__ = "event"
    __table_args__ = (
        # Resends after the digest are recognized here.
        UniqueConstraint("project_id", "event_id"),
        # An issue's events newest/oldest first (its events list, latest/oldest event).
        Index("ix_event_group_timestamp", "group_id", "timestamp", "id"),
        # A project's events newest first.
        Index("ix_event_project_timestamp", "project_id", "timestamp", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey(PROJECT_FK, ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("event_group.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(32))
    timestamp: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    received: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    level: Mapped[str] = mapped_column(String(16))
    platform: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text, default="")
    culprit: Mapped[str | None] = mapped_column(Text)
    release: Mapped[str | None] = mapped_column(String(250))
    environment: Mapped[str | None] = mapped_column(String(64))
    #: Size in bytes of the payload as received.
    size: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict] = mapped_column(JSON)


class GroupTagValue(db.Model):
    """How often an issue's events carried ``key=value`` (and when first and last)."""

    __tablename__ = "group_tag_value"
    __table_args__ = (
        UniqueConstraint("group_id", "key", "value"),
        # Tag filters in issue searches: ``browser:Chrome`` -> the issues having it.
        Index("ix_group_tag_value_project_key_value", "project_id", "key", "value"),
        # A key's values in id order (Sentry's default sort), page by page. Only new values
        # touch it: indexes on times_seen or last_seen would be rewritten by every event.
        Index("ix_group_tag_value_group_id_key_id", "group_id", "key", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey(PROJECT_FK, ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("event_group.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(200))
    times_seen: Mapped[int] = mapped_column(BigInteger, default=0)
    first_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class GroupStat(db.Model):
    """Events per issue per hour and per day: the ``stats`` sparklines, without scanning events;
    per minute too for the projects a plugin asks it for (``issue_counter_resolutions``),
    kept two hours (the partial index finds the old ones)."""

    __tablename__ = "group_stat"
    __table_args__ = (Index("ix_group_stat_fine_bucket", "bucket", sqlite_where=text("resolution < 3600"),
                            postgresql_where=text("resolution < 3600")),)

    group_id: Mapped[int] = mapped_column(
        ForeignKey("event_group.id", ondelete="CASCADE"), primary_key=True)
    #: Bucket width in seconds: 3600 or 86400 (or under an hour, see above).
    resolution: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[dt.datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class GroupUserState(db.Model):
    """What one user did with an issue: seen it, bookmarked it."""

    __tablename__ = "group_user_state"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        # ``bookmarks:me`` searches.
        Index("ix_group_user_state_user_id", "user_id", "bookmarked"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("event_group.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("sentry_user.id", ondelete="CASCADE"))
    last_seen: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    bookmarked: Mapped[bool] = mapped_column(Boolean, default=False)


class ShortIdCounter(db.Model):
    """The last short id handed out per project (``PROJECT-1``, ``PROJECT-2``...)."""

    __tablename__ = "group_short_id_counter"

    project_id: Mapped[int] = mapped_column(
        ForeignKey(PROJECT_FK, ondelete="CASCADE"), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class PendingWebhook(db.Model):
    """A webhook a digest batch owes a subscriber, written in that batch's transaction only
    when some hook subscribes; its payload is built and emitted after the batch commits
    (``notify.send_pending``), so a crash in between delays it rather than losing it."""

    __tablename__ = "event_pending_webhook"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey(PROJECT_FK, ondelete="CASCADE"))
    #: ``issue``, ``error``, ``transaction`` or ``event``; and ``created`` or ``unresolved``.
    resource: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    #: The issue (``issue.*``), or the event's issue.
    group_id: Mapped[int | None] = mapped_column(BigInteger)
    #: The event (``*.created`` of an event), else ``None``.
    event_id: Mapped[str | None] = mapped_column(String(32))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

"""The plugin's tables: monitors, their state per environment, and their check-ins.

Every row hangs on its organization or project (``ondelete="CASCADE"``): deleting
either deletes its monitors, and a monitor takes its environments and check-ins along.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import BigId, UTCDateTime, db, utcnow

#: Check-in statuses, as Sentry names them.
IN_PROGRESS, OK, ERROR, MISSED, TIMEOUT = "in_progress", "ok", "error", "missed", "timeout"
CHECKIN_STATUSES = (IN_PROGRESS, OK, ERROR, MISSED, TIMEOUT)
FAILURES = (ERROR, MISSED, TIMEOUT)
#: A monitor's own status (whether it takes check-ins) and an environment's state.
ACTIVE, DISABLED = "active", "disabled"


class Monitor(db.Model):
    __tablename__ = "monitor"
    __table_args__ = (
        UniqueConstraint("organization_id", "slug"),
        # The organization's list, by name.
        Index("ix_monitor_org_name_id", "organization_id", "name", "id"),
        Index("ix_monitor_project_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    is_muted: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("sentry_user.id", ondelete="SET NULL"))
    owner_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    #: ``{"schedule_type", "schedule", "checkin_margin", "max_runtime", "timezone",
    #: "failure_issue_threshold", "recovery_threshold"}``, as Sentry's ``config``.
    config: Mapped[dict] = mapped_column(JSON)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MonitorEnvironment(db.Model):
    """A monitor in one environment: its schedule's state, and its open incident."""

    __tablename__ = "monitor_environment"
    __table_args__ = (
        UniqueConstraint("monitor_id", "environment"),
        # The clock's scan: environments whose latest expected check-in has passed.
        Index("ix_monitor_environment_next_checkin_latest", "next_checkin_latest"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitor.id", ondelete="CASCADE"))
    environment: Mapped[str] = mapped_column(String(64))
    #: ``active`` (waiting for its first check-in), ``ok`` or ``error``.
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    is_muted: Mapped[bool] = mapped_column(Boolean, default=False)
    last_checkin: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: When the next check-in is expected, and the latest it may come (plus the margin).
    next_checkin: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    next_checkin_latest: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Consecutive failed and successful check-ins (the thresholds count these).
    failures: Mapped[int] = mapped_column(Integer, default=0)
    successes: Mapped[int] = mapped_column(Integer, default=0)
    #: Set while an incident (an open issue) is running: when it started.
    incident_started: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MonitorCheckIn(db.Model):
    __tablename__ = "monitor_checkin"
    __table_args__ = (
        UniqueConstraint("monitor_id", "guid"),
        # The check-in history, newest first.
        Index("ix_monitor_checkin_monitor_date_id", "monitor_id", "date_added", "id"),
        # The clock's scan: in-progress check-ins past their timeout.
        Index("ix_monitor_checkin_status_timeout_at", "status", "timeout_at"),
        Index("ix_monitor_checkin_environment_id", "monitor_environment_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: The check-in id SDKs send (32 hex digits), to match an in-progress one with its end.
    guid: Mapped[str] = mapped_column(String(32))
    monitor_id: Mapped[int] = mapped_column(ForeignKey("monitor.id", ondelete="CASCADE"))
    monitor_environment_id: Mapped[int] = mapped_column(
        ForeignKey("monitor_environment.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(BigId)
    status: Mapped[str] = mapped_column(String(16))
    #: Milliseconds, once the job ended.
    duration: Mapped[int | None] = mapped_column(BigId)
    date_added: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    date_updated: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    date_in_progress: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: The clock time it counts for (the expected time for a missed one).
    date_clock: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expected_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: An in-progress check-in still running then has timed out (``max_runtime``).
    timeout_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: The monitor's config when it checked in.
    monitor_config: Mapped[dict] = mapped_column(JSON)

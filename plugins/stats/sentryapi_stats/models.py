"""The outcome counters: items per project, category, outcome and reason, per time bucket.

One table holds three resolutions (``resolution`` is the bucket width in seconds), as
Sentry's TSDB rollups do: 10-second buckets for the last hour (project stats at
``resolution=10s``), hourly buckets for 90 days and daily buckets for 400 (the
``STATS_RETENTION`` setting). A query reads the coarsest resolution that answers it,
so 90 days by day is at most 90 rows per project and category/outcome/reason: the
events table is never scanned.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import UTCDateTime, db

TEN_SECONDS, HOUR, DAY = 10, 3600, 86400
RESOLUTIONS = (TEN_SECONDS, HOUR, DAY)


class OutcomeCount(db.Model):
    """How many items of a category met an outcome in one bucket (Sentry's outcomes table)."""

    __tablename__ = "stats_outcome_count"
    __table_args__ = (
        # The key, in the order stats_v2 reads it: an organization's buckets at one
        # resolution over a time range, then by project. On PostgreSQL the counts ride
        # along in the index, so a query is an index-only scan, already in bucket order.
        PrimaryKeyConstraint("organization_id", "resolution", "bucket", "project_id",
                             "category", "outcome", "reason",
                             postgresql_include=["quantity", "times_seen"]),
        # Project stats: one project's buckets at one resolution.
        Index("ix_stats_outcome_count_project", "project_id", "resolution", "bucket"),
        # Pruning expired buckets of a resolution.
        Index("ix_stats_outcome_count_expiry", "resolution", "bucket"),
    )

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"))
    resolution: Mapped[int] = mapped_column(Integer)
    bucket: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    #: Sentry's data category as stored: ``error``, ``default``, ``transaction``, ``attachment``...
    category: Mapped[str] = mapped_column(String(32))
    #: ``accepted``, ``filtered``, ``rate_limited``, ``invalid``, ``abuse``, ``client_discard``...
    outcome: Mapped[str] = mapped_column(String(32))
    #: Why it was dropped (a quota's reason code...); "" when none.
    reason: Mapped[str] = mapped_column(String(64), default="")
    #: Items, or bytes for attachments.
    quantity: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Items (outcomes), also for attachments: Sentry's ``times_seen``.
    times_seen: Mapped[int] = mapped_column(BigInteger, default=0)


MODELS = (OutcomeCount,)

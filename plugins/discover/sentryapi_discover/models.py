"""Tables: stored transactions, and every stored event's and transaction's tags on an index.

A transaction (an envelope ``transaction`` item) is one row, written at ingest: it is
never grouped, so it needs no digest. Tags of errors (from the events plugin's
``events_stored`` hook) and of transactions go to ``discover_tag``, so a tag filter or a
tag column is an index lookup, never a scan of each event's JSON.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import BigId, UTCDateTime, db

PROJECT_FK = "project.id"
#: ``discover_tag.kind``: whose tags a row holds.
ERROR, TRANSACTION = 0, 1


class Transaction(db.Model):
    """A performance transaction as an SDK sent it: name, op, duration, status, trace."""

    __tablename__ = "discover_transaction"
    __table_args__ = (
        UniqueConstraint("project_id", "event_id"),
        # Lists and aggregates over a period: a range of each project's rows; the covering
        # columns make p95(transaction.duration) by transaction an index-only scan.
        Index("ix_discover_transaction_project_timestamp", "project_id", "timestamp", "id",
              postgresql_include=["transaction", "duration"]),
        Index("ix_discover_transaction_project_name_timestamp", "project_id", "transaction",
              "timestamp"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey(PROJECT_FK, ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(32))
    #: The end of the transaction (the event's ``timestamp``).
    timestamp: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    start_timestamp: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    received: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    transaction: Mapped[str] = mapped_column(String(200), default="")
    op: Mapped[str | None] = mapped_column(String(64))
    #: The trace context's status (``ok``, ``internal_error``...).
    status: Mapped[str | None] = mapped_column(String(32))
    #: Milliseconds from start to end.
    duration: Mapped[float] = mapped_column(Float, default=0.0)
    trace_id: Mapped[str | None] = mapped_column(String(32))
    span_count: Mapped[int] = mapped_column(Integer, default=0)
    release: Mapped[str | None] = mapped_column(String(250))
    environment: Mapped[str | None] = mapped_column(String(64))
    platform: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(128))
    user_email: Mapped[str | None] = mapped_column(String(128))
    #: ``{name: {"value": v, "unit": u}}`` as sent.
    measurements: Mapped[dict] = mapped_column(JSON, default=dict)
    #: ``[[key, value], ...]``: what ``transaction.created`` webhooks and lists show.
    tags: Mapped[list] = mapped_column(JSON, default=list)


class Tag(db.Model):
    """One ``key=value`` tag of one stored error or transaction."""

    __tablename__ = "discover_tag"
    __table_args__ = (
        # ``browser:Chrome`` -> the events having it, in a project and period.
        Index("ix_discover_tag_project_key_value", "project_id", "key", "value", "timestamp"),
        # An event's value of a tag, as a column (``field=browser``).
        Index("ix_discover_tag_event", "project_id", "event_id", "key"),
        # Retention deletes a project's rows by age.
        Index("ix_discover_tag_project_timestamp", "project_id", "timestamp"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey(PROJECT_FK, ondelete="CASCADE"))
    kind: Mapped[int] = mapped_column(SmallInteger, default=ERROR)
    event_id: Mapped[str] = mapped_column(String(32))
    timestamp: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    key: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(200))


class DurationDay(db.Model):
    """The durations of one project's transactions of one name over one closed UTC day,
    sorted, as little-endian float64s: percentiles over whole days read these rows
    instead of every transaction (``rollup.py``)."""

    __tablename__ = "discover_duration_day"

    project_id: Mapped[int] = mapped_column(ForeignKey(PROJECT_FK, ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    transaction: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    durations: Mapped[bytes] = mapped_column(LargeBinary)


class RolledDay(db.Model):
    """A project's UTC day: ``rolled`` once its transactions' durations are in
    ``discover_duration_day`` (the row is also the lock that orders a late transaction's
    ingestion against the roll-up of its day)."""

    __tablename__ = "discover_rolled_day"

    project_id: Mapped[int] = mapped_column(ForeignKey(PROJECT_FK, ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    rolled: Mapped[bool] = mapped_column(Boolean, default=False)


MODELS = (Transaction, Tag, DurationDay, RolledDay)

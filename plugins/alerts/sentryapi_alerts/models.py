"""Issue alert rules, the version every process checks its copy of them against, the claim
that limits each rule to once per ``frequency`` per issue, the firing history, and opt-outs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import BigId, UTCDateTime, db, utcnow

ACTIVE = "active"


class AlertRule(db.Model):
    __tablename__ = "alerts_rule"
    __table_args__ = (Index("ix_alerts_rule_project_id_id", "project_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(256))
    environment: Mapped[str | None] = mapped_column(String(64))
    action_match: Mapped[str] = mapped_column(String(8), default="all")
    filter_match: Mapped[str] = mapped_column(String(8), default="all")
    #: Minutes between two firings for one issue.
    frequency: Mapped[int] = mapped_column(Integer, default=30)
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    filters: Mapped[list] = mapped_column(JSON, default=list)
    actions: Mapped[list] = mapped_column(JSON, default=list)
    owner: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("sentry_user.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertRuleIssue(db.Model):
    """When a rule last fired for an issue: the row a firing claims atomically."""

    __tablename__ = "alerts_rule_issue"

    rule_id: Mapped[int] = mapped_column(ForeignKey("alerts_rule.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("event_group.id", ondelete="CASCADE"), primary_key=True)
    last_fired: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AlertRuleFire(db.Model):
    """One firing of a rule for an issue (``group-history/``)."""

    __tablename__ = "alerts_rule_fire"
    __table_args__ = (Index("ix_alerts_rule_fire_rule_id_date_added", "rule_id", "date_added"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alerts_rule.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("event_group.id", ondelete="CASCADE"))
    event_id: Mapped[str | None] = mapped_column(String(32))
    date_added: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertRuleVersion(db.Model):
    """One row whose number every change to any rule renews, in the change's transaction:
    a digest compares it with the rules it remembers, once per batch (``cache``)."""

    __tablename__ = "alerts_rule_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class NotificationOption(db.Model):
    """A user's choice for a kind of notification (Sentry's notification options)."""

    __tablename__ = "alerts_notification_option"
    __table_args__ = (UniqueConstraint("user_id", "type", "scope_type", "scope_identifier"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("sentry_user.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    scope_type: Mapped[str] = mapped_column(String(16))
    scope_identifier: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[str] = mapped_column(String(16))

"""Expired events deleted in small batches, and the issues they leave without events.

Answers the core's ``cleanup_expired`` hook. Each batch is one short transaction: the
oldest ``BATCH`` events of a project past its cutoff are deleted with their attachments
and user reports (``RETURNING`` what they
counted, so two cleaners never subtract twice), their issues' counters and tag tallies
are lowered by what went, an issue with no event left is deleted, and the others'
``first_seen`` moves to their oldest remaining event. Issues are locked in id order, as
the digest locks them, so the two never wait on each other in a cycle. The scans walk
the ``(project_id, timestamp, id)`` and ``(group_id, timestamp, id)`` indexes.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

from sentryapi_projects import Project
from sqlalchemy import and_, bindparam, delete, exists, func, select, update

from sentryapi.api import db

from .deletion import delete_event_data
from .digest.store import DAY, HOUR, USER_TAG
from .issues.services import remove_issues
from .models import Event, Group, GroupStat, GroupTagValue

#: Events per transaction: small enough that a batch holds its locks for milliseconds.
BATCH = 500
#: After a batch that took t seconds, pause t x this, so ingestion gets the database: SQLite
#: has one writer at a time (a cleanup running flat out there cut ingestion to a third,
#: bench/retention.py), PostgreSQL locks rows.
PAUSE_FACTOR = {"sqlite": 5.0}
DEFAULT_PAUSE_FACTOR = 0.5
#: How long issue counts under an hour are kept (alert rules' intervals go up to an hour).
FINE_KEPT = dt.timedelta(hours=2)
#: The project option that overrides the retention setting (days; ``None``: the setting).
OPTION = "eventRetentionDays"


def cleanup_expired(now, default_days, dry_run, progress) -> dict:
    totals: Counter = Counter()
    if not dry_run:
        drop_fine_buckets(now)
    for project_id, days in retention_by_project(default_days):
        cutoff = now - dt.timedelta(days=days)
        if dry_run:
            totals.update(_count_expired(project_id, cutoff))
            continue
        pause = PAUSE_FACTOR.get(db.engine.dialect.name, DEFAULT_PAUSE_FACTOR)
        while True:
            started = time.monotonic()
            events, issues = delete_batch(project_id, cutoff)
            if not events:
                break
            totals.update(events=events, issues=issues)
            progress(events)
            time.sleep((time.monotonic() - started) * pause)
    return dict(totals)


def drop_fine_buckets(now: dt.datetime) -> int:
    """Issue counts under an hour (``issue_counter_resolutions``) last two hours."""
    gone = db.session.execute(delete(GroupStat).where(
        GroupStat.resolution < HOUR, GroupStat.bucket < now - FINE_KEPT)).rowcount
    db.session.commit()
    return gone


def retention_by_project(default_days: int) -> list[tuple[int, int]]:
    rows = db.session.execute(select(Project.id, Project.options).order_by(Project.id)).all()
    return [(project_id, (options or {}).get(OPTION) or default_days) for project_id, options in rows]


def _count_expired(project_id: int, cutoff: dt.datetime) -> dict:
    events = db.session.scalar(select(func.count()).select_from(Event).where(
        Event.project_id == project_id, Event.timestamp < cutoff))
    issues = db.session.scalar(select(func.count()).select_from(Group).where(
        Group.project_id == project_id, Group.last_seen < cutoff))
    db.session.rollback()
    return {"events": events, "issues": issues}


def delete_batch(project_id: int, cutoff: dt.datetime) -> tuple[int, int]:
    """Delete one batch of the project's expired events, committed; ``(events, issues)`` deleted."""
    ids = db.session.scalars(
        select(Event.id).where(Event.project_id == project_id, Event.timestamp < cutoff)
        .order_by(Event.timestamp, Event.id).limit(BATCH)).all()
    if not ids:
        db.session.rollback()
        return 0, 0
    groups = sorted(set(db.session.scalars(select(Event.group_id).where(
        Event.id.in_(ids), Event.group_id.is_not(None)))))
    if groups:  # in id order, before the events go (the digest locks them the same way)
        db.session.execute(select(Group.id).where(Group.id.in_(groups)).order_by(Group.id).with_for_update())
    delete_event_data(select(Event.project_id, Event.event_id).where(Event.id.in_(ids)))
    gone = db.session.execute(delete(Event).where(Event.id.in_(ids))
                              .returning(Event.group_id, Event.data["tags"])).all()
    emptied = _lower_issue_counts(gone, cutoff)
    db.session.commit()
    return len(gone), emptied


def _lower_issue_counts(gone, cutoff: dt.datetime) -> int:
    """Take the deleted events out of their issues; delete the issues left empty; how many."""
    per_group = Counter(group_id for group_id, _ in gone if group_id is not None)
    if not per_group:
        return 0
    users_gone = _lower_tag_tallies(gone)
    groups = sorted(per_group)
    has_events = exists().where(Event.group_id == Group.id)
    empty = set(db.session.scalars(select(Group.id).where(Group.id.in_(groups), ~has_events)))
    remove_issues(empty)
    rest = [group_id for group_id in groups if group_id not in empty]
    if rest:
        table = Group.__table__
        db.session.execute(
            update(table).where(table.c.id == bindparam("b_id")).values(
                times_seen=table.c.times_seen - bindparam("b_count"),
                user_count=table.c.user_count - bindparam("b_users")),
            [{"b_id": g, "b_count": per_group[g], "b_users": users_gone[g]} for g in rest])
        oldest = select(func.min(Event.timestamp)).where(Event.group_id == table.c.id).scalar_subquery()
        db.session.execute(update(table).where(table.c.id.in_(rest)).values(first_seen=oldest))
        _drop_old_buckets(rest, cutoff)
    return len(empty)


def _lower_tag_tallies(gone) -> Counter:
    """Lower the issues' tag value counts; delete values no event holds; users lost per issue."""
    tally: Counter = Counter()
    for group_id, tags in gone:
        for key, value in (tags or []) if group_id is not None else []:
            tally[(group_id, key, value)] += 1
    if not tally:
        return Counter()
    table = GroupTagValue.__table__
    db.session.execute(
        update(table).where(table.c.group_id == bindparam("b_group"), table.c.key == bindparam("b_key"),
                            table.c.value == bindparam("b_value"))
        .values(times_seen=table.c.times_seen - bindparam("b_count")),
        [{"b_group": g, "b_key": k, "b_value": v, "b_count": n} for (g, k, v), n in sorted(tally.items())])
    groups = sorted({group_id for group_id, _, _ in tally})
    dropped = db.session.execute(delete(GroupTagValue).where(
        GroupTagValue.group_id.in_(groups), GroupTagValue.times_seen <= 0)
        .returning(GroupTagValue.group_id, GroupTagValue.key)).all()
    return Counter(group_id for group_id, key in dropped if key == USER_TAG)


def _drop_old_buckets(group_ids: list[int], cutoff: dt.datetime) -> None:
    """Sparkline buckets that ended before the cutoff hold only deleted events."""
    hour = cutoff.replace(minute=0, second=0, microsecond=0) - dt.timedelta(seconds=HOUR)
    day = cutoff.replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(seconds=DAY)
    db.session.execute(delete(GroupStat).where(GroupStat.group_id.in_(group_ids), and_(
        ((GroupStat.resolution == HOUR) & (GroupStat.bucket <= hour))
        | ((GroupStat.resolution == DAY) & (GroupStat.bucket <= day)))))

"""Whole days of transaction durations, stored sorted per project, UTC day and transaction name.

A percentile needs every duration of its group: over a week, every transaction of the
week, read and sorted on each query. Once a UTC day has ended (an hour ago: no ingestion
transaction lasts that long), the ``discover.rollup`` task stores its durations sorted,
one ``discover_duration_day`` row per (project, day, transaction); a query then reads
those rows for the whole days of its range and the transactions themselves only for the
partial days at its edges (``percentiles.py``). The answers are the same, not estimates.

A transaction that arrives after its day was rolled up (an SDK's late or retried send)
goes into the day's row in the same database transaction as its own row. The
``discover_rolled_day`` row orders the two: ingestion holds it shared while it looks at
``rolled`` and merges, the roll-up holds it exclusively while it reads the day, so
neither misses the other's rows (SQLite has one writer at a time, which orders them too).
"""

from __future__ import annotations

import datetime as dt
import sys
from array import array
from collections import defaultdict

from sentryapi_events import retention_by_project
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sentryapi.api import db, utcnow

from .models import DurationDay, RolledDay, Transaction

UTC = dt.UTC
DAY = dt.timedelta(days=1)
#: A day is rolled up this long after it ended.
SETTLE = dt.timedelta(hours=1)
#: (project, day) pairs rolled up per run of the task.
BATCH = 500


def pack(values: list[float]) -> bytes:
    """Sorted durations as little-endian float64s."""
    packed = array("d", values)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def unpack(blob: bytes) -> array:
    values = array("d")
    values.frombytes(blob)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), UTC)


def newest_rollable(now: dt.datetime) -> dt.date:
    """The last day the task may roll up at ``now``."""
    return (now - SETTLE).astimezone(UTC).date() - DAY


def _insert_ignore(model, values: dict, keys: list[str]) -> None:
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))


def _marker(project_id: int, day: dt.date, *, exclusive: bool) -> bool:
    """The (project, day) row, made if missing and locked; whether the day is rolled up."""
    _insert_ignore(RolledDay, {"project_id": project_id, "day": day, "rolled": False}, ["project_id", "day"])
    return db.session.scalar(select(RolledDay.rolled).where(
        RolledDay.project_id == project_id, RolledDay.day == day).with_for_update(read=not exclusive))


def run() -> None:
    """The ``discover.rollup`` task: roll up the days that ended, a batch at a time."""
    roll_up(utcnow())


def roll_up(now: dt.datetime, limit: int | None = BATCH, default_days: int | None = None) -> int:
    """Roll up each project's ended days that are not yet (within retention, from its first
    transaction's day), oldest first; commits each; how many (project, day) pairs it rolled."""
    from flask import current_app

    newest = newest_rollable(now)
    days = default_days or current_app.config["EVENT_RETENTION_DAYS"]
    done = 0
    for project_id, retention in retention_by_project(days):
        first = db.session.scalar(select(func.min(Transaction.timestamp)).where(Transaction.project_id == project_id))
        if first is None:
            continue
        oldest = max(first.astimezone(UTC).date(), (now - dt.timedelta(days=retention)).date() + DAY)
        rolled = set(db.session.scalars(select(RolledDay.day).where(
            RolledDay.project_id == project_id, RolledDay.rolled, RolledDay.day >= oldest)))
        day = oldest
        while day <= newest:
            if day not in rolled:
                if limit is not None and done >= limit:
                    db.session.commit()
                    return done
                done += _roll(project_id, day)
            day += DAY
    db.session.commit()
    return done


def _roll(project_id: int, day: dt.date) -> int:
    _marker(project_id, day, exclusive=False)
    db.session.commit()  # the marker exists before it is locked, so ingestion can wait on it
    if _marker(project_id, day, exclusive=True):
        db.session.commit()
        return 0
    durations = defaultdict(list)
    for name, duration in db.session.execute(select(Transaction.transaction, Transaction.duration).where(
            Transaction.project_id == project_id, Transaction.timestamp >= midnight(day),
            Transaction.timestamp < midnight(day + DAY))):
        durations[name].append(duration)
    db.session.execute(delete(DurationDay).where(DurationDay.project_id == project_id, DurationDay.day == day))
    if durations:
        db.session.execute(DurationDay.__table__.insert(), [
            {"project_id": project_id, "day": day, "transaction": name, "count": len(values),
             "durations": pack(sorted(values))} for name, values in durations.items()])
    db.session.execute(update(RolledDay).where(RolledDay.project_id == project_id, RolledDay.day == day)
                       .values(rolled=True))
    db.session.commit()
    return 1


def add_late(rows: list[dict], now: dt.datetime) -> None:
    """Fold stored transactions of days already rolled up into their day's rows (no commit)."""
    today = now.astimezone(UTC).date()
    late = defaultdict(lambda: defaultdict(list))
    for row in rows:
        day = row["timestamp"].astimezone(UTC).date()
        if day < today:
            late[(row["project_id"], day)][row["transaction"]].append(row["duration"])
    for (project_id, day), by_name in sorted(late.items()):
        if not _marker(project_id, day, exclusive=False):
            continue
        for name in sorted(by_name):  # one order for every writer: no deadlock between two
            _insert_ignore(DurationDay, {"project_id": project_id, "day": day, "transaction": name,
                                         "count": 0, "durations": b""}, ["project_id", "day", "transaction"])
            where = (DurationDay.project_id == project_id, DurationDay.day == day, DurationDay.transaction == name)
            blob = db.session.scalar(select(DurationDay.durations).where(*where).with_for_update())
            values = sorted([*unpack(blob), *by_name[name]])
            db.session.execute(update(DurationDay).where(*where).values(count=len(values), durations=pack(values)))


def expire(project_id: int, cutoff: dt.datetime, dry_run: bool) -> int:
    """Drop the rolled-up days of a project that retention reaches, even in part (their
    remaining transactions are read one by one again); how many day rows."""
    last = cutoff.astimezone(UTC).date()
    where = (DurationDay.project_id == project_id, DurationDay.day <= last)
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(DurationDay).where(*where))
    deleted = db.session.execute(delete(DurationDay).where(*where)).rowcount
    db.session.execute(delete(RolledDay).where(RolledDay.project_id == project_id, RolledDay.day <= last))
    db.session.commit()
    return deleted

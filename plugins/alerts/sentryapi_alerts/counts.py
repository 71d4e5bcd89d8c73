"""How often an issue was seen, and by how many users, in a frequency interval: read from
counters, never from events. Under an hour: this plugin's per-minute counts; up to a day:
the events plugin's hourly counts; longer: its daily ones (a bucket counts whole once its
start is in the interval). Users: the issue's ``user`` tag values last seen in the interval."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sentryapi_events import GroupStat, GroupTagValue
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from sentryapi.api import db

from .models import AlertIssueMinute
from .registry import INTERVALS

MINUTE, HOUR, DAY = 60, 3600, 86400
#: Per-minute counts are kept this long (the longest interval they serve is an hour).
MINUTES_KEPT = dt.timedelta(hours=2)


def floor(moment: dt.datetime, seconds: int) -> dt.datetime:
    stamp = int(moment.timestamp())
    return dt.datetime.fromtimestamp(stamp - stamp % seconds, dt.UTC)


def count_minutes(events) -> None:
    """Add the batch's events to the per-minute counts (one upsert)."""
    tally = Counter((e["group_id"], floor(e["timestamp"], MINUTE)) for e in events)
    if not tally:
        return
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(AlertIssueMinute)
    stmt = stmt.on_conflict_do_update(index_elements=["group_id", "bucket"],
                                      set_={"count": AlertIssueMinute.count + stmt.excluded.count})
    db.session.execute(stmt, [{"group_id": g, "bucket": b, "count": n} for (g, b), n in sorted(tally.items())])


class Counts:
    """Counts for a batch's issues, one query per interval asked for."""

    def __init__(self, now: dt.datetime, group_ids):
        self.now, self.group_ids = now, list(group_ids)
        self.cache: dict[tuple[str, str], Counter] = {}

    def events(self, group_id: int, interval: str) -> int:
        return self._get("events", interval)[group_id]

    def users(self, group_id: int, interval: str) -> int:
        return self._get("users", interval)[group_id]

    def _get(self, kind: str, interval: str) -> Counter:
        key = (kind, interval)
        if key not in self.cache:
            since = self.now - dt.timedelta(seconds=INTERVALS[interval])
            self.cache[key] = Counter(dict(db.session.execute(self._query(kind, since, INTERVALS[interval])).all()))
        return self.cache[key]

    def _query(self, kind: str, since: dt.datetime, seconds: int):
        if kind == "users":
            return (select(GroupTagValue.group_id, func.count())
                    .where(GroupTagValue.group_id.in_(self.group_ids), GroupTagValue.key == "user",
                           GroupTagValue.last_seen >= since).group_by(GroupTagValue.group_id))
        if seconds < HOUR:
            return (select(AlertIssueMinute.group_id, func.sum(AlertIssueMinute.count))
                    .where(AlertIssueMinute.group_id.in_(self.group_ids),
                           AlertIssueMinute.bucket >= floor(since, MINUTE))
                    .group_by(AlertIssueMinute.group_id))
        resolution = HOUR if seconds <= DAY else DAY
        return (select(GroupStat.group_id, func.sum(GroupStat.count))
                .where(GroupStat.group_id.in_(self.group_ids), GroupStat.resolution == resolution,
                       GroupStat.bucket >= floor(since, resolution))
                .group_by(GroupStat.group_id))


def prune_minutes(now: dt.datetime) -> int:
    return db.session.execute(AlertIssueMinute.__table__.delete().where(
        AlertIssueMinute.bucket < now - MINUTES_KEPT)).rowcount

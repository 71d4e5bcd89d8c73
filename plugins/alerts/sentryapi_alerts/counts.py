"""How often an issue was seen, and by how many users, in a frequency interval: read from
the counters the events plugin's digest keeps, never from events. Under an hour: its
per-minute counts, kept for the projects that have such a rule (this plugin asks for them
with ``issue_counter_resolutions``); up to a day: its hourly counts; longer: its daily
ones (a bucket counts whole once its start is in the interval). Users: the issue's
``user`` tag values last seen in the interval."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sentryapi_events import GroupStat, GroupTagValue
from sqlalchemy import func, select

from sentryapi.api import db

from .registry import INTERVALS

MINUTE, HOUR, DAY = 60, 3600, 86400


def floor(moment: dt.datetime, seconds: int) -> dt.datetime:
    stamp = int(moment.timestamp())
    return dt.datetime.fromtimestamp(stamp - stamp % seconds, dt.UTC)


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
            query = self._query(kind, since, INTERVALS[interval])
            self.cache[key] = Counter(dict(db.session.connection().execute(query).all()))
        return self.cache[key]

    def _query(self, kind: str, since: dt.datetime, seconds: int):
        if kind == "users":
            return (select(GroupTagValue.group_id, func.count())
                    .where(GroupTagValue.group_id.in_(self.group_ids), GroupTagValue.key == "user",
                           GroupTagValue.last_seen >= since).group_by(GroupTagValue.group_id))
        resolution = MINUTE if seconds < HOUR else HOUR if seconds <= DAY else DAY
        return (select(GroupStat.group_id, func.sum(GroupStat.count))
                .where(GroupStat.group_id.in_(self.group_ids), GroupStat.resolution == resolution,
                       GroupStat.bucket >= floor(since, resolution))
                .group_by(GroupStat.group_id))

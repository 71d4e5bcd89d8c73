"""Event counts over time (``events-stats``) and a project's issue counts by level and status.

Counts come from counters, never from scanning events: an issue's events per hour or
day from the events plugin's ``GroupStat`` (by event time), a project's accepted error
events from the outcome counters (by received time).
"""

from __future__ import annotations

import datetime as dt
import re

from sentryapi_events import Group, GroupStat
from sentryapi_projects import Project
from sqlalchemy import func, select

from sentryapi.api import Outcome, ParseError, db

from .models import DAY, HOUR, OutcomeCount
from .periods import date_range, parse_period, to_intervals
from .usage import ERROR_CATEGORIES

Y_AXES = ("count()",)
MAX_POINTS = 10_000
ISSUE_QUERY = re.compile(r"^issue\.id:(\d{1,18})$")
#: Query terms the UI adds that every event here matches.
IGNORED_TERMS = {"event.type:error", "!event.type:transaction"}


def parse_event_interval(value: str | None, span: float) -> int:
    if not value:
        return HOUR if span <= 14 * DAY else DAY
    interval = parse_period(value, "interval")
    if interval % HOUR or (interval > DAY and interval % DAY):
        raise ParseError("Invalid interval: use a whole number of hours (up to a day) or of "
                         "days; event counts are kept per hour and per day.")
    return interval


def parse_issue(query: str | None) -> int | None:
    terms = [t for t in (query or "").split() if t not in IGNORED_TERMS]
    if not terms:
        return None
    match = ISSUE_QUERY.match(terms[0]) if len(terms) == 1 else None
    if match is None:
        raise ParseError("Invalid query: only issue.id:<id> (and event.type:error) is "
                         "supported here.")
    return int(match[1])


def event_stats(organization, project_ids: list[int] | None, args, now: dt.datetime) -> dict:
    """Sentry's single-``yAxis`` shape: ``{"data": [[ts, [{"count": n}]], ...], "start", "end"}``."""
    for axis in args.get("yAxis") or []:
        if axis not in Y_AXES:
            raise ParseError(f'Invalid yAxis: "{axis}". Only count() is supported.')
    start, end = date_range(args, now, "24h")
    interval = parse_event_interval(args.get("interval"), (end - start).total_seconds())
    start, end = to_intervals(min(start, now), end, interval)
    points = int((end - start).total_seconds()) // interval
    if points > MAX_POINTS:
        raise ParseError(f"Invalid interval: the range would have {points} intervals, more than "
                         f"{MAX_POINTS}. Use a larger interval or a shorter range.")
    resolution = DAY if interval % DAY == 0 else HOUR
    issue_id = parse_issue(args.get("query"))
    if issue_id is not None:
        rows = _issue_counts(organization, project_ids, issue_id, resolution, start, end)
    else:
        rows = _accepted_counts(organization, project_ids, resolution, start, end)
    counts = [0] * points
    first = int(start.timestamp())
    for bucket, count in rows:
        counts[(int(bucket.timestamp()) - first) // interval] += int(count or 0)
    return {
        "data": [[first + i * interval, [{"count": n}]] for i, n in enumerate(counts)],
        "start": first,
        "end": int(end.timestamp()),
        "isMetricsData": False,
        "meta": {"fields": {"count()": "integer"}, "units": {"count()": None},
                 "isMetricsData": False, "dataset": "errors"},
    }


def _issue_counts(organization, project_ids, issue_id, resolution, start, end):
    stmt = (select(GroupStat.bucket, GroupStat.count)
            .join(Group, Group.id == GroupStat.group_id)
            .join(Project, Project.id == Group.project_id)
            .where(GroupStat.group_id == issue_id, Project.organization_id == organization.id,
                   GroupStat.resolution == resolution, GroupStat.bucket >= start,
                   GroupStat.bucket < end))
    if project_ids is not None:
        stmt = stmt.where(Group.project_id.in_(project_ids))
    return db.session.execute(stmt)


def _accepted_counts(organization, project_ids, resolution, start, end):
    c = OutcomeCount
    stmt = (select(c.bucket, func.sum(c.quantity))
            .where(c.organization_id == organization.id, c.resolution == resolution,
                   c.bucket >= start, c.bucket < end, c.outcome == Outcome.ACCEPTED,
                   c.category.in_(ERROR_CATEGORIES))
            .group_by(c.bucket))
    if project_ids is not None:
        stmt = stmt.where(c.project_id.in_(project_ids))
    return db.session.execute(stmt)


def issue_counts(project, args, now: dt.datetime) -> dict:
    """``{"total": n, "byLevel": {...}, "byStatus": {...}}`` for a project's issues."""
    stmt = (select(Group.level, Group.status, func.count())
            .where(Group.project_id == project.id).group_by(Group.level, Group.status))
    if args.get("statsPeriod"):
        since = now - dt.timedelta(seconds=parse_period(args["statsPeriod"], "statsPeriod"))
        stmt = stmt.where(Group.last_seen >= since)
    by_level: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for level, status, count in db.session.execute(stmt):
        by_level[level] = by_level.get(level, 0) + count
        by_status[status] = by_status.get(status, 0) + count
    return {"total": sum(by_level.values()), "byLevel": dict(sorted(by_level.items())),
            "byStatus": dict(sorted(by_status.items()))}

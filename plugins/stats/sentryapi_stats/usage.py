"""Organization stats v2 (``stats_v2``): outcome counts grouped and bucketed as Sentry does.

The query is read into a :class:`UsageQuery` (every bad parameter a 400 naming it), then
answered from the counters at the coarsest resolution that fits the interval: daily
buckets for ``interval=1d``, hourly ones otherwise. One ``GROUP BY`` returns the
counters per group and bucket; the series are filled in Python, with zeros where no
counter exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sentryapi_projects import Project
from sqlalchemy import BigInteger, cast, extract, func, select

from sentryapi.api import Outcome, ParseError, PermissionDenied, db

from .models import DAY, HOUR, OutcomeCount
from .periods import date_range, isoformat_z, parse_period, to_intervals

#: ``field`` -> the counter column it sums.
FIELDS = {"sum(quantity)": "quantity", "sum(times_seen)": "times_seen"}
#: ``groupBy`` -> the counter column.
GROUP_BY = {"outcome": "outcome", "category": "category", "reason": "reason",
            "project": "project_id"}
OUTCOMES = tuple(Outcome)
#: Sentry rolls these up into ``error`` for display.
ERROR_CATEGORIES = ("error", "default", "security")
#: Categories measured in bytes or milliseconds: summing them with counts means nothing.
MEASURED_CATEGORIES = {"attachment", "log_byte", "profile_duration", "profile_duration_ui"}
CATEGORIES = {
    *ERROR_CATEGORIES, "transaction", "attachment", "session", "replay", "profile",
    "profile_duration", "profile_duration_ui", "profile_chunk", "profile_chunk_ui", "monitor",
    "monitor_seat", "span", "log_item", "log_byte", "feedback", "user_report_v2",
    "metric_bucket", "trace_metric", "transaction_indexed", "span_indexed", "uptime",
    "attachment_item", "seer_autofix", "seer_scanner", "internal",
}
#: Names the published enums use for some categories.
CATEGORY_ALIASES = {"replays": "replay", "profiles": "profile", "errors": "error",
                    "transactions": "transaction", "attachments": "attachment"}
MAX_POINTS = 1000
DEFAULT_PERIOD = "14d"


@dataclass
class UsageQuery:
    fields: list[str]
    group_by: list[str]
    start: dt.datetime
    end: dt.datetime
    interval: int
    project_ids: list[int] | None = None
    categories: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def resolution(self) -> int:
        return DAY if self.interval % DAY == 0 else HOUR

    @property
    def intervals(self) -> list[dt.datetime]:
        count = int((self.end - self.start).total_seconds()) // self.interval
        return [self.start + dt.timedelta(seconds=self.interval * i) for i in range(count)]


def parse_interval(value: str | None) -> int:
    interval = parse_period(value or "1h", "interval")
    if interval % HOUR or interval < HOUR:
        raise ParseError("Invalid interval: the interval has to be a multiple of the minimum "
                         "interval of one hour.")
    if interval > DAY:
        raise ParseError("Invalid interval: the interval has to be less than one day.")
    if DAY % interval:
        raise ParseError("Invalid interval: the interval should divide one day without a "
                         "remainder.")
    return interval


def parse_categories(values: list[str]) -> list[str]:
    categories: set[str] = set()
    for value in values:
        name = CATEGORY_ALIASES.get(value, value)
        if name not in CATEGORIES:
            raise ParseError(f'Invalid category: "{value}"')
        categories.update(ERROR_CATEGORIES if name == "error" else (name,))
    if categories & MEASURED_CATEGORIES and len(categories) > 1:
        raise ParseError("Invalid category: if filtering by attachment (or another category "
                         "counted in bytes or milliseconds) no other category may be present.")
    return sorted(categories)


def parse_projects(organization, values: list[str]) -> list[int] | None:
    """Project ids to filter by; ``None`` for the whole organization (``-1`` or none given).

    Counters only exist for the organization's projects (they go with a deleted
    project), so the whole organization needs no project lookup.
    """
    wanted: set[int] = set()
    for value in values:
        for part in value.split(","):
            try:
                number = int(part)
            except ValueError:
                raise ParseError(f'Invalid project: "{part}" is not a project id.') from None
            if number != -1:
                if not 0 < number < 2**63:
                    raise ParseError(f'Invalid project: "{part}" is not a project id.')
                wanted.add(number)
    if not wanted:
        return None
    found = set(db.session.scalars(select(Project.id).where(
        Project.organization_id == organization.id, Project.id.in_(wanted))))
    if wanted - found:
        raise PermissionDenied()
    return sorted(found)


def parse_usage_query(organization, args, now: dt.datetime) -> UsageQuery:
    fields = args.get("field") or []
    if not fields:
        raise ParseError('Invalid field: at least one "field" is required.')
    for name in fields:
        if name not in FIELDS:
            raise ParseError(f'Invalid field: "{name}"')
    group_by = []
    for name in args.get("groupBy") or []:
        if name not in GROUP_BY:
            raise ParseError(f'Invalid groupBy: "{name}"')
        if name not in group_by:
            group_by.append(name)
    categories = parse_categories(args.get("category") or [])
    if not categories and "category" not in group_by:
        raise ParseError("Query must have category as groupBy or filter.")
    for name in args.get("outcome") or []:
        if name not in OUTCOMES:
            raise ParseError(f'Invalid outcome: "{name}"')
    interval = parse_interval(args.get("interval"))
    start, end = date_range(args, now, DEFAULT_PERIOD)
    start, end = to_intervals(min(start, now), end, interval)
    if (end - start).total_seconds() / interval > MAX_POINTS:
        raise ParseError("Invalid interval: your interval and date range would create too many "
                         f"results (more than {MAX_POINTS}). Use a larger interval, or a smaller "
                         "date range.")
    return UsageQuery(
        fields=list(dict.fromkeys(fields)), group_by=group_by, start=start, end=end,
        interval=interval,
        project_ids=parse_projects(organization, args.get("project") or []),
        categories=categories, outcomes=sorted(set(args.get("outcome") or [])),
        reasons=sorted({"" if r == "none" else r for r in args.get("reason") or []}))


def _display_category(value):
    return "error" if value in ERROR_CATEGORIES else value


def _display_reason(value):
    return value or "none"


#: How stored values of a dimension are shown (Sentry's names).
DISPLAY = {"category": _display_category, "reason": _display_reason}


def run_usage_query(organization, query: UsageQuery) -> dict:
    """Sentry's ``{"start", "end", "intervals", "groups": [{"by", "totals", "series"}]}``."""
    c = OutcomeCount
    dims = [getattr(c, GROUP_BY[name]) for name in query.group_by]
    # Buckets as unix seconds and sums as integers: no datetime or Decimal per row.
    epoch = cast(extract("epoch", c.bucket), BigInteger)
    sums = [cast(func.sum(getattr(c, FIELDS[name])), BigInteger) for name in query.fields]
    stmt = (select(*dims, epoch, *sums)
            .where(c.organization_id == organization.id, c.resolution == query.resolution,
                   c.bucket >= query.start, c.bucket < query.end)
            .group_by(c.bucket, *dims))  # bucket first: the primary key's order
    if query.project_ids is not None:
        stmt = stmt.where(c.project_id.in_(query.project_ids))
    for column, values in ((c.category, query.categories), (c.outcome, query.outcomes),
                           (c.reason, query.reasons)):
        if values:
            stmt = stmt.where(column.in_(values))
    width, interval = len(dims), query.interval
    start = int(query.start.timestamp())
    points = len(query.intervals)
    displays = [(i, DISPLAY[name]) for i, name in enumerate(query.group_by) if name in DISPLAY]
    groups: dict[tuple, list[list[int]]] = {}
    # Core execution (no ORM row processing): thousands of rows for 90 days by project.
    for row in db.session.connection().execute(stmt).all():
        key = row[:width]
        if displays:
            key = list(key)
            for i, show in displays:
                key[i] = show(key[i])
            key = tuple(key)
        series = groups.get(key)
        if series is None:
            series = groups[key] = [[0] * points for _ in query.fields]
        index = (row[width] - start) // interval
        for position, values in enumerate(series, width + 1):
            values[index] += row[position] or 0
    return {
        "start": isoformat_z(query.start),
        "end": isoformat_z(query.end),
        "intervals": [isoformat_z(moment) for moment in query.intervals],
        "groups": [
            {"by": dict(zip(query.group_by, key, strict=True)),
             "totals": {name: sum(values) for name, values in zip(query.fields, series,
                                                                  strict=True)},
             "series": dict(zip(query.fields, series, strict=True))}
            for key, series in sorted(groups.items(), key=lambda kv: tuple(map(str, kv[0])))
        ],
    }

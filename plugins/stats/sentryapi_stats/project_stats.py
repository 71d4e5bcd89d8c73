"""A project's legacy stats (``/projects/{org}/{project}/stats/``), as Sentry's TSDB answers.

``stat`` picks what is counted, always of the error categories (Sentry's TSDB counts
only those): ``received`` is everything that reached the server except invalid items
(accepted, filtered and rate limited), ``rejected`` the rate limited ones,
``blacklisted`` the filtered ones and ``generated`` the accepted ones. ``resolution``
is one of the rollups (10s, 1h, 1d; 10-second buckets are kept for an hour); without it,
the finest rollup whose retention covers ``since``..``until``.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import func, select

from sentryapi.api import Outcome, ParseError, db

from .models import DAY, HOUR, TEN_SECONDS, OutcomeCount
from .periods import UNITS, floor, parse_timestamp
from .usage import ERROR_CATEGORIES

#: Rollup seconds -> buckets Sentry keeps (and uses to pick a default rollup).
ROLLUPS = {TEN_SECONDS: 360, HOUR: 24 * 7, DAY: 90}
STATS = {
    "received": (Outcome.ACCEPTED, Outcome.FILTERED, Outcome.RATE_LIMITED),
    "rejected": (Outcome.RATE_LIMITED,),
    "blacklisted": (Outcome.FILTERED,),
    "generated": (Outcome.ACCEPTED,),
}
MAX_POINTS = 10_000


def parse_resolution(value: str) -> int:
    text = value.strip()
    unit = text[-1:] if text[-1:] in ("s", "m", "h", "d") else None
    number = text[:-1] if unit else ""
    if not unit or not number.isdigit() or len(number) > 9:
        raise ParseError("Invalid resolution")
    seconds = int(number) * UNITS[unit]
    if seconds not in ROLLUPS:
        raise ParseError("Invalid resolution")
    return seconds


def optimal_rollup(start: dt.datetime, end: dt.datetime) -> int:
    span = int(end.timestamp()) - int(start.timestamp())
    for rollup, samples in ROLLUPS.items():
        if rollup * samples >= span:
            return rollup
    return DAY


def parse_stats_args(args, now: dt.datetime) -> tuple[str, dt.datetime, dt.datetime, int]:
    stat = args.get("stat") or "received"
    if stat not in STATS:
        raise ParseError(f"Invalid stat: {stat!r}. Use one of: {', '.join(STATS)}.")
    resolution = parse_resolution(args["resolution"]) if args.get("resolution") else None
    until = parse_timestamp(args["until"], "until", "until must be a numeric timestamp.") \
        if args.get("until") else now
    if args.get("since"):
        since = parse_timestamp(args["since"], "since", "since must be a numeric timestamp")
        if since > until:
            raise ParseError("start must be before or equal to end")
    else:
        since = until - dt.timedelta(days=1, seconds=-1)
    return stat, since, until, resolution or optimal_rollup(since, until)


def buckets(since: dt.datetime, until: dt.datetime, rollup: int) -> list[dt.datetime]:
    """Sentry's series: ``since``'s bucket, then each next one that starts before ``until``."""
    first = floor(since, rollup)
    # Exact seconds, not truncated ones: at 12:00:10.5 the bucket of 12:00:10 has begun.
    count = max(1, math.ceil((until.timestamp() - first.timestamp()) / rollup))
    if count > MAX_POINTS:
        raise ParseError(f"Invalid resolution: since, until and resolution ask for {count} "
                         f"buckets, more than {MAX_POINTS}. Use a larger resolution or a "
                         "shorter range.")
    return [first + dt.timedelta(seconds=rollup * i) for i in range(count)]


def project_stats(project, args, now: dt.datetime) -> list[list[int]]:
    """``[[unix_ts, count], ...]`` oldest first, zero-filled."""
    stat, since, until, rollup = parse_stats_args(args, now)
    times = buckets(since, until, rollup)
    c = OutcomeCount
    rows = db.session.execute(
        select(c.bucket, func.sum(c.quantity))
        .where(c.project_id == project.id, c.resolution == rollup, c.bucket >= times[0],
               c.bucket <= times[-1], c.category.in_(ERROR_CATEGORIES),
               c.outcome.in_(STATS[stat]))
        .group_by(c.bucket))
    counts = {int(bucket.timestamp()): int(total or 0) for bucket, total in rows}
    return [[int(t.timestamp()), counts.get(int(t.timestamp()), 0)] for t in times]

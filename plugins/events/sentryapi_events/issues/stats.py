"""Issue sparklines (``stats``) from the hourly and daily counters, one query per page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from sentryapi.api import ParseError, db

UTC = dt.UTC
#: statsPeriod -> (bucket seconds, number of buckets)
PERIODS = {"24h": (3600, 24), "14d": (86400, 14), "30d": (86400, 30)}


#: Units of a duration such as ``14d`` (a date range's ``statsPeriod``).
PERIOD_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def period_start(value: str, name: str = "statsPeriod") -> dt.datetime:
    """The start of a range ``value`` long that ends now (``24h``, ``14d``, ``1w``, ``90d``)."""
    unit = PERIOD_UNITS.get(value[-1:])
    if unit is None or not value[:-1].isdigit() or len(value) > 8:
        raise ParseError(f"Invalid {name}: {value}")
    return dt.datetime.now(UTC) - dt.timedelta(seconds=int(value[:-1]) * unit)


def stats_period(value: str | None, default: str = "24h") -> str | None:
    """The request's ``statsPeriod``/``groupStatsPeriod``: ``24h``, ``14d``, ``auto``, or ``""`` (none)."""
    if value is None:
        return default
    if value == "":
        return None
    if value == "auto":
        return "24h"
    if value not in PERIODS:
        raise ParseError("Invalid stats_period. Valid choices are '', '24h', and '14d'")
    return value


def buckets(period: str, now: dt.datetime | None = None) -> list[dt.datetime]:
    size, count = PERIODS[period]
    now = now or dt.datetime.now(UTC)
    last = dt.datetime.fromtimestamp(int(now.timestamp()) // size * size, UTC)
    return [last - dt.timedelta(seconds=size * i) for i in range(count - 1, -1, -1)]


def stats_series(model, group_ids: list[int], period: str) -> dict[int, list[list[int]]]:
    """``{group_id: [[unix_ts, count], ...]}`` for the period's buckets, oldest first."""
    if not group_ids:
        return {}
    size, _ = PERIODS[period]
    times = buckets(period)
    rows = db.session.execute(
        select(model.group_id, model.bucket, model.count)
        .where(model.group_id.in_(group_ids), model.resolution == size, model.bucket >= times[0]))
    counts = {(group_id, bucket): count for group_id, bucket, count in rows}
    return {group_id: [[int(t.timestamp()), counts.get((group_id, t), 0)] for t in times]
            for group_id in group_ids}

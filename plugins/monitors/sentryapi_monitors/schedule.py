"""When a monitor expects its next check-in: crontab schedules (croniter, in the monitor's
time zone, so a daily 09:00 stays 09:00 local across DST) and intervals (``[10, "minute"]``
after the last check-in)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from croniter import croniter
from dateutil.relativedelta import relativedelta

CRONTAB, INTERVAL = "crontab", "interval"
INTERVAL_UNITS = ("year", "month", "week", "day", "hour", "minute")
#: Sentry's defaults for an unset margin and runtime, in minutes.
DEFAULT_MARGIN = 1
DEFAULT_MAX_RUNTIME = 30
#: Sentry's crontab aliases (croniter knows @hourly... but not @annually's spelling alone).
ALIASES = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
           "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
           "@hourly": "0 * * * *"}


def crontab_error(text: str) -> str | None:
    """Why ``text`` is not a 5-field crontab Sentry takes, or ``None``."""
    expression = ALIASES.get(text.strip(), text.strip())
    if len(expression.split()) != 5 or not croniter.is_valid(expression):
        return "Schedule was not parseable"
    return None


def interval_error(value) -> str | None:
    if (not isinstance(value, list | tuple) or len(value) != 2 or not isinstance(value[0], int)
            or isinstance(value[0], bool) or value[0] < 1 or value[1] not in INTERVAL_UNITS):
        return "Invalid schedule for schedule_type 'interval'"
    return None


def time_zone(config: dict) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(config.get("timezone") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def next_expected(config: dict, after: dt.datetime) -> dt.datetime:
    """The first scheduled time strictly after ``after`` (aware, UTC)."""
    if config.get("schedule_type") == INTERVAL:
        count, unit = config["schedule"]
        return (after + relativedelta(**{f"{unit}s": count})).astimezone(dt.UTC)
    expression = ALIASES.get(config["schedule"].strip(), config["schedule"].strip())
    local = after.astimezone(time_zone(config))
    return croniter(expression, local).get_next(dt.datetime).astimezone(dt.UTC)


def margin(config: dict) -> dt.timedelta:
    return dt.timedelta(minutes=config.get("checkin_margin") or DEFAULT_MARGIN)


def max_runtime(config: dict) -> dt.timedelta:
    return dt.timedelta(minutes=config.get("max_runtime") or DEFAULT_MAX_RUNTIME)

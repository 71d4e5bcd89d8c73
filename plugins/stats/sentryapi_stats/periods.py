"""Time ranges and bucket sizes from query parameters, as Sentry reads them.

Every error is a 400 whose ``detail`` names the parameter. All times are UTC; buckets
start at multiples of their width since the epoch, so a day bucket is a UTC day.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from sentryapi.api import ParseError

UTC = dt.UTC
UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
PERIOD = re.compile(r"^(\d{1,9})([smhdw]?)$")
#: Timestamps beyond this are not dates anyone means (and overflow datetime).
LATEST = dt.datetime(9000, 1, 1, tzinfo=UTC).timestamp()
#: The longest period or interval taken (a century): longer ones overflow date arithmetic.
LONGEST = 36500 * 86400


def parse_period(value: str, param: str) -> int:
    """``24h``, ``14d``, ``2w``, ``30m``, ``10s`` (or bare seconds) -> seconds."""
    match = PERIOD.match(value.strip())
    seconds = int(match[1]) * UNITS[match[2]] if match else 0
    if not 0 < seconds <= LONGEST:
        raise ParseError(f"Invalid {param}: {value!r}. Use a number and a unit: s, m, h, d or w "
                         "(e.g. 24h).")
    return seconds


def parse_timestamp(value: str, param: str, message: str | None = None) -> dt.datetime:
    """A unix timestamp in seconds (floats allowed) -> an aware UTC datetime."""
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not 0 <= number < LATEST:
        raise ParseError(message or f"{param} must be a numeric timestamp.")
    return dt.datetime.fromtimestamp(number, UTC)


def parse_date(value: str, param: str) -> dt.datetime:
    """An ISO 8601 date (``Z`` or an offset; none means UTC) or unix seconds -> aware UTC."""
    text = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return parse_timestamp(text, param, f"Invalid {param}: {value!r} is not an ISO 8601 "
                               "date or a unix timestamp.")
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "+", 1) if "T" in text else text)
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        if not 0 <= moment.timestamp() < LATEST:
            raise ValueError(value)
    except (ValueError, OverflowError):
        raise ParseError(f"Invalid {param}: {value!r} is not an ISO 8601 date (1970 or later) "
                         "or a unix timestamp.") from None
    return moment


def date_range(args, now: dt.datetime, default_period: str) -> tuple[dt.datetime, dt.datetime]:
    """``statsPeriod``, or ``start`` and ``end`` together; ``default_period`` without either."""
    period, start, end = args.get("statsPeriod"), args.get("start"), args.get("end")
    if period:
        return now - dt.timedelta(seconds=parse_period(period, "statsPeriod")), now
    if start or end:
        if not (start and end):
            raise ParseError("start and end are both required (or use statsPeriod).")
        start, end = parse_date(start, "start"), parse_date(end, "end")
        if start > end:
            raise ParseError("start must be before end.")
        return start, end
    return now - dt.timedelta(seconds=parse_period(default_period, "statsPeriod")), now


def floor(moment: dt.datetime, seconds: int) -> dt.datetime:
    stamp = math.floor(moment.timestamp())
    return dt.datetime.fromtimestamp(stamp - stamp % seconds, UTC)


def ceil(moment: dt.datetime, seconds: int) -> dt.datetime:
    stamp = math.ceil(moment.timestamp())
    return dt.datetime.fromtimestamp(-(-stamp // seconds) * seconds, UTC)


def to_intervals(start: dt.datetime, end: dt.datetime, interval: int
                 ) -> tuple[dt.datetime, dt.datetime]:
    """The range widened to whole intervals: ``start`` down, ``end`` up (at least one)."""
    first, last = floor(start, interval), ceil(end, interval)
    if last <= first:
        last = first + dt.timedelta(seconds=interval)
    return first, last


def isoformat_z(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

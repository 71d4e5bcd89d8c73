"""Functions per time bucket (by event time): ``events-stats`` and ``events-timeseries``.

One grouped query per request: the filtered rows' bucket (and, for top events, their
group's fields) with each ``yAxis`` function. Top events are the first ``topEvents`` rows
of the table query (``field`` + ``sort``); ``Other`` is everything else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import and_, not_, or_, select

from sentryapi.api import ParseError, db

from . import compiler
from .functions import Function, is_function, parse_function

UTC = dt.UTC
MAX_POINTS = 10_000
UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_interval(value, span: float) -> int:
    """``1h``, ``5m``, ``1d`` or seconds; default 1h up to 14 days, else 1d."""
    if value in (None, ""):
        return 3600 if span <= 14 * 86400 else 86400
    text = str(value).strip()
    number, unit = text.rstrip("smhdw"), text[len(text.rstrip("smhdw")):]
    if not number.isdigit() or unit not in UNITS or int(number) * UNITS[unit] < 1:
        raise ParseError(f"Invalid interval: {value!r}. Use a number and a unit: s, m, h, d or w.")
    seconds = int(number) * UNITS[unit]
    if seconds % 60 and seconds > 60:
        raise ParseError("Invalid interval: use a whole number of minutes.")
    return seconds


def y_axes(values: list[str], kinds) -> list[Function]:
    out = []
    for axis in dict.fromkeys(values or ["count()"]):
        if not is_function(axis):
            raise ParseError(f"Invalid yAxis: {axis!r} is not a function.")
        out.append(parse_function(axis, kinds))
    return out


def buckets(start: dt.datetime, end: dt.datetime, interval: int) -> list[int]:
    first = int(start.timestamp()) // interval * interval
    last = int(end.timestamp())
    points = (last - first + interval - 1) // interval or 1
    if points > MAX_POINTS:
        raise ParseError(f"Invalid interval: the range would have {points} intervals, more than "
                         f"{MAX_POINTS}. Use a larger interval or a shorter range.")
    return [first + i * interval for i in range(points)]


def compute(query, axes: list[Function], interval: int, group_fields=(), keep=None, keep_fields=()):
    """``{group values tuple: {alias: [value per bucket]}}`` (``()`` without groups); ``keep``
    filters the rows on ``keep_fields`` (and the group fields)."""
    stamps = buckets(query.start, query.end, interval)
    index = {stamp: i for i, stamp in enumerate(stamps)}
    series_query = dataclasses.replace(query, columns=list(axes), sort=[])
    source = compiler.rows(series_query, extra=[f.name for f in (*group_fields, *keep_fields)],
                          bucket=interval)
    if keep is not None:
        source = select(source).where(keep(source)).subquery("kept")
    dialect = compiler.dialect()
    groups = [source.c[f.name] for f in group_fields]
    stmt = (select(source.c["_bucket"], *groups,
                   *(a.sql(source, interval, dialect).label(a.alias) for a in axes))
            .group_by(source.c["_bucket"], *groups))
    out: dict[tuple, dict[str, list]] = {}
    for row in db.session.execute(stmt):
        values = row._mapping
        key = tuple(values[f.name] for f in group_fields)
        series = out.setdefault(key, {a.alias: [0] * len(stamps) for a in axes})
        slot = index.get(int(values["_bucket"]))
        if slot is not None:
            for axis in axes:
                series[axis.alias][slot] = _number(values[axis.alias])
    return stamps, out


def _number(value):
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return value.timestamp()
    return value if isinstance(value, int) else float(value)


def top_groups(query, limit: int):
    """The group fields and the values of the ``limit`` top rows of the table query."""
    if not query.plain:
        raise ParseError("topEvents needs at least one field that is not a function.")
    if not 1 <= limit <= 10:
        raise ParseError("Invalid topEvents: must be between 1 and 10.")
    stmt, _ = compiler.page(query, limit)
    found = [tuple(row._mapping[f.name] for f in query.plain) for row in db.session.execute(stmt)]
    return query.plain, found


def matching(group_fields, values: list[tuple]):
    """A filter on the rows' subquery: rows of one of these groups."""
    def build(source):
        options = [and_(*(source.c[f.name].is_(None) if v is None else source.c[f.name] == v
                          for f, v in zip(group_fields, combo, strict=True))) for combo in values]
        return or_(*options) if options else False
    return build


def others(group_fields, values):
    match = matching(group_fields, values)
    return lambda source: not_(match(source)) if values else True


def label(query, group_fields, combo) -> str:
    from .results import _value

    return ",".join(str(_value(f.name, v, query, {})) for f, v in zip(group_fields, combo, strict=True))

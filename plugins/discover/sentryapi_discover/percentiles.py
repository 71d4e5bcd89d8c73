"""Percentiles and counts of transaction durations by transaction, from rolled-up days.

A query of the ``transactions`` dataset whose fields are ``transaction`` (or none) and
functions ``p50``...``p100(transaction.duration)`` and ``count()``, with no ``query``,
environment or aggregate condition, over a range holding a whole UTC day, reads the
whole days' sorted durations (``rollup.py``) and only the transactions of the rest of the
range (the partial days at its edges, and any day not rolled up yet), merges them per
transaction and interpolates as PostgreSQL's ``percentile_cont`` does: the same answers
as the SQL of ``compiler.py``, which every other query keeps. Sorting and pages follow
the compiler's rules (the sort, then the group's fields ascending; nulls last; the next
page starts strictly after the cursor's row); names compare by code point, as SQLite and
PostgreSQL's ``C`` and ``C.UTF-8`` collations do.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from operator import itemgetter

from sqlalchemy import LargeBinary, func, literal, select, true, tuple_
from sqlalchemy.types import NullType

from sentryapi.api import ParseError, db

from .functions import PERCENTILES
from .models import TRANSACTION, DurationDay, RolledDay, Transaction
from .rollup import DAY, UTC, midnight, unpack

FUNCTIONS = {*PERCENTILES, "count"}
D, R, T = DurationDay.__table__, RolledDay.__table__, Transaction.__table__
#: The most (project, day) pairs a query names to read rolled-up days.
MAX_PAIRS = 2000


class Row:
    """A result row, read as the compiler's rows are (``row._mapping[name]``)."""

    __slots__ = ("_mapping",)

    def __init__(self, mapping: dict):
        self._mapping = mapping


def _whole_days(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    """The first whole UTC day in ``[start, end)`` and the day after the last one."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    first = start.date() if start == midnight(start.date()) else start.date() + DAY
    return first, end.date()


def applies(query) -> bool:
    """Whether ``query`` is one this module answers."""
    first, last = _whole_days(query.start, query.end)
    return (query.kinds == (TRANSACTION,) and query.tree is None and not query.having
            and not query.environments and first < last
            and all(f.name == "transaction" for f in query.plain)
            and all(f.name in FUNCTIONS and (f.argument is None or f.argument.name == "transaction.duration")
                    for f in query.functions) and bool(query.functions))


def durations(query) -> dict[str, list[float]]:
    """Each transaction name's durations in the query's range and projects, sorted."""
    first, last = _whole_days(query.start, query.end)
    projects = set(query.project_ids)
    found = defaultdict(list)
    rolled = defaultdict(set)
    # Core rows (tables' columns, not mapped attributes), fetched at once. PostgreSQL joins
    # each name's days and durations first: tens of thousands of result rows would cost more
    # in Python (and in its garbage collector's passes) than the whole SQL.
    connection = db.session.connection()
    joined = connection.dialect.name == "postgresql"
    if projects:
        for project_id, day in connection.execute(select(R.c.project_id, R.c.day).where(
                R.c.project_id.in_(projects), R.c.rolled, R.c.day >= first, R.c.day < last)).all():
            rolled[day].add(project_id)
        only = _rolled_only(projects, first, last, rolled)
        if only is not None:
            blob = func.string_agg(D.c.durations, literal(b"", LargeBinary)) if joined else D.c.durations
            stmt = select(D.c.transaction, blob).where(D.c.project_id.in_(projects), D.c.day >= first,
                                                       D.c.day < last, only)
            for name, durations in connection.execute(stmt.group_by(D.c.transaction) if joined else stmt).all():
                found[name].append(unpack(durations))
        else:
            rolled.clear()  # too many pairs to name: every day is read transaction by transaction
    for since, until, ids in _unrolled(query, first, last, projects, rolled):
        # The driver's list of floats as it is: ARRAY's result processor would copy each one.
        values = func.array_agg(T.c.duration, type_=NullType()) if joined else T.c.duration
        stmt = select(T.c.transaction, values).where(
            T.c.project_id.in_(ids), T.c.timestamp >= since, T.c.timestamp < until)
        if joined:
            for name, values in connection.execute(stmt.group_by(T.c.transaction)).all():
                found[name].append(values)
        else:
            single = defaultdict(list)
            for name, duration in connection.execute(stmt).all():
                single[name].append(duration)
            for name, values in single.items():
                found[name].append(values)
    merged = {}
    for name, parts in found.items():
        values = []
        for part in parts:
            values.extend(part)
        values.sort()  # sorted runs (one per day) merge in about linear time
        merged[name] = values
    return merged


def _rolled_only(projects: set, first: dt.date, last: dt.date, rolled: dict):
    """A condition keeping the rows of the (project, day) pairs read as rolled up, and only
    those: a day rolled up since is read transaction by transaction, as its pair was read
    not rolled (statements may each see a newer state); ``None`` when it would name too many."""
    pairs, other = [], []
    day = first
    while day < last:
        for project_id in sorted(projects):
            (pairs if project_id in rolled[day] else other).append((project_id, day))
        day += DAY
    if not pairs or min(len(pairs), len(other)) > MAX_PAIRS:
        return None
    if not other:
        return true()
    key = tuple_(D.c.project_id, D.c.day)
    return key.in_(pairs) if len(pairs) <= len(other) else key.not_in(other)


def _unrolled(query, first: dt.date, last: dt.date, projects: set, rolled: dict) -> list:
    """``(since, until, project ids)`` of the range's parts read transaction by transaction:
    the edges, and whole days some project has not rolled up (consecutive ones joined)."""
    if not projects:
        return []
    parts = [(query.start, midnight(first), sorted(projects))]
    day = first
    while day < last:
        missing = sorted(projects - rolled[day])
        if missing:
            if parts[-1][1] == midnight(day) and parts[-1][2] == missing:
                parts[-1] = (parts[-1][0], midnight(day + DAY), missing)
            else:
                parts.append((midnight(day), midnight(day + DAY), missing))
        day += DAY
    parts.append((midnight(last), query.end, sorted(projects)))
    return [part for part in parts if part[0] < part[1]]


def percentile(values: list[float], quantile: float) -> float | None:
    """Linear interpolation between the closest ranks, as ``percentile_cont``."""
    if not values:
        return None
    position = (len(values) - 1) * quantile
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


def table(query) -> list[dict]:
    """The result rows: one per transaction, or one over everything without fields."""
    groups, by_name = durations(query), bool(query.plain)
    if not by_name:
        groups = {None: sorted(v for values in groups.values() for v in values)}
    out, functions = [], query.functions
    for name, values in groups.items():
        row = {"transaction": name} if by_name else {}
        for function in functions:
            row[function.alias] = (len(values) if function.name == "count"
                                   else percentile(values, PERCENTILES[function.name]))
        out.append(row)
    return out


def _sort(rows: list[dict], keys: list[tuple[str, bool]]) -> list[dict]:
    """``rows`` in ``keys`` order, nulls last: stable sorts from the last key to the first."""
    for name, descending in reversed(keys):
        present = [r for r in rows if r[name] is not None]
        present.sort(key=itemgetter(name), reverse=descending)
        rows = present + [r for r in rows if r[name] is None]
    return rows


def _compare(a: list, b: list, descending: list[bool]) -> int:
    """-1, 0 or 1 as the keys ``a`` come before, with or after ``b``."""
    for x, y, desc in zip(a, b, descending, strict=True):
        if x == y:
            continue
        if x is None or y is None:  # nulls last, whichever the direction
            return 1 if x is None else -1
        before = x < y
        return (1 if before else -1) if desc else (-1 if before else 1)
    return 0


def page(query, limit: int, boundary: list | None = None,
         backwards: bool = False) -> tuple[list[Row], list[str]]:
    """One page of rows and the names of the keys that order it (as ``compiler.page``,
    ``backwards`` too: the rows before ``boundary``, nearest first)."""
    keys = list(query.sort) or [(query.functions[0].alias, True)]
    keys += [(f.name, False) for f in query.plain if f.name not in {name for name, _ in keys}]
    names, descending = [name for name, _ in keys], [desc for _, desc in keys]
    rows = table(query)
    try:
        rows = _sort(rows, keys)
        if boundary is not None:
            if len(boundary) != len(keys):
                raise ParseError("Invalid cursor parameter.")
            side = -1 if backwards else 1
            rows = [r for r in rows if _compare([r[n] for n in names], boundary, descending) == side]
    except TypeError:  # a cursor's values of other types than these keys'
        raise ParseError("Invalid cursor parameter.") from None
    if backwards:
        rows.reverse()
    return [Row(r) for r in rows[:limit]], names

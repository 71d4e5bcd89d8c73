"""Aggregate functions (``count()``, ``p95(transaction.duration)``...): parsing and SQL.

A function is computed over the rows a query's filters keep, grouped by its plain
fields. Percentiles use ``percentile_cont`` on PostgreSQL and an aggregate this plugin
registers on SQLite connections (``discover_percentile``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Float, case, cast, distinct, func, literal

from sentryapi.api import ParseError

from .fields import FUNCTION_RE, NUMERIC, Field, resolve

PERCENTILES = {"p50": 0.5, "p75": 0.75, "p90": 0.9, "p95": 0.95, "p99": 0.99, "p100": 1.0}
#: Trace statuses that are not failures (Sentry's ``failure_rate()``).
NOT_FAILED = ("ok", "cancelled", "unknown")
#: name -> (arity: "none" | "field" | "numeric" | "optional duration", result type or None: the argument's)
SIGNATURES = {
    "count": ("none", "integer"), "count_unique": ("field", "integer"),
    "last_seen": ("none", "date"), "first_seen": ("none", "date"),
    "min": ("numeric", None), "max": ("numeric", None), "avg": ("numeric", "number"),
    "sum": ("numeric", None), "failure_rate": ("none", "percentage"),
    "epm": ("none", "rate"), "eps": ("none", "rate"),
    **{name: ("duration", None) for name in PERCENTILES},
}
UNITS = {"duration": "millisecond", "epm": "1/minute", "eps": "1/second"}


@dataclass(frozen=True)
class Function:
    """One aggregate of a query, keyed in results by ``alias`` (the text as requested)."""

    alias: str
    name: str
    argument: Field | None
    type: str

    @property
    def unit(self) -> str | None:
        if self.name in ("epm", "eps"):
            return UNITS[self.name]
        return UNITS.get(self.type)

    def sql(self, rows, period_seconds: float, dialect: str):
        """The aggregate over ``rows`` (the filtered rows' subquery)."""
        column = rows.c[self.argument.name] if self.argument else None
        name = self.name
        if name == "count":
            return func.count()
        if name == "count_unique":
            return func.count(distinct(column))
        if name in ("last_seen", "first_seen"):
            ts = rows.c["timestamp"]
            return func.max(ts) if name == "last_seen" else func.min(ts)
        if name in ("min", "max", "sum", "avg"):
            return getattr(func, name)(column)
        if name == "failure_rate":
            status = rows.c["transaction.status"]
            failed = case((status.is_(None), 0), (status.in_(NOT_FAILED), 0), else_=1)
            return func.avg(cast(failed, Float))
        if name in ("epm", "eps"):
            per = period_seconds / 60 if name == "epm" else period_seconds
            return cast(func.count(), Float) / literal(max(per, 1e-9))
        quantile = PERCENTILES[name]
        if dialect == "postgresql":
            return func.percentile_cont(quantile).within_group(column)
        return func.discover_percentile(column, quantile)


def is_function(name: str) -> bool:
    return FUNCTION_RE.match(name.strip()) is not None


def parse_function(text: str, kinds: tuple[int, ...]) -> Function:
    """``count()``, ``p95(transaction.duration)``... or a 400 naming what is wrong."""
    match = FUNCTION_RE.match(text.strip())
    name, raw = match[1], match[2].strip()
    if name not in SIGNATURES:
        raise ParseError(f"Invalid function: {text!r}: {name}() is not a supported function.")
    arity, result = SIGNATURES[name]
    if arity == "none":
        if raw:
            raise ParseError(f"Invalid function: {text!r}: {name}() takes no argument.")
        return Function(text, name, None, result)
    if not raw:
        if arity != "duration":
            raise ParseError(f"Invalid function: {text!r}: {name}() needs a field argument.")
        raw = "transaction.duration"
    argument = resolve(raw, kinds, what=f"argument of {name}()")
    if arity in ("numeric", "duration") and argument.type not in NUMERIC and not (
            name in ("min", "max") and argument.type == "date"):
        raise ParseError(f"Invalid function: {text!r}: {name}() needs a numeric field, "
                         f"not {argument.name!r}.")
    return Function(text, name, argument, result or argument.type)


class Percentile:
    """SQLite aggregate ``discover_percentile(value, q)``: linear interpolation, as
    PostgreSQL's ``percentile_cont``."""

    def __init__(self):
        self.values, self.quantile = [], 0.5

    def step(self, value, quantile):
        if value is not None:
            self.values.append(float(value))
            self.quantile = float(quantile)

    def finalize(self):
        if not self.values:
            return None
        values = sorted(self.values)
        position = (len(values) - 1) * self.quantile
        low, high = math.floor(position), math.ceil(position)
        return values[low] + (values[high] - values[low]) * (position - low)


def register_sqlite_functions(dbapi_connection, connection_record) -> None:
    dbapi_connection.create_aggregate("discover_percentile", 2, Percentile)

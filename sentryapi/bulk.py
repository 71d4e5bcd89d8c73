"""Many rows into one table, through the driver's own statement, in the session's transaction.

SQLAlchemy's executemany runs every value of every row through Python (parameter dicts,
then each column type's bind processor) before the driver sees it. For the digest's
wide batches (an event row and about ten tag rows per event) that cost more CPU than
the insert itself. :func:`insert_rows` converts each column's values with the same
processors, once per distinct datetime, and hands the driver plain tuples: SQLite's
``executemany`` (a loop in C), and PostgreSQL multi-row ``VALUES`` (one statement per
few thousand rows, not one round trip per row).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError

from .extensions import db

#: PostgreSQL takes at most 65,535 parameters in one statement.
MAX_PARAMETERS = 60_000
#: The drivers' positional parameter markers (sqlite3: qmark, psycopg: format).
PLACEHOLDERS = {"sqlite": "?", "postgresql": "%s"}


def values_rows(dialect_name: str, width: int, count: int = 1) -> str:
    """``(?, ?), (?, ?)``: the ``VALUES`` of ``count`` rows of ``width`` parameters each,
    in the driver's markers, for statements handed to the driver directly."""
    one = "(" + ", ".join([PLACEHOLDERS[dialect_name]] * width) + ")"
    return ", ".join([one] * count)


def _converters(table: Table, names: list[str], dialect) -> list:
    """Each column's bind processor for ``dialect`` (``None``: the value as is)."""
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]


def _convert(rows: list[dict], names: list[str], converters: list) -> list[tuple]:
    columns = []
    for name, convert in zip(names, converters, strict=True):
        values = [row[name] for row in rows]
        if convert is not None:
            seen: dict = {}
            converted = []
            for value in values:
                if isinstance(value, dt.datetime):  # the same moment on many rows: convert once
                    if value not in seen:
                        seen[value] = convert(value)
                    converted.append(seen[value])
                else:
                    converted.append(None if value is None else convert(value))
            values = converted
        columns.append(values)
    return list(zip(*columns, strict=True))


def insert_rows(table: Table, rows: list[dict]) -> None:
    """``INSERT`` ``rows`` (dicts with the same keys: the columns to set) into ``table``,
    in the session's transaction. Column defaults are not applied: give every value."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    values = _convert(rows, names, _converters(table, names, dialect))
    quote = dialect.identifier_preparer.quote
    head = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
            f"({', '.join(quote(name) for name in names)}) VALUES ")
    cursor = connection.connection.cursor()
    statement = head
    try:
        if dialect.name == "postgresql":
            step = max(1, MAX_PARAMETERS // len(names))
            for start in range(0, len(values), step):
                chunk = values[start:start + step]
                statement = head + values_rows(dialect.name, len(names), len(chunk))
                cursor.execute(statement, [value for row in chunk for value in row])
        else:
            statement = head + values_rows(dialect.name, len(names))
            cursor.executemany(statement, values)
    except dialect.loaded_dbapi.Error as error:
        # As SQLAlchemy raises it (IntegrityError, OperationalError...), for callers that
        # tell conflicts from outages.
        raise DBAPIError.instance(statement, None, error, dialect.loaded_dbapi.Error,
                                  dialect=dialect) from error
    finally:
        cursor.close()

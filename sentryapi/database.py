"""Model base class and column types shared by the core and every plugin."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

UTC = dt.UTC

# Deterministic constraint names, so alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: Integer primary keys: BIGINT on PostgreSQL, INTEGER on SQLite (its rowid alias).
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python.

    PostgreSQL keeps the zone (timestamptz); SQLite has none, so values are stored as
    naive UTC there and made aware again when read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def install_sqlite_pragmas(engine: Engine, synchronous: str) -> None:
    """WAL, foreign keys and the configured durability on every new SQLite connection."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def probe_engine(uri: str) -> Engine | None:
    """A one-connection engine for a background thread's idle polling ("anything to do?").

    Polling on a connection of its own keeps it out of the app's pool (and out of what
    tests count there). ``None`` for an in-memory SQLite database, which no other engine
    can see: poll through the app's session instead.
    """
    url = make_url(uri)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        return create_engine(url, poolclass=NullPool)
    return create_engine(url, pool_size=1, max_overflow=0, pool_pre_ping=True)


def failure_summary(error: BaseException) -> str:
    """One line naming a background failure (its class and first message line).

    Background threads log this, and the traceback only at DEBUG: on Python 3.11,
    formatting a traceback parses source with ``ast``, which is not safe while another
    thread compiles (the interpreter raises SystemError in whichever thread loses).
    """
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"{error.__class__.__name__}: {first_line[:200]}"

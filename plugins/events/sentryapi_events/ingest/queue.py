"""The ingest queue's write: an accepted event's row, inserted with the driver's own
statement and committed together with the other requests' rows of the same moment (one
commit for the requests of the same moment: ``writes``), before any SDK hears 200."""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app

from sentryapi.api import (
    ServiceUnavailable,
    db,
    values_rows,
)

from ..digest import worker
from ..models import IngestEvent
from .writes import GroupCommit, sqlite_writer

log = logging.getLogger("sentryapi.events.ingest")

QUEUE_COLUMNS = ("project_id", "organization_id", "key_id", "event_id", "received",
                 "remote_addr", "payload")
#: The one statement of an accepted event, written for the driver directly: building
#: and compiling it through SQLAlchemy cost more than executing it.
QUEUE_INSERT = (f"INSERT INTO {IngestEvent.__tablename__} ({', '.join(QUEUE_COLUMNS)}) "
                "VALUES {rows} ON CONFLICT (project_id, event_id) DO NOTHING")


_committers: dict[str, GroupCommit] = {}


def _committer() -> GroupCommit:
    """This database's group committer (one per app and process)."""
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    committer = _committers.get(uri)
    if committer is None:
        committer = _committers.setdefault(uri, GroupCommit(QueueWriter(db.engine, uri).write))
    return committer


class QueueWriter:
    """Writes queue rows on one connection of its own, kept between batches.

    Only the group commit's leader uses it (one at a time), so it is never shared; keeping
    it saves the pool's checkout and liveness ping on every batch. A failed connection is
    dropped and the next batch takes a fresh one.
    """

    def __init__(self, engine, uri: str):
        self.engine, self.uri = engine, uri
        self.connection = None
        self.dialect = engine.dialect.name
        self.sql = QUEUE_INSERT.format(rows=values_rows(self.dialect, len(QUEUE_COLUMNS)))

    def _insert(self, cursor, rows: list[tuple]) -> None:
        """The batch's rows. On PostgreSQL in one statement: psycopg's ``executemany`` runs
        in pipeline mode, which cost more CPU than the insert itself for the one to few rows
        of a batch. SQLite's ``executemany`` is a plain loop in C."""
        if len(rows) == 1:
            cursor.execute(self.sql, rows[0])
        elif self.dialect == "postgresql":
            rows_sql = values_rows(self.dialect, len(QUEUE_COLUMNS), len(rows))
            cursor.execute(QUEUE_INSERT.format(rows=rows_sql), [value for row in rows for value in row])
        else:
            cursor.executemany(self.sql, rows)

    def write(self, rows: list[tuple]) -> None:
        with sqlite_writer(self.uri):
            if self.connection is None:
                self.connection = self.engine.raw_connection()
            connection = self.connection
            try:
                cursor = connection.cursor()
                self._insert(cursor, rows)
                cursor.close()
                connection.commit()
            except self.engine.dialect.loaded_dbapi.Error as error:
                self.connection = None
                connection.invalidate()
                log.warning("could not queue events: %s", error.__class__.__name__)
                raise ServiceUnavailable() from None
            except BaseException:
                self.connection = None
                connection.invalidate()
                raise


def enqueue(key, event_id: str, payload: bytes, received: dt.datetime, remote_addr: str | None) -> None:
    """Write the event to the ingest queue; return once committed. A resent id is a no-op."""
    if db.engine.dialect.name == "sqlite":
        # What UTCDateTime stores on SQLite: naive UTC, SQLAlchemy's text format.
        received = received.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    _committer().write((key.project_id, key.organization_id, key.key_id, event_id, received,
                        remote_addr, payload))
    worker.wake()

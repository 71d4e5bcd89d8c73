"""``insert_rows``: the driver's own executemany / multi-row INSERT, in the session's
transaction, with every column type converted as SQLAlchemy would."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, select
from sqlalchemy.exc import IntegrityError

from sentryapi.api import UTCDateTime, db, insert_rows

metadata = MetaData()
probe = Table("bulk_probe", metadata,
              Column("id", Integer, primary_key=True),
              Column("name", String(32), unique=True),
              Column("seen", UTCDateTime),
              Column("data", JSON))


@pytest.fixture
def probe_table(app):
    with app.app_context():
        metadata.create_all(db.engine)
    yield
    with app.app_context():
        db.session.remove()
        metadata.drop_all(db.engine)


def test_rows_come_back_as_inserted(app, probe_table):
    moment = dt.datetime(2026, 12, 3, 10, 30, 15, 123456, tzinfo=dt.UTC)
    elsewhere = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    rows = [{"id": i, "name": f"n{i}", "seen": moment if i % 2 else elsewhere,
             "data": {"i": i, "tags": [["a", "b"]]}} for i in range(1, 2501)]
    rows.append({"id": 9999, "name": None, "seen": None, "data": None})
    with app.app_context():
        insert_rows(probe, rows)
        db.session.commit()
        stored = {row.id: row for row in db.session.execute(select(probe))}
    assert len(stored) == 2501
    assert stored[1].seen == moment and stored[1].seen.tzinfo is not None
    assert stored[2].seen == elsewhere  # converted to UTC, the same instant
    assert stored[2500].data == {"i": 2500, "tags": [["a", "b"]]}
    assert stored[9999].name is None and stored[9999].seen is None


def test_rows_belong_to_the_session_transaction(app, probe_table):
    with app.app_context():
        insert_rows(probe, [{"id": 1, "name": "kept", "seen": None, "data": {}}])
        db.session.rollback()
        assert db.session.scalar(select(probe.c.id)) is None
        insert_rows(probe, [])  # nothing to do, no statement
        db.session.commit()


def test_a_conflict_is_raised_as_sqlalchemy_raises_it(app, probe_table):
    with app.app_context():
        insert_rows(probe, [{"id": 1, "name": "same", "seen": None, "data": {}}])
        db.session.commit()
        with pytest.raises(IntegrityError):
            insert_rows(probe, [{"id": 2, "name": "same", "seen": None, "data": {}}])
        db.session.rollback()
        assert db.session.scalar(select(probe.c.name)) == "same"

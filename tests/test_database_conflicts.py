"""``retry_on_conflict``: a transaction PostgreSQL aborts to break a real deadlock runs
again and succeeds; any other database error is raised at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from sentryapi.api import db, retry_on_conflict

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def probe_table(app):
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE conflict_probe (id int PRIMARY KEY, n int NOT NULL)"))
            connection.execute(text("INSERT INTO conflict_probe VALUES (1, 0), (2, 0)"))
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE conflict_probe"))


def test_a_transaction_aborted_by_a_deadlock_runs_again(app, probe_table):
    """The other transaction locks row 1, ours row 2; ours then waits for row 1 and the
    other for row 2. Ours waits first with the shorter deadlock timeout, so PostgreSQL
    aborts ours; the other commits; the second attempt finds no conflict."""
    other_holds_row_1 = threading.Event()
    ours_waits = threading.Event()
    other_error = []

    def other():
        with app.app_context(), db.engine.connect() as connection:
            try:
                with connection.begin():
                    connection.execute(text("SET LOCAL deadlock_timeout = '30s'"))
                    connection.execute(text("UPDATE conflict_probe SET n = n + 10 WHERE id = 1"))
                    other_holds_row_1.set()
                    ours_waits.wait(10)
                    connection.execute(text("UPDATE conflict_probe SET n = n + 10 WHERE id = 2"))
            except Exception as error:  # noqa: BLE001 - reported to the test below
                other_error.append(error)

    attempts = []

    def work():
        attempts.append(1)
        db.session.execute(text("SET LOCAL deadlock_timeout = '200ms'"))
        db.session.execute(text("UPDATE conflict_probe SET n = n + 1 WHERE id = 2"))
        if len(attempts) == 1:
            assert other_holds_row_1.wait(10)
            threading.Timer(0.05, ours_waits.set).start()
        db.session.execute(text("UPDATE conflict_probe SET n = n + 1 WHERE id = 1"))
        db.session.commit()
        return "done"

    thread = threading.Thread(target=other)
    thread.start()
    with app.app_context():
        assert retry_on_conflict(work) == "done"
        thread.join(15)
        assert other_error == []
        assert len(attempts) == 2
        values = dict(db.session.execute(text("SELECT id, n FROM conflict_probe")).all())
        assert values == {1: 11, 2: 11}  # each transaction counted once


def test_other_database_errors_are_not_retried(app, probe_table):
    attempts = []

    def work():
        attempts.append(1)
        db.session.execute(text("SELECT * FROM conflict_probe WHERE id = 1 FOR UPDATE NOWAIT"))
        raise OperationalError("SELECT", {}, Exception("connection lost"))

    with app.app_context():
        with pytest.raises(OperationalError):
            retry_on_conflict(work)
    assert attempts == [1]

"""Percentiles by transaction from rolled-up days (``rollup.py``, ``percentiles.py``), on
SQLite and PostgreSQL: the same answers as the compiler's SQL before and after a day is
rolled up, with a transaction that arrives after its day was, through pages, and once
retention reaches a rolled-up day."""

from __future__ import annotations

import datetime as dt

import pytest
from sentryapi_discover import DurationDay, RolledDay, percentiles, rollup
from sentryapi_discover.retention import cleanup_expired
from sentryapi_discover.testing import transaction_event, walk_pages
from sentryapi_events.testing import envelope
from sqlalchemy import select, update

from sentryapi.api import db
from sentryapi.testing.apps import executed_statements

UTC = dt.UTC
DAY = dt.timedelta(days=1)
NOW = dt.datetime.now(UTC).replace(microsecond=0)
TODAY = rollup.midnight(NOW.date())
#: Six and a half days: a partial day at the start, whole days, and today so far.
START, END = (NOW - 6.5 * DAY).isoformat(), (NOW + dt.timedelta(minutes=5)).isoformat()
FIELDS = ("transaction", "p95(transaction.duration)", "p50(transaction.duration)", "count()")
#: Every transaction passes this filter: the same rows, through the compiler's SQL instead.
SQL_PATH = "transaction.duration:>=0"
#: (days before today, name, milliseconds), each at 06:00 UTC that day.
EARLIER = ((3, "/api/users", 150), (3, "/api/users", 450), (3, "/api/orders", 20), (2, "/api/users", 250),
           (2, "/slow", 5000), (1, "/api/users", 50))


def send(seeded, back: int, name: str, duration: float) -> None:
    event = transaction_event(name, duration, end=TODAY - back * DAY + dt.timedelta(hours=6))
    seeded.send("backend", envelope(None, event_id=event["event_id"], items=[("transaction", event)]))


@pytest.fixture(scope="module")
def days(seeded):
    """The seeded transactions of the last hour or two, and some of the three days before."""
    for back, name, duration in EARLIER:
        send(seeded, back, name, duration)
    return seeded


def table(seeded, *fields, sql: bool = False, **params) -> list[dict]:
    query = {"field": list(fields or FIELDS), "project": -1, "dataset": "transactions", "start": START,
             "end": END, "sort": "transaction", "per_page": 100, **params}
    if sql:
        query["query"] = SQL_PATH
    response = seeded.api.get(f"/api/0/organizations/{seeded.org}/events/", query_string=query)
    assert response.status_code == 200, response.json
    return response.json["data"]


def same_both_ways(seeded, *fields, **params) -> list[dict]:
    """The rows, checked equal to the SQL's; the rolled-up path must be the one taken."""
    with executed_statements(seeded.app) as statements:
        fast = table(seeded, *fields, **params)
    assert any("discover_rolled_day" in s for s in statements)
    assert not any("percentile" in s.lower() for s in statements)
    slow = table(seeded, *fields, sql=True, **params)
    assert _rounded(fast) == _rounded(slow)
    return fast


def _rounded(rows: list[dict]) -> list[dict]:
    return [{k: round(v, 6) if isinstance(v, float) else v for k, v in row.items()} for row in rows]


def rolled_days(app, name: str) -> dict[dt.date, int]:
    with app.app_context():
        rows = db.session.execute(select(DurationDay.day, DurationDay.count)
                                  .where(DurationDay.transaction == name)).all()
        db.session.rollback()
    return dict(rows)


def test_rolled_up_days_answer_as_the_sql(days):
    by_name = {row["transaction"]: row for row in same_both_ways(days)}
    # Today's seeded /api/users (100, 200, 300 ms) and the earlier days' 150, 450, 250, 50.
    assert by_name["/api/users"] == {"transaction": "/api/users", "count()": 7, "p50(transaction.duration)": 200.0,
                                     "p95(transaction.duration)": pytest.approx(405.0)}
    assert by_name["/api/orders"]["p95(transaction.duration)"] == pytest.approx(20 + 0.95 * 980)

    with days.app.app_context():
        assert rollup.roll_up(NOW) >= 2
        assert rollup.roll_up(NOW) == 0  # nothing left to do
    assert rolled_days(days.app, "/api/users")[(TODAY - 3 * DAY).date()] == 2
    assert (TODAY - 2 * DAY).date() in rolled_days(days.app, "/slow")
    assert NOW.date() not in rolled_days(days.app, "/api/users")  # today has not ended
    after = {row["transaction"]: row for row in same_both_ways(days)}
    assert after == by_name

    # A transaction of a rolled-up day, sent late, joins its day's row.
    send(days, 3, "/api/orders", 40)
    assert rolled_days(days.app, "/api/orders")[(TODAY - 3 * DAY).date()] == 2
    late = {row["transaction"]: row for row in same_both_ways(days)}
    assert late["/api/orders"]["count()"] == 3 and late["/api/orders"]["p50(transaction.duration)"] == 40.0
    assert same_both_ways(days, "p95(transaction.duration)", "count()", sort="-count()")[0]["count()"] == 12

    # A day rolled up after the query read which days are: its rows are read once, one by one.
    day3 = (TODAY - 3 * DAY).date()
    with days.app.app_context():
        db.session.execute(update(RolledDay).where(RolledDay.day == day3).values(rolled=False))
        db.session.commit()
    assert {row["transaction"]: row for row in same_both_ways(days)} == late
    with days.app.app_context():
        db.session.execute(update(RolledDay).where(RolledDay.day == day3).values(rolled=True))
        db.session.commit()

    # Retention reaching into a rolled-up day drops it: what is left of it is read row by row.
    with days.app.app_context():
        cleanup_expired(TODAY + dt.timedelta(hours=3), 2, False, lambda n: None)
        left = set(db.session.scalars(select(RolledDay.day)))
        assert rollup.roll_up(TODAY + dt.timedelta(hours=3), default_days=2) == 0  # not again
    assert min(left) >= (TODAY - DAY).date()
    assert (TODAY - 2 * DAY).date() not in rolled_days(days.app, "/slow")
    kept = {row["transaction"]: row for row in same_both_ways(days)}
    assert kept["/slow"]["count()"] == 1 and kept["/api/users"]["count()"] == 5


def test_pages_follow_the_sql_order_both_ways(days):
    def get(params):
        return days.api.get(f"/api/0/organizations/{days.org}/events/", query_string=params)

    for sort in ("-p95(transaction.duration)", "transaction", "-count()"):
        pages = walk_pages(get, {"field": list(FIELDS), "project": -1, "dataset": "transactions", "start": START,
                                 "end": END, "per_page": 1, "sort": sort})
        assert _rounded([row for page in pages for row in page]) == _rounded(table(days, sql=True, sort=sort)), sort
        assert len(pages) >= 4


def test_other_queries_keep_the_sql(days):
    cases = [({"environment": "prod"}, False), ({"query": "transaction:/api/*"}, False),
             ({"field": ["transaction", "avg(transaction.duration)"]}, False),
             ({"field": ["transaction.op", "p95(transaction.duration)"]}, False),
             ({"statsPeriod": "12h", "start": None, "end": None}, False),
             ({"field": ["p75(transaction.duration)"]}, True), ({}, True)]
    for change, rolled in cases:
        query = {"field": list(FIELDS), "project": -1, "dataset": "transactions", "start": START, "end": END,
                 **change}
        with executed_statements(days.app) as statements:
            response = days.api.get(f"/api/0/organizations/{days.org}/events/",
                                    query_string={k: v for k, v in query.items() if v is not None})
        assert response.status_code == 200, response.json
        assert any("discover_rolled_day" in s for s in statements) is rolled, change


def test_percentile_interpolates_as_percentile_cont():
    assert percentiles.percentile([], 0.95) is None
    assert percentiles.percentile([7.0], 0.5) == 7.0
    assert percentiles.percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentiles.percentile([10.0, 20.0], 0.95) == pytest.approx(19.5)
    assert list(rollup.unpack(rollup.pack([1.5, 2.25, 1e9]))) == [1.5, 2.25, 1e9]


def test_a_late_transaction_and_the_roll_up_of_its_day_wait_for_each_other(days):
    """The roll-up of a day waits for a late transaction of it still being stored, and counts it."""
    import threading
    import time
    import uuid

    from sentryapi_discover import ingest

    project_id = int(days.projects[days.backend][0]["id"])
    day = (TODAY - 10 * DAY).date()  # outside the other tests' range
    when = rollup.midnight(day) + dt.timedelta(hours=5)

    def row(ms: float) -> dict:
        return {"project_id": project_id, "event_id": uuid.uuid4().hex, "timestamp": when, "start_timestamp": when,
                "received": NOW, "transaction": "/race", "op": None, "status": "ok", "duration": ms,
                "trace_id": None, "span_count": 0, "release": None, "environment": None, "platform": None,
                "user_id": None, "user_email": None, "measurements": {}, "tags": [("transaction", "/race")]}

    storing, found = threading.Event(), {}

    def store_late():
        with days.app.app_context():
            ingest.store(0, [row(20.0)])  # its day's marker is held (and SQLite's write lock)
            storing.set()
            time.sleep(1.0)
            db.session.commit()

    def roll():
        storing.wait()
        with days.app.app_context():
            started = time.monotonic()
            found["rolled"] = rollup._roll(project_id, day)
            found["waited"] = time.monotonic() - started
            found["durations"] = list(rollup.unpack(db.session.scalar(select(DurationDay.durations).where(
                DurationDay.project_id == project_id, DurationDay.day == day))))
            db.session.rollback()

    with days.app.app_context():
        ingest.store(0, [row(10.0)])
        db.session.commit()
    threads = [threading.Thread(target=store_late), threading.Thread(target=roll)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert found["rolled"] == 1 and found["waited"] > 0.5
    assert found["durations"] == [10.0, 20.0]
    with days.app.app_context():  # once rolled up, a late one joins the day's row
        ingest.store(0, [row(5.0)])
        db.session.commit()
        assert list(rollup.unpack(db.session.scalar(select(DurationDay.durations).where(
            DurationDay.project_id == project_id, DurationDay.day == day)))) == [5.0, 10.0, 20.0]
        db.session.rollback()

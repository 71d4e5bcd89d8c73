"""Discover on PostgreSQL: 1,000,000 errors and 1,000,000 transactions over 30 days in 50 projects.

Two queries through the API (the Flask app in process: auth, routing, compiler, rendering),
each against the naive answer computed in the same run:

1. the issue-style table: ``field=title&field=count()&field=last_seen()&query=is:unresolved
   level:error&sort=-count()&statsPeriod=24h&environment=prod&dataset=errors&per_page=50``,
   for one project (as the issue's example) and for all 50;
2. ``p95(transaction.duration)`` by ``transaction`` over 7 days, all 50 projects.

Naive: (a) read the rows and group in Python; (b) the same SQL with index scans disabled
(an unindexed GROUP BY). Each figure is the median of REPEAT runs after a warm-up.

The data is bulk-loaded (COPY) once into the database ``discover_bench`` (``createdb -h
127.0.0.1 -U postgres discover_bench``) and reused while it holds the rows.

    .venv/bin/python bench/discover.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/discover_bench]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict

EVENTS = TRANSACTIONS = 1_000_000
PROJECTS, DAYS, REPEAT, CHUNK = 50, 30, 5, 100_000
ORG_SLUG = "discover-bench"
ENVIRONMENTS = ("prod", "prod", "prod", "staging")
BROWSERS = ("Chrome", "Firefox", "Safari", "Edge")


def build(url: str):
    os.environ.setdefault("SENTRYAPI_INSTANCE_PATH", tempfile.mkdtemp(prefix="discover-bench-"))
    from sentryapi import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "SCHEDULER": "off",
                       "PUBLIC_URL": "http://bench.example", "SECRET_KEY": "bench"})


def _copy(connection, table: str, columns: list[str], rows) -> None:
    raw = connection.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed(app) -> None:
    from sentryapi_events.models import Group
    from sentryapi_projects import Project
    from sqlalchemy import insert, select, text

    from sentryapi.api import db
    from sentryapi.testing.actors import factories

    owner = factories(app)[3]("owner")
    with app.app_context():
        org = db.session.merge(owner.organization)
        org.slug = ORG_SLUG
        db.session.commit()
    api = owner.api.unchecked()
    team = api.post(f"/api/0/organizations/{ORG_SLUG}/teams/", json={"name": "Core"}).json["slug"]
    for i in range(PROJECTS):
        assert api.post(f"/api/0/teams/{ORG_SLUG}/{team}/projects/", json={"name": f"p{i:02d}"}).status_code == 201
    rng = random.Random(20)
    now = dt.datetime.now(dt.UTC)
    started = time.monotonic()
    with app.app_context():
        projects = list(db.session.scalars(select(Project.id).where(Project.slug.like("p%")).order_by(Project.id)))
        groups = {}
        for pid in projects:
            rows = [{"project_id": pid, "short_id": n + 1, "title": f"Error{n}: value {n}",
                     "status": "unresolved" if n % 10 < 7 else "resolved", "status_details": {},
                     "data": {}, "level": "error" if n % 5 else "warning", "type": "error",
                     "first_seen": now - dt.timedelta(days=DAYS), "last_seen": now}
                    for n in range(100)]
            ids = db.session.scalars(insert(Group.__table__).returning(Group.__table__.c.id), rows).all()
            groups[pid] = list(zip(ids, rows, strict=True))
        db.session.commit()
        connection = db.session.connection()

        def moment(i: int, count: int):
            """Rows arrive in time order (as ingestion writes them), a minute of jitter."""
            behind = (1 - i / count) * DAYS * 86400 + rng.random() * 60
            return now - dt.timedelta(seconds=min(behind, DAYS * 86400))

        def error_rows(i, tags):
            pid = projects[i % PROJECTS]
            gid, group = groups[pid][min(int(rng.paretovariate(1.2)) - 1, 99)]
            when, env, eid = moment(i, EVENTS), rng.choice(ENVIRONMENTS), uuid.uuid4().hex
            tags += [(pid, 0, eid, when, "environment", env), (pid, 0, eid, when, "browser", rng.choice(BROWSERS))]
            return (pid, gid, eid, when, when, group["level"], "python", group["title"], "", "app.jobs",
                    "1.0", env, 300, json.dumps({"metadata": {"type": group["title"].split(":")[0]}}))

        def transaction_rows(i, tags):
            pid = projects[i % PROJECTS]
            when, env, eid = moment(i, TRANSACTIONS), rng.choice(ENVIRONMENTS), uuid.uuid4().hex
            name = f"/api/p{pid}/endpoint{int(rng.paretovariate(1.1)) % 40}"
            duration = rng.lognormvariate(5, 1)
            tags += [(pid, 1, eid, when, "environment", env), (pid, 1, eid, when, "transaction", name)]
            return (pid, eid, when, when - dt.timedelta(milliseconds=duration), when, name, "http.server",
                    "ok" if rng.random() < 0.95 else "internal_error", duration, uuid.uuid4().hex, 3, "1.0",
                    env, "python", "{}", "[]")

        tables = (
            ("event", EVENTS, error_rows, ["project_id", "group_id", "event_id", "timestamp", "received",
                                           "level", "platform", "title", "message", "culprit", "release",
                                           "environment", "size", "data"]),
            ("discover_transaction", TRANSACTIONS, transaction_rows, [
                "project_id", "event_id", "timestamp", "start_timestamp", "received", "transaction", "op",
                "status", "duration", "trace_id", "span_count", "release", "environment", "platform",
                "measurements", "tags"]))
        for table, count, make, columns in tables:
            for offset in range(0, count, CHUNK):
                tags = []
                rows = [make(i, tags) for i in range(offset, min(offset + CHUNK, count))]
                _copy(connection, table, columns, rows)
                _copy(connection, "discover_tag", ["project_id", "kind", "event_id", "timestamp", "key", "value"], tags)
                db.session.commit()
                connection = db.session.connection()
            print(f"  {table}: {count:,} rows", flush=True)
    with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        for table in ("event", "event_group", "discover_transaction", "discover_tag"):
            c.execute(text(f"VACUUM ANALYZE {table}"))
    print(f"seeded {EVENTS:,} errors, {TRANSACTIONS:,} transactions in {time.monotonic() - started:.0f} s", flush=True)


def roll_up(app) -> None:
    """The ``discover.rollup`` task's work: every ended day's durations, sorted (only the days
    that ended since the last run are left on a reused database)."""
    from sentryapi_discover import rollup

    from sentryapi.api import utcnow

    started = time.monotonic()
    with app.app_context():
        rolled = rollup.roll_up(utcnow(), limit=None)
    print(f"rolled up {rolled} (project, day) pairs in {time.monotonic() - started:.1f} s", flush=True)


def seeded(app) -> bool:
    from sentryapi_discover import Transaction
    from sqlalchemy import func, select

    from sentryapi.api import Organization, db

    with app.app_context():
        db.create_all()
        found = db.session.scalar(select(Organization.id).where(Organization.slug == ORG_SLUG))
        return found is not None and db.session.scalar(select(func.count()).select_from(Transaction)) >= TRANSACTIONS


def token(app) -> str:
    """A token of the organization's owner (the data is reused across runs, the token is new)."""
    from sqlalchemy import select

    from sentryapi.api import Organization, OrganizationMember, User, db
    from sentryapi.testing.actors import token_factory

    with app.app_context():
        user = db.session.scalars(select(User).join(OrganizationMember, OrganizationMember.user_id == User.id)
                                  .join(Organization, Organization.id == OrganizationMember.organization_id)
                                  .where(Organization.slug == ORG_SLUG)).first()
        db.session.expunge(user)
    return token_factory(app)(user)


def timed(run) -> tuple[float, object]:
    run()  # warm-up
    times, result = [], None
    for _ in range(REPEAT):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def api_call(app, bearer: str, params: list[tuple[str, str]]):
    from urllib.parse import urlencode

    client = app.test_client()

    def run():
        response = client.get(f"/api/0/organizations/{ORG_SLUG}/events/?{urlencode(params)}",
                              headers={"Authorization": f"Bearer {bearer}"})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["data"]
    return run


def naive_python_errors(app, project_id: int | None):
    """Every error row in Python (a scan of the table): filter, group and sort there."""
    from sentryapi_events.models import Event, Group
    from sqlalchemy import select

    from sentryapi.api import db

    def run():
        since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=24)
        with app.app_context():
            status = dict(db.session.execute(select(Group.id, Group.status)).all())
            stmt = select(Event.project_id, Event.group_id, Event.title, Event.level, Event.environment,
                          Event.timestamp)
            counts, last = defaultdict(int), {}
            for pid, gid, title, level, env, when in db.session.execute(stmt.execution_options(yield_per=50_000)):
                if (when >= since and level == "error" and env == "prod" and status.get(gid) == "unresolved"
                        and project_id in (None, pid)):
                    counts[title] += 1
                    last[title] = max(last.get(title, when), when)
            db.session.rollback()
        return sorted(counts.items(), key=lambda kv: -kv[1])[:50]
    return run


def naive_python_p95(app):
    from sentryapi_discover import Transaction
    from sqlalchemy import select

    from sentryapi.api import db

    def run():
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
        with app.app_context():
            durations = defaultdict(list)
            stmt = select(Transaction.transaction, Transaction.duration, Transaction.timestamp)
            for name, duration, when in db.session.execute(stmt.execution_options(yield_per=50_000)):
                if when >= since:
                    durations[name].append(duration)
            db.session.rollback()
        out = {}
        for name, values in durations.items():
            values.sort()
            position = (len(values) - 1) * 0.95
            low = int(position)
            high = min(low + 1, len(values) - 1)
            out[name] = values[low] + (values[high] - values[low]) * (position - low)
        return sorted(out.items(), key=lambda kv: -kv[1])[:50]
    return run


def unindexed(app, sql: str, params: dict):
    from sqlalchemy import text

    from sentryapi.api import db

    def run():
        with app.app_context():
            db.session.execute(text("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off; "
                                    "SET LOCAL enable_indexonlyscan = off"))
            rows = db.session.execute(text(sql), params).all()
            db.session.rollback()
        return rows
    return run


ERRORS_SQL = """SELECT e.title, count(*) AS n, max(e.timestamp) FROM event e JOIN event_group g ON g.id = e.group_id
WHERE e.project_id = ANY(:projects) AND e.timestamp >= now() - interval '24 hours' AND e.level = 'error'
AND e.environment = 'prod' AND g.status = 'unresolved' GROUP BY e.title ORDER BY n DESC LIMIT 50"""
P95_SQL = """SELECT transaction, percentile_cont(0.95) WITHIN GROUP (ORDER BY duration) AS p FROM discover_transaction
WHERE project_id = ANY(:projects) AND timestamp >= now() - interval '7 days' GROUP BY transaction ORDER BY p DESC LIMIT 50"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/discover_bench")
    args = parser.parse_args()
    app = build(args.url)
    if not seeded(app):
        seed(app)
    roll_up(app)
    from sentryapi_projects import Project
    from sqlalchemy import select

    from sentryapi.api import db

    with app.app_context():
        projects = list(db.session.scalars(select(Project.id).where(Project.slug.like("p%")).order_by(Project.id)))
    bearer = token(app)
    print(f"# {platform.node()} {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load: {os.getloadavg()}", flush=True)
    table = [("field", "title"), ("field", "count()"), ("field", "last_seen()"),
             ("query", "is:unresolved level:error"), ("sort", "-count()"), ("statsPeriod", "24h"),
             ("environment", "prod"), ("dataset", "errors"), ("per_page", "50")]
    cases = [
        ("errors top 50 by count(), 24h, 1 project", api_call(app, bearer, [*table, ("project", str(projects[0]))]),
         [("python scan", naive_python_errors(app, projects[0])),
          ("unindexed GROUP BY", unindexed(app, ERRORS_SQL, {"projects": projects[:1]}))]),
        ("errors top 50 by count(), 24h, 50 projects", api_call(app, bearer, [*table, ("project", "-1")]),
         [("python scan", naive_python_errors(app, None)),
          ("unindexed GROUP BY", unindexed(app, ERRORS_SQL, {"projects": projects}))]),
        ("p95(transaction.duration) by transaction, 7d, 50 projects", api_call(app, bearer, [
            ("field", "transaction"), ("field", "p95(transaction.duration)"), ("sort", "-p95(transaction.duration)"),
            ("statsPeriod", "7d"), ("dataset", "transactions"), ("project", "-1"), ("per_page", "50")]),
         [("python scan", naive_python_p95(app)), ("unindexed GROUP BY", unindexed(app, P95_SQL, {"projects": projects}))]),
    ]
    failed = False
    for name, api, naives in cases:
        api_ms, rows = timed(api)
        print(f"{name}: API {api_ms:.1f} ms ({len(rows)} rows)", flush=True)
        for label, naive in naives:
            naive_ms, _ = timed(naive) if label != "python scan" else (min(naive_timing(naive)), None)
            print(f"    vs {label}: {naive_ms:.1f} ms ({naive_ms / api_ms:.1f}x)", flush=True)
            failed |= naive_ms < 10 * api_ms
        failed |= api_ms >= 200
    print(f"# load after: {os.getloadavg()}")
    return 1 if failed else 0


def naive_timing(run) -> list[float]:
    """The Python scans are slow: timed twice (no warm-up), the best kept."""
    times = []
    for _ in range(2):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


if __name__ == "__main__":
    sys.exit(main())

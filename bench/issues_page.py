"""Issue list latency: a deep page (reached through cursors) against the first page.

Fills a PostgreSQL schema with 1,000,000 events in 10,000 issues (bulk SQL, hourly
counters for the sparklines included), then times ``GET .../issues/`` through the whole
app (auth, search, keyset page, serialization with 24h stats) for the first page and
for a page 90 pages deep, per sort. Keyset pagination should keep them within 1.5x.

    .venv/bin/python bench/issues_page.py [--events 1000000] [--issues 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ingest  # noqa: E402 - the shared setup helpers

RUNS = 15


def fill(database_url: str, project_id: int, issues: int, events: int) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    started = time.monotonic()
    with engine.begin() as connection:
        connection.execute(text("""
            INSERT INTO event_group (project_id, short_id, status, substatus, status_details, level,
                type, title, culprit, data, first_seen, last_seen, times_seen, user_count,
                is_unhandled, is_public, priority)
            SELECT :project, n, CASE WHEN n % 10 = 0 THEN 'resolved' ELSE 'unresolved' END, NULL,
                '{}', 'error', 'error', 'KeyError: ''key ' || n || '''', 'app.jobs in handler_' || n,
                '{"metadata": {"type": "KeyError"}}',
                now() - make_interval(hours => n % 700) - interval '30 days',
                now() - make_interval(mins => n % 1440), :per_issue, n % 50, false, false, 'high'
            FROM generate_series(1, :issues) AS n"""),
            {"project": project_id, "issues": issues, "per_issue": events // issues})
        first_group = connection.execute(text(
            "SELECT min(id) FROM event_group WHERE project_id = :p"), {"p": project_id}).scalar()
        connection.execute(text("""
            INSERT INTO event (project_id, group_id, event_id, timestamp, received, level, platform,
                title, message, culprit, release, environment, size, data)
            SELECT :project, :first + (n % :issues), md5(n::text),
                now() - make_interval(secs => n), now() - make_interval(secs => n), 'error',
                'python', 'KeyError', '', 'app.jobs', '1.0', 'prod', 2000,
                json_build_object('event_id', md5(n::text), 'title', 'KeyError',
                                  'timestamp', extract(epoch from now()) - n)
            FROM generate_series(1, :events) AS n"""),
            {"project": project_id, "first": first_group, "issues": issues, "events": events})
        connection.execute(text("""
            INSERT INTO group_stat (group_id, resolution, bucket, count)
            SELECT g.id, 3600, date_trunc('hour', now()) - make_interval(hours => h), 1 + h % 5
            FROM event_group g, generate_series(0, 23) AS h WHERE g.project_id = :project"""),
            {"project": project_id})
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    engine.dispose()
    print(f"filled {events} events in {issues} issues in {time.monotonic() - started:.0f} s")


@contextlib.contextmanager
def filled_app(issues: int, events: int, prefix: str):
    """``(app, ctx)``: an app on a PostgreSQL schema of its own holding ``issues`` issues
    (see :func:`fill`) in ``ctx``'s project; the schema is dropped afterwards."""
    workdir = tempfile.mkdtemp(prefix=prefix)
    database_url, schema = ingest.prepare_database("postgresql", workdir)
    try:
        ctx = ingest.setup_project(database_url, workdir)
        fill(database_url, int(ctx["project_id"]), issues, events)
        from sentryapi import create_app
        from sentryapi.api import db, stop_background

        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret",
                          "RATELIMIT_ENABLED": False, "EVENTS_DIGEST": "off"})
        try:
            yield app, ctx
        finally:
            stop_background(app)
            with app.app_context():
                db.engine.dispose()
    finally:
        ingest.drop_schema(schema)
        shutil.rmtree(workdir, ignore_errors=True)


def timed(client, url: str, headers: dict) -> tuple[float, object]:
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.json
    return elapsed, response


def next_cursor(response) -> str:
    return re.search(r'rel="next"; results="true"; cursor="([^"]+)"', response.headers["Link"]).group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--depth", type=int, default=90, help="pages to follow (of 100 issues)")
    args = parser.parse_args()
    with filled_app(args.issues, args.events, "sentryapi-bench-issues-") as (app, ctx):
        client = app.test_client()
        headers = {"Authorization": f"Bearer {ctx['token']}"}
        base = f"/api/0/projects/{ctx['org']}/{ctx['project']}/issues/?limit=100"
        print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
              f"medians of {RUNS} requests through the app (statsPeriod=24h, 100 per page)")
        for sort in ("date", "new", "freq", "user"):
            url = f"{base}&sort={sort}"
            first = statistics.median(timed(client, url, headers)[0] for _ in range(RUNS))
            response = timed(client, url, headers)[1]
            depth = min(args.depth, args.issues * 9 // 10 // 100 - 3)  # 90% are unresolved
            for _ in range(depth):
                response = timed(client, f"{url}&cursor={next_cursor(response)}", headers)[1]
            deep_url = f"{url}&cursor={next_cursor(response)}"
            deep = statistics.median(timed(client, deep_url, headers)[0] for _ in range(RUNS))
            print(f"  sort={sort:5}  first page {first * 1000:6.1f} ms   page {depth + 2:3d} "
                  f"{deep * 1000:6.1f} ms   ratio {deep / first:.2f}")


if __name__ == "__main__":
    main()

"""stats_v2 latency from the outcome counters, against the naive GROUP BY over events.

Fills a PostgreSQL schema of its own (dropped at the end) with 1,000,000 events over 90
days in 50 projects of one organization (bulk SQL: ``generate_series``), and the outcome
counters ingestion would have kept for them (accepted, plus rate limited, filtered and
invalid items that never became events; hourly and daily buckets, 10-second ones for the
last hour). Then times, through the whole app (auth, parsing, query, JSON):

- ``stats_v2`` for 90 days grouped by project at ``interval=1d``;
- ``stats_v2`` for 24 hours grouped by project at ``interval=1h``;

and, in the same run, the naive ``GROUP BY project, day|hour`` over the events table
for the same range (SQL only, no HTTP: the comparison flatters the naive scan), and
prints the medians and their ratio. Aim: under 50 ms each, at least 20x faster.

    .venv/bin/python bench/stats.py [--events 1000000] [--projects 50] [--days 90]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ingest  # noqa: E402 - the shared setup helpers

RUNS = 21


def make_projects(database_url: str, ctx: dict, count: int) -> list[int]:
    """``count`` projects in the bench organization (the first exists), created via the API."""
    from sentryapi import create_app
    from sentryapi.api import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret",
                      "RATELIMIT_ENABLED": False, "EVENTS_DIGEST": "off"})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {ctx['token']}"}
    org = ctx["org"]
    team = client.get(f"/api/0/organizations/{org}/teams/", headers=headers).json[0]["slug"]
    ids = [int(ctx["project_id"])]
    for n in range(1, count):
        response = client.post(f"/api/0/teams/{org}/{team}/projects/", headers=headers,
                               json={"name": f"bench {n}"})
        assert response.status_code == 201, response.json
        ids.append(int(response.json["id"]))
    with app.app_context():
        db.engine.dispose()
    return ids


def fill(database_url: str, organization_id: int, projects: list[int], events: int,
         days: int) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    started = time.monotonic()
    params = {"org": organization_id, "projects": projects, "events": events,
              "span": days * 86400.0, "n_projects": len(projects), "hours": days * 24}
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL TIME ZONE 'UTC'"))
        # Events spread evenly over the period, round robin over the projects.
        connection.execute(text("""
            INSERT INTO event (project_id, group_id, event_id, timestamp, received, level,
                platform, title, message, culprit, release, environment, size, data)
            SELECT (:projects)[1 + n % :n_projects], NULL, md5(n::text), t, t, 'error',
                'python', 'KeyError', '', 'app.jobs', '1.0', 'prod', 2000, '{}'
            FROM generate_series(1, :events) AS n,
                 LATERAL (SELECT now() - make_interval(secs => n * :span / :events)) AS m(t)
            """), params)
        # What ingestion counted for them: accepted errors per hour, and for the last hour
        # per 10 seconds...
        connection.execute(text("""
            INSERT INTO stats_outcome_count (organization_id, resolution, bucket, project_id,
                category, outcome, reason, quantity, times_seen)
            SELECT :org, 3600, date_trunc('hour', received), project_id, 'error', 'accepted',
                '', count(*), count(*)
            FROM event GROUP BY 3, 4"""), params)
        connection.execute(text("""
            INSERT INTO stats_outcome_count (organization_id, resolution, bucket, project_id,
                category, outcome, reason, quantity, times_seen)
            SELECT :org, 10, to_timestamp(floor(extract(epoch FROM received) / 10) * 10),
                project_id, 'error', 'accepted', '', count(*), count(*)
            FROM event WHERE received >= now() - interval '1 hour' GROUP BY 3, 4"""), params)
        # ... and what never became an event: rate limited, filtered and invalid items.
        connection.execute(text("""
            INSERT INTO stats_outcome_count (organization_id, resolution, bucket, project_id,
                category, outcome, reason, quantity, times_seen)
            SELECT :org, 3600, date_trunc('hour', now()) - make_interval(hours => h), p,
                'error', o.outcome, o.reason, 1 + (h + p) % 5, 1 + (h + p) % 5
            FROM generate_series(0, :hours - 1) AS h, unnest(CAST(:projects AS bigint[])) AS p,
                 (VALUES ('rate_limited', 'key_quota', 3), ('filtered', 'browser-extensions', 5),
                         ('invalid', 'invalid_json', 7)) AS o(outcome, reason, every)
            WHERE (h + p) % o.every = 0"""), params)
        # The daily buckets, as the counters keep them: the sums of the hours.
        connection.execute(text("""
            INSERT INTO stats_outcome_count (organization_id, resolution, bucket, project_id,
                category, outcome, reason, quantity, times_seen)
            SELECT organization_id, 86400, date_trunc('day', bucket), project_id, category,
                outcome, reason, sum(quantity), sum(times_seen)
            FROM stats_outcome_count WHERE resolution = 3600 GROUP BY 1, 3, 4, 5, 6, 7"""))
        counters = connection.execute(text("SELECT count(*) FROM stats_outcome_count")).scalar()
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    engine.dispose()
    print(f"filled {events} events and {counters} counter rows in {len(projects)} projects "
          f"over {days} days in {time.monotonic() - started:.0f} s")


NAIVE = """
    SELECT project_id, date_trunc(:unit, timestamp) AS bucket, count(*)
    FROM event
    WHERE project_id = ANY(:projects) AND timestamp >= :start AND timestamp < :end
    GROUP BY 1, 2"""


def median_ms(fn) -> float:
    fn()  # warm
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--days", type=int, default=90)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="sentryapi-bench-stats-")
    database_url, schema = ingest.prepare_database("postgresql", workdir)
    try:
        ctx = ingest.setup_project(database_url, workdir)
        projects = make_projects(database_url, ctx, args.projects)
        from sentryapi_stats.usage import parse_usage_query, run_usage_query
        from sqlalchemy import text

        from sentryapi import create_app
        from sentryapi.api import Organization, db

        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret",
                          "RATELIMIT_ENABLED": False, "EVENTS_DIGEST": "off"})
        with app.app_context():
            organization_id = db.session.query(Organization.id).filter_by(slug=ctx["org"]).scalar()
        fill(database_url, organization_id, projects, args.events, args.days)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {ctx['token']}"}
        base = (f"/api/0/organizations/{ctx['org']}/stats_v2/?field=sum(quantity)"
                "&groupBy=project&category=error&outcome=accepted")
        print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
              f"medians of {RUNS} runs")
        for label, period, interval, unit in ((f"{args.days}d by project at 1d",
                                               f"{args.days}d", "1d", "day"),
                                              ("24h by project at 1h", "24h", "1h", "hour")):
            url = f"{base}&statsPeriod={period}&interval={interval}"
            last = {}

            def api(url=url, last=last):
                response = client.get(url, headers=headers)
                assert response.status_code == 200, response.json
                last["body"] = response.json

            api_ms = median_ms(api)
            body = last["body"]
            start, end = body["start"], body["end"]
            with app.app_context():
                organization = db.session.get(Organization, organization_id)
                args = {"field": ["sum(quantity)"], "groupBy": ["project"], "category": ["error"],
                        "outcome": ["accepted"], "statsPeriod": period, "interval": interval}

                def service(organization=organization, args=args):
                    now = dt.datetime.now(dt.UTC)
                    run_usage_query(organization, parse_usage_query(organization, args, now))

                service_ms = median_ms(service)
                connection = db.session.connection()
                connection.execute(text("SET TIME ZONE 'UTC'"))
                params = {"unit": unit, "projects": projects, "start": start, "end": end}
                rows = []

                def naive(params=params, rows=rows, connection=connection):
                    rows[:] = connection.execute(text(NAIVE), params).all()

                naive_ms = median_ms(naive)
                db.session.rollback()
            counted = sum(g["totals"]["sum(quantity)"] for g in body["groups"])
            scanned = sum(n for _, _, n in rows)
            assert counted == scanned, (counted, scanned)
            print(f"  stats_v2 {label} ({len(body['groups'])} groups x "
                  f"{len(body['intervals'])} intervals, {counted} events):\n"
                  f"    through the app (HTTP, auth, query, JSON) {api_ms:7.1f} ms"
                  f"   naive GROUP BY over events (SQL only) {naive_ms:7.1f} ms"
                  f"   ratio {naive_ms / api_ms:5.1f}x\n"
                  f"    the query alone (counters, Python)        {service_ms:7.1f} ms"
                  f"   ratio to the naive scan {naive_ms / service_ms:5.1f}x")
        with app.app_context():
            db.engine.dispose()
    finally:
        ingest.drop_schema(schema)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

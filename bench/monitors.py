"""How fast the monitors plugin takes check-ins and how long one clock tick takes.

Prints: check-ins per second through the HTTP check-in URL (key lookup, quota, outcome,
monitor upsert, commit: one request each, through the whole app), and the time of one
clock tick that records a missed check-in for N monitors at once. SQLite by default;
pass a database URL for PostgreSQL (an empty database you may fill):

    .venv/bin/python bench/monitors.py [postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import time

CHECKINS = 300
MONITORS = 500


def main(database_url: str | None) -> None:
    workdir = tempfile.mkdtemp(prefix="sentryapi-bench-")
    os.environ["SENTRYAPI_INSTANCE_PATH"] = workdir
    from sentryapi_monitors.checkins import take
    from sentryapi_monitors.clock import tick
    from sentryapi_projects import Project, ProjectKey
    from sentryapi_projects.keys import new_key

    from sentryapi import create_app
    from sentryapi.api import Organization, db

    url = database_url or f"sqlite:///{workdir}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SCHEDULER": "off", "TESTING": False})
    with app.app_context():
        db.create_all()
        org = Organization(name="Bench", slug=f"bench-{int(time.time())}")
        db.session.add(org)
        db.session.flush()
        project = Project(organization_id=org.id, slug="jobs", name="Jobs")
        db.session.add(project)
        db.session.flush()
        db.session.add(new_key(project.id, "bench"))
        db.session.commit()
        public = db.session.scalar(db.select(ProjectKey.public_key).where(ProjectKey.project_id == project.id))
        project_id, org_id = project.id, org.id

    client = app.test_client()
    path = f"/api/{project_id}/cron/{{slug}}/{public}/?status=ok"
    client.post(path.format(slug="warm"), json={"monitor_config": {"schedule": {"type": "crontab", "value": "0 * * * *"}}})
    started = time.perf_counter()
    for _ in range(CHECKINS):
        assert client.get(path.format(slug="warm")).status_code == 202
    rate = CHECKINS / (time.perf_counter() - started)

    config = {"schedule": {"type": "crontab", "value": "0 * * * *"}}
    t0 = dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.UTC)
    with app.app_context():
        for i in range(MONITORS):
            take(org_id, project_id, {"monitor_slug": f"job-{i}", "status": "ok", "monitor_config": config}, t0)
        db.session.commit()
        started = time.perf_counter()
        ticks = missed = 0
        while missed < MONITORS:  # the clock takes BATCH environments a tick
            missed += tick(t0 + dt.timedelta(minutes=32))["missed"]
            ticks += 1
        elapsed = time.perf_counter() - started
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, python {platform.python_version()}, "
          f"{url.split(':')[0]}")
    print(f"HTTP check-ins: {rate:.0f}/s ({CHECKINS} sequential requests, one client)")
    print(f"clock: {MONITORS} missed check-ins recorded in {elapsed:.2f}s ({ticks} ticks)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)

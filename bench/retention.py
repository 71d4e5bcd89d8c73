"""Does deleting expired events slow ingestion? The rate with and without a cleanup running.

Per database: seeds EXPIRED events (default 1,000,000, 200 days old, over 1,000 issues with
their tag values), serves the app under gunicorn as ``bench/ingest.py`` does, sends
EVENTS real sentry-sdk envelopes and takes the accepted rate; then starts
``flask sentryapi cleanup`` and sends the same load again while it deletes. Prints both
rates, their ratio (the target is at least 0.8), and how fast the cleanup deleted (it is
stopped after the load unless ``--wait``).

    .venv/bin/python bench/retention.py [--expired 1000000] [--events 10000] [--db sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from ingest import (
    BIN,
    ROOT,
    drop_schema,
    load,
    prepare_database,
    sdk_event_item,
    serve,
    setup_project,
    stop,
    stored_events,
)

ISSUES = 1000
CHUNK = 20000


def seed_expired(database_url: str, project_id: int, count: int) -> None:
    """``count`` events 200 days old over ``ISSUES`` issues, with their counters and tag values."""
    from sentryapi_events.models import Event, Group, GroupHash, GroupTagValue
    from sqlalchemy import create_engine, insert

    engine = create_engine(database_url)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=200)
    per_issue = count // ISSUES
    with engine.begin() as connection:
        groups = connection.execute(insert(Group.__table__).returning(Group.__table__.c.id), [
            {"project_id": project_id, "short_id": 10_000 + i, "title": f"OldError{i}: gone",
             "first_seen": old, "last_seen": old, "times_seen": per_issue, "user_count": 0,
             "status_details": {}, "data": {}, "level": "error", "type": "error"}
            for i in range(ISSUES)]).scalars().all()
        connection.execute(insert(GroupHash.__table__), [
            {"project_id": project_id, "hash": uuid.uuid4().hex, "group_id": g} for g in groups])
        connection.execute(insert(GroupTagValue.__table__), [
            {"project_id": project_id, "group_id": g, "key": "level", "value": "error",
             "times_seen": per_issue, "first_seen": old, "last_seen": old} for g in groups])
    started = time.monotonic()
    for offset in range(0, per_issue * ISSUES, CHUNK):
        rows = [{"project_id": project_id, "group_id": groups[i % ISSUES], "event_id": uuid.uuid4().hex,
                 "timestamp": old, "received": old, "level": "error", "title": "OldError: gone",
                 "size": 200, "data": {"tags": [["level", "error"]], "title": "OldError: gone"}}
                for i in range(offset, min(offset + CHUNK, per_issue * ISSUES))]
        with engine.begin() as connection:
            connection.execute(insert(Event.__table__), rows)
    engine.dispose()
    print(f"  seeded {per_issue * ISSUES:,} expired events in {time.monotonic() - started:.0f} s", flush=True)


def start_cleanup(env: dict, workdir: str) -> subprocess.Popen:
    log = open(Path(workdir) / "cleanup.log", "w")
    return subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "sentryapi", "cleanup"], cwd=ROOT,
                            env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def run_backend(kind: str, args, item: bytes) -> None:
    workdir = tempfile.mkdtemp(prefix=f"sentryapi-bench-retention-{kind}-")
    database_url, schema = prepare_database(kind, workdir)
    try:
        ctx = setup_project(database_url, workdir)
        print(f"\n[{kind}]", flush=True)
        seed_expired(database_url, int(ctx["project_id"]), args.expired)
        env = {"SENTRYAPI_DATABASE_URL": database_url, "SENTRYAPI_SECRET_KEY": "bench-secret",
               "SENTRYAPI_INSTANCE_PATH": workdir, "SENTRYAPI_LOG_LEVEL": "WARNING",
               "SENTRYAPI_PUBLIC_URL": "http://127.0.0.1", "SENTRYAPI_SCHEDULER": "off"}
        process, base = serve("wsgi:app", env, workdir, ROOT)
        auth = f"Sentry sentry_key={ctx['key']}, sentry_version=7, sentry_client=bench/1.0"
        path = f"/api/{ctx['project_id']}/envelope/"
        try:
            quiet = load(base, path, args.events, args.connections, item, auth)
            print(f"  without cleanup  {quiet.summary()}", flush=True)
            cleaner = start_cleanup(env, workdir)
            started = time.monotonic()
            busy = load(base, path, args.events, args.connections, item, auth)
            overlapped = cleaner.poll() is None
            print(f"  during cleanup   {busy.summary()}"
                  + ("" if overlapped else "  (the cleanup ended before the load did)"))
            print(f"  ratio            {busy.rate / quiet.rate:8.2f} (target: at least 0.80)", flush=True)
            if args.wait:
                cleaner.wait()
            else:
                stop(cleaner)
            took = time.monotonic() - started
            cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=100)
            deleted = args.expired - stored_events(database_url, older_than=cutoff)
            print(f"  cleanup          deleted {deleted:,} expired events in {took:.0f} s "
                  f"({deleted / took:,.0f} events/s){'' if args.wait else ', then stopped'}")
        finally:
            stop(process)
    finally:
        drop_schema(schema)
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--expired", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--wait", action="store_true", help="let the cleanup finish (else it is "
                        "stopped once the load under it is measured)")
    args = parser.parse_args()
    item = sdk_event_item()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    for kind in (("sqlite", "postgresql") if args.db == "both" else (args.db,)):
        run_backend(kind, args, item)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()

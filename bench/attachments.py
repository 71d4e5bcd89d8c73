"""Ingest cost of an attachment: envelopes with an event vs. the same with a 100 KB
attachment, sent one after another through the app (in process, no network), on SQLite with
the filesystem store. Prints accepted/s and per-request latency for both.

    .venv/bin/python bench/attachments.py [--count 500]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
import uuid

from sentryapi.testing import build_app
from sentryapi.testing.actors import factories


def envelope(event_id: str, attachment: bytes | None) -> bytes:
    from sentryapi_events.testing import envelope as make
    from sentryapi_events.testing import exception_event

    body = make(exception_event(event_id=event_id))
    if attachment is not None:
        body += (b'{"type": "attachment", "length": %d, "filename": "dump.bin"}\n' % len(attachment)
                 + attachment + b"\n")
    return body


def run(client, url, headers, count: int, attachment: bytes | None) -> list[float]:
    times = []
    for _ in range(count):
        body = envelope(uuid.uuid4().hex, attachment)
        start = time.perf_counter()
        answer = client.post(url, data=body, headers=headers)
        times.append(time.perf_counter() - start)
        assert answer.status_code == 200, answer.json
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    base = tempfile.mkdtemp(prefix="bench-attachments-")
    app = build_app(f"sqlite:///{base}/db.sqlite", os.path.join(base, "instance"),
                    EVENTS_DIGEST="off")
    with app.app_context():
        from sentryapi.extensions import db

        db.create_all()
    owner = factories(app)[3]("owner")
    team = owner.api.post(f"/api/0/organizations/{owner.org}/teams/", json={"name": "B"}).json
    project = owner.api.post(f"/api/0/teams/{owner.org}/{team['slug']}/projects/",
                             json={"name": "Bench"}).json
    key = owner.api.get(f"/api/0/projects/{owner.org}/{project['slug']}/keys/").json[0]
    client = app.test_client()
    url = f"/api/{project['id']}/envelope/"
    headers = {"X-Sentry-Auth": f"Sentry sentry_key={key['public']}, sentry_version=7",
               "Content-Type": "application/x-sentry-envelope"}
    blob = os.urandom(100 * 1024)
    run(client, url, headers, 50, blob)  # warm up
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite + filesystem store, {args.count} envelopes each, one at a time")
    for label, attachment in (("event only", None), ("event + 100 KB attachment", blob)):
        times = run(client, url, headers, args.count, attachment)
        print(f"{label:28} {len(times) / sum(times):7.0f}/s  p50 {statistics.median(times) * 1000:.2f} ms"
              f"  p99 {sorted(times)[int(len(times) * 0.99)] * 1000:.2f} ms")


if __name__ == "__main__":
    main()

"""A database outage: 503 with Retry-After (never a 200, never a traceback), then recovery.

The test runs a PostgreSQL cluster of its own (``initdb`` in a temporary folder, on a
free port), never the shared one: it stops it under a running app, and starts it again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from sentryapi.testing import build_app, service_unavailable


def find_pg_bin() -> str:
    """The folder of PostgreSQL's server programs: ``SENTRYAPI_TEST_PG_BIN``, else the one
    ``pg_config`` names, else the newest Debian-style ``/usr/lib/postgresql/*/bin``, else
    wherever ``initdb`` is on ``PATH``."""
    if os.environ.get("SENTRYAPI_TEST_PG_BIN"):
        return os.environ["SENTRYAPI_TEST_PG_BIN"]
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(found.stdout.strip())
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    candidates += [str(p) for p in versions]
    if shutil.which("initdb"):
        candidates.append(os.path.dirname(shutil.which("initdb")))
    return next((c for c in candidates if c and os.path.exists(os.path.join(c, "initdb"))), "")


PG_BIN = find_pg_bin()
LEAKS = ("Traceback", "psycopg", "sqlalchemy", "SELECT", "INSERT", "OperationalError")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throw-away PostgreSQL cluster (as the ``postgres`` user when run as root)."""

    def __init__(self, folder):
        self.data = str(folder / "data")
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres?connect_timeout=2"
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            shutil.chown(folder, "postgres")

    def run(self, *args, timeout=60):
        subprocess.run([*self.prefix, *args], check=True, capture_output=True, timeout=timeout)

    def init(self):
        self.run(f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync",
                 "--no-instructions")

    def start(self):
        options = (f"-p {self.port} -k {os.path.dirname(self.data)} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")
        self.run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-o", options, "-w", "-t", "30",
                 "-l", f"{self.data}.log", "start")

    def stop(self):
        self.run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "-t", "30", "stop")


@pytest.fixture
def cluster():
    if not PG_BIN:
        service_unavailable("PostgreSQL's initdb", FileNotFoundError(
            "initdb (not in SENTRYAPI_TEST_PG_BIN, pg_config --bindir, /usr/lib/postgresql/*/bin or PATH)"))
    # Not under pytest's folder: that one is private to this user, and the server runs as
    # ``postgres`` when the tests run as root.
    folder = Path(tempfile.mkdtemp(prefix="sentryapi-own-postgres-"))
    own = Cluster(folder)
    own.init()
    own.start()
    yield own
    with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
        own.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def served(cluster, tmp_path):
    """An app on the cluster: an owner's token, a project and its DSN key."""
    from sentryapi.api import db
    from sentryapi.auth.scopes import ROLES, TOP_ROLE
    from sentryapi.organizations import services

    app = build_app(cluster.url, tmp_path, EVENTS_KEY_CACHE_SECONDS=1)
    with app.app_context():
        db.create_all()
        user = services.create_user("outage@example.com", password=None)
        organization = services.create_organization("Outage", user)
        _, token = services.issue_user_token(user, ROLES[TOP_ROLE].scopes, name="outage")
        db.session.commit()
        org = organization.slug
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    team = client.post(f"/api/0/organizations/{org}/teams/", json={"name": "t"}, headers=auth).json
    project = client.post(f"/api/0/teams/{org}/{team['slug']}/projects/", json={"name": "p"},
                          headers=auth).json
    key = client.get(f"/api/0/projects/{org}/{project['slug']}/keys/", headers=auth).json[0]["public"]
    yield app, client, auth, org, project, key
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def calls(client, auth, org, project, key):
    """One of each kind: API reads and writes, SDK ingestion (envelope and store)."""
    from sentryapi_events.testing import envelope, exception_event

    sdk = {"X-Sentry-Auth": f"Sentry sentry_key={key}, sentry_version=7"}
    return {
        "GET organizations": client.get("/api/0/organizations/", headers=auth),
        "GET project": client.get(f"/api/0/projects/{org}/{project['slug']}/", headers=auth),
        "PUT organization": client.put(f"/api/0/organizations/{org}/", json={"name": "Renamed"},
                                       headers=auth),
        "POST team": client.post(f"/api/0/organizations/{org}/teams/", json={"name": "new"},
                                 headers=auth),
        "GET issues": client.get(f"/api/0/projects/{org}/{project['slug']}/issues/", headers=auth),
        "envelope": client.post(f"/api/{project['id']}/envelope/",
                                data=envelope(exception_event()), headers=sdk),
        "store": client.post(f"/api/{project['id']}/store/", json=exception_event(), headers=sdk),
    }


def test_an_outage_is_503_with_retry_after_and_service_resumes(cluster, served, figure):
    app, client, auth, org, project, key = served
    assert {name: r.status_code for name, r in calls(client, auth, org, project, key).items()} == {
        "GET organizations": 200, "GET project": 200, "PUT organization": 200, "POST team": 201,
        "GET issues": 200, "envelope": 200, "store": 200}

    cluster.stop()
    time.sleep(1.1)  # past the DSN key cache: ingestion must look the key up again
    refused = 0
    for _round in range(2):  # the first call meets a dead pooled connection, the next a refused one
        for name, response in calls(client, auth, org, project, key).items():
            text = response.get_data(as_text=True)
            assert response.status_code == 503, (name, response.status_code, text)
            assert response.headers["Retry-After"].isdigit(), name
            assert "detail" in response.json, name
            assert not [leak for leak in LEAKS if leak in text], (name, text)
            refused += 1

    cluster.start()
    restarted = time.monotonic()
    deadline = restarted + 30
    while True:
        statuses = {name: r.status_code for name, r in calls(client, auth, org, project, key).items()}
        if all(status < 300 for status in statuses.values()):
            break
        assert time.monotonic() < deadline, f"no recovery without a restart: {statuses}"
        time.sleep(0.5)
    figure(f"database outage (own PostgreSQL stopped): {refused} API and ingest calls answered "
           f"503 + Retry-After, 0 200s, 0 tracebacks; served again {time.monotonic() - restarted:.1f} s "
           "after it restarted, no app restart")

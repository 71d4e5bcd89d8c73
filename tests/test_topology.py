"""Production topology: two gunicorn servers on one PostgreSQL and one Redis act as one."""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from sentryapi.testing import postgres_schema, redis_url

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ORGS = "/api/0/organizations/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port}")


@pytest.fixture
def production_env(tmp_path, redis_prefix):
    """Settings of a production deployment: a PostgreSQL schema of its own, the test Redis."""
    with postgres_schema("sentryapi_topology") as database_url:
        yield {
            **os.environ,
            "SENTRYAPI_DATABASE_URL": database_url,
            "SENTRYAPI_REDIS_URL": redis_url(),
            "SENTRYAPI_SECRET_KEY": secrets.token_hex(32),
            "SENTRYAPI_PUBLIC_URL": "http://sentry.example.test",
            "SENTRYAPI_INSTANCE_PATH": str(tmp_path),
            "SENTRYAPI_RATELIMIT_KEY_PREFIX": redis_prefix,
            "SENTRYAPI_RATELIMIT_DEFAULT": "10 per 60 second",
            "SENTRYAPI_WEBHOOK_ALLOW_PRIVATE": "1",
            "SENTRYAPI_WEBHOOK_QUEUE": f"{redis_prefix}webhooks",
        }


@pytest.fixture
def gunicorns(production_env, tmp_path):
    """``flask sentryapi init`` (alembic upgrade, a first token), then two gunicorn servers."""
    init = subprocess.run([BIN / "flask", "--app", "wsgi", "sentryapi", "init"], cwd=ROOT,
                          env=production_env, capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    token = next(w for w in init.stdout.split() if w.startswith("sntryu_"))
    password = re.search(r"\(password: (\S+)\)", init.stdout).group(1)
    servers, processes = [], []
    try:
        for n in range(2):
            port = _free_port()
            log = open(tmp_path / f"gunicorn-{n}.log", "w")  # noqa: SIM115 - closed below
            process = subprocess.Popen(
                [BIN / "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                 "--workers", "2", "wsgi:app"],
                cwd=ROOT, env=production_env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its workers die with it (killpg below)
            )
            processes.append((process, log))
            _wait_for_port(port, process)
            servers.append(f"http://127.0.0.1:{port}")
        yield token, servers, password
    finally:
        for process, log in processes:
            os.killpg(process.pid, signal.SIGINT)  # quick shutdown: graceful is not under test
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()


@pytest.fixture
def rq_worker(production_env, tmp_path):
    """One ``flask sentryapi worker`` (RQ) beside the servers, on the same settings."""
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen([BIN / "flask", "--app", "wsgi", "sentryapi", "worker"], cwd=ROOT,
                               env=production_env, stdout=log, stderr=subprocess.STDOUT)
    yield process
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.mark.slow
def test_a_change_through_one_host_reaches_a_hook_made_through_the_other(gunicorns, rq_worker):
    """A hook made through host A; an SDK event sent to host B is grouped there, and the
    RQ worker delivers the signed webhooks it caused. A web UI's socket open on host A
    (gunicorn's gthread worker) hears of it through Redis pub/sub."""
    from sentryapi.webhooks.receiver import Receiver, verify

    token, (first, second), password = gunicorns
    socket = _signed_in_socket(first, "admin@example.com", password)
    auth = {"Authorization": f"Bearer {token}"}
    org = requests.get(first + ORGS, headers=auth, timeout=30).json()[0]["slug"]
    team = requests.post(f"{first}{ORGS}{org}/teams/", json={"name": "Hosts"}, headers=auth,
                         timeout=30).json()["slug"]
    project = requests.post(f"{first}/api/0/teams/{org}/{team}/projects/", json={"name": "Web"},
                            headers=auth, timeout=30).json()
    receiver = Receiver()
    try:
        hook = requests.post(f"{first}/api/0/projects/{org}/{project['slug']}/hooks/", headers=auth,
                             json={"url": receiver.url, "events": ["issue.created"]}, timeout=30)
        assert hook.status_code == 201, hook.text
        key = requests.get(f"{first}/api/0/projects/{org}/{project['slug']}/keys/", headers=auth,
                           timeout=30).json()[0]["public"]
        event = {"event_id": secrets.token_hex(16), "message": "across hosts", "level": "error"}
        body = (json.dumps({"event_id": event["event_id"]}) + "\n" + json.dumps({"type": "event"})
                + "\n" + json.dumps(event) + "\n")
        sent = requests.post(f"{second}/api/{project['id']}/envelope/", data=body, timeout=30,
                             headers={"X-Sentry-Auth": f"Sentry sentry_key={key}, sentry_version=7"})
        assert sent.status_code == 200, sent.text
        (headers, raw), = receiver.wait_for(1, timeout=60)
        assert verify(hook.json()["secret"], headers, raw)
        payload = json.loads(raw)
        assert payload["action"] == "created" and headers["sentry-hook-resource"] == "issue"
        assert payload["data"]["issue"]["title"] == "across hosts"
        live = json.loads(socket.receive(timeout=30))
        assert live["type"] == "events" and live["organization"] == org
        assert live["projects"] == [int(project["id"])] and len(live["newIssues"]) == 1
    finally:
        receiver.stop()
        socket.close()


def _signed_in_socket(server: str, email: str, password: str):
    """The web UI's live socket (``/ws/``) on ``server``, signed in as ``email``."""
    from simple_websocket import Client

    browser = requests.Session()
    page = browser.get(f"{server}/auth/login/", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    signed_in = browser.post(f"{server}/auth/login/", allow_redirects=False, timeout=30,
                             data={"csrf_token": csrf, "email": email, "password": password})
    assert signed_in.status_code == 302, signed_in.text
    cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    # simple-websocket's client sends Host without the port, so the matching Origin has none.
    socket = Client(server.replace("http", "ws") + "/ws/",
                    headers={"Cookie": cookie, "Origin": "http://127.0.0.1"})
    assert json.loads(socket.receive(timeout=10))["type"] == "hello"
    return socket


@pytest.mark.slow
def test_two_gunicorn_servers_share_data_and_one_rate_limit(gunicorns):
    token, (first, second), _ = gunicorns
    auth = {"Authorization": f"Bearer {token}"}
    created = requests.post(first + ORGS, json={"name": "Across Hosts"}, headers=auth, timeout=30)
    assert created.status_code == 201, created.text
    read = requests.get(f"{second}{ORGS}{created.json()['slug']}/", headers=auth, timeout=30)
    assert read.status_code == 200
    assert read.json()["id"] == created.json()["id"]

    # 4 processes (2 servers x 2 workers), one budget of 10 per minute for this caller.
    responses = [requests.get((first, second)[n % 2] + ORGS, headers=auth, timeout=30)
                 for n in range(30)]
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 10 and statuses.count(429) == 20, statuses
    assert statuses[:10] == [200] * 10
    refused = responses[-1]
    assert refused.json()["detail"].endswith("Limit is 10 requests in 60 seconds")
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert refused.headers["X-Sentry-Rate-Limit-Remaining"] == "0"
    assert {r.headers["X-Sentry-Rate-Limit-Limit"] for r in responses} == {"10"}

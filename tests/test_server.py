"""A real server: `flask sentryapi init`, then `flask sentryapi serve` (gunicorn and the events
digest process) on an ephemeral port, over HTTP."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

import requests

from sentryapi.testing import wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> dict[int, str]:
    """The direct children of ``pid``: their command lines."""
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        pids = [int(child) for child in fh.read().split()]
    found = {}
    for child in pids:
        try:
            with open(f"/proc/{child}/cmdline", "rb") as fh:
                found[child] = fh.read().replace(b"\0", b" ").decode()
        except FileNotFoundError:
            continue
    return found


def _digest_pid(server) -> int | None:
    return next((pid for pid, line in _children(server.pid).items() if "events digest" in line), None)


def _send_event(base: str, dsn_key: str, project_id: str, message: str) -> None:
    event_id = os.urandom(16).hex()
    body = (f'{{"event_id":"{event_id}"}}\n{{"type":"event"}}\n'
            f'{{"message":"{message}","level":"error"}}\n').encode()
    answer = requests.post(f"{base}/api/{project_id}/envelope/", data=body, timeout=5, headers={
        "X-Sentry-Auth": f"Sentry sentry_key={dsn_key}, sentry_version=7"})
    assert answer.status_code == 200, answer.text


def test_serve_runs_the_api_and_a_supervised_digest(empty_database_url, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRYAPI_")}
    env.update(SENTRYAPI_INSTANCE_PATH=str(tmp_path), SENTRYAPI_DATABASE_URL=empty_database_url,
               SENTRYAPI_PUBLIC_URL=f"http://127.0.0.1:{port}")
    init = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "sentryapi", "init"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    token = re.search(r"sntryu_[0-9a-f]{64}", init.stdout).group()
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "sentryapi", "serve", "-w", "2", "-b",
         f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # generous: CI machines are often busy
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/api/0/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.05)
        ready = time.monotonic() - started
        print(f"gunicorn answered after {ready:.2f}s")
        orgs = requests.get(f"{base}/api/0/organizations/", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert orgs.status_code == 200
        assert orgs.json()[0]["slug"] == "sentry"
        assert orgs.headers["Link"].startswith(f"<{base}/api/0/organizations/?&cursor=")
        bad = requests.get(f"{base}/api/0/organizations/", timeout=5)
        assert bad.status_code == 401 and bad.headers["Content-Type"] == "application/json"
        created = requests.post(f"{base}/api/0/organizations/", json={"name": "Over HTTP"},
                                headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert created.status_code == 201

        # SDK events are grouped by the digest process beside the web workers (which do
        # not digest), and a killed digest is started again.
        dsn = re.search(r"http://([0-9a-f]{32})@[^/]+/(\d+)", init.stdout)
        issues = f"{base}/api/0/projects/sentry/first-project/issues/"

        def titles():
            """the issues list the events sent"""
            return {i["title"] for i in requests.get(issues, timeout=5, headers={
                "Authorization": f"Bearer {token}"}).json()}

        first = wait_until(lambda: _digest_pid(server), 60)
        _send_event(base, dsn.group(1), dsn.group(2), "before the kill")
        wait_until(lambda: "before the kill" in titles(), 60)
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: _digest_pid(server) not in (None, first), 60)
        _send_event(base, dsn.group(1), dsn.group(2), "after the kill")
        wait_until(lambda: "after the kill" in titles(), 60)
    finally:
        os.kill(server.pid, signal.SIGTERM)  # the supervisor stops gunicorn and the digest
        server.wait(40)
        leftover = subprocess.run(["pgrep", "-s", str(server.pid)], capture_output=True, text=True)
        os.killpg(server.pid, signal.SIGKILL) if leftover.stdout.strip() else None
    assert server.returncode == 0 and not leftover.stdout.strip(), server.stdout.read().decode()[-2000:]

"""A real server: `flask sentryapi init`, then gunicorn on an ephemeral port, over HTTP."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_the_api(empty_database_url, tmp_path):
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
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
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
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)

"""Hostile requests against gunicorn over real sockets: what an in-process test client cannot send.

Serves the app as production does (gunicorn, gthread) on 127.0.0.1 and sends: a chunked
body past the API's limit (no Content-Length to refuse up front), headers far past
gunicorn's limits, a compression bomb to the envelope endpoint, a slow drip of a body,
then checks the server still answers. Prints each answer and its time; exits 1 on a 5xx
or a hang.

    .venv/bin/python bench/hostile_http.py
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import sys
import tempfile
import time
import zlib

import ingest as bench


def request(port: int, method: str, path: str, body=None, headers=None, chunked=False):
    """Send it; a server that answers and closes before the body is all sent (an early
    413) is read anyway, as a browser would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.monotonic()
    try:
        try:
            connection.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the answer may already be waiting
        response = connection.getresponse()
        data = response.read()
        return response.status, data[:300], time.monotonic() - started
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__, b"", time.monotonic() - started
    finally:
        connection.close()


def checks(port: int, ctx: dict) -> list[tuple[str, object, bytes, float]]:
    auth = {"Authorization": f"Bearer {ctx['token']}", "Content-Type": "application/json"}
    org = f"/api/0/organizations/{ctx['org']}/"
    envelope = f"/api/{ctx['project_id']}/envelope/"
    sdk = {"X-Sentry-Auth": f"Sentry sentry_key={ctx['key']}, sentry_version=7"}
    bomb = zlib.compress(zlib.compress(b"\0" * (1024 * 1024 * 1024), 9), 9)  # 1 GiB, ~10 KB

    def chunks(n):
        return (b"x" * 65536 for _ in range(n))

    out = []
    for name, args in [
        ("chunked 2 MiB body to the API (limit 1 MiB)", ("PUT", org, chunks(32), auth, True)),
        ("64 KiB Authorization header", ("GET", org, None, {"Authorization": "Bearer " + "x" * 65536})),
        ("200 headers of 8 KiB", ("GET", org, None, {f"X-H{i}": "x" * 8000 for i in range(200)})),
        (f"deflate bomb {len(bomb):,} bytes -> 1 GiB to the envelope endpoint",
         ("POST", envelope, bomb, {**sdk, "Content-Encoding": "deflate, deflate"})),
        ("100k-deep JSON to the API", ("PUT", org, b"[" * 100_000 + b"]" * 100_000, auth)),
        ("chunked 60 MiB envelope (limit 20 MiB)", ("POST", envelope, chunks(960), sdk, True)),
        ("after all that: the organization", ("GET", org, None, auth)),
    ]:
        out.append((name, *request(port, *args)))
    return out


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="sentryapi-hostile-")
    database_url, schema = bench.prepare_database("sqlite", workdir)
    process = None
    try:
        ctx = bench.setup_project(database_url, workdir)
        env = {"SENTRYAPI_DATABASE_URL": database_url, "SENTRYAPI_SECRET_KEY": "bench-secret",
               "SENTRYAPI_INSTANCE_PATH": workdir, "SENTRYAPI_LOG_LEVEL": "WARNING",
               "SENTRYAPI_PUBLIC_URL": "http://127.0.0.1", "SENTRYAPI_RATELIMIT_ENABLED": "0"}
        process, base = bench.serve("wsgi:app", env, workdir, bench.ROOT)
        port = int(base.rsplit(":", 1)[1])
        results = checks(port, ctx)
    finally:
        if process is not None:
            bench.stop(process)
        bench.drop_schema(schema)
        shutil.rmtree(workdir, ignore_errors=True)
    failed = False
    print(f"hostile requests to gunicorn ({os.cpu_count()} cores):")
    for name, status, body, seconds in results:
        bad = not isinstance(status, int) or status >= 500 or seconds > 5
        last = name.startswith("after all")
        bad = bad or (last and status != 200) or (not last and isinstance(status, int) and status < 400)
        failed |= bad
        body = body.strip()
        detail = json.loads(body).get("detail", "") if body.startswith(b"{") and body.endswith(b"}") else ""
        print(f"  {'FAIL' if bad else 'ok  '} {name}: {status} in {seconds * 1000:.0f} ms {detail[:70]}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

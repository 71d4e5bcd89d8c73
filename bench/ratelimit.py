"""Load one endpoint at several times its rate limit; print how fast the 429s come back.

    .venv/bin/python bench/ratelimit.py                     # embedded default: memory, 1 worker
    .venv/bin/python bench/ratelimit.py --redis redis://127.0.0.1:6379/0 --workers 2

Starts gunicorn (gunicorn.conf.py) on a fresh SQLite database in a temporary directory,
on loopback only, and stops by itself: after ``--seconds`` or ``--max-requests``,
whichever comes first. One caller (one token) hits ``GET /api/0/organizations/`` from
``--clients`` threads, paced to ``--times`` x the limit. Printed: requests by status,
p50/p99 latency of the 200s and of the 429s, accepted per second against the limit,
and the count of 5xx (which should be 0).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200, help="requests allowed per window")
    parser.add_argument("--window", type=int, default=10, help="the window, in seconds")
    parser.add_argument("--times", type=float, default=5.0, help="offered load, x the limit")
    parser.add_argument("--seconds", type=float, default=6.0, help="duration of the load")
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn worker processes")
    parser.add_argument("--redis", help="Redis URL for the rate-limit storage (default: memory)")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, workdir: str):
    env = {
        **os.environ,
        "SENTRYAPI_DATABASE_URL": f"sqlite:///{workdir}/db.sqlite",
        "SENTRYAPI_INSTANCE_PATH": workdir,
        "SENTRYAPI_SECRET_KEY": secrets.token_hex(32),
        "SENTRYAPI_RATELIMIT_DEFAULT": f"{args.limit} per {args.window} seconds",
        "SENTRYAPI_RATELIMIT_KEY_PREFIX": "bench-" + secrets.token_hex(4),
        "SENTRYAPI_LOG_LEVEL": "WARNING",
    }
    if args.redis:
        env["SENTRYAPI_REDIS_URL"] = args.redis
    init = subprocess.run([BIN / "flask", "--app", "wsgi", "sentryapi", "init"], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=True)
    token = next(w for w in init.stdout.split() if w.startswith("sntryu_"))
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--access-logfile", "/dev/null", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/0/organizations/"
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until every worker answers
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/0/", timeout=10).status_code:
                break
        except requests.RequestException:  # not listening yet, or a worker still booting
            time.sleep(0.2)
    time.sleep(1.0 + args.workers)  # workers boot one by one; do not time their imports
    return server, url, headers


def load(args, url, headers):
    """Closed-loop clients, each paced to its share of the offered rate."""
    results: dict[int, list[float]] = defaultdict(list)
    lock = threading.Lock()
    sent = [0]
    interval = args.clients / (rate(args) * args.times)
    stop_at = time.monotonic() + args.seconds

    def client():
        session = requests.Session()
        next_at = time.monotonic()
        while True:
            with lock:
                if sent[0] >= args.max_requests or time.monotonic() >= stop_at:
                    return
                sent[0] += 1
            started = time.perf_counter()
            try:
                status = session.get(url, headers=headers, timeout=10).status_code
            except requests.RequestException:
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                results[status].append(elapsed)
            next_at += interval
            pause = next_at - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def rate(args) -> float:
    """The limit's sustained rate, requests per second."""
    return args.limit / args.window


def ms(values: list[float], q: float) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0] * 1000:.1f}"
    return f"{statistics.quantiles(values, n=100, method='inclusive')[int(q) - 1] * 1000:.1f}"


def report(args, results, duration):
    total = sum(len(v) for v in results.values())
    accepted = len(results.get(200, []))
    refused = results.get(429, [])
    errors = sum(len(v) for status, v in results.items() if status >= 500 or status == 0)
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, "
          f"python {platform.python_version()}")
    print(f"storage: {args.redis or 'memory://'}, gunicorn workers: {args.workers} "
          f"(gthread), clients: {args.clients}")
    print(f"limit: {args.limit} per {args.window}s per caller and endpoint; offered "
          f"{args.times:g}x its rate = {rate(args) * args.times:g}/s for {args.seconds:g}s")
    print(f"sent: {total} in {duration:.2f}s ({total / duration:.0f}/s achieved)")
    print("statuses: " + ", ".join(f"{s}: {len(v)}" for s, v in sorted(results.items())))
    allowed = args.limit * math.ceil(duration / args.window)
    print(f"accepted: {accepted} (the limit allows at most {allowed} in {duration:.2f}s)")
    print(f"429: {len(refused)}, latency p50 {ms(refused, 50)} ms, p99 {ms(refused, 99)} ms")
    print(f"200: {accepted}, latency p50 {ms(results.get(200, []), 50)} ms, "
          f"p99 {ms(results.get(200, []), 99)} ms")
    print(f"5xx or failed: {errors}")
    return errors


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="sentryapi-bench-") as workdir:
        server, url, headers = start_server(args, workdir)
        try:
            results, duration = load(args, url, headers)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(30)
    return 1 if report(args, results, duration) else 0


if __name__ == "__main__":
    sys.exit(main())

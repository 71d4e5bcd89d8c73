"""Ingest durability under crashes: no acknowledged event is lost, no resent one is doubled.

Serves the app as ``make run`` does (``flask sentryapi serve``: gunicorn with 2 gthread
workers, as ``bench/ingest.py``, and the events digest process) on 127.0.0.1, sends
``--events`` SDK envelopes (each its own event id) from ``--connections`` client threads
that record every answer, and meanwhile kills every server process (supervisor, gunicorn
master and workers, digest) with SIGKILL ``--kills`` times, restarting it each time, or
(``--target workers``) only the gunicorn workers and the digest process, which gunicorn
and the supervisor start again. A request that meets a
dead server is retried with the same event id, as an SDK's retry would be. Afterwards:

- every event id that got a 200 must be in the database (0 lost);
- all the ids are sent again (no kills): the ``event`` table must then hold each id
  exactly once, and the issues' counts add up to the number of events (0 duplicates).

    .venv/bin/python bench/ingest_durability.py [--events 10000] [--kills 5] [--db sqlite|postgresql|both]
        [--target all|workers]

Exits with status 1 when an acknowledged event is missing or one is stored twice.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

import ingest as bench

ROOT = bench.ROOT
#: Connection errors while the server is down: the client waits and tries again.
RETRY_PAUSE = 0.05
MAX_ATTEMPTS = 2000


class Server:
    """``flask sentryapi serve`` on a fixed port, killed (SIGKILL to the whole group) and
    restarted at will."""

    def __init__(self, env: dict, workdir: str):
        self.env, self.workdir = env, workdir
        self.port = bench.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = open(Path(workdir) / "gunicorn.log", "a")  # noqa: SIM115 - for the run

    def start(self) -> None:
        self.process = subprocess.Popen(
            bench.serve_argv(self.port), cwd=ROOT, env={**os.environ, **self.env},
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base + "/api/0/", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {self.log.name}") from None
                time.sleep(0.1)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def kill_workers(self) -> None:
        """SIGKILL the gunicorn workers and the digest process; the gunicorn master forks new
        workers, the supervisor starts a new digest."""
        victims = []
        for pid in _children(self.process.pid):
            if "gunicorn" in _command_line(pid):
                victims += _children(pid)  # the workers, not their master
            else:
                victims.append(pid)  # the digest
        for pid in victims:
            os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            bench.stop(self.process)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(child) for child in fh.read().split()]
    except FileNotFoundError:
        return []


def _command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().decode(errors="replace")
    except FileNotFoundError:
        return ""


class Client:
    """Threads sending envelopes; every answer is recorded per event id."""

    def __init__(self, port: int, project_id: int, public_key: str, item: bytes):
        self.port, self.item = port, item
        self.path = f"/api/{project_id}/envelope/"
        self.headers = {"Content-Type": "application/x-sentry-envelope",
                        "X-Sentry-Auth": f"Sentry sentry_key={public_key}, sentry_version=7, "
                                         "sentry_client=durability/1.0"}
        self.answers: dict[str, list] = {}
        self.sent = 0
        self.lock = threading.Lock()

    def body(self, event_id: str) -> bytes:
        head = json.dumps({"event_id": event_id, "sent_at": "2026-01-01T00:00:00.000000Z"})
        item_head = json.dumps({"type": "event", "length": len(self.item)})
        return f"{head}\n{item_head}\n".encode() + self.item + b"\n"

    def send_all(self, event_ids: list[str], connections: int) -> None:
        chunks = [event_ids[i::connections] for i in range(connections)]
        threads = [threading.Thread(target=self._send, args=(chunk,)) for chunk in chunks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _send(self, event_ids: list[str]) -> None:
        connection = None
        for event_id in event_ids:
            answers = self.answers.setdefault(event_id, [])
            for _attempt in range(MAX_ATTEMPTS):
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    connection.request("POST", self.path, self.body(event_id), self.headers)
                    response = connection.getresponse()
                    response.read()
                    answers.append(response.status)
                    if response.status < 500:
                        break
                except (OSError, http.client.HTTPException) as error:
                    answers.append(type(error).__name__)
                    if connection is not None:
                        connection.close()
                    connection = None
                time.sleep(RETRY_PAUSE)
            with self.lock:
                self.sent += 1
        if connection is not None:
            connection.close()


def kill_while_sending(server: Server, client: Client, total: int, kills: int,
                       target: str) -> list[float]:
    """SIGKILL the server each time another 1/(kills+1) of the events has been answered:
    every process (then start it again), or only the workers (the master replaces them)."""
    downtimes = []
    for number in range(1, kills + 1):
        threshold = total * number // (kills + 1)
        while client.sent < threshold:
            time.sleep(0.01)
        started = time.monotonic()
        if target == "workers":
            server.kill_workers()
        else:
            server.kill()
            server.start()
        downtimes.append(time.monotonic() - started)
    return downtimes


def wait_until_digested(database_url: str, timeout: float = 600) -> float:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    started = time.monotonic()
    try:
        while True:
            with engine.connect() as connection:
                queued = connection.execute(text("SELECT count(*) FROM ingest_event")).scalar()
            if not queued:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"{queued} events still queued after {timeout} s")
            time.sleep(0.5)
    finally:
        engine.dispose()


def stored(database_url: str) -> tuple[Counter, int]:
    """Event id -> rows in ``event``; and the issues' total count (``times_seen``)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = Counter(r[0] for r in connection.execute(text("SELECT event_id FROM event")))
        seen = connection.execute(text("SELECT coalesce(sum(times_seen), 0) FROM event_group")).scalar()
    engine.dispose()
    return rows, int(seen)


def run_backend(kind: str, args, item: bytes) -> bool:
    workdir = tempfile.mkdtemp(prefix=f"sentryapi-durability-{kind}-")
    database_url, schema = bench.prepare_database(kind, workdir)
    server = None
    try:
        ctx = bench.setup_project(database_url, workdir)
        env = {"SENTRYAPI_DATABASE_URL": database_url, "SENTRYAPI_SECRET_KEY": "bench-secret",
               "SENTRYAPI_INSTANCE_PATH": workdir, "SENTRYAPI_LOG_LEVEL": "WARNING",
               "SENTRYAPI_PUBLIC_URL": "http://127.0.0.1", "SENTRYAPI_RATELIMIT_ENABLED": "0",
               "SENTRYAPI_SQLITE_SYNCHRONOUS": args.sqlite_synchronous}
        server = Server(env, workdir)
        server.start()
        client = Client(server.port, int(ctx["project_id"]), ctx["key"], item)
        nonce = os.urandom(4).hex()
        event_ids = [f"{nonce}{i:024x}" for i in range(args.events)]

        started = time.monotonic()
        sender = threading.Thread(target=client.send_all, args=(event_ids, args.connections))
        sender.start()
        downtimes = kill_while_sending(server, client, args.events, args.kills, args.target)
        sender.join()
        seconds = time.monotonic() - started
        digest_wait = wait_until_digested(database_url)
        rows, times_seen = stored(database_url)

        acknowledged = {e for e, answers in client.answers.items() if 200 in answers}
        lost = sorted(acknowledged - set(rows))
        attempts = Counter(str(a) for answers in client.answers.values() for a in answers)
        never = [e for e, answers in client.answers.items() if 200 not in answers]
        whom = ("every server process" if args.target == "all"
                else "the gunicorn workers and the digest")
        print(f"\n[{kind}] kill -9 of {whom} x{args.kills} during {args.events:,} events "
              f"({args.connections} connections, {seconds:.1f} s"
              + (f"; restarts took {', '.join(f'{d:.1f}' for d in downtimes)} s)"
                 if args.target == "all" else ")"))
        print(f"  answers       {dict(sorted(attempts.items()))}")
        print(f"  acknowledged  {len(acknowledged):,} event ids got a 200 "
              f"({len(never)} never did); digested {digest_wait:.1f} s after the last answer")
        print(f"  lost          {len(lost)} acknowledged events missing from the database"
              + (f": {lost[:5]}" if lost else ""))

        client.answers.clear()
        client.send_all(event_ids, args.connections)
        wait_until_digested(database_url)
        rows, times_seen = stored(database_url)
        doubled = sum(n - 1 for n in rows.values() if n > 1)
        resent_ok = sum(1 for answers in client.answers.values() if answers[-1] == 200)
        missing = args.events - len(set(rows) & set(event_ids))
        print(f"  resent        {args.events:,} ids again: {resent_ok:,} answered 200; "
              f"{sum(rows.values()):,} event rows for {len(rows):,} ids, {doubled} duplicates; "
              f"issues count {times_seen:,} events ({times_seen - sum(rows.values())} extra); "
              f"{missing} ids missing")
        return not lost and not doubled and times_seen == sum(rows.values()) and not missing
    finally:
        if server is not None:
            server.stop()
            server.log.close()
        bench.drop_schema(schema)
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--target", choices=("all", "workers"), default="all",
                        help="kill every process and restart (all) or only the workers")
    parser.add_argument("--sqlite-synchronous", default="NORMAL", choices=("NORMAL", "FULL"),
                        help="SQLite durability: NORMAL survives a killed process (the default)")
    args = parser.parse_args()
    item = bench.sdk_event_item()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
          f"flask sentryapi serve {' '.join(bench.GUNICORN_ARGS[2:8])}")
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    results = [run_backend(kind, args, item) for kind in kinds]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()

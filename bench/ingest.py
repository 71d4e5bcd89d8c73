"""How fast SDK events are accepted, and how soon they are grouped and visible.

Serves the app as ``make run`` and ``make serve-prod`` do (``flask sentryapi serve``:
gunicorn with gunicorn.conf.py, 2 gthread workers of 4 threads, and the events digest
process beside them), sends a bounded number of real sentry-sdk exception envelopes (each
with its own event id) over several keep-alive connections from other processes
(``loadgen.py``), then waits until every accepted event is grouped and counted in the
issues API. The same load goes to a bare Flask envelope endpoint under the same gunicorn
settings (gunicorn.conf.py, same arguments) in the same run, for the ratio.

    .venv/bin/python bench/ingest.py [--events 5000] [--connections 8] [--db sqlite|postgresql|both]
                                     [--digest serve|thread|process] [--runs 3]

``--digest serve`` (the default) is what ``flask sentryapi serve`` starts; ``thread`` groups
events in a thread of each web worker (the layout before issue 18); ``process`` is gunicorn
with ``SENTRYAPI_EVENTS_DIGEST=off`` and one ``nice flask events digest`` beside it.

Prints accepted events/s, p50/p99 latency, the ratio to the bare endpoint, the digest's
backlog (queued events, largest while sending) and how long it took to drain, the time
until everything accepted is visible, and the events stored (must equal the accepted);
with ``--runs N``, the median ratio and p99 of the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import loadgen

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
#: gunicorn.conf.py (the production settings) with 2 processes, one per core.
GUNICORN_ARGS = ["-c", str(ROOT / "gunicorn.conf.py"), "--workers", "2", "--threads", "4",
                 "--worker-class", "gthread", "--keep-alive", "5", "--backlog", "2048",
                 "--log-level", "warning"]

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sdk_event_item() -> bytes:
    """The event item of a real sentry-sdk exception envelope."""
    import sentry_sdk
    from sentry_sdk.transport import Transport

    captured = []

    class Capture(Transport):
        def capture_envelope(self, envelope):
            captured.append(envelope)

    sentry_sdk.init(dsn="http://" + "a" * 32 + "@127.0.0.1:1/1", transport=Capture,
                    release="bench@1.0", environment="bench", default_integrations=False)

    def handle(order):
        return order["missing"]

    try:
        handle({"id": 1})
    except KeyError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush()
    item = captured[0].items[0]
    return item.payload.get_bytes()


def prepare_database(kind: str, workdir: str) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{workdir}/bench.sqlite", None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"bench_{secrets.token_hex(4)}"
    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(schema: str | None) -> None:
    if schema:
        from sqlalchemy import create_engine, text

        engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def setup_project(database_url: str, workdir: str) -> dict:
    """Schema, a user with a token, an organization, a team, a project and its key."""
    os.environ["SENTRYAPI_INSTANCE_PATH"] = workdir
    from flask_migrate import upgrade

    from sentryapi import create_app
    from sentryapi.api import db, stop_background
    from sentryapi.auth.scopes import ROLES, TOP_ROLE
    from sentryapi.organizations import services

    # This process only sets up; the served app digests.
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret",
                      "RATELIMIT_ENABLED": False, "EVENTS_DIGEST": "off"})
    with app.app_context():
        upgrade(revision="heads")
        user = services.create_user("bench@example.com", password=None)
        organization = services.create_organization("Bench", user)
        _, token = services.issue_user_token(user, ROLES[TOP_ROLE].scopes, name="bench")
        db.session.commit()
        org = organization.slug
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    team = client.post(f"/api/0/organizations/{org}/teams/", json={"name": "bench"},
                       headers=headers).json["slug"]
    project = client.post(f"/api/0/teams/{org}/{team}/projects/", json={"name": "bench"},
                          headers=headers).json
    key = client.get(f"/api/0/projects/{org}/{project['slug']}/keys/", headers=headers).json[0]
    stop_background(app)
    with app.app_context():
        db.engine.dispose()
    return {"org": org, "project": project["slug"], "project_id": project["id"],
            "key": key["public"], "token": token}


def serve_argv(port: int) -> list[str]:
    """``flask sentryapi serve``: gunicorn and the background processes (``make run``)."""
    return [str(BIN / "flask"), "--app", "wsgi", "sentryapi", "serve", *GUNICORN_ARGS,
            "--bind", f"127.0.0.1:{port}"]


def serve(app_spec: str, env: dict, workdir: str, chdir: Path,
          supervised: bool = False) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(Path(workdir) / f"gunicorn-{port}.log", "w")
    argv = (serve_argv(port) if supervised else
            [str(BIN / "gunicorn"), *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}",
             "--chdir", str(chdir), app_spec])
    process = subprocess.Popen(
        argv, cwd=chdir, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/api/0/", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # answering (the bare app has no index)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log.name}") from None
            time.sleep(0.2)
    return process, base


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def start_digester(env: dict, workdir: str) -> subprocess.Popen:
    """One ``flask events digest`` process at a lower CPU priority than the workers."""
    log = open(Path(workdir) / "digest.log", "w")
    return subprocess.Popen(
        ["nice", "-n", "10", str(BIN / "flask"), "--app", "wsgi", "events", "digest"],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)


def envelope_request(host: str, path: str, item: bytes, auth: str, nonce: str):
    """Request ``i``: an envelope whose header carries its own event id."""
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/x-sentry-envelope\r\n"
            + (f"X-Sentry-Auth: {auth}\r\n" if auth else ""))
    item_header = json.dumps({"type": "event", "content_type": "application/json",
                              "length": len(item)}).encode()

    def make(index: int) -> bytes:
        event_id = f"{nonce}{index:024x}"
        body = (b'{"event_id":"' + event_id.encode() + b'","sent_at":"2026-01-01T00:00:00.000000Z"}\n'
                + item_header + b"\n" + item + b"\n")
        return f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body

    return make


#: Envelopes sent before the measured load, until the server answers them and (ours) shows
#: them grouped: every worker and the digest process have started (imported the app) by
#: then, so the measured run is the server's steady state, not its start-up.
WARM_UP = 200


def compile_bytecode() -> None:
    """Byte-compile the project as an installed package would be: with
    PYTHONDONTWRITEBYTECODE set (as on this VM), every process the server starts would
    otherwise compile the whole app from source, during the measured load."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "sentryapi"),
                    str(ROOT / "plugins"), str(ROOT / "bench"), str(ROOT / "wsgi.py")],
                   check=True, stdout=subprocess.DEVNULL)


def warm_up(base: str, path: str, connections: int, item: bytes, auth: str, ctx=None) -> None:
    """Send ``WARM_UP`` envelopes; with ``ctx`` (our server), wait until they are grouped."""
    load(base, path, WARM_UP, connections, item, auth)
    deadline = time.monotonic() + 120
    while ctx is not None and issues_total(base, ctx) < WARM_UP:
        if time.monotonic() > deadline:
            raise RuntimeError("the warm-up events never became visible")
        time.sleep(0.1)


def load(base: str, path: str, events: int, connections: int, item: bytes, auth: str):
    make = envelope_request(base.split("//", 1)[1], path, item, auth, secrets.token_hex(4))
    return loadgen.run(base, make, events, connections)


def issues_total(base: str, ctx: dict) -> int:
    request = urllib.request.Request(
        f"{base}/api/0/projects/{ctx['org']}/{ctx['project']}/issues/?query=&statsPeriod=",
        headers={"Authorization": f"Bearer {ctx['token']}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return sum(int(issue["count"]) for issue in json.load(response))


def stored_events(database_url: str, older_than=None) -> int:
    """Events in the database (only those with a timestamp before ``older_than``, if given)."""
    from sentryapi_events.models import Event
    from sqlalchemy import create_engine, func, select

    table = Event.__table__
    query = select(func.count()).select_from(table)
    if older_than is not None:
        query = query.where(table.c.timestamp < older_than)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(query).scalar()
    engine.dispose()
    return count


class Backlog:
    """Samples the ingest queue's length (events accepted, not yet digested) every 0.2 s."""

    def __init__(self, database_url: str):
        from sqlalchemy import create_engine

        self.engine = create_engine(database_url)
        self.largest = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def length(self) -> int:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM ingest_event")).scalar()

    def _watch(self) -> None:
        while not self.stopping.wait(0.2):
            self.largest = max(self.largest, self.length())

    def drained(self, deadline: float) -> float:
        """Seconds until the queue is empty (from now)."""
        started = time.monotonic()
        while self.length() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.stopping.set()
        self.thread.join()
        self.engine.dispose()
        return time.monotonic() - started


def run_backend(kind: str, args, item: bytes, hello) -> dict:
    workdir = tempfile.mkdtemp(prefix=f"sentryapi-bench-{kind}-")
    database_url, schema = prepare_database(kind, workdir)
    try:
        ctx = setup_project(database_url, workdir)
        env = {"SENTRYAPI_DATABASE_URL": database_url, "SENTRYAPI_SECRET_KEY": "bench-secret",
               "SENTRYAPI_INSTANCE_PATH": workdir, "SENTRYAPI_LOG_LEVEL": "WARNING",
               "SENTRYAPI_PUBLIC_URL": "http://127.0.0.1",
               **({"SENTRYAPI_EVENTS_DIGEST": "off"}
                  if os.environ.get("BENCH_NO_DIGEST") or args.digest == "process" else {})}
        process, base = serve("wsgi:app", env, workdir, ROOT, supervised=args.digest == "serve")
        digester = start_digester(env, workdir) if args.digest == "process" else None
        try:
            auth = f"Sentry sentry_key={ctx['key']}, sentry_version=7, sentry_client=bench/1.0"
            path = f"/api/{ctx['project_id']}/envelope/"
            digesting = not os.environ.get("BENCH_NO_DIGEST")
            warm_up(base, path, args.connections, item, auth, ctx if digesting else None)
            warmed = WARM_UP if digesting else 0  # stored before the measured load
            backlog = Backlog(database_url)
            started = time.monotonic()
            result = load(base, path, args.events, args.connections, item, auth)
            sent_done = time.monotonic()
            refused = len(result.statuses) - result.ok
            ratio = result.rate / hello.rate
            print(f"\n[{kind}] {result.ok} accepted of {len(result.statuses)} sent ({refused} "
                  f"refused or failed) over {args.connections} connections, load average "
                  f"{os.getloadavg()[0]:.1f}")
            print(f"  accepted      {result.summary()}")
            print(f"  bare Flask    {hello.summary()}")
            print(f"  ratio         {ratio:8.2f} of the bare endpoint's rate", flush=True)
            deadline = sent_done + (600 if digesting else 0)
            drain = backlog.drained(deadline)
            while time.monotonic() < deadline and issues_total(base, ctx) < warmed + result.ok:
                time.sleep(0.05)
            visible = time.monotonic()
        finally:
            stop(process)
            if digester is not None:
                stop(digester)
        stored = stored_events(database_url) - warmed
        print(f"  backlog       at most {backlog.largest} events queued while sending; drained "
              f"{drain:.1f} s after the last answer")
        print(f"  all visible   {visible - sent_done:8.1f} s after the last answer; stored and "
              f"visible at {result.ok / (visible - started):.0f} events/s from the first request")
        verdict = "equals" if stored == result.ok else "DIFFERS FROM"
        print(f"  events stored {stored:8d} ({verdict} the accepted count)")
        return {"ratio": ratio, "p99": result.percentile(99), "backlog": backlog.largest,
                "drain": drain, "visible": visible - sent_done, "ok": stored == result.ok}
    finally:
        drop_schema(schema)
        shutil.rmtree(workdir, ignore_errors=True)


def bare_rate(args, item: bytes):
    """The bare endpoint under the same gunicorn settings (loadgen.Result)."""
    workdir = tempfile.mkdtemp(prefix="sentryapi-bench-hello-")
    process, base = serve("hello_envelope:app", {}, workdir, ROOT / "bench")
    try:
        warm_up(base, "/api/1/envelope/", args.connections, item, "")
        return load(base, "/api/1/envelope/", args.events, args.connections, item, "")
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--digest", choices=("serve", "thread", "process"), default="serve")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    item = sdk_event_item()
    compile_bytecode()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
          f"event item {len(item)} bytes; gunicorn {' '.join(GUNICORN_ARGS[2:8])}; "
          f"digest: {args.digest}")
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    results: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for run in range(args.runs):
        if args.runs > 1:
            print(f"\n=== run {run + 1} of {args.runs}, load average {os.getloadavg()[0]:.1f}")
        hello = bare_rate(args, item)
        for kind in kinds:
            results[kind].append(run_backend(kind, args, item, hello))
    if args.runs > 1:
        print("\nmedians of the runs:")
        for kind, runs in results.items():
            def median(name, runs=runs):
                return statistics.median(r[name] for r in runs)

            ratios = ", ".join(f"{r['ratio']:.2f}" for r in runs)
            print(f"  {kind:10} ratio {median('ratio'):.2f} (runs: {ratios}), "
                  f"p99 {median('p99'):.1f} ms, "
                  f"largest backlog {median('backlog'):.0f}, drained in {median('drain'):.1f} s, "
                  f"all visible {median('visible'):.1f} s after the last answer, stored = "
                  f"accepted in {sum(r['ok'] for r in runs)} of {len(runs)} runs")


if __name__ == "__main__":
    main()

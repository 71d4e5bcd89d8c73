"""What evaluating issue alert rules adds to the digest, per event, at 10 rules per project.

Three projects get the same events (a real sentry-sdk exception in 20 issues, 10 events
each per round): one without rules, one with 10 rules (new issue, regression, event and
user frequency over 1m and 1h, level, tag, age and release filters; e-mail and webhook
actions), and a control without rules. Each round queues a project's events through the
SDK endpoint (not timed), then times the digest alone (``digest_all``): wall time, this
thread's CPU time (SQLite's work included; PostgreSQL's server is not) and SQL
statements; the projects take turns within each round, first in rotation. The figures are
medians per event, and the median over rounds of each round's own ratio (``paired``: a
round's digests ran seconds apart, under the same load); the control's ratio shows what
the machine's load alone makes of two equal digests. The first round creates the issues
(every rule with a new-issue or frequency condition fires: the cost of firing, printed
apart); later rounds are the steady state, where the issues keep matching and the
frequency holds the rules back. E-mail is logged, not sent (no SMTP host), after the
digest commits, outside the timing. ``--profile`` prints pyinstrument's profile of each
project's steady-state digests (``pip install pyinstrument``).

    .venv/bin/python bench/alerts.py [--backend sqlite|postgresql|both] [--rounds 15] [--profile]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import event as sqlalchemy_event

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ingest  # noqa: E402 - the shared setup helpers

ISSUES_PER_ROUND, EVENTS_PER_ISSUE = 20, 10
#: The control is a second project without rules: its difference from the first is what
#: the machine's load alone makes of two equal digests (the noise floor of the figure).
LABELS = ("without rules", "with 10 rules", "control")
R = "sentry.rules."


def rules(owner_id: int) -> list[dict]:
    email = {"id": "sentry.mail.actions.NotifyEmailAction", "targetType": "Member", "targetIdentifier": owner_id}
    hook = {"id": R + "actions.notify_event_service.NotifyEventServiceAction", "service": "webhooks"}
    first = {"id": R + "conditions.first_seen_event.FirstSeenEventCondition"}
    regression = {"id": R + "conditions.regression_event.RegressionEventCondition"}
    often = {"id": R + "conditions.event_frequency.EventFrequencyCondition", "value": 5, "interval": "1m"}
    hourly = {"id": R + "conditions.event_frequency.EventFrequencyCondition", "value": 1000, "interval": "1h"}
    users = {"id": R + "conditions.event_frequency.EventUniqueUserFrequencyCondition", "value": 50, "interval": "1h"}
    level = {"id": R + "filters.level.LevelFilter", "match": "gte", "level": "40"}
    tag = {"id": R + "filters.tagged_event.TaggedEventFilter", "key": "environment", "match": "eq", "value": "bench"}
    age = {"id": R + "filters.age_comparison.AgeComparisonFilter", "comparison_type": "newer", "value": 1, "time": "day"}
    latest = {"id": R + "filters.latest_release.LatestReleaseFilter"}
    shapes = [([first], [], [email]), ([regression], [], [email]), ([often], [level], [email]),
              ([hourly], [], [hook]), ([users], [], [email]), ([first], [tag], [hook]),
              ([often, hourly], [age], [email]), ([first, regression], [level, tag], [email]),
              ([often], [latest], [hook]), ([hourly, users], [level], [email])]
    # Sentry's default frequency (30 minutes): a run on a loaded machine outlasts 5, and rules held
    # back would fire again within what is meant as the steady state.
    return [{"name": f"rule {i}", "actionMatch": "any", "filterMatch": "all", "frequency": 30,
             "conditions": c, "filters": f, "actions": a} for i, (c, f, a) in enumerate(shapes)]


def queue_round(client, project: dict, item: dict, round_no: int) -> None:
    auth = {"X-Sentry-Auth": f"Sentry sentry_key={project['key']}, sentry_version=7",
            "Content-Type": "application/x-sentry-envelope"}
    for issue in range(ISSUES_PER_ROUND):
        for _ in range(EVENTS_PER_ISSUE):
            event = json.loads(json.dumps(item))
            event["event_id"] = uuid.uuid4().hex
            event["exception"]["values"][-1]["type"] = f"BenchError{issue}"
            payload = json.dumps(event).encode()
            body = b"\n".join([json.dumps({"event_id": event["event_id"]}).encode(),
                               json.dumps({"type": "event", "length": len(payload)}).encode(), payload]) + b"\n"
            answer = client.post(f"/api/{project['project_id']}/envelope/", data=body, headers=auth)
            assert answer.status_code == 200, answer.data


class Meter:
    """Wall time, this thread's CPU time and SQL statements of one digest run."""

    def __init__(self, app):
        from sentryapi.api import db

        self.statements = 0
        with app.app_context():
            self.engine = db.engine
        sqlalchemy_event.listen(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.statements += 1

    def digest(self, app, profiler=None) -> tuple[float, float, int]:
        from sentryapi_events.digest.batch import digest_all

        with app.app_context():
            before = self.statements
            if profiler is not None:
                profiler.start()
            wall, cpu = time.perf_counter(), time.thread_time()
            digest_all(200)
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            if profiler is not None:
                profiler.stop()
            return wall, cpu, self.statements - before


def run_backend(kind: str, rounds: int, item: dict, profile: bool) -> dict:
    workdir = tempfile.mkdtemp(prefix="bench-alerts-")
    database_url, schema = ingest.prepare_database(kind, workdir)
    try:
        plain = ingest.setup_project(database_url, workdir)
        from sentryapi import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret",
                          "RATELIMIT_ENABLED": False, "EVENTS_DIGEST": "off", "SCHEDULER": "off"})
        client = app.test_client()
        headers = {"Authorization": f"Bearer {plain['token']}"}
        org = plain["org"]
        team = client.get(f"/api/0/organizations/{org}/teams/", headers=headers).json[0]["slug"]
        made, control = (client.post(f"/api/0/teams/{org}/{team}/projects/", json={"name": name},
                                     headers=headers).json for name in ("ruled", "control"))
        ruled, control = ({"project_id": p["id"], "key": client.get(
            f"/api/0/projects/{org}/{p['slug']}/keys/", headers=headers).json[0]["public"]} for p in (made, control))
        owner_id = int(client.get(f"/api/0/organizations/{org}/members/me/", headers=headers).json["user"]["id"])
        for rule in rules(owner_id):
            answer = client.post(f"/api/0/projects/{org}/{made['slug']}/rules/", json=rule, headers=headers)
            assert answer.status_code == 201, answer.json
        meter = Meter(app)
        profilers = {label: _profiler() if profile else None for label in LABELS}
        runs = {label: [] for label in LABELS}
        projects = dict(zip(LABELS, (plain, ruled, control), strict=True))
        for round_no in range(rounds):
            # Rotate which project goes first, so that none always follows another.
            for label in LABELS[round_no % 3:] + LABELS[:round_no % 3]:
                queue_round(client, projects[label], item, round_no)
                runs[label].append(meter.digest(app, profilers[label] if round_no else None))
        from sentryapi.api import stop_background

        stop_background(app)
        if profile:
            for label, profiler in profilers.items():
                print(f"--- {kind}, {label}, steady-state rounds ---")
                print(profiler.output_text(unicode=False, color=False, show_all=False))
        return runs
    finally:
        ingest.drop_schema(schema)
        shutil.rmtree(workdir, ignore_errors=True)


def _profiler():
    from pyinstrument import Profiler

    return Profiler(interval=0.0005)


def report(kind: str, runs: dict) -> dict:
    """Print (and return) the medians per event, and the median of each round's own ratio
    (a round's digests ran a moment apart, under the same load); the control's ratio is
    the noise floor."""
    events = ISSUES_PER_ROUND * EVENTS_PER_ISSUE
    out = {}
    for label, part in (("steady state", slice(1, None)), ("first round, firing", slice(0, 1))):
        plain, ruled, control = (runs[name][part] for name in LABELS)
        figures = []
        for index, unit in ((0, "wall"), (1, "cpu")):
            base = statistics.median(run[index] for run in plain) / events
            with_rules = statistics.median(run[index] for run in ruled) / events
            paired = statistics.median(b[index] / a[index] - 1 for a, b in zip(plain, ruled, strict=True))
            noise = statistics.median(b[index] / a[index] - 1 for a, b in zip(plain, control, strict=True))
            out[(label, unit)] = (base, with_rules, paired, noise)
            figures.append(f"{unit} {base * 1e6:5.0f} -> {with_rules * 1e6:5.0f} us/event "
                           f"(paired {100 * paired:+5.1f}%, control {100 * noise:+5.1f}%)")
        sql = [statistics.median(run[2] for run in part_runs) / events for part_runs in (plain, ruled)]
        out[(label, "sql")] = tuple(sql)
        print(f"{kind:10}  {label:20} {'   '.join(figures)}   SQL {sql[0]:.3f} -> {sql[1]:.3f} statements/event")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--profile", action="store_true", help="print pyinstrument's profile of each project's digests")
    args = parser.parse_args()
    logging.getLogger("sentryapi.mail").setLevel(logging.WARNING)
    item = json.loads(ingest.sdk_event_item())
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{ISSUES_PER_ROUND} issues x {EVENTS_PER_ISSUE} events per round, {args.rounds} rounds alternating "
          "the projects; medians per event, without rules -> with 10 rules")
    for kind in (("sqlite", "postgresql") if args.backend == "both" else (args.backend,)):
        report(kind, run_backend(kind, args.rounds, item, args.profile))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

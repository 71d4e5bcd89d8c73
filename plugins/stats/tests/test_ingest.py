"""End to end: what SDKs send shows in every stats view, from the counters kept at ingest."""

from __future__ import annotations

import itertools
import time

import pytest
from sentryapi_events.testing import envelope, exception_event

#: Quota counters outlive the tables each test empties, and key ids repeat: a fresh window
#: per test is a fresh counter.
WINDOWS = itertools.count(3501)


def send(client, project, event):
    return client.post(f"/api/{project.id}/envelope/", data=envelope(event), headers={
        "X-Sentry-Auth": f"Sentry sentry_key={project.public_key}, sentry_version=7",
        "Content-Type": "application/x-sentry-envelope"})


def wait_for(app, check, timeout: float = 20.0):
    """Digest what is queued (the background thread may be at it too) until ``check()``."""
    deadline = time.monotonic() + timeout
    while True:
        result = app.test_cli_runner().invoke(args=["events", "digest", "--once"])
        assert result.exit_code == 0, result.output
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


@pytest.fixture
def ingested(app, client, project):
    """Three issues' events accepted (two errors, a warning), one more refused by the quota."""
    key = project.api.put(project.path(f"keys/{project.public_key}/"),
                          json={"rateLimit": {"window": next(WINDOWS), "count": 3}})
    assert key.status_code == 200, key.json
    events = [exception_event("KeyError"), exception_event("ValueError", function="parse"),
              exception_event("Warning", function="slow", level="warning")]
    assert [send(client, project, e).status_code for e in events] == [200, 200, 200]
    assert send(client, project, exception_event("TypeError")).status_code == 429

    def counted():
        body = project.api.get(f"/api/0/organizations/{project.org}/stats_v2/?field=sum(quantity)"
                               "&groupBy=outcome&category=error&statsPeriod=1h").json
        return {g["by"]["outcome"]: g["totals"]["sum(quantity)"] for g in body["groups"]}

    assert wait_for(app, lambda: counted() == {"accepted": 3, "rate_limited": 1}), counted()
    return project


def test_stats_v2_and_project_stats_count_accepted_and_rejected(ingested):
    p = ingested
    body = p.api.get(f"/api/0/organizations/{p.org}/stats_v2/?field=sum(times_seen)"
                     "&groupBy=outcome&groupBy=reason&groupBy=project&category=error"
                     "&statsPeriod=24h&interval=1h").json
    assert {(g["by"]["outcome"], g["by"]["reason"], g["by"]["project"]):
            g["totals"]["sum(times_seen)"] for g in body["groups"]} == {
        ("accepted", "none", p.id): 3, ("rate_limited", "key_quota", p.id): 1}
    for resolution in ("10s", "1h", "1d"):
        received = p.api.get(p.path(f"stats/?stat=received&resolution={resolution}")).json
        assert sum(n for _, n in received) == 4, (resolution, received)
    rejected = p.api.get(p.path("stats/?stat=rejected&resolution=10s")).json
    assert sum(n for _, n in rejected) == 1


def test_issue_counts_by_level_and_status(ingested):
    p = ingested
    issues = p.api.get(p.path("issues/")).json
    warning = next(i for i in issues if i["level"] == "warning")
    assert p.api.put(f"/api/0/organizations/{p.org}/issues/{warning['id']}/",
                     json={"status": "resolved"}).status_code == 200
    assert p.api.get(p.path("issue-counts/")).json == {
        "total": 3, "byLevel": {"error": 2, "warning": 1},
        "byStatus": {"resolved": 1, "unresolved": 2}}
    assert p.api.get(p.path("issue-counts/?statsPeriod=1h")).json["total"] == 3
    bad = p.api.get(p.path("issue-counts/?statsPeriod=soon"))
    assert bad.status_code == 400 and "statsPeriod" in bad.json["detail"]


def test_a_malformed_event_counts_as_invalid(app, client, project):
    body = envelope(None, items=[("event", b"{not json")])
    response = client.post(f"/api/{project.id}/envelope/", data=body, headers={
        "X-Sentry-Auth": f"Sentry sentry_key={project.public_key}, sentry_version=7",
        "Content-Type": "application/x-sentry-envelope"})
    assert response.status_code == 400

    def invalid():
        body = project.api.get(f"/api/0/organizations/{project.org}/stats_v2/?field=sum(quantity)"
                               "&groupBy=outcome&groupBy=reason&category=error&statsPeriod=1h").json
        return [(g["by"], g["totals"]["sum(quantity)"]) for g in body["groups"]]

    assert wait_for(app, invalid) == [({"outcome": "invalid", "reason": "invalid_json"}, 1)]

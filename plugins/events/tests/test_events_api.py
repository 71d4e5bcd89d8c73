"""Events API: project and issue event lists, one event in full, an issue's tag values."""

from __future__ import annotations

import pytest
from sentryapi_events.testing import exception_event

from sentryapi.testing import follow_links

PROJECT_EVENTS = "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/events/"
PROJECT_EVENT = PROJECT_EVENTS + "{event_id}/"
ISSUE_EVENTS = "/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/events/"
ISSUE_EVENT = ISSUE_EVENTS + "{event_id}/"


@pytest.fixture
def sent(sentry_project, digest):
    events = [exception_event(user={"id": str(n % 2)}, environment="prod" if n else "dev",
                              request={"url": "https://app.example/a?b=1", "method": "GET",
                                       "headers": {"User-Agent": "x"}},
                              breadcrumbs={"values": [{"message": "step", "timestamp": 1767225600}]},
                              timestamp=1767225600 + n + 86400 * 320)
              for n in range(3)]
    for event in events:
        assert sentry_project.send_event(event).status_code == 200
    digest()
    return events


def test_project_events(sentry_project, sent, sentry_conforms):
    p = sentry_project
    response = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/events/")
    assert response.status_code == 200
    assert [e["eventID"] for e in response.json] == [e["event_id"] for e in reversed(sent)]
    assert sentry_conforms("GET", PROJECT_EVENTS, 200, response.json) == []
    full = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/events/?full=true").json
    assert all("entries" in event for event in full)
    pages, _ = follow_links(p.api, f"/api/0/projects/{p.org}/{p.slug}/events/?per_page=2")
    assert [len(page) for page in pages] == [2, 1]


def test_sampled_events_come_in_a_stable_pseudo_random_order(sentry_project, sent, sentry_conforms):
    p = sentry_project
    by_id = sorted(e["event_id"] for e in sent)
    issue = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/issues/").json[0]["id"]
    for url in (f"/api/0/projects/{p.org}/{p.slug}/events/",
                f"/api/0/organizations/{p.org}/issues/{issue}/events/"):
        first = p.api.get(url + "?sample=true")
        assert first.status_code == 200
        assert [e["eventID"] for e in first.json] == by_id
        assert p.api.get(url + "?sample=true").json == first.json
        pages, _ = follow_links(p.api, url + "?sample=true&per_page=2")
        assert [e["eventID"] for page in pages for e in page] == by_id
        assert p.api.get(url + "?sample=maybe").status_code == 400
    assert sentry_conforms("GET", PROJECT_EVENTS, 200, first.json) == []


def test_project_event_detail(sentry_project, sent, sentry_conforms):
    p = sentry_project
    middle = sent[1]["event_id"]
    response = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/events/{middle}/")
    assert response.status_code == 200
    body = response.json
    assert sentry_conforms("GET", PROJECT_EVENT, 200, body) == []
    assert (body["previousEventID"], body["nextEventID"]) == (sent[0]["event_id"], sent[2]["event_id"])
    types = [entry["type"] for entry in body["entries"]]
    assert types == ["exception", "breadcrumbs", "request"]
    request_entry = body["entries"][2]["data"]
    assert request_entry["query"] == [["b", "1"]]
    assert body["user"]["id"] == "1"
    assert body["dateCreated"].endswith("Z")
    assert p.api.get(f"/api/0/projects/{p.org}/{p.slug}/events/{'0' * 32}/").status_code == 404
    assert p.api.get(f"/api/0/projects/{p.org}/{p.slug}/events/not-an-id/").status_code == 404


def test_issue_events_latest_oldest(sentry_project, sent, sentry_conforms):
    p = sentry_project
    issue = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/issues/").json[0]
    base = f"/api/0/organizations/{p.org}/issues/{issue['id']}/events/"
    listed = p.api.get(base)
    assert sentry_conforms("GET", ISSUE_EVENTS, 200, listed.json) == []
    assert len(listed.json) == 3
    assert p.api.get(base + "latest/").json["eventID"] == sent[2]["event_id"]
    assert p.api.get(base + "oldest/").json["eventID"] == sent[0]["event_id"]
    recommended = p.api.get(base + "recommended/")
    assert sentry_conforms("GET", ISSUE_EVENT, 200, recommended.json) == []
    assert len(p.api.get(base + "?environment=dev").json) == 1
    assert len(p.api.get(base + "?query=environment:prod").json) == 2
    assert p.api.get(base + "?query=nosuchkey:x").status_code == 400
    assert p.api.get(f"/api/0/issues/{issue['id']}/events/latest/").json["eventID"] == sent[2]["event_id"]


def test_issue_tags_and_values(sentry_project, sent):
    p = sentry_project
    issue = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/issues/").json[0]
    base = f"/api/0/organizations/{p.org}/issues/{issue['id']}/tags/"
    detail_tags = p.api.get(f"/api/0/organizations/{p.org}/issues/{issue['id']}/").json["tags"]
    keys = {tag["key"]: tag for tag in detail_tags}
    assert p.api.get(base).json == detail_tags
    assert keys["environment"]["uniqueValues"] == 2 and keys["environment"]["totalValues"] == 3
    assert keys["environment"]["topValues"][0]["value"] == "prod"
    detail = p.api.get(base + "user/").json
    assert detail["name"] == "User" and detail["uniqueValues"] == 2
    values = p.api.get(base + "environment/values/")
    assert [v["value"] for v in values.json] == ["prod", "dev"]
    assert "Link" in values.headers
    assert p.api.get(base + "nosuchkey/").status_code == 404
    assert p.api.get(base + "environment/values/?sort=weird").status_code == 400

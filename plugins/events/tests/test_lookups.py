"""Short id and event id lookups, and the direct hit of an issue search by event id."""

from __future__ import annotations

import uuid

import pytest
from sentryapi_events.testing import exception_event

SHORTID = "/api/0/organizations/{organization_id_or_slug}/shortids/{issue_id}/"
EVENTID = "/api/0/organizations/{organization_id_or_slug}/eventids/{event_id}/"
ORG_ISSUES = "/api/0/organizations/{organization_id_or_slug}/issues/"


@pytest.fixture
def sent(sentry_project, digest):
    """One KeyError event and the issue holding it."""
    p = sentry_project
    event_id = uuid.uuid4().hex
    assert p.send_event(exception_event(event_id=event_id)).status_code == 200
    digest()
    issue = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/issues/").json[0]
    return event_id, issue


def test_short_id_resolves_to_the_issue(sentry_project, sent, sentry_conforms, make_actor, owner):
    p = sentry_project
    event_id, issue = sent
    url = f"/api/0/organizations/{p.org}/shortids/{issue['shortId']}/"
    found = p.api.get(url)
    assert found.status_code == 200, found.json
    assert found.json["groupId"] == issue["id"] and found.json["shortId"] == issue["shortId"]
    assert found.json["projectSlug"] == p.slug and found.json["organizationSlug"] == p.org
    assert found.json["group"]["id"] == issue["id"]
    assert [x for x in sentry_conforms("GET", SHORTID, 200, found.json) if "owners" not in x] == []
    assert p.api.get(url.replace(issue["shortId"], issue["shortId"].lower())).status_code == 200
    assert p.api.get(f"/api/0/organizations/{p.org}/shortids/NOPE-1/").status_code == 404
    stranger = make_actor("owner")
    assert stranger.api.get(f"/api/0/organizations/{stranger.org}/shortids/{issue['shortId']}/"
                            ).status_code == 404


def test_event_id_resolves_to_its_project_and_issue(sentry_project, sent, sentry_conforms,
                                                    make_actor):
    p = sentry_project
    event_id, issue = sent
    found = p.api.get(f"/api/0/organizations/{p.org}/eventids/{event_id}/")
    assert found.status_code == 200, found.json
    assert found.json["eventId"] == event_id and found.json["groupId"] == issue["id"]
    assert found.json["projectSlug"] == p.slug and found.json["event"]["eventID"] == event_id
    assert sentry_conforms("GET", EVENTID, 200, found.json) == []
    dashed = str(uuid.UUID(event_id)).upper()
    assert p.api.get(f"/api/0/organizations/{p.org}/eventids/{dashed}/").status_code == 200
    assert p.api.get(f"/api/0/organizations/{p.org}/eventids/{'0' * 32}/").status_code == 404
    assert p.api.get(f"/api/0/organizations/{p.org}/eventids/not-an-id/").status_code == 404
    stranger = make_actor("owner")
    assert stranger.api.get(f"/api/0/organizations/{stranger.org}/eventids/{event_id}/"
                            ).status_code == 404


@pytest.mark.parametrize("scope", ["organization", "project"])
def test_a_bare_event_id_is_a_direct_hit(sentry_project, sent, digest, scope):
    p = sentry_project
    event_id, issue = sent
    assert p.send_event(exception_event("ValueError", "other")).status_code == 200
    digest()
    base = (f"/api/0/organizations/{p.org}/issues/" if scope == "organization"
            else f"/api/0/projects/{p.org}/{p.slug}/issues/")
    hit = p.api.get(f"{base}?query={event_id}&statsPeriod=14d")
    assert hit.status_code == 200, hit.json
    assert [i["id"] for i in hit.json] == [issue["id"]]
    assert hit.json[0]["matchingEventId"] == event_id
    assert hit.headers["X-Sentry-Direct-Hit"] == "1"
    miss = p.api.get(f"{base}?query={'0' * 32}")
    assert miss.status_code == 200 and miss.json == []
    assert "X-Sentry-Direct-Hit" not in miss.headers

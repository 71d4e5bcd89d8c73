"""Notes, activity and merging issues: the triage the ``sentry`` CLI and the MCP server do."""

from __future__ import annotations

import pytest
from sentryapi_events.testing import exception_event


@pytest.fixture
def two_issues(sentry_project, digest):
    """A KeyError seen twice (users 1, 2) and a ValueError seen once (users 2, 3... once)."""
    p = sentry_project
    for user in ("1", "2"):
        assert p.send_event(exception_event(user={"id": user}, tags={"team": "core"})).status_code == 200
    assert p.send_event(exception_event("ValueError", "bad", function="parse",
                                        user={"id": "3"}, tags={"team": "web"})).status_code == 200
    digest()
    listed = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/issues/?query=").json
    return {issue["title"].split(":")[0]: issue for issue in listed}


def test_notes_are_listed_edited_and_deleted_by_their_author(sentry_project, two_issues,
                                                             make_actor, owner):
    p = sentry_project
    issue = two_issues["KeyError"]
    notes = f"/api/0/organizations/{p.org}/issues/{issue['id']}/notes/"
    made = p.api.post(notes, json={"text": "Seen after the deploy."})
    assert made.status_code == 201, made.json
    note = made.json
    assert note["type"] == "note" and note["data"]["text"] == "Seen after the deploy."
    assert note["user"]["email"] == owner.user.email and note["dateCreated"].endswith("Z")
    p.api.post(notes, json={"text": "Second"})
    listed = p.api.get(notes)
    assert [n["data"]["text"] for n in listed.json] == ["Second", "Seen after the deploy."]
    assert 'rel="next"' in listed.headers["Link"]
    assert p.api.get(f"/api/0/issues/{issue['id']}/notes/").json == listed.json
    assert p.api.get(f"/api/0/organizations/{p.org}/issues/{issue['id']}/").json["numComments"] == 2
    assert p.api.post(notes, json={"text": ""}).status_code == 400
    assert p.api.post(notes, json={}).status_code == 400

    other = make_actor("member", organization=owner.organization)
    assert other.api.put(f"{notes}{note['id']}/", json={"text": "mine now"}).status_code == 404
    edited = p.api.put(f"{notes}{note['id']}/", json={"text": "Seen after 2.0."})
    assert edited.status_code == 200 and edited.json["data"]["text"] == "Seen after 2.0."
    assert p.api.delete(f"{notes}{note['id']}/").status_code == 204
    assert p.api.delete(f"{notes}{note['id']}/").status_code == 404
    stranger = make_actor("owner")
    assert stranger.api.get(f"/api/0/organizations/{stranger.org}/issues/{issue['id']}/notes/"
                            ).status_code == 404


def test_writes_record_activity_in_sentrys_types(sentry_project, two_issues, owner, digest):
    p = sentry_project
    issue = two_issues["KeyError"]
    url = f"/api/0/organizations/{p.org}/issues/{issue['id']}/"
    p.api.post(f"{url}notes/", json={"text": "looking"})
    assert p.api.put(url, json={"assignedTo": f"user:{owner.user.id}"}).status_code == 200
    assert p.api.put(url, json={"status": "ignored", "ignoreDuration": 30}).status_code == 200
    assert p.api.put(url, json={"status": "unresolved", "assignedTo": ""}).status_code == 200
    assert p.api.put(url, json={"status": "resolved"}).status_code == 200
    assert p.api.put(url, json={"priority": "low"}).status_code == 200
    assert p.send_event(exception_event(user={"id": "1"}, tags={"team": "core"},
                                        release="2.0")).status_code == 200
    digest()  # the resolved issue regresses
    listed = p.api.get(f"{url}activities/")
    assert listed.status_code == 200, listed.json
    types = [a["type"] for a in listed.json["activity"]]
    assert types == ["set_regression", "set_priority", "set_resolved", "unassigned",
                     "set_unresolved", "set_ignored", "assigned", "note", "first_seen"]
    by_type = {a["type"]: a for a in listed.json["activity"]}
    assert by_type["set_regression"]["user"] is None
    assert by_type["set_regression"]["data"] == {"version": "2.0"}
    assert by_type["set_ignored"]["data"] == {"ignoreDuration": 30}
    assert by_type["assigned"]["data"] == {"assignee": str(owner.user.id), "assigneeType": "user"}
    assert by_type["assigned"]["user"]["id"] == owner.user.id
    assert by_type["first_seen"]["dateCreated"] == issue["firstSeen"]
    detail = p.api.get(url).json
    assert [a["type"] for a in detail["activity"]] == types
    assert p.api.get(f"/api/0/issues/{issue['id']}/activities/").json == listed.json


def test_merge_moves_events_to_the_parent(sentry_project, two_issues, digest, app):
    p = sentry_project
    keyerror, valueerror = two_issues["KeyError"], two_issues["ValueError"]
    ids = [keyerror["id"], valueerror["id"]]
    url = f"/api/0/organizations/{p.org}/issues/?id={ids[0]}&id={ids[1]}"
    merged = p.api.put(url, json={"merge": True})
    assert merged.status_code == 200, merged.json
    assert merged.json["merge"] == {"parent": keyerror["id"], "children": [valueerror["id"]]}

    parent_url = f"/api/0/organizations/{p.org}/issues/{keyerror['id']}/"
    parent = p.api.get(parent_url).json
    assert parent["count"] == "3" and parent["userCount"] == 3
    assert {t["key"]: t["totalValues"] for t in parent["tags"]}["team"] == 3
    events = p.api.get(f"{parent_url}events/").json
    assert len(events) == 3
    # The child's id answers as its parent, on every path.
    assert p.api.get(f"/api/0/organizations/{p.org}/issues/{valueerror['id']}/").json["id"] == keyerror["id"]
    assert p.api.get(f"/api/0/issues/{valueerror['id']}/").json["id"] == keyerror["id"]
    listed = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/issues/?query=").json
    assert [i["id"] for i in listed] == [keyerror["id"]]
    assert p.api.get(f"{parent_url}activities/").json["activity"][0]["type"] == "merge"
    # A new event of the child's fingerprint joins the parent.
    assert p.send_event(exception_event("ValueError", "bad", function="parse")).status_code == 200
    digest()
    assert p.api.get(parent_url).json["count"] == "4"
    assert len(p.api.get(f"/api/0/projects/{p.org}/{p.slug}/issues/?query=").json) == 1


def test_merge_refusals(sentry_project, two_issues, make_actor):
    p = sentry_project
    one = two_issues["KeyError"]["id"]
    alone = p.api.put(f"/api/0/organizations/{p.org}/issues/?id={one}", json={"merge": True})
    assert alone.status_code == 400 and "merge" in alone.json

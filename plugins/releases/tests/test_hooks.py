"""What stored events tell releases (the ``events_stored`` hook the events plugin calls),
seen through the API: releases created on first sight, first and last events, new issues,
environments, and a release with new issues kept from deletion."""

from __future__ import annotations

import datetime as dt

from sentryapi_releases.testing import release_path

from sentryapi.api import call_hook

T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def event(owner, project, release, minutes, group, environment="production"):
    return {"organization_id": owner.organization.id, "project_id": int(project["id"]),
            "group_id": group, "release": release, "environment": environment,
            "timestamp": T0 + dt.timedelta(minutes=minutes)}


def store(app, events, new_groups=()):
    with app.app_context():
        from sentryapi.api import db

        call_hook("events_stored", events, list(new_groups))
        db.session.commit()


def test_events_create_and_link_releases(app, owner, create_project, create_release):
    web = create_project(owner, name="Web", slug="web")
    api = create_project(owner, name="Api", slug="api")
    create_release(owner, "known@1.0", ["api"])
    store(app, [
        event(owner, web, "app@2.0", 5, 1), event(owner, web, "app@2.0", 1, 1),
        event(owner, web, "app@2.0", 9, 2, environment=None),
        event(owner, api, "known@1.0", 3, 3, environment="staging"),
        event(owner, web, None, 4, 4), event(owner, web, "bad\tversion", 4, 5),
    ], new_groups=[1, 3])
    new = owner.api.get(release_path(owner.org, "app@2.0"))
    assert new.status_code == 200, new.json
    assert new.json["dateCreated"] == "2024-03-01T12:01:00Z"
    assert new.json["firstEvent"] == "2024-03-01T12:01:00Z"
    assert new.json["lastEvent"] == "2024-03-01T12:09:00Z"
    assert new.json["newGroups"] == 1 and new.json["projects"][0]["slug"] == "web"
    known = owner.api.get(release_path(owner.org, "known@1.0")).json
    assert known["newGroups"] == 1 and known["firstEvent"] == "2024-03-01T12:03:00Z"
    listed = owner.api.get(f"/api/0/organizations/{owner.org}/releases/")
    assert sorted(r["version"] for r in listed.json) == ["app@2.0", "known@1.0"]
    staging = owner.api.get(f"/api/0/organizations/{owner.org}/releases/?environment=staging")
    assert [r["version"] for r in staging.json] == ["known@1.0"]

    # A later batch moves the last event, not the first; new issues add up.
    store(app, [event(owner, web, "app@2.0", 30, 6), event(owner, web, "app@2.0", 0, 7)], new_groups=[6])
    again = owner.api.get(release_path(owner.org, "app@2.0")).json
    assert again["firstEvent"] == "2024-03-01T12:00:00Z" and again["lastEvent"] == "2024-03-01T12:30:00Z"
    assert again["newGroups"] == 2


def test_a_release_issues_were_first_seen_in_is_kept(app, owner, create_project, create_release):
    web = create_project(owner, name="Web", slug="web")
    create_release(owner, "quiet", ["web"])
    store(app, [event(owner, web, "noisy", 1, 1)], new_groups=[1])
    refused = owner.api.delete(release_path(owner.org, "noisy"))
    assert refused.status_code == 400
    assert refused.json["detail"] == "This release is referenced by active issues and cannot be removed."
    assert owner.api.delete(release_path(owner.org, "quiet")).status_code == 204

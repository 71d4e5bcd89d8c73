"""What stored events tell releases (the ``events_stored`` hook the events plugin calls),
seen through the API: releases created on first sight, first and last events, new issues,
environments, and a release with new issues kept from deletion."""

from __future__ import annotations

import datetime as dt

import pytest
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


def hook(app, name, *args):
    with app.app_context():
        from sentryapi.api import db

        results = call_hook(name, *args)
        db.session.commit()
        return results


def test_resolved_in_next_release_reopens_only_from_a_later_release(app, owner, create_project,
                                                                    create_release):
    web = create_project(owner, name="Web", slug="web")
    org, project = owner.organization.id, int(web["id"])
    create_release(owner, "1.0", ["web"])
    create_release(owner, "2.0", ["web"])
    assert hook(app, "resolve_in_release", org, {10: project, 11: project},
                {"inNextRelease": True}) == [{"inNextRelease": True}]
    holding = hook(app, "resolutions_holding", {10: ["2.0", None], 11: ["1.0"]})
    assert holding == [{10, 11}]  # the basis release, an older one, or none: still resolved
    create_release(owner, "3.0", ["web"])
    assert hook(app, "resolutions_holding", {10: ["2.0", "3.0"], 11: ["never-seen"]}) == [set()]
    hook(app, "issues_reopened", [10])
    assert hook(app, "resolutions_holding", {10: ["1.0"], 11: ["1.0"]}) == [{11}]


def test_resolved_in_a_release(app, owner, create_project, create_release):
    web = create_project(owner, name="Web", slug="web")
    org, project = owner.organization.id, int(web["id"])
    for version in ("1.0", "2.0", "3.0"):
        create_release(owner, version, ["web"])
    assert hook(app, "resolve_in_release", org, {20: project}, {"inRelease": "2.0"}) == [{"inRelease": "2.0"}]
    assert hook(app, "resolutions_holding", {20: ["1.0", None]}) == [{20}]
    assert hook(app, "resolutions_holding", {20: ["2.0"]}) == [set()]
    assert hook(app, "resolutions_holding", {20: ["3.0"]}) == [set()]
    assert hook(app, "resolve_in_release", org, {20: project}, {"inRelease": "latest"}) == [{"inRelease": "3.0"}]
    # A plain resolve forgets the release: any event reopens it.
    assert hook(app, "resolve_in_release", org, {20: project}, {}) == []  # None: not resolved in a release; left out of the answers
    assert hook(app, "resolutions_holding", {20: ["1.0"]}) == [set()]


def test_resolving_in_a_release_that_does_not_exist_is_refused(app, owner, create_project):
    import pytest

    from sentryapi.api import ValidationFailed

    web = create_project(owner, name="Web", slug="web")
    org, project = owner.organization.id, int(web["id"])
    with pytest.raises(ValidationFailed) as next_release:
        hook(app, "resolve_in_release", org, {30: project}, {"inNextRelease": True})
    assert "No release data present" in next_release.value.detail
    with pytest.raises(ValidationFailed) as unknown:
        hook(app, "resolve_in_release", org, {30: project}, {"inRelease": "9.9"})
    assert "Unable to find a release with the given version." in unknown.value.detail


def test_projects_show_their_latest_release(owner, create_project, create_release):
    create_project(owner, name="Web", slug="web")
    create_project(owner, name="Api", slug="api")
    create_release(owner, "1.0", ["web", "api"])
    create_release(owner, "2.0", ["web"])
    listed = {p["slug"]: p["latestRelease"] for p in
              owner.api.get(f"/api/0/organizations/{owner.org}/projects/").json}
    assert listed == {"web": {"version": "2.0"}, "api": {"version": "1.0"}}
    assert owner.api.get(f"/api/0/projects/{owner.org}/web/").json["latestRelease"] == {"version": "2.0"}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_digests_storing_a_new_release_environment_at_once_both_count(
        app, owner, create_project, create_release):
    """Two digest processes' batches first see the same (release, project, environment):
    the second waits for the first's row instead of failing on a duplicate, and both
    batches' new issues are counted."""
    import threading

    from sentryapi_releases.models import ReleaseProjectEnvironment
    from sentryapi_releases.services import touch_environments
    from sqlalchemy import select

    from sentryapi.api import db

    web = create_project(owner, name="Web", slug="web")
    release = create_release(owner, "app@3.0", ["web"])
    release_id = int(release["id"])
    first_inserted, errors = threading.Event(), []

    def first_batch():
        with app.app_context():
            touch_environments(release_id, [int(web["id"])], "production", seen=T0, new_issues=2)
            first_inserted.set()
            threading.Event().wait(0.5)  # holds its new row uncommitted meanwhile
            db.session.commit()

    def second_batch():
        assert first_inserted.wait(10)
        with app.app_context():
            try:
                touch_environments(release_id, [int(web["id"])], "production",
                                   seen=T0 + dt.timedelta(minutes=1), new_issues=3)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(error)

    threads = [threading.Thread(target=first_batch), threading.Thread(target=second_batch)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    with app.app_context():
        [row] = db.session.scalars(select(ReleaseProjectEnvironment).where(
            ReleaseProjectEnvironment.release_id == release_id)).all()
        assert row.new_issues_count == 5
        assert row.first_seen == T0 and row.last_seen == T0 + dt.timedelta(minutes=1)

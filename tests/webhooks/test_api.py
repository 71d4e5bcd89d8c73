"""The service-hook API: Sentry's project hooks, organization hooks, input checks, access."""

from __future__ import annotations

from .conftest import make_project


def hooks_url(actor, project):
    return f"/api/0/projects/{actor.org}/{project}/hooks/"


def test_create_list_update_delete_a_project_hook(hooks_app, owner, receiver):
    project = make_project(owner)
    created = owner.api.post(hooks_url(owner, project),
                             json={"url": receiver.url, "events": ["event.created", "issue"]})
    assert created.status_code == 201, created.json
    hook = created.json
    assert set(hook) >= {"id", "url", "events", "secret", "status", "dateCreated"}
    assert hook["status"] == "active" and len(hook["secret"]) == 64 and len(hook["id"]) == 32
    assert hook["events"] == ["event.created", "issue"]

    listed = owner.api.get(hooks_url(owner, project))
    assert listed.status_code == 200 and [h["id"] for h in listed.json] == [hook["id"]]
    assert 'rel="next"' in listed.headers["Link"]
    detail = hooks_url(owner, project) + hook["id"] + "/"
    assert owner.api.get(detail).json == hook

    updated = owner.api.put(detail, json={"events": ["issue.created"]})
    assert updated.status_code == 200 and updated.json["events"] == ["issue.created"]
    assert updated.json["url"] == receiver.url

    paused = owner.api.put(detail, json={"status": "disabled"})
    assert paused.json["status"] == "disabled" and paused.json["disabledReason"]
    resumed = owner.api.put(detail, json={"status": "active"})
    assert resumed.json["status"] == "active" and resumed.json["disabledReason"] is None

    assert owner.api.delete(detail).status_code == 204
    assert owner.api.get(detail).status_code == 404
    assert owner.api.get(hooks_url(owner, project)).json == []


def test_organization_hooks_are_apart_from_project_hooks(hooks_app, owner, receiver):
    project = make_project(owner)
    org_hooks = f"/api/0/organizations/{owner.org}/hooks/"
    created = owner.api.post(org_hooks, json={"url": receiver.url, "events": ["issue.created"]})
    assert created.status_code == 201, created.json
    assert [h["id"] for h in owner.api.get(org_hooks).json] == [created.json["id"]]
    assert owner.api.get(hooks_url(owner, project)).json == []
    assert owner.api.get(hooks_url(owner, project) + created.json["id"] + "/").status_code == 404
    detail = f"{org_hooks}{created.json['id']}/"
    assert owner.api.put(detail, json={"url": receiver.url + "/v2"}).json["url"] == receiver.url + "/v2"
    assert owner.api.delete(detail).status_code == 204


def test_bad_subscriptions_are_400(app, owner):
    project = make_project(owner)
    url = hooks_url(owner, project)
    cases = [
        ({"url": "not a url", "events": ["event.created"]}, "url"),
        ({"url": "ftp://example.com/hook", "events": ["event.created"]}, "url"),
        ({"url": "http://user:pw@example.com/", "events": ["event.created"]}, "url"),
        ({"url": "http://127.0.0.1:9/hook", "events": ["event.created"]}, "url"),
        ({"url": "http://169.254.169.254/latest/meta-data/", "events": ["event.created"]}, "url"),
        ({"url": "http://[::ffff:10.0.0.1]/", "events": ["event.created"]}, "url"),
        ({"url": "http://localhost/", "events": ["event.created"]}, "url"),
        ({"url": "https://hooks.invalid/", "events": ["event.created"]}, "url"),
        ({"url": "https://example.com/", "events": ["nope.created"]}, "events"),
        ({"url": "https://example.com/", "events": []}, "events"),
        ({"url": "https://example.com/", "events": "event.created"}, "events"),
        ({"url": "https://example.com/"}, "events"),
        ({"events": ["event.created"]}, "url"),
    ]
    for body, field in cases:
        response = owner.api.post(url, json=body)
        assert response.status_code == 400, (body, response.json)
        assert field in response.json, (body, response.json)
    unknown = owner.api.post(url, json={"url": "https://example.com/", "events": ["issue.exploded"]})
    assert unknown.json["events"] == ["Invalid event name: issue.exploded"]
    assert owner.api.get(url).json == []


def test_private_addresses_are_allowed_by_the_setting(hooks_app, owner):
    project = make_project(owner)
    response = owner.api.post(hooks_url(owner, project),
                              json={"url": "http://127.0.0.1:9/hook", "events": ["event.created"]})
    assert response.status_code == 201


def test_access(hooks_app, owner, make_actor, make_token, receiver):
    project = make_project(owner)
    url = hooks_url(owner, project)
    hook = owner.api.post(url, json={"url": receiver.url, "events": ["issue"]}).json
    detail = f"{url}{hook['id']}/"
    other = make_actor("owner")
    assert other.api.get(f"/api/0/projects/{owner.org}/{project}/hooks/").status_code == 404
    other_project = make_project(other)
    assert other.api.get(f"/api/0/projects/{other.org}/{other_project}/hooks/{hook['id']}/").status_code == 404
    reader = owner.api.as_(make_token(owner.user, ["project:read"]))
    assert reader.get(detail).status_code == 200
    assert reader.put(detail, json={"events": ["issue"]}).status_code == 403
    assert reader.post(url, json={"url": receiver.url, "events": ["issue"]}).status_code == 403
    writer = owner.api.as_(make_token(owner.user, ["project:write"]))
    assert writer.delete(detail).status_code == 403  # project:admin, as Sentry
    org_reader = owner.api.as_(make_token(owner.user, ["org:read"]))
    assert org_reader.get(f"/api/0/organizations/{owner.org}/hooks/").status_code == 200
    assert org_reader.post(f"/api/0/organizations/{owner.org}/hooks/",
                           json={"url": receiver.url, "events": ["issue"]}).status_code == 403
    assert owner.api.get(f"{url}0123456789abcdef0123456789abcdef/").status_code == 404


def test_a_deleted_projects_hooks_go_with_it(hooks_app, owner, receiver):
    from sqlalchemy import func, select

    from sentryapi.extensions import db
    from sentryapi.webhooks.models import ServiceHook

    project = make_project(owner)
    assert owner.api.post(hooks_url(owner, project),
                          json={"url": receiver.url, "events": ["issue"]}).status_code == 201
    assert owner.api.delete(f"/api/0/projects/{owner.org}/{project}/").status_code == 204
    with hooks_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ServiceHook)) == 0

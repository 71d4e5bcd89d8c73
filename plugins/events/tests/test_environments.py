"""Environments: recorded from events, listed per organization and project, hidden and shown."""

from __future__ import annotations

import pytest
from sentryapi_events.environments import Environment, EnvironmentProject
from sentryapi_events.testing import exception_event

from sentryapi.testing import follow_links

ORG_ENVIRONMENTS = "/api/0/organizations/{organization_id_or_slug}/environments/"
PROJECT_ENVIRONMENTS = "/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/environments/"
PROJECT_ENVIRONMENT = PROJECT_ENVIRONMENTS + "{environment}/"


@pytest.fixture
def environments(sentry_project, digest):
    """Events in three environments (one twice), one without, one with a name Sentry refuses."""
    for name in ("production", "staging", "production", "dev box", None, "a/b"):
        extra = {"environment": name} if name is not None else {}
        assert sentry_project.send_event(exception_event(**extra)).status_code == 200
    digest()
    return sentry_project


def test_environments_are_recorded_once_each_from_events(environments, rows, sentry_conforms):
    p = environments
    response = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/environments/")
    assert response.status_code == 200
    assert [(e["name"], e["isHidden"]) for e in response.json] == [
        ("dev box", False), ("production", False), ("staging", False)]
    assert sentry_conforms("GET", PROJECT_ENVIRONMENTS, 200, response.json) == []
    assert rows(Environment) == 3 and rows(EnvironmentProject) == 3
    org = p.api.get(f"/api/0/organizations/{p.org}/environments/")
    assert org.status_code == 200
    assert [e["name"] for e in org.json] == ["dev box", "production", "staging"]
    assert {e["id"] for e in org.json} == {e["id"] for e in response.json}
    assert sentry_conforms("GET", ORG_ENVIRONMENTS, 200, org.json) == []


def test_one_environment_hidden_and_shown(environments, sentry_conforms):
    p = environments
    url = f"/api/0/projects/{p.org}/{p.slug}/environments/staging/"
    got = p.api.get(url)
    assert got.status_code == 200 and got.json["isHidden"] is False
    assert sentry_conforms("GET", PROJECT_ENVIRONMENT, 200, got.json) == []
    hidden = p.api.put(url, json={"isHidden": True})
    assert hidden.status_code == 200 and hidden.json == {**got.json, "isHidden": True}
    assert sentry_conforms("PUT", PROJECT_ENVIRONMENT, 200, hidden.json) == []
    lists = {v: [e["name"] for e in p.api.get(
        f"/api/0/projects/{p.org}/{p.slug}/environments/?visibility={v}").json]
        for v in ("visible", "hidden", "all")}
    assert lists == {"visible": ["dev box", "production"], "hidden": ["staging"],
                     "all": ["dev box", "production", "staging"]}
    org = [e["name"] for e in p.api.get(f"/api/0/organizations/{p.org}/environments/?visibility=hidden").json]
    assert org == ["staging"]
    assert p.api.put(url, json={"isHidden": False}).json["isHidden"] is False
    assert "staging" in [e["name"] for e in p.api.get(f"/api/0/projects/{p.org}/{p.slug}/environments/").json]


def test_a_name_with_a_space_is_reached_by_its_url(environments):
    p = environments
    assert p.api.get(f"/api/0/projects/{p.org}/{p.slug}/environments/dev%20box/").json["name"] == "dev box"


def test_bulk_hide_answers_the_environments_it_changed(environments, sentry_conforms):
    p = environments
    response = p.api.put(f"/api/0/projects/{p.org}/{p.slug}/environments/",
                         json={"environmentNames": ["production", "staging", "unknown"], "isHidden": True})
    assert response.status_code == 200
    assert [(e["name"], e["isHidden"]) for e in response.json] == [("production", True), ("staging", True)]
    assert sentry_conforms("PUT", PROJECT_ENVIRONMENTS, 200, response.json) == []
    visible = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/environments/").json
    assert [e["name"] for e in visible] == ["dev box"]


@pytest.mark.parametrize("body, field", [
    ({"isHidden": True}, "environmentNames"),
    ({"environmentNames": ["production"]}, "isHidden"),
    ({"environmentNames": ["x"] * 1001, "isHidden": True}, "environmentNames"),
    ({"environmentNames": "production", "isHidden": True}, "environmentNames"),
])
def test_bad_bulk_updates_are_400_naming_the_field(environments, body, field):
    p = environments
    response = p.api.put(f"/api/0/projects/{p.org}/{p.slug}/environments/", json=body)
    assert response.status_code == 400
    assert field in response.json


def test_unknown_environment_and_bad_visibility(environments):
    p = environments
    assert p.api.get(f"/api/0/projects/{p.org}/{p.slug}/environments/nope/").status_code == 404
    assert p.api.put(f"/api/0/projects/{p.org}/{p.slug}/environments/nope/",
                     json={"isHidden": True}).status_code == 404
    response = p.api.get(f"/api/0/projects/{p.org}/{p.slug}/environments/?visibility=sometimes")
    assert response.status_code == 400 and "visibility" in response.json


def test_lists_page_by_name(sentry_project, digest):
    p = sentry_project
    for n in range(5):
        assert p.send_event(exception_event(environment=f"env-{n}")).status_code == 200
    digest()
    pages, _ = follow_links(p.api, f"/api/0/projects/{p.org}/{p.slug}/environments/?per_page=2")
    assert [[e["name"] for e in page] for page in pages] == [["env-0", "env-1"], ["env-2", "env-3"], ["env-4"]]
    pages, _ = follow_links(p.api, f"/api/0/organizations/{p.org}/environments/?per_page=3")
    assert [len(page) for page in pages] == [3, 2]


def test_scopes(environments, owner, make_token):
    p = environments
    reader = p.api.as_(make_token(owner.user, ["project:read"]))
    url = f"/api/0/projects/{p.org}/{p.slug}/environments/production/"
    assert reader.get(url).status_code == 200
    assert reader.put(url, json={"isHidden": True}).status_code == 403
    org_reader = p.api.as_(make_token(owner.user, ["org:read"]))
    assert org_reader.get(f"/api/0/organizations/{p.org}/environments/").status_code == 200
    assert org_reader.get(url).status_code == 403


def test_deleting_the_project_removes_its_environment_rows(environments, rows, app):
    from sentryapi_projects import delete_project

    from sentryapi.api import db

    with app.app_context():
        delete_project(environments.id)
        db.session.commit()
    assert rows(EnvironmentProject) == 0
    assert environments.api.get(f"/api/0/organizations/{environments.org}/environments/").json == []


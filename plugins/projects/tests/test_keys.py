"""Client keys (DSNs): CRUD, the dsn object, and the lookup ingestion uses."""

from __future__ import annotations

import re

import pytest
import sentry_sdk.utils
from sentryapi_projects import Project, ProjectKey, find_ingest_key
from sentryapi_projects.keys import dsn_urls, key_secret

from sentryapi.api import db

HEX32 = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def project(owner, create_project):
    return create_project(owner, name="Api", slug="api")


def keys_url(actor, project_slug="api"):
    return f"/api/0/projects/{actor.org}/{project_slug}/keys/"


def test_default_key_has_sentrys_shape_and_a_working_dsn(owner, project):
    key = owner.api.get(keys_url(owner)).json[0]
    pid = int(project["id"])
    assert HEX32.match(key["public"]) and HEX32.match(key["secret"])
    assert key["id"] == key["public"] and key["projectId"] == pid
    base = "http://testserver.example"
    assert key["dsn"]["public"] == f"http://{key['public']}@testserver.example/{pid}"
    assert key["dsn"]["secret"] == f"http://{key['public']}:{key['secret']}@testserver.example/{pid}"
    assert key["dsn"]["csp"] == f"{base}/api/{pid}/csp-report/?sentry_key={key['public']}"
    assert key["dsn"]["unreal"] == f"{base}/api/{pid}/unreal/{key['public']}/"
    assert key["dsn"]["crons"] == f"{base}/api/{pid}/cron/___MONITOR_SLUG___/{key['public']}/"
    assert key["dsn"]["otlp_traces"] == f"{base}/api/{pid}/integration/otlp/v1/traces"
    assert set(key["dsn"]) == {"secret", "public", "csp", "security", "minidump", "nel", "unreal",
                               "crons", "cdn", "playstation", "integration", "otlp_traces", "otlp_logs"}
    # The official SDK reads it: where it will send events, and for which project.
    dsn = sentry_sdk.utils.Dsn(key["dsn"]["public"])
    assert (dsn.project_id, dsn.public_key, dsn.host) == (str(pid), key["public"], "testserver.example")
    assert dsn.to_auth().get_api_url().endswith(f"testserver.example/api/{pid}/envelope/")


@pytest.mark.parametrize("public_url, netloc, prefix", [
    ("https://sentry.example.com", "sentry.example.com", ""),
    ("http://127.0.0.1:9000", "127.0.0.1:9000", ""),
    ("https://example.com/sentry", "example.com", "/sentry"),
])
def test_dsn_follows_the_public_url(app, public_url, netloc, prefix):
    with app.test_request_context():
        saved = app.config["PUBLIC_URL"]
        app.config["PUBLIC_URL"] = public_url
        try:
            urls = dsn_urls("a" * 32, 42)
        finally:
            app.config["PUBLIC_URL"] = saved
    scheme = public_url.split(":")[0]
    assert urls["public"] == f"{scheme}://{'a' * 32}@{netloc}{prefix}/42"
    assert urls["minidump"] == f"{scheme}://{netloc}{prefix}/api/42/minidump/?sentry_key={'a' * 32}"
    parsed = sentry_sdk.utils.Dsn(urls["public"])
    assert parsed.to_auth().get_api_url() == f"{scheme}://{netloc}{prefix}/api/42/envelope/"


def test_create_get_update_delete(owner, project):
    created = owner.api.post(keys_url(owner), json={"name": "CI", "rateLimit": {"window": 60, "count": 100}})
    assert created.status_code == 201
    key = created.json
    assert (key["name"], key["rateLimit"]) == ("CI", {"window": 60, "count": 100})
    url = f"{keys_url(owner)}{key['id']}/"
    assert owner.api.get(url).json == key
    updated = owner.api.put(url, json={
        "name": "CI 2", "isActive": False, "rateLimit": None, "browserSdkVersion": "7.x",
        "dynamicSdkLoaderOptions": {"hasDebug": True}})
    assert updated.status_code == 200
    assert (updated.json["name"], updated.json["isActive"], updated.json["rateLimit"]) == ("CI 2", False, None)
    assert updated.json["browserSdkVersion"] == "7.x"
    assert updated.json["dynamicSdkLoaderOptions"]["hasDebug"] is True
    assert updated.json["dynamicSdkLoaderOptions"]["hasReplay"] is True
    names = [k["name"] for k in owner.api.get(keys_url(owner)).json]
    assert names == ["CI 2", "Default"]  # newest first
    assert [k["name"] for k in owner.api.get(keys_url(owner) + "?status=inactive").json] == ["CI 2"]
    assert [k["name"] for k in owner.api.get(keys_url(owner) + "?status=active").json] == ["Default"]
    assert owner.api.get(keys_url(owner) + "?status=gone").status_code == 400
    assert owner.api.delete(url).status_code == 204
    assert owner.api.get(url).status_code == 404
    assert [k["name"] for k in owner.api.get(keys_url(owner)).json] == ["Default"]


def test_a_key_without_a_name_gets_one(owner, project):
    key = owner.api.post(keys_url(owner), json={}).json
    assert re.match(r"^[A-Z][a-z]+ [A-Z][a-z]+$", key["name"])


def test_rate_limit_needs_both_halves_and_nulls_clear_it(owner, project):
    key = owner.api.post(keys_url(owner), json={"rateLimit": {"window": 60, "count": 5}}).json
    url = f"{keys_url(owner)}{key['id']}/"
    half = owner.api.put(url, json={"rateLimit": {"count": 10}})
    assert half.status_code == 400 and "rateLimit" in half.json
    cleared = owner.api.put(url, json={"rateLimit": {"count": None, "window": None}})
    assert cleared.json["rateLimit"] is None


@pytest.mark.parametrize("body", [
    {"name": ""}, {"name": 3}, {"isActive": "perhaps"}, {"rateLimit": {"window": -1, "count": 1}},
    {"rateLimit": {"window": 86401, "count": 1}}, {"rateLimit": "lots"},
    {"browserSdkVersion": "9.x"}, {"dynamicSdkLoaderOptions": {"hasDebug": "yes!"}},
])
def test_bad_key_updates_are_400_and_change_nothing(owner, project, body):
    key = owner.api.get(keys_url(owner)).json[0]
    url = f"{keys_url(owner)}{key['id']}/"
    response = owner.api.put(url, json=body)
    assert response.status_code == 400 and response.json["detail"]
    assert owner.api.get(url).json == key


def test_key_secrets_and_ids_are_never_written(owner, project, app):
    chosen = {"public": "f" * 32, "secret": "e" * 32, "id": "d" * 32, "projectId": 999,
              "dateCreated": "2001-01-01T00:00:00Z", "dsn": {"public": "http://x@evil/1"}}
    created = owner.api.post(keys_url(owner), json={"name": "Mine", **chosen}).json
    assert created["public"] not in ("f" * 32, "d" * 32) and created["secret"] != "e" * 32
    assert created["projectId"] == int(project["id"]) and "evil" not in created["dsn"]["public"]
    url = f"{keys_url(owner)}{created['id']}/"
    assert owner.api.put(url, json=chosen).json == created
    with app.app_context():
        stored = db.session.query(ProjectKey).filter_by(public_key=created["public"]).one()
        assert not hasattr(stored, "secret_key")  # the secret half is derived, not stored
        assert key_secret(created["public"]) == created["secret"]


def test_unknown_keys_and_other_projects_keys_are_404(owner, create_project):
    create_project(owner, name="Api", slug="api")
    create_project(owner, name="Web", slug="web")
    web_key = owner.api.get(keys_url(owner, "web")).json[0]["id"]
    assert owner.api.get(f"{keys_url(owner, 'api')}{web_key}/").status_code == 404
    assert owner.api.put(f"{keys_url(owner, 'api')}{web_key}/", json={"isActive": False}).status_code == 404
    assert owner.api.delete(f"{keys_url(owner, 'api')}{web_key}/").status_code == 404
    assert owner.api.get(f"{keys_url(owner, 'api')}{'0' * 32}/").status_code == 404
    assert owner.api.get(f"{keys_url(owner, 'web')}{web_key}/").json["isActive"] is True


def test_find_ingest_key_follows_the_key_and_its_project(owner, project, app):
    key = owner.api.get(keys_url(owner)).json[0]
    with app.app_context():
        found = find_ingest_key(key["public"])
        assert found.is_active and found.project_id == int(project["id"])
        assert found.organization_id == owner.organization.id
        assert (found.rate_limit_count, found.rate_limit_window) == (None, None)
        assert found.secret_matches(key["secret"]) and not found.secret_matches("0" * 32)
        assert find_ingest_key(key["public"].upper()) == found
        for junk in ("", "x" * 32, "0" * 32, key["public"][:31], None, key["public"] + "0"):
            assert find_ingest_key(junk) is None
    owner.api.put(f"{keys_url(owner)}{key['id']}/",
                  json={"isActive": False, "rateLimit": {"window": 60, "count": 7}})
    with app.app_context():
        found = find_ingest_key(key["public"])
        assert found.is_active is False and (found.rate_limit_count, found.rate_limit_window) == (7, 60)
    owner.api.put(f"{keys_url(owner)}{key['id']}/", json={"isActive": True})
    owner.api.delete(f"{keys_url(owner)}{key['id']}/")
    with app.app_context():
        assert find_ingest_key(key["public"]) is None


def test_a_project_being_deleted_refuses_its_keys_at_once(owner, project, app):
    key = owner.api.get(keys_url(owner)).json[0]["public"]
    with app.app_context():
        stored = db.session.get(Project, int(project["id"]))
        stored.status = "pending_deletion"  # the first step of a deletion, before the rows go
        db.session.commit()
        assert find_ingest_key(key).is_active is False
    assert owner.api.get(keys_url(owner)).status_code == 404


def test_organization_keys_list(owner, create_project):
    create_project(owner, name="Api", slug="api", team="backend")
    create_project(owner, name="Web", slug="web", team="frontend")
    api_key = owner.api.get(keys_url(owner, "api")).json[0]
    owner.api.put(f"{keys_url(owner, 'api')}{api_key['id']}/", json={"isActive": False})
    url = f"/api/0/organizations/{owner.org}/project-keys/"
    everything = owner.api.get(url).json
    assert len(everything) == 2
    backend = owner.api.get(url, query_string={"team": "backend"}).json
    assert [k["id"] for k in backend] == [api_key["id"]]
    assert [k["id"] for k in owner.api.get(url, query_string={"status": "inactive"}).json] == [api_key["id"]]
    assert owner.api.get(url, query_string={"team": "nope"}).status_code == 404

"""Every failure is JSON {"detail": ...} with the right status; nothing leaks or changes."""

import pytest

from sentryapi.testing import build_app


def test_unknown_routes(anonymous):
    r = anonymous.get("/api/0/nothing-here/")
    assert (r.status_code, r.json) == (404, {"detail": "The requested resource does not exist"})
    r = anonymous.get("/api/0/organizations")
    assert r.status_code == 404
    assert r.json["info"] == "Route not found, did you forget a trailing slash?"
    assert r.json["suggestion"] == "try: /api/0/organizations/"
    assert anonymous.get("/not-api").json["detail"]


def test_method_not_allowed(owner):
    r = owner.api.request("PATCH", "/api/0/organizations/")
    assert (r.status_code, r.json) == (405, {"detail": 'Method "PATCH" not allowed.'})


def test_malformed_json_is_400_and_changes_nothing(owner):
    url = f"/api/0/organizations/{owner.org}/"
    before = owner.api.get(url).json
    r = owner.api.put(url, data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json["detail"].startswith("JSON parse error")
    assert r.headers["Content-Type"] == "application/json"
    assert owner.api.put(url, data=b"\xff\xfe{", headers={"Content-Type": "application/json"}).status_code == 400
    assert owner.api.put(url, data="[1, 2]", headers={"Content-Type": "application/json"}).status_code == 400
    deep = "[" * 100_000 + "]" * 100_000
    r = owner.api.put(url, data=deep, headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 413) and "detail" in r.json
    assert owner.api.get(url).json == before


def test_wrong_content_type_is_415(owner):
    r = owner.api.put(f"/api/0/organizations/{owner.org}/", data="name=x",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    assert r.json == {"detail": 'Unsupported media type "application/x-www-form-urlencoded" in request.'}


def test_empty_body_reads_as_empty_object(owner):
    r = owner.api.put(f"/api/0/organizations/{owner.org}/")
    assert r.status_code == 200


def test_oversized_body_is_413(owner):
    body = '{"name": "' + "x" * (1024 * 1024 + 10) + '"}'
    r = owner.api.put(f"/api/0/organizations/{owner.org}/", data=body,
                      headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json) == (413, {"detail": "Request body is too large."})


def test_validation_errors_name_the_field(owner):
    r = owner.api.put(f"/api/0/organizations/{owner.org}/", json={"slug": "No Spaces"})
    assert r.status_code == 400
    assert r.json["slug"] == ["Enter a valid slug consisting of lowercase letters, numbers, "
                              "underscores or hyphens. It cannot be entirely numeric."]
    assert r.json["detail"].startswith("slug: ")


def test_huge_query_values_are_refused_cleanly(owner):
    r = owner.api.get("/api/0/organizations/?query=" + "a" * 5000)
    assert r.status_code == 400 and "query" in r.json


@pytest.fixture
def crashing_app(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    return app


def test_unexpected_errors_are_500_without_a_traceback(crashing_app, caplog):
    r = crashing_app.test_client().get("/boom")
    assert r.status_code == 500
    assert set(r.json) == {"detail", "errorId"}
    assert r.json["detail"] == "Internal Error"
    assert "hunter2" not in r.get_data(as_text=True)
    assert r.json["errorId"] in caplog.text  # the operator can find it in the log


def test_database_outage_is_503_with_retry_after(tmp_path):
    app = build_app("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1", tmp_path)
    r = app.test_client().get("/api/0/organizations/", headers={"Authorization": "Bearer sntryu_" + "1" * 64})
    assert r.status_code == 503
    assert r.headers["Retry-After"].isdigit()
    assert set(r.json) == {"detail"}
    assert "psycopg" not in r.get_data(as_text=True)


def test_an_empty_secret_key_is_never_used(tmp_path, monkeypatch):
    """Outside tests an empty key is replaced by a random one kept in the instance folder;
    the documented example key stops start-up (tests/test_config.py)."""
    from sentryapi import create_app

    monkeypatch.setenv("SENTRYAPI_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SENTRYAPI_SECRET_KEY", "")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    assert len(app.config["SECRET_KEY"]) == 64
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()


def test_a_crash_in_any_api_view_is_internal_error_with_an_id(app, owner, monkeypatch, caplog):
    """Forced in a real view (not a test route), past authentication and the handlers."""
    from sentryapi.organizations import views

    def explode(*args, **kwargs):
        raise RuntimeError("password=hunter2 in SELECT * FROM secrets")

    monkeypatch.setattr(views, "serialize_organization_detail", explode)
    monkeypatch.setattr(app, "testing", False)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = owner.api.unchecked().get(f"/api/0/organizations/{owner.org}/")
    assert response.status_code == 500
    assert response.json["detail"] == "Internal Error" and set(response.json) == {"detail", "errorId"}
    assert "hunter2" not in response.get_data(as_text=True)
    assert response.json["errorId"] in caplog.text

"""The published OpenAPI document: valid, public operations only, each fully documented."""

from __future__ import annotations

import json

import pytest
from flask_smorest.spec.plugins import FlaskPlugin
from openapi_spec_validator import validate

from sentryapi.openapi.operations import PUBLIC
from sentryapi.openapi.publish import PRIVATE
from sentryapi.openapi.rules import documentation_problems, operations


@pytest.fixture(scope="module")
def api(spec_app):
    return spec_app.extensions["sentryapi.api"]


@pytest.fixture(scope="module")
def published(api):
    return api.published_document()


@pytest.fixture(scope="module")
def internal(api):
    return api.internal_document()


def test_both_documents_are_valid_openapi_3(published, internal):
    assert published["openapi"].startswith("3.")
    validate(published)
    validate(internal)


def test_exactly_the_methods_views_mark_public_are_published(spec_app, published, internal):
    """Walks every route of every loaded plugin: published iff listed in ``Endpoint.public``."""
    expected, unmarked = set(), []
    for rule in spec_app.url_map.iter_rules():
        view_class = getattr(spec_app.view_functions[rule.endpoint], "view_class", None)
        if view_class is None or not rule.rule.startswith("/api/"):
            continue
        template = FlaskPlugin.flaskpath2openapi(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method in getattr(view_class, "public", ()):
                expected.add((method.lower(), template))
        unmarked += [m for m in getattr(view_class, "public", ()) if m not in rule.methods]
    published_ops = {(method, path) for path, method, _ in operations(published)}
    assert published_ops == expected
    assert not unmarked, f"public lists methods the views do not have: {unmarked}"
    internal_ops = {(method, path): op for path, method, op in operations(internal)}
    assert published_ops < set(internal_ops), "the internal document also has private operations"
    assert all(op[PUBLIC] == ((m, p) in published_ops) for (m, p), op in internal_ops.items())


def test_a_known_public_operation_is_published_and_a_private_one_is_not(published, internal):
    assert "get" in published["paths"]["/api/0/organizations/"]
    assert "post" not in published["paths"]["/api/0/organizations/"]
    assert "/api/0/api-tokens/" not in published["paths"]
    assert "/api/0/api-tokens/" in internal["paths"]
    assert "ApiToken" not in published["components"]["schemas"]


def test_every_public_operation_is_documented(published):
    """What Sentry's document has per operation: a title, text, one tag, auth, examples
    (the rules ``check-plugin`` applies to one plugin too)."""
    problems = documentation_problems(published)
    assert not problems, "\n".join(problems)


def test_security_lists_the_scopes_of_scope_map(published):
    op = published["paths"]["/api/0/organizations/{organization_id_or_slug}/"]["put"]
    assert op["security"] == [{"auth_token": ["org:admin", "org:write"]}]
    assert published["paths"]["/api/0/"]["get"]["security"] == [{}, {"auth_token": []}]
    schemes = published["components"]["securitySchemes"]
    assert schemes["auth_token"] == {**schemes["auth_token"], "type": "http", "scheme": "bearer"}


def test_declared_and_derived_errors(published):
    put = published["paths"]["/api/0/organizations/{organization_id_or_slug}/"]["put"]
    assert set(put["responses"]) == {"200", "400", "401", "403", "404", "409", "413", "415", "429", "503"}
    listing = published["paths"]["/api/0/organizations/"]["get"]
    assert set(listing["responses"]) == {"200", "400", "401", "403", "429", "503"}
    assert "Link" in listing["responses"]["200"]["headers"]


def test_private_fields_are_left_out_of_the_published_document(published, internal):
    public_detail = published["components"]["schemas"]["OrganizationDetail"]["properties"]
    internal_detail = internal["components"]["schemas"]["OrganizationDetail"]["properties"]
    assert "experiments" not in public_detail and "enableSeerCoding" not in public_detail
    assert internal_detail["experiments"][PRIVATE] is True
    assert "slug" in public_detail and "access" in public_detail
    assert "x-sentryapi-" not in json.dumps(published)


def test_flask_openapi_write_is_what_the_server_publishes(spec_app, published, tmp_path):
    runner = spec_app.test_cli_runner()
    out = tmp_path / "openapi.json"
    result = runner.invoke(args=["openapi", "write", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == published
    served = spec_app.test_client().get("/api/docs/openapi.json")
    assert served.status_code == 200 and served.json == published

    internal_out = tmp_path / "internal.json"
    result = runner.invoke(args=["openapi", "write", "--internal", str(internal_out)])
    assert result.exit_code == 0, result.output
    assert "/api/0/users/me/regions/" in json.loads(internal_out.read_text())["paths"]
    assert "/api/0/users/me/regions/" not in published["paths"]


def test_documents_are_deterministic(spec_app, tmp_path_factory, published):
    from sentryapi.testing import build_app

    again = build_app("sqlite://", tmp_path_factory.mktemp("again"))
    assert json.dumps(again.extensions["sentryapi.api"].published_document()) == json.dumps(published)


def test_publishing_drops_private_fields_parameters_operations_and_what_only_they_used():
    from sentryapi.openapi.publish import published

    ref = {"$ref": "#/components/schemas/Thing"}
    document = {
        "openapi": "3.0.3", "info": {"title": "t", "version": "0"},
        "tags": [{"name": "Things"}, {"name": "Hidden"}],
        "paths": {
            "/things/": {"get": {
                PUBLIC: True, "tags": ["Things"], "security": [{"auth_token": []}],
                "parameters": [
                    {"in": "query", "name": "q", "schema": {"type": "string"}},
                    {"in": "query", "name": "debug", "schema": {"type": "string", PRIVATE: True}},
                ],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": ref}}}},
            }, "post": {PUBLIC: False, "tags": ["Hidden"], "responses": {"201": {"description": "x",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Secret"}}}}}}},
            "/internal/": {"get": {PUBLIC: False, "tags": ["Hidden"], "responses": {}}},
        },
        "components": {
            "schemas": {
                "Thing": {"type": "object", "required": ["id", "flag"], "properties": {
                    "id": {"type": "string"},
                    "flag": {"type": "boolean", PRIVATE: True},
                    "owner": {"allOf": [{"$ref": "#/components/schemas/Owner"}]},
                }},
                "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Secret": {"type": "object"},
            },
            "securitySchemes": {"auth_token": {"type": "http", "scheme": "bearer"},
                                "dsn": {"type": "http", "scheme": "DSN"}},
        },
    }
    out = published(document)
    assert list(out["paths"]) == ["/things/"] and list(out["paths"]["/things/"]) == ["get"]
    assert [p["name"] for p in out["paths"]["/things/"]["get"]["parameters"]] == ["q"]
    thing = out["components"]["schemas"]["Thing"]
    assert set(thing["properties"]) == {"id", "owner"} and thing["required"] == ["id"]
    assert set(out["components"]["schemas"]) == {"Thing", "Owner"}
    assert set(out["components"]["securitySchemes"]) == {"auth_token"}
    assert out["tags"] == [{"name": "Things"}]
    assert PUBLIC not in json.dumps(out) and PRIVATE not in json.dumps(out)
    assert list(out)[:2] == ["openapi", "info"]


def test_security_requirements_from_a_view_class():
    from sentryapi.api import Endpoint
    from sentryapi.openapi.operations import security

    class Widgets(Endpoint):
        scope_map = {"GET": ("org:write", "org:read"), "PUT": ()}
        anonymous_methods = frozenset({"HEAD"})

    class Ingest(Endpoint):
        anonymous_methods = frozenset({"POST"})
        auth_scheme = "dsn"

    assert security(Widgets, "GET") == [{"auth_token": ["org:read", "org:write"]}]
    assert security(Widgets, "PUT") == [{"auth_token": []}]
    assert security(Widgets, "HEAD") == [{}, {"auth_token": []}]
    assert security(Widgets, "DELETE") is None
    assert security(Ingest, "POST") == [{"dsn": []}]

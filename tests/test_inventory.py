"""API inventory (OWASP API9): the routes served under /api/ are exactly the documented ones."""

from __future__ import annotations

from sentryapi.contract import openapi_path
from sentryapi.probes import api_operations

#: /api/ routes outside the OpenAPI document, and why.
UNDOCUMENTED = {
    "/api/docs/": "the ReDoc page",
    "/api/docs/swagger/": "the Swagger UI page",
    "/api/docs/openapi.json": "the document itself",
}


def test_the_api_route_map_equals_the_openapi_paths(spec_app):
    document = spec_app.extensions["sentryapi.api"].internal_document()
    documented = {(method.upper(), path) for path, item in document["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete")}
    served = {(method, openapi_path(rule)) for rule, method, _cls in api_operations(spec_app)}
    assert served - documented == set(), "served but not documented"
    assert documented - served == set(), "documented but not served"


def test_every_other_api_route_is_sdk_ingestion_or_the_docs(spec_app):
    """Outside /api/0/: a plugin's declared prefix (SDK ingestion), or the docs pages."""
    prefixes = tuple(prefix for plugin in spec_app.extensions["sentryapi.plugins"]
                     for prefix in plugin.route_prefixes if prefix.startswith("/api/"))
    strays = [rule.rule for rule in spec_app.url_map.iter_rules()
              if rule.rule.startswith("/api/") and not rule.rule.startswith("/api/0/")
              and rule.rule not in UNDOCUMENTED and not rule.rule.startswith(prefixes)]
    assert not strays, f"undocumented /api/ routes: {strays}"

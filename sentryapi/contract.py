"""The plugin contract: what every plugin must do, checked on a built app.

Every bundled plugin passes it (``tests/test_contract.py``) and an author runs it on
theirs: ``flask sentryapi check-plugin NAME``, or in pytest::

    def test_my_plugin_keeps_the_contract(plugin_contract):
        plugin_contract("my_plugin")

``check(app, name)`` returns the problems as sentences (``[]`` when the plugin keeps it):

1. it is installed: found on the ``sentryapi.plugins`` entry point under its name;
2. it imports nothing private: from the core only :data:`PUBLIC_CORE_MODULES`, from
   another plugin only that plugin's package or a module its ``__all__`` names (and
   only plugins it ``requires``, directly or not), never flask-smorest, marshmallow or
   webargs (``sentryapi.api`` re-exports what a plugin needs). Alembic revisions are
   generated code and not read. The core's built-in plugins (organizations, OAuth,
   webhooks) are part of the core and may use its modules, but no other plugin's
   package, built-in or not, unless they require it;
3. its routes are under ``/api/0/``, or under a prefix it declares in
   ``Plugin.route_prefixes`` (SDK ingestion, sign-in pages);
4. each ``/api/0/`` method declares scopes (``scope_map``) or anonymous access, with
   scopes Sentry knows and the plugin lists in ``Plugin.scopes``;
5. every list is paginated: a GET whose response is a list of objects is declared with
   ``@blp.paginated_response`` (cursor, ``per_page`` and the ``Link`` header), unless
   the view names it in ``Endpoint.unpaginated`` with a reason (a short, bounded list
   Sentry does not page either);
6. its OpenAPI parts are sound: the document builds, its tags are declared with a
   description, and each of its operations has a summary and responses;
7. once those hold, the core suite's plugin-wide rules (``contract_suite``): public
   operations documented as Sentry's are, examples that validate, a probe for every
   route the access tests call, migrations that create its tables; and, with
   ``isolation`` (``check-plugin``), tenant isolation on a throw-away database.
"""

from __future__ import annotations

import re
from importlib.metadata import entry_points

from .contract_imports import (
    check_builtin_imports,
    check_imports,
    plugin_package,
)
from .plugins import CORE_DISTRIBUTION, ENTRY_POINT_GROUP, Plugin

API_PREFIX = "/api/0/"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def check(app, name: str, *, isolation: bool = False) -> list[str]:
    """Every way the loaded plugin ``name`` breaks the contract (``[]``: it keeps it);
    ``isolation`` adds the tenant-isolation check (``check-plugin`` runs it)."""
    registry = app.extensions["sentryapi.plugins"]
    if name not in registry:
        return [f"no plugin named {name!r} is loaded (installed? disabled?)"]
    plugin = registry.by_name[name]
    problems = check_installed(plugin)
    package = plugin_package(plugin)
    if package and plugin.distribution == CORE_DISTRIBUTION:
        problems += check_builtin_imports(package, plugin, registry)
    elif package:
        problems += check_imports(package, plugin, registry)
    rules = plugin_rules(app, package) if package else []
    problems += check_routes(plugin, rules)
    problems += check_access(plugin, rules)
    problems += check_pagination(rules)
    problems += check_openapi(app, plugin, rules)
    if not problems:  # the suite's rules, once the plugin's shape holds
        from . import contract_suite

        problems += contract_suite.check(app, plugin, rules, isolation=isolation)
    return problems


# 1. installed


def check_installed(plugin: Plugin) -> list[str]:
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == plugin.name]
    if not found or plugin.entry_point is None:
        return [f"plugin {plugin.name!r} is not installed on the {ENTRY_POINT_GROUP!r} entry point"]
    return []


# 2. imports


def plugin_rules(app, package: str) -> list[tuple]:
    """``(rule, view)`` for every URL rule whose view is defined in the plugin's package."""
    out = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        module = getattr(getattr(view, "view_class", view), "__module__", "") or ""
        if module == package or module.startswith(package + "."):
            out.append((rule, view))
    return out


def check_routes(plugin: Plugin, rules) -> list[str]:
    prefixes = (API_PREFIX, *getattr(plugin, "route_prefixes", ()))
    return [f"route {rule.rule} is outside {API_PREFIX} and the plugin's route_prefixes"
            for rule, _ in rules if not rule.rule.startswith(prefixes)]


def _methods(rule) -> list[str]:
    return [m for m in METHODS if m in (rule.methods or ())]


def check_access(plugin: Plugin, rules) -> list[str]:
    from .auth.scopes import SCOPES
    from .web.views import Endpoint

    problems, used = [], set()
    for rule, view in rules:
        if not rule.rule.startswith(API_PREFIX):
            continue
        cls = getattr(view, "view_class", None)
        if cls is None or not issubclass(cls, Endpoint):
            problems.append(f"{rule.rule}: the view is not a sentryapi.api.Endpoint")
            continue
        for method in _methods(rule):
            if method not in cls.scope_map and method not in cls.anonymous_methods:
                problems.append(f"{method} {rule.rule}: declares neither scopes nor anonymous access")
            used.update(cls.scope_map.get(method, ()))
    unknown = sorted(used - set(SCOPES))
    if unknown:
        problems.append(f"views check scopes Sentry does not have: {', '.join(unknown)}")
    undeclared = sorted(used - set(plugin.scopes) - set(unknown))
    if undeclared:
        problems.append(f"views check scopes missing from Plugin.scopes: {', '.join(undeclared)}")
    return problems


def _response_schemas(function) -> list:
    responses = getattr(function, "_apidoc", {}).get("response", {}).get("responses", {})
    out = []
    for status, docs in responses.items():
        for doc in docs if isinstance(docs, list) else [docs]:
            if str(status).startswith("2") and isinstance(doc, dict):
                out.append(doc.get("schema"))
    return out


def check_pagination(rules) -> list[str]:
    problems = []
    for rule, view in rules:
        cls = getattr(view, "view_class", None)
        function = getattr(cls, "get", None) if cls else None
        if not rule.rule.startswith(API_PREFIX) or function is None or "GET" not in rule.methods:
            continue
        lists = any(getattr(schema, "many", False) for schema in _response_schemas(function))
        excused = bool(getattr(cls, "unpaginated", {}).get("GET"))
        if lists and not excused and not getattr(function, "sentryapi_paginated", False):
            problems.append(f"GET {rule.rule}: answers a list but is not declared with "
                            "@blp.paginated_response (cursor pagination and the Link header)")
    return problems


# 6. OpenAPI


def openapi_path(rule: str) -> str:
    """``/a/<int:x>/<path:y>/`` -> ``/a/{x}/{y}/``, as the OpenAPI document writes it."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def check_openapi(app, plugin: Plugin, rules) -> list[str]:
    try:
        document = app.extensions["sentryapi.api"].spec.to_dict()
    except Exception as error:  # noqa: BLE001 - any failure to build is the finding
        return [f"the OpenAPI document does not build: {error!r}"]
    problems = []
    described = {tag["name"] for tag in plugin.tags if tag.get("description")}
    for blueprint in plugin.blueprints:
        if blueprint.name not in described:
            problems.append(f"blueprint {blueprint.name!r}: no tag with a description in Plugin.tags")
    registered = {blueprint.name for blueprint in plugin.blueprints}
    for rule, _ in rules:
        if rule.endpoint.split(".")[0] not in registered:
            continue  # registered by init_app: not in the API document
        path_item = document.get("paths", {}).get(openapi_path(rule.rule), {})
        for method in _methods(rule):
            operation = path_item.get(method.lower())
            if operation is None:
                problems.append(f"{method} {rule.rule}: missing from the OpenAPI document")
                continue
            if not operation.get("summary"):
                problems.append(f"{method} {rule.rule}: no summary (give the view method a docstring)")
            if not operation.get("responses"):
                problems.append(f"{method} {rule.rule}: no responses (use @blp.response)")
    return problems


def assert_keeps_contract(app, name: str) -> None:
    problems = check(app, name)
    assert not problems, f"plugin {name!r} breaks the contract:\n- " + "\n- ".join(problems)

"""Each operation's contract, derived from its view class: publication, security, errors.

An apispec plugin sees every operation as flask-smorest registers it, together with its
werkzeug rule, so it can read the view class behind the rule (``public``, ``scope_map``,
``anonymous_methods``, ``auth_scheme``) and the view method's declared errors
(``@blp.errors(...)``). Nothing here is written by hand per endpoint.
"""

from __future__ import annotations

from apispec import BasePlugin

from . import errors

#: Operation extension in the internal document; the published one keeps only ``true``.
PUBLIC = "x-sentryapi-public"
#: Methods that carry a JSON body (``sentryapi.web.views.BODY_METHODS``).
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
API_PREFIX = "/api/0/"
OPERATION_METHODS = ("get", "post", "put", "patch", "delete")

_VERBS = {"GET": "get", "POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}


def declared_errors(view_function) -> tuple[int, ...]:
    """Statuses a view method declared with ``@blp.errors(...)``."""
    return tuple(getattr(view_function, "_apidoc", {}).get("errors", ()))


def default_operation_id(view_class, method: str) -> str:
    """``OrganizationDetails`` + ``PUT`` -> ``updateOrganizationDetails`` (unique per class)."""
    return _VERBS.get(method, method.lower()) + view_class.__name__


def security(view_class, method: str) -> list[dict] | None:
    """Security requirements: the scopes of ``scope_map`` (any one suffices), as Sentry's."""
    scheme = getattr(view_class, "auth_scheme", "auth_token")
    scope_map = getattr(view_class, "scope_map", {})
    anonymous = method in getattr(view_class, "anonymous_methods", ())
    if method not in scope_map and not anonymous:
        return None
    if scheme != "auth_token":
        return [{scheme: []}]  # e.g. a DSN: required, and it has no scopes
    requirement = [{scheme: sorted(scope_map.get(method, ()))}]
    return [{}, *requirement] if anonymous else requirement


def error_statuses(view_class, method: str, path: str, operation: dict) -> list[int]:
    """The errors the operation can answer, from its shape and what its view declares.

    - 400: it reads query or body arguments, pages with a cursor, or takes a JSON body
    - 401: it reads credentials (a missing, bad or expired token)
    - 403: it needs credentials (scopes or a role the caller lacks)
    - 404: its path names an object (organization, member, ...)
    - 413, 415: it takes a body (too large; not JSON)
    - 429, 503: every ``/api/0/`` operation is rate limited and needs the database
    - anything else (409, say): declared on the method with ``@blp.errors(409)``
    """
    statuses = set(declared_errors(getattr(view_class, method.lower(), None)))
    takes_body = method in BODY_METHODS or "requestBody" in operation
    if operation.get("parameters") or takes_body or _is_paginated(operation):
        statuses.add(400)
    if security(view_class, method) is not None:
        statuses.add(401)  # a bad token is refused even where none is needed
    if method not in getattr(view_class, "anonymous_methods", ()):
        statuses.add(403)
    if "{" in path:
        statuses.add(404)
    if takes_body:
        statuses.add(413)
    if method in BODY_METHODS:
        statuses.add(415)
    if path.startswith(API_PREFIX):
        statuses.update((429, 503))  # rate limits; the database out of reach
    return sorted(statuses)


def _is_paginated(operation: dict) -> bool:
    return any(p.get("name") == "cursor" for p in operation.get("parameters", ()) if isinstance(p, dict))


def describe(operation: dict, view_class, method: str, path: str) -> None:
    """Fill in what the document needs about one operation (in place)."""
    operation[PUBLIC] = method in getattr(view_class, "public", ())
    operation.setdefault("operationId", default_operation_id(view_class, method))
    if operation.get("summary") and not operation.get("description"):
        operation["description"] = operation["summary"]
    requirement = security(view_class, method)
    if requirement is not None:
        operation.setdefault("security", requirement)
    responses = {str(status): response for status, response in operation.get("responses", {}).items()}
    for status in error_statuses(view_class, method, path, operation):
        if not isinstance(responses.get(str(status)), dict):  # absent, or smorest's name
            responses[str(status)] = errors.response(status)
    operation["responses"] = dict(sorted(responses.items()))


class OperationsPlugin(BasePlugin):
    """apispec plugin: runs :func:`describe` on every operation of an app's routes."""

    def __init__(self, api):
        self.api = api

    def operation_helper(self, path=None, operations=None, rule=None, **kwargs):
        if rule is None or operations is None:
            return
        view = self.api._app.view_functions.get(rule.endpoint)
        view_class = getattr(view, "view_class", None)
        if view_class is None:
            return
        for method, operation in operations.items():
            if method in OPERATION_METHODS:
                describe(operation, view_class, method.upper(), path)

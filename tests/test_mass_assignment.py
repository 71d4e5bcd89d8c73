"""Mass assignment (OWASP API3) and secrets, for every write operation of the route map.

A field a response shows but the operation's request schema does not take is the
server's (ids, dates, owners, counters, secrets, derived status...). Every write
operation is sent all of them at once with hostile values, next to the probe's valid
body: the result must be what the valid body alone gives. Secrets (tokens, client
secrets) are in the response that creates them and in no other response.
"""

from __future__ import annotations

import pytest

from sentryapi.contract import openapi_path
from sentryapi.probes import (
    PROBES,
    WRITE_METHODS,
    Multipart,
    ProbeContext,
    api_operations,
    arguments,
    fill,
    load_probes,
    make_all,
    readable,
    request_body,
)

#: Response fields that hold a secret shown once.
SECRET_FIELDS = ("token", "clientSecret")
HOSTILE_STRING = "hostile-987654321"
HOSTILE_DATE = "2001-02-03T04:05:06Z"


def resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        merged: dict = {"properties": {}}
        for part in schema["allOf"]:
            merged["properties"].update(resolve(document, part).get("properties", {}))
        return merged
    return schema


def properties(document: dict, schema: dict | None) -> dict:
    return resolve(document, schema).get("properties", {}) if schema else {}


def operation_fields(document: dict, rule: str, method: str) -> tuple[dict, dict]:
    """(request body properties, success response properties) of one operation."""
    operation = document["paths"][openapi_path(rule)][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json") or content.get("multipart/form-data") or {}
    answer = {}
    for status, response in sorted(operation["responses"].items()):
        if status.startswith("2"):
            answer = response.get("content", {}).get("application/json", {}).get("schema", {})
            break
    return properties(document, body.get("schema")), properties(document, answer)


def hostile(schema: dict):
    """A value of the field's type that the server would never produce itself."""
    kind = schema.get("type")
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return 987654321
    if kind == "array":
        return [HOSTILE_STRING]
    if kind == "object" or "$ref" in schema or "allOf" in schema:
        return {"id": "987654321", "slug": HOSTILE_STRING, "name": HOSTILE_STRING}
    return HOSTILE_DATE if schema.get("format") == "date-time" else HOSTILE_STRING


def server_owned(document, rule: str, method: str) -> dict:
    takes, shows = operation_fields(document, rule, method)
    # A body documented in snake_case (Sentry's monitor validators) is also read in camelCase.
    taken = {_plain(name) for name in takes}
    return {name: hostile(schema) for name, schema in shows.items() if _plain(name) not in taken}


def _plain(name: str) -> str:
    return name.replace("_", "").lower()


def write_operations(app):
    for rule, method, cls in api_operations(app):
        # A view may name a method that always refuses (``refused = {"POST": "why"}``):
        # nothing is written, so there is nothing to assign.
        if method in WRITE_METHODS and method not in getattr(cls, "refused", {}):
            yield rule, method


@pytest.fixture
def actor_ctx(app, owner):
    load_probes(app)
    return ProbeContext(app, owner)


def _changed(owned: dict, plain: dict, attacked: dict, method: str) -> list[str]:
    """Fields whose value came from the hostile body (or differs from the plain write's)."""
    problems = []
    for name, value in owned.items():
        if name not in attacked:
            continue
        if method != "POST" or isinstance(value, bool):
            if attacked[name] != plain.get(name):
                problems.append(f"{name}: {plain.get(name)!r} -> {attacked[name]!r}")
        elif attacked[name] == value or str(attacked[name]) == str(value):
            problems.append(f"{name} = {attacked[name]!r}")
    return problems


def test_server_owned_fields_are_never_written(app, actor_ctx, figure):
    """Each write twice: the valid body alone, then with every server-owned field added."""
    document = app.extensions["sentryapi.api"].internal_document()
    api = actor_ctx.api.unchecked()
    make_all(actor_ctx, app)
    problems, checked = [], 0
    for rule, method in write_operations(app):
        owned = server_owned(document, rule, method)
        path = fill(rule, arguments(actor_ctx, rule))
        readable_rule = "GET" in {m for r, m, _c in api_operations(app) if r == rule}
        plain = api.request(method, path, **request_body(PROBES[rule].body(method, actor_ctx)))
        assert plain.status_code < 300, (method, rule, plain.status_code, plain.get_data())
        before = api.get(path).json if readable_rule else None
        body = PROBES[rule].body(method, actor_ctx)
        body = body.with_fields(owned) if isinstance(body, Multipart) else {**owned, **body}
        attacked = api.request(method, path, **request_body(body))
        assert attacked.status_code < 300, (method, rule, attacked.status_code, attacked.get_data())
        after = api.get(path).json if readable_rule else None
        if isinstance(before, dict) and isinstance(after, dict):
            # The object read back after each write: it must read the same.
            problems += [f"{method} {rule}: {p}" for p in _changed(owned, before, after, "PUT")]
        answer = attacked.get_json(silent=True)
        if isinstance(answer, dict):
            # What the write answered: compared with the plain write's answer.
            plain_body = plain.get_json(silent=True)
            problems += [f"{method} {rule} (answer): {p}" for p in _changed(
                owned, plain_body if isinstance(plain_body, dict) else {}, answer, method)]
        checked += len(owned)
    assert not problems, "server-owned fields written from a request:\n" + "\n".join(problems)
    assert checked >= 50
    figure(f"mass assignment: {len(list(write_operations(app)))} write operations, {checked} "
           "server-owned fields sent hostile values, 0 written")


def test_secrets_show_only_in_the_response_that_creates_them(app, actor_ctx, figure):
    api = actor_ctx.api
    made = [
        api.post("/api/0/api-tokens/", json={"scopes": ["org:read"]}),
        api.post(f"/api/0/organizations/{actor_ctx.org}/org-auth-tokens/", json={"name": "ci"}),
        api.unchecked().post("/api/0/api-applications/", json={"name": "App"}),
    ]
    app_id = made[-1].json["id"]
    made.append(api.unchecked().post(f"/api/0/api-applications/{app_id}/rotate-secret/"))
    secrets = [r.json[field] for r in made for field in SECRET_FIELDS if r.json.get(field)]
    assert len(secrets) == 4, [r.json for r in made]
    make_all(actor_ctx, app)
    reads = readable(app, actor_ctx)
    leaks = [(path, secret[:12]) for path, (_status, body) in reads.items()
             for secret in secrets if secret in repr(body)]
    assert not leaks, f"secrets shown again: {leaks}"
    figure(f"secrets: {len(secrets)} created, shown again in 0 of {len(reads)} reads")

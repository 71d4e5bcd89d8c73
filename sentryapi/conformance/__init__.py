"""Check responses against Sentry's own published OpenAPI document.

``sentry-openapi.json`` here is the part of Sentry's published, dereferenced document
(getsentry/sentry-api-schema, release 0.272.0) covering the endpoints sentryapi
implements. OpenAPI 3.0 ``nullable`` is turned into JSON Schema null types to validate.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

SPEC_PATH = os.path.join(os.path.dirname(__file__), "sentry-openapi.json")
ANNOTATIONS = ("example", "examples", "readOnly", "writeOnly", "format")


@lru_cache(maxsize=1)
def sentry_spec() -> dict:
    with open(SPEC_PATH) as fh:
        return json.load(fh)


def to_json_schema(schema):
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable: true`` becomes a null alternative."""
    if isinstance(schema, list):
        return [to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: to_json_schema(value) for key, value in schema.items()
           if key not in ANNOTATIONS and key != "nullable"}
    if not schema.get("nullable"):
        return out
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    if isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
        return out
    if "type" in out or "enum" in out:
        return out
    return {"anyOf": [out, {"type": "null"}]}


def schema_errors(openapi_schema: dict, body, limit: int = 10) -> list[str]:
    """Where ``body`` breaks an OpenAPI 3.0 response schema: ``["path: message", ...]``."""
    import jsonschema

    validator = jsonschema.Draft7Validator(to_json_schema(openapi_schema))
    errors = sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message[:200]}"
        for error in errors[:limit]
    ]


def violations(method: str, template: str, status: int, body, limit: int = 20) -> list[str]:
    """How ``body`` differs from what Sentry documents for this operation ([] = conforms)."""
    operation = sentry_spec()["paths"][template][method.lower()]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    return schema_errors(schema, body, limit)

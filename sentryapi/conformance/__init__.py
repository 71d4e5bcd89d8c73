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
    """OpenAPI 3.0 schema -> JSON Schema (draft 7) for validation."""
    if isinstance(schema, list):
        return [to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: to_json_schema(value) for key, value in schema.items() if key not in ANNOTATIONS}
    if out.pop("nullable", False):
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def response_schema(method: str, template: str, status: int) -> dict:
    operation = sentry_spec()["paths"][template][method.lower()]
    return to_json_schema(operation["responses"][str(status)]["content"]["application/json"]["schema"])


def violations(method: str, template: str, status: int, body, limit: int = 20) -> list[str]:
    """How ``body`` differs from what Sentry documents for this operation ([] = conforms)."""
    import jsonschema

    validator = jsonschema.Draft7Validator(response_schema(method, template, status))
    out = []
    for error in validator.iter_errors(body):
        out.append(f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message[:200]}")
        if len(out) >= limit:
            break
    return out

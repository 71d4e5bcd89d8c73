"""Copy the response schemas of some operations out of Sentry's published OpenAPI document.

Conformance tests validate our responses against these; a plugin keeps the few it needs
next to its tests so they run without the 4 MB reference document:

    python tools/extract_sentry_schemas.py /work/shared/reference/sentry-openapi.json \\
        plugins/teams/tests/sentry_schemas.json listOrganizationTeams getTeam ...
"""

from __future__ import annotations

import hashlib
import json
import sys

METHODS = ("get", "post", "put", "delete")
#: Prose and samples: not part of the shape (a *property* called so is a dict, and stays).
DROPPED = ("description", "example", "examples")


def _shape(schema):
    if isinstance(schema, dict):
        return {key: _shape(value) for key, value in schema.items()
                if not (key in DROPPED and not isinstance(value, dict))}
    if isinstance(schema, list):
        return [_shape(item) for item in schema]
    return schema


def extract(spec_path: str, operation_ids: list[str]) -> dict:
    raw = open(spec_path, "rb").read()
    spec = json.loads(raw)
    wanted, found = set(operation_ids), {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None or operation.get("operationId") not in wanted:
                continue
            found[f"{method.upper()} {path}"] = {
                status: _shape(response["content"]["application/json"]["schema"])
                for status, response in operation["responses"].items()
                if "application/json" in response.get("content", {})
            }
            wanted.discard(operation["operationId"])
    if wanted:
        sys.exit(f"not in the document: {', '.join(sorted(wanted))}")
    return {
        "_source": {"document": "getsentry/sentry-api-schema openapi-derefed.json",
                    "version": spec["info"]["version"],
                    "sha256": hashlib.sha256(raw).hexdigest()},
        "operations": dict(sorted(found.items())),
    }


if __name__ == "__main__":
    spec_path, out_path, *ids = sys.argv[1:]
    with open(out_path, "w") as fh:
        json.dump(extract(spec_path, ids), fh, indent=1, sort_keys=True)
        fh.write("\n")

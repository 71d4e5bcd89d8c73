"""Validate JSON against an OpenAPI 3.0 document: its examples, and real responses in tests.

Schemas keep their ``$ref``s; each is validated as ``{schema, components}`` so references
resolve inside the document, with OpenAPI's ``nullable`` and formats (date-time...) honoured.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator, oas30_format_checker

from .operations import OPERATION_METHODS

JSON = "application/json"


class DocumentValidator:
    def __init__(self, document: dict):
        self.document = document
        self._components = document.get("components", {})
        self._validators: dict = {}

    def operation(self, method: str, template: str) -> dict | None:
        return self.document.get("paths", {}).get(template, {}).get(method.lower())

    def schema_errors(self, schema: dict, value, *, request: bool = False, limit: int = 5) -> list[str]:
        """Violations of ``schema`` by ``value``, as ``path: message`` lines ([] if it conforms)."""
        key = (id(schema), request)
        if key not in self._validators:
            cls = OAS30WriteValidator if request else OAS30ReadValidator
            wrapped = {**schema, "components": self._components}
            self._validators[key] = (schema, cls(wrapped, format_checker=oas30_format_checker))
        validator = self._validators[key][1]
        out = []
        for error in validator.iter_errors(value):
            where = "/".join(map(str, error.absolute_path)) or "<body>"
            out.append(f"{where}: {error.message[:200]}")
            if len(out) >= limit:
                break
        return out

    def response_errors(self, method: str, template: str, status: int, content_type: str | None,
                        body: bytes) -> list[str]:
        """What is wrong with a real response of an operation ([] if it conforms)."""
        operation = self.operation(method, template)
        if operation is None:
            return [f"{method.upper()} {template} is not in the document"]
        responses = operation.get("responses", {})
        documented = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        if documented is None:
            return [f"answered {status}, which the document does not list (it lists "
                    f"{', '.join(responses)}); declare it with @blp.errors({status}) or fix the view"]
        content = documented.get("content") or {}
        if not content:
            return [] if not body else [f"answered {status} with a body, documented as empty"]
        media = (content_type or "").split(";")[0].strip()
        if media not in content:
            return [f"answered {status} as {media or 'no content type'}, documented as {', '.join(content)}"]
        schema = content[media].get("schema")
        if schema is None or media != JSON:
            return []
        try:
            value = json.loads(body or b"null")
        except ValueError as error:
            return [f"answered {status} with a body that is not JSON ({error})"]
        return self.schema_errors(schema, value)

    def examples(self) -> Iterator[tuple[str, dict, object, bool]]:
        """``(where, schema, example, is_request)`` for every example in the operations."""
        for path, item in self.document.get("paths", {}).items():
            for method, operation in item.items():
                if method not in OPERATION_METHODS:
                    continue
                where = f"{method.upper()} {path}"
                body = operation.get("requestBody", {}).get("content", {})
                yield from _media_examples(f"{where} request", body, True)
                for status, response in operation.get("responses", {}).items():
                    yield from _media_examples(f"{where} {status}", response.get("content", {}), False)


def _media_examples(where: str, content: dict, is_request: bool):
    for media in content.values():
        schema = media.get("schema", {})
        if "example" in media:
            yield where, schema, media["example"], is_request
        for name, example in media.get("examples", {}).items():
            yield f"{where} ({name})", schema, example.get("value"), is_request

"""Every example in the documents validates against the schema it illustrates."""

from __future__ import annotations

import pytest

from sentryapi.openapi.rules import example_problems
from sentryapi.openapi.validation import DocumentValidator


@pytest.mark.parametrize("which", ["published", "internal"])
def test_every_example_matches_its_schema(spec_app, which):
    api = spec_app.extensions["sentryapi.api"]
    document = api.published_document() if which == "published" else api.internal_document()
    checked, problems = example_problems(document)  # what check-plugin applies to one plugin
    assert checked > 0
    assert not problems, "\n".join(problems)


def test_every_public_success_response_with_a_body_has_an_example(spec_app):
    document = spec_app.extensions["sentryapi.api"].published_document()
    missing = [
        f"{method.upper()} {path} {status}"
        for path, item in document["paths"].items()
        for method, op in item.items() if method != "parameters"
        for status, response in op["responses"].items()
        if status.startswith("2") and response.get("content")
        and not any("example" in m or "examples" in m for m in response["content"].values())
    ]
    assert not missing, "pass example= to @blp.response / @blp.paginated_response for: " + ", ".join(missing)


def test_a_wrong_example_is_caught():
    document = {
        "openapi": "3.0.3", "info": {"title": "t", "version": "0"},
        "paths": {"/x/": {"get": {"responses": {"200": {"description": "OK", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/X"},
                                 "example": {"id": 1, "when": "yesterday", "note": None}}}}}}}},
        "components": {"schemas": {"X": {"type": "object", "properties": {
            "id": {"type": "string"}, "when": {"type": "string", "format": "date-time"},
            "note": {"type": "string", "nullable": True}}}}},
    }
    validator = DocumentValidator(document)
    [(where, schema, example, is_request)] = validator.examples()
    errors = validator.schema_errors(schema, example)
    assert where == "GET /x/ 200"
    assert any(e.startswith("id:") for e in errors) and any(e.startswith("when:") for e in errors)
    assert not any(e.startswith("note:") for e in errors)

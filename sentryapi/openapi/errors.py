"""The error responses the document refers to: ``{"detail": ...}`` bodies, with examples.

Each operation carries its error responses inline (so every operation shows an example,
even one answering 204); the components named as flask-smorest names them
(``BAD_REQUEST``, ``NOT_FOUND``...) remain for code that refers to them.
"""

from __future__ import annotations

from http import HTTPStatus

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, for people."}},
    "required": ["detail"],
}

FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Field names (or `non_field_errors`) mapped to their messages, plus a summary.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

#: status -> (description, schema component, example body)
KNOWN = {
    400: ("The request is malformed, or a field or query parameter is invalid.", "FieldErrors",
          {"name": ["This field is required."], "detail": "name: This field is required."}),
    401: ("Authentication credentials were missing, invalid or expired.", "Error",
          {"detail": "Authentication credentials were not provided."}),
    403: ("The credentials lack a scope or role this operation needs.", "Error",
          {"detail": "You do not have permission to perform this action."}),
    404: ("The object does not exist, or belongs to an organization you cannot see.", "Error",
          {"detail": "The requested resource does not exist"}),
    409: ("The change conflicts with an existing object (a slug or e-mail in use).", "Error",
          {"detail": "An organization with this slug already exists."}),
    413: ("The request body is larger than the server accepts.", "Error",
          {"detail": "Request body is too large."}),
    415: ("The request body is not JSON.", "Error",
          {"detail": 'Unsupported media type "text/plain" in request.'}),
    429: ("Too many requests: a rate limit was exceeded; retry after `Retry-After` seconds.", "Error",
          {"detail": "You are attempting to use this endpoint too frequently."}),
    503: ("The database is out of reach for now; retry after `Retry-After` seconds.", "Error",
          {"detail": "Service temporarily unavailable, try again later."}),
}


def response(status: int) -> dict:
    """The response object for an error status, with its example (inlined per operation)."""
    phrase = HTTPStatus(status).phrase
    description, schema, example = KNOWN.get(status, (phrase, "Error", {"detail": phrase}))
    content = {"schema": {"$ref": f"#/components/schemas/{schema}"}, "example": example}
    return {"description": description, "content": {"application/json": content}}


def register(spec) -> None:
    """Add the error schemas, and a lazily referenced response for every error status."""
    spec.components.schema("Error", ERROR_SCHEMA)
    spec.components.schema("FieldErrors", FIELD_ERRORS_SCHEMA)
    for status in HTTPStatus:
        if status >= 400:
            spec.components.response(status.name, response(status.value), lazy=True)

"""The project's flask-smorest Blueprint: Sentry's 400s, cursor pagination in the docs."""

from __future__ import annotations

import functools
import json
import re
from copy import deepcopy

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from ..exceptions import ParseError, ValidationFailed
from . import lifecycle
from .pagination import MAX_PER_PAGE, CursorPage

#: What ``Cursor.parse`` accepts (``value:offset:is_prev``), or empty for the first page.
CURSOR_PATTERN = r"^(-?[0-9]{1,18}:[0-9]{1,18}:[01])?$"

LINK_HEADER_DOC = {
    "description": (
        'Pagination links, Sentry style: `<url>; rel="previous"; results="true|false"; '
        'cursor="..."`, then the same for `rel="next"`. Follow `next` while `results="true"`.'
    ),
    "schema": {"type": "string"},
}


class Parser(FlaskParser):
    """webargs parser answering 400 with ``{"field": ["message"], "detail": ...}``.

    flask-smorest and webargs default to 422; Sentry answers 400.
    """

    DEFAULT_VALIDATION_STATUS = 400

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        raise ValidationFailed(_flatten_locations(error.messages))

    def _load_location_data(self, *, schema, req, location):
        data = super()._load_location_data(schema=schema, req=req, location=location)
        _refuse_null_characters(schema, data)
        lifecycle.note_request_data(schema, data)
        return data

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        data = req.get_data(cache=True)
        if not data.strip():
            return core.missing
        try:
            return core.parse_json(data)
        except json.JSONDecodeError as error:
            raise ParseError(f"JSON parse error - {error.msg}") from None
        except RecursionError:
            raise ParseError("JSON parse error - nesting is too deep") from None


NULL_CHARACTERS = "Null characters are not allowed."
SURROGATES = "Unpaired surrogate characters are not allowed."
#: A lone UTF-16 surrogate (JSON's ``"\ud800"``) is no character: no UTF-8 encodes it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_null_characters(schema, data) -> None:
    """400 for a NUL or a lone surrogate in any string a schema field reads.

    PostgreSQL text cannot hold a NUL, and no database (nor a JSON answer) can encode a
    lone surrogate. Django REST framework refuses NULs with the same message; fields the
    schema does not know are dropped anyway.
    """
    if not hasattr(data, "get"):
        return
    keys = {field.data_key or name for name, field in schema.fields.items() if not field.dump_only}
    getall = getattr(data, "getlist", None)
    errors = {}
    for key in sorted(keys):
        if key in data:
            problem = _bad_text(getall(key) if getall else data.get(key))
            if problem:
                errors[key] = [problem]
    if errors:
        raise ValidationFailed(errors)


def _bad_text(value) -> str | None:
    if isinstance(value, str):
        if "\x00" in value:
            return NULL_CHARACTERS
        return SURROGATES if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return None
    return next((problem for problem in map(_bad_text, items) if problem), None)


def _flatten_locations(messages: dict) -> dict:
    """``{"json": {"name": [...]}}`` -> ``{"name": [...]}``; schema errors -> non_field_errors."""
    flat: dict = {}
    for location_errors in messages.values():
        if not isinstance(location_errors, dict):
            flat.setdefault("non_field_errors", []).extend(location_errors)
            continue
        for key, value in location_errors.items():
            key = "non_field_errors" if key == "_schema" else str(key)
            flat.setdefault(key, [])
            flat[key].extend(value if isinstance(value, list) else [value])
    return flat


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_cursor_doc)
        self._prepare_doc_cbks.append(lifecycle.document_operation)

    #: ``@blp.deprecated(since="2026-12-03", sunset="2027-06-30", successor="/api/0/...")``
    #: on a view method: flagged in the document, announced in its responses' headers.
    deprecated = staticmethod(lifecycle.mark_operation)

    def paginated_response(
        self, schema, *, status_code=200, per_page_param="per_page",
        max_per_page=MAX_PER_PAGE, **kwargs,
    ):
        """Document and render a cursor-paginated list.

        The view returns :func:`sentryapi.api.paginate`'s page; this adds the ``Link``
        header and documents ``cursor`` and ``per_page``.
        """

        def decorator(func):
            @functools.wraps(func)
            def wrapper(*args, **kw):
                result = func(*args, **kw)
                if isinstance(result, CursorPage):
                    headers = {"Link": result.link_header(), **result.headers}
                    return result.items, status_code, headers
                return result

            wrapper._apidoc = deepcopy(getattr(wrapper, "_apidoc", {}))
            wrapper._apidoc["cursor_pagination"] = {
                "per_page_param": per_page_param, "max_per_page": max_per_page,
            }
            wrapper.sentryapi_paginated = True
            headers = {"Link": LINK_HEADER_DOC, **kwargs.pop("headers", {})}
            return self.response(status_code, schema, headers=headers, **kwargs)(wrapper)

        return decorator

    @staticmethod
    def errors(*statuses: int):
        """Declare error statuses a view answers beyond those its shape implies (409, say).

        400, 401, 403, 404, 413, 415 and 429 are derived (see
        ``sentryapi.openapi.operations.error_statuses``); the conformance checks fail when
        a public operation answers a status its document does not list.
        """

        def decorator(func):
            func._apidoc = deepcopy(getattr(func, "_apidoc", {}))
            func._apidoc["errors"] = sorted({*func._apidoc.get("errors", ()), *statuses})
            return func

        return decorator

    @staticmethod
    def _prepare_cursor_doc(doc, doc_info, **kwargs):
        info = doc_info.get("cursor_pagination")
        if info:
            doc.setdefault("parameters", []).extend([
                {"in": "query", "name": "cursor", "required": False, "allowEmptyValue": True,
                 "description": "A pointer to the page to return, from the `Link` header.",
                 "schema": {"type": "string", "pattern": CURSOR_PATTERN}},
                {"in": "query", "name": info["per_page_param"], "required": False, "allowEmptyValue": True,
                 "description": "How many results to return per page.",
                 "schema": {"type": "integer", "minimum": 1, "maximum": info["max_per_page"],
                            "default": min(100, info["max_per_page"])}},
            ])
        return doc

"""Every failure becomes JSON ``{"detail": ...}``; nothing else leaves the server."""

from __future__ import annotations

import functools
import logging
import uuid

from flask import jsonify, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from ..exceptions import APIError, ServiceUnavailable

log = logging.getLogger("sentryapi.errors")


def render(error: APIError):
    response = jsonify(error.body())
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def handle_api_error(error: APIError):
    return render(error)


def handle_http_exception(error: HTTPException):
    body = {"detail": error.description or error.name}
    if error.code == 404:
        body["detail"] = "The requested resource does not exist"
        if request.path.startswith("/api/") and not request.path.endswith("/"):
            body["info"] = "Route not found, did you forget a trailing slash?"
            body["suggestion"] = f"try: {request.path}/"
    elif error.code == 405:
        body["detail"] = f'Method "{request.method}" not allowed.'
    elif error.code == 413:
        body["detail"] = "Request body is too large."
    response = jsonify(body)
    response.status_code = error.code or 500
    for key, value in error.get_headers():
        if key.lower() not in ("content-type", "content-length"):
            response.headers[key] = value
    return response


def handle_database_unavailable(error: DBAPIError):
    if isinstance(error, OperationalError) or error.connection_invalidated:
        log.warning("database unavailable: %s", error.__class__.__name__)
        return render(ServiceUnavailable())
    return handle_unexpected(error)


def handle_unexpected(error: Exception):
    error_id = uuid.uuid4().hex
    log.exception("unhandled error %s on %s %s", error_id, request.method, request.path)
    response = jsonify({"detail": "Internal Error", "errorId": error_id})
    response.status_code = 500
    return response


def discard_unfinished_work() -> None:
    """A failed request's writes never reach the database: its session is rolled back as
    the error is answered, not only when its app context ends (a context that outlives
    the request, as a test's or a command's does, would carry them into its next commit)."""
    from ..extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the database may be what failed; the answer stands
        log.debug("rollback after an error failed", exc_info=True)


def _after_rollback(handler):
    @functools.wraps(handler)
    def handle(error):
        discard_unfinished_work()
        return handler(error)

    return handle


def register_error_handlers(app) -> None:
    app.register_error_handler(APIError, _after_rollback(handle_api_error))
    app.register_error_handler(HTTPException, _after_rollback(handle_http_exception))
    app.register_error_handler(DBAPIError, _after_rollback(handle_database_unavailable))
    app.register_error_handler(Exception, _after_rollback(handle_unexpected))

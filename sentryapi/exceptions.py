"""The error vocabulary: views raise these, one handler renders ``{"detail": ...}``.

Messages follow Sentry's (Django REST framework's) wording, which clients print as is.
"""

from __future__ import annotations


class APIError(Exception):
    status = 500
    detail = "Internal Error"

    def __init__(self, detail=None, *, headers: dict | None = None, extra: dict | None = None):
        super().__init__(detail or self.detail)
        if detail is not None:
            self.detail = detail
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict:
        return {"detail": self.detail, **self.extra}


class ParseError(APIError):
    status = 400
    detail = "Malformed request."


class ValidationFailed(APIError):
    """Field errors as Sentry renders them: ``{"field": ["message"], ...}`` plus a summary."""

    status = 400

    def __init__(self, errors: dict[str, list[str]] | str, **kwargs):
        if isinstance(errors, str):
            errors = {"non_field_errors": [errors]}
        self.errors = {key: _as_list(value) for key, value in errors.items()}
        super().__init__(_summary(self.errors), **kwargs)

    def body(self) -> dict:
        return {**self.errors, "detail": self.detail}


class NotAuthenticated(APIError):
    status = 401
    detail = "Authentication credentials were not provided."

    def __init__(self, detail=None, **kwargs):
        kwargs.setdefault("headers", {"WWW-Authenticate": 'xBasic realm="api"'})
        super().__init__(detail, **kwargs)


class PermissionDenied(APIError):
    status = 403
    detail = "You do not have permission to perform this action."


class NotFound(APIError):
    status = 404
    detail = "The requested resource does not exist"


class MethodNotAllowed(APIError):
    status = 405


class Conflict(APIError):
    status = 409


class PayloadTooLarge(APIError):
    status = 413
    detail = "Request body is too large."


class UnsupportedMediaType(APIError):
    status = 415


class TooManyRequests(APIError):
    status = 429
    detail = "You are attempting to use this endpoint too frequently."


class ServiceUnavailable(APIError):
    status = 503
    detail = "Service temporarily unavailable, try again later."

    def __init__(self, detail=None, *, retry_after: int = 5, **kwargs):
        kwargs.setdefault("headers", {"Retry-After": str(retry_after)})
        super().__init__(detail, **kwargs)


def _as_list(value) -> list:
    if isinstance(value, dict):
        # Nested schema errors: flatten to "child: message" strings.
        return [f"{key}: {msg}" for key, msgs in value.items() for msg in _as_list(msgs)]
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            out.extend(_as_list(item) if isinstance(item, (list, dict)) else [str(item)])
        return out
    return [str(value)]


def _summary(errors: dict[str, list[str]]) -> str:
    parts = []
    for key, messages in errors.items():
        text = " ".join(messages)
        parts.append(text if key == "non_field_errors" else f"{key}: {text}")
    return "; ".join(parts) or "Invalid request."

"""Ingestion failures, answered as Relay answers them: ``{"detail": ..., "causes": [...]}``."""

from __future__ import annotations

SIZE_LIMITS_URL = "https://develop.sentry.dev/sdk/envelopes/#size-limits"


class IngestError(Exception):
    """An SDK request we refuse; ``status`` and ``detail`` go back to the SDK as is."""

    status = 400

    def __init__(self, detail: str, *causes: str, status: int | None = None,
                 headers: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.causes = list(causes)
        self.headers = headers or {}
        if status is not None:
            self.status = status

    def body(self) -> dict:
        body = {"detail": self.detail}
        if self.causes:
            body["causes"] = self.causes
        return body


class BadRequest(IngestError):
    status = 400


class Unauthorized(IngestError):
    status = 401


class Forbidden(IngestError):
    status = 403


class TooLarge(IngestError):
    status = 413

    @classmethod
    def for_item(cls, item_type: str) -> TooLarge:
        return cls(f"envelope exceeded size limits for type '{item_type}' ({SIZE_LIMITS_URL})")


class UnsupportedEncoding(IngestError):
    status = 415


class RateLimited(IngestError):
    status = 429
    MESSAGE = ("Sentry dropped data due to a quota or internal rate limit being reached. This will "
               "not affect your application. See https://docs.sentry.io/product/accounts/quotas/ "
               "for more information.")

"""The headers of a delivery, and how a receiver checks them (see the README)."""

from __future__ import annotations

import hashlib
import hmac
import time


def signature(secret: str, body: bytes) -> str:
    """``Sentry-Hook-Signature``: hex HMAC-SHA256 of the exact body, keyed with the secret."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def headers(*, secret: str, body: bytes, request_id: str, resource: str,
            timestamp: int | None = None) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "Request-ID": request_id,
        "Sentry-Hook-Resource": resource,
        "Sentry-Hook-Timestamp": str(int(time.time()) if timestamp is None else timestamp),
        "Sentry-Hook-Signature": signature(secret, body),
        "User-Agent": "sentryapi-webhooks/1",
    }


def verify(secret: str, body: bytes, signature_header: str) -> bool:
    """What a receiver does: recompute and compare in constant time."""
    return hmac.compare_digest(signature(secret, body), signature_header or "")

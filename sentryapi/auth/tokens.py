"""Token formats (Sentry's) and how they are kept: only a SHA-256 hash is ever stored."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time

USER_TOKEN_PREFIX = "sntryu_"
ORG_TOKEN_PREFIX = "sntrys_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_user_token() -> str:
    """``sntryu_`` + 64 hex characters, as Sentry mints user auth tokens."""
    return USER_TOKEN_PREFIX + secrets.token_hex(32)


def new_org_token(public_url: str, org_slug: str) -> str:
    """``sntrys_<payload>_<secret>``; the payload tells sentry-cli which server to talk to."""
    payload = {"iat": time.time(), "url": public_url, "region_url": public_url, "org": org_slug}
    encoded = base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()
    secret = base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    return f"{ORG_TOKEN_PREFIX}{encoded}_{secret}"


def last_characters(token: str) -> str:
    return token[-4:]

"""Which DSN key an SDK request carries, read the way Relay reads it.

The key may come from exactly one request-level place: ``X-Sentry-Auth: Sentry
sentry_key=...``, ``Authorization: Sentry ...``, ``Authorization: Basic
base64(key:secret)``, or the ``sentry_key`` query parameter; two of them at once is a
401 even when they agree. An envelope may instead carry the whole DSN in its ``dsn``
header; when both are present they must name the same key.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import BadRequest, Unauthorized

PROTOCOL_VERSION = 7
PUBLIC_KEY_RE = re.compile(r"^[0-9a-fA-F]{32}$")


@dataclass(frozen=True, slots=True)
class Credentials:
    public_key: str
    secret_key: str | None = None
    client: str | None = None
    source: str = "header"


def _sentry_pairs(value: str) -> dict[str, str]:
    """``Sentry sentry_key=a, sentry_version=7`` -> ``{"sentry_key": "a", ...}``."""
    if value[:7].lower() != "sentry ":
        raise Unauthorized("bad x-sentry-auth header")
    pairs = {}
    for part in value[7:].split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            pairs[key.strip()] = val.strip()
    return pairs


def _from_pairs(pairs: dict[str, str], source: str) -> Credentials:
    version = pairs.get("sentry_version")
    if version:
        try:
            number = int(version.split(".")[0])
        except ValueError:
            raise Unauthorized("bad x-sentry-auth header", f"bad sentry_version: {version}") from None
        if number > PROTOCOL_VERSION:
            raise BadRequest(f"unsupported protocol version ({number})")
    key = pairs.get("sentry_key")
    if not key:
        raise Unauthorized("bad x-sentry-auth header", "missing sentry_key")
    return Credentials(_public_key(key), pairs.get("sentry_secret") or None,
                       pairs.get("sentry_client"), source)


def _public_key(key: str) -> str:
    if not PUBLIC_KEY_RE.match(key):
        raise BadRequest("bad sentry DSN public key")
    return key.lower()


def _basic(value: str) -> Credentials:
    try:
        decoded = base64.b64decode(value[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized("bad x-sentry-auth header", "invalid basic authorization") from None
    key, _, secret = decoded.partition(":")
    return Credentials(_public_key(key), secret or None, None, "basic")


def request_credentials(headers, args) -> Credentials | None:
    """The key a request carries in its headers or query, ``None`` if it carries none."""
    found = []
    sentry_auth = headers.get("X-Sentry-Auth")
    if sentry_auth:
        found.append(lambda: _from_pairs(_sentry_pairs(sentry_auth), "header"))
    authorization = headers.get("Authorization")
    if authorization:
        scheme = authorization[:7].lower()
        if scheme == "sentry ":
            found.append(lambda: _from_pairs(_sentry_pairs(authorization), "header"))
        elif authorization[:6].lower() == "basic ":
            found.append(lambda: _basic(authorization))
    if any(name.startswith("sentry_") for name in args):
        found.append(lambda: _from_pairs(dict(args.items()), "query"))
    if len(found) > 1:
        raise Unauthorized("bad x-sentry-auth header", "multiple authorization payloads detected")
    return found[0]() if found else None


@dataclass(frozen=True, slots=True)
class Dsn:
    public_key: str
    project_id: str


def parse_dsn(value) -> Dsn:
    """``scheme://public[:secret]@host[:port][/path]/project_id``."""
    if not isinstance(value, str):
        raise Unauthorized("bad x-sentry-auth header", "the envelope's dsn is not a string")
    parts = urlsplit(value)
    project_id = parts.path.rstrip("/").rpartition("/")[2]
    if parts.scheme not in ("http", "https") or not parts.username or not project_id.isdigit():
        raise Unauthorized("bad x-sentry-auth header", "invalid dsn in the envelope header")
    return Dsn(_public_key(parts.username), project_id)


def envelope_credentials(request_level: Credentials | None, dsn_header) -> Credentials:
    """The key to use: the request's, or the envelope's ``dsn``; if both, they must agree."""
    if dsn_header is None:
        if request_level is None:
            raise Unauthorized("missing authorization information")
        return request_level
    dsn = parse_dsn(dsn_header)
    if request_level is not None and request_level.public_key != dsn.public_key:
        raise Unauthorized("bad x-sentry-auth header",
                           "the envelope's dsn names another key than the request")
    return request_level or Credentials(dsn.public_key, source="envelope")

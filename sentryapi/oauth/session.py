"""The browser session of the sign-in and consent pages: who is signed in, and CSRF tokens.

Flask's signed cookie holds the user's id, a fingerprint of their password hash (so a
password change ends every session) and a per-session CSRF token that each form echoes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from flask import session
from werkzeug.security import check_password_hash, generate_password_hash

from ..auth.models import User
from ..database import utcnow
from ..extensions import db
from ..organizations.services import find_user

CSRF_FIELD = "csrf_token"
_DUMMY_HASH: list[str] = []


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.id}:{user.password_hash or ''}".encode()).hexdigest()[:32]


def current_user() -> User | None:
    user_id = session.get("user_id")
    if not isinstance(user_id, int):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    if not _same(session.get("auth"), _fingerprint(user)):
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password; the same work is done for a miss."""
    user = find_user(email) if email else None
    if user is None or not user.password_hash:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(generate_password_hash(secrets.token_hex(8)))
        check_password_hash(_DUMMY_HASH[0], password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def sign_in(user: User) -> None:
    session.clear()
    session["user_id"] = user.id
    session["auth"] = _fingerprint(user)
    user.last_login = utcnow()


def sign_out() -> None:
    session.clear()


def csrf_token() -> str:
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def csrf_ok(form) -> bool:
    return _same(session.get("csrf"), form.get(CSRF_FIELD))


def csrf_matches(value: str | None) -> bool:
    """Whether ``value`` (the web app's ``X-CSRFToken`` header) is this session's token."""
    return _same(session.get("csrf"), value)


def _same(expected, given) -> bool:
    if not isinstance(expected, str) or not isinstance(given, str) or not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this server: never another host (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return default
    return target

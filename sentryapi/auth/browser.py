"""API calls from a signed-in browser (the web UI): the session cookie instead of a token.

As in Sentry, a request without an ``Authorization`` header acts as the user signed in on
this server (``sentryapi.oauth.session``), with the scopes of their role in each
organization. Unsafe methods need the session's CSRF token in ``X-CSRFToken`` and, when
the browser names one, an ``Origin`` of this server: another site can make a browser send
the cookie, never read the token. Reads are safe as they are: the API never answers
``Access-Control-Allow-Credentials``, so another origin cannot read what it fetched.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, session

from ..exceptions import PermissionDenied
from . import scopes as scope_catalogue
from .models import ApiToken

CSRF_HEADER = "X-CSRFToken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FAILED = "CSRF Failed: CSRF token missing or incorrect."
ORIGIN_FAILED = "CSRF Failed: Origin checking failed."


def session_credentials(credentials_class):
    """``credentials_class`` for the signed-in user, ``None`` without a session, or a
    ``PermissionDenied`` for an unsafe request that fails the CSRF checks."""
    if "user_id" not in session:
        return None  # no cookie (or an empty one): an anonymous call, decided by the view
    from ..oauth.session import csrf_matches, current_user

    user = current_user()
    if user is None:
        return None
    if request.method not in SAFE_METHODS:
        if not same_origin(request.headers.get("Origin")):
            return PermissionDenied(ORIGIN_FAILED)
        if not csrf_matches(request.headers.get(CSRF_HEADER)):
            return PermissionDenied(CSRF_FAILED)
    # Never added to the database session: it only carries what a user token would.
    token = ApiToken(kind="user", user_id=user.id, scopes=list(scope_catalogue.USER_TOKEN_SCOPES))
    return credentials_class(token=token, user=user, via_session=True,
                             scopes=scope_catalogue.expand(scope_catalogue.USER_TOKEN_SCOPES))


def same_origin(origin: str | None) -> bool:
    """Whether ``origin`` (``None``: the browser sent none) is this server's own."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc == request.host

"""Bearer authentication on authlib's resource-protector machinery.

authlib parses the ``Authorization`` header and validates the token; the token lookup is
ours (by SHA-256 hash, so the comparison never touches a plaintext secret), and its
RFC 6750 errors are turned into Sentry's 401 messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from authlib.oauth2 import OAuth2Error, ResourceProtector
from authlib.oauth2.rfc6749 import MissingAuthorizationError, TokenMixin, UnsupportedTokenTypeError
from authlib.oauth2.rfc6750 import BearerTokenValidator, InvalidTokenError
from flask import request
from sqlalchemy import select, update

from ..database import utcnow
from ..exceptions import APIError, NotAuthenticated
from ..extensions import db
from . import scopes as scope_catalogue
from .browser import session_credentials
from .models import ApiToken, User
from .tokens import hash_token

#: Write ``last_used_at`` at most this often per token, so reads stay reads.
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)


class TokenExpired(InvalidTokenError):
    description = "Token expired"


class TokenHasSpaces(InvalidTokenError):
    description = "Invalid token header. Token string should not contain spaces."


@dataclass
class Credentials(TokenMixin):
    """Who is calling: a user (through a user token) or an organization (org token)."""

    token: ApiToken
    user: User | None
    scopes: frozenset[str] = field(default_factory=frozenset)
    #: A signed-in browser's session cookie stood for a token (``sentryapi.auth.browser``).
    via_session: bool = False

    @property
    def kind(self) -> str:
        return self.token.kind

    @property
    def organization_id(self) -> int | None:
        return self.token.organization_id

    # authlib's TokenMixin
    def get_scope(self) -> str:
        return " ".join(sorted(self.scopes))

    def is_expired(self) -> bool:
        return self.token.is_expired()

    def is_revoked(self) -> bool:
        return self.user is not None and not self.user.is_active

    def check_client(self, client) -> bool:
        return False

    def get_expires_in(self) -> int:
        if self.token.expires_at is None:
            return 0
        return max(0, int((self.token.expires_at - utcnow()).total_seconds()))


def granted_scopes(token: ApiToken) -> frozenset[str]:
    """The scopes a token was granted. An organization token keeps only ``org:ci``: one
    minted with more before the rule (or written to the database by hand) does not act
    with the rest."""
    scopes = frozenset(token.scopes or ())
    if token.kind == "org":
        scopes &= scope_catalogue.ORG_TOKEN_SCOPES
    return scopes


def effective_token_scopes(token: ApiToken) -> frozenset[str]:
    """A token's granted scopes with what they imply."""
    return scope_catalogue.expand(granted_scopes(token))


class ApiTokenValidator(BearerTokenValidator):
    def authenticate_token(self, token_string: str) -> Credentials | None:
        if " " in token_string.strip():
            raise TokenHasSpaces()
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.token_hash == hash_token(token_string.strip()))
        )
        if token is None:
            return None
        return Credentials(token=token, user=token.user, scopes=effective_token_scopes(token))

    def validate_token(self, token, scopes, request):
        if token is not None and token.is_expired():
            raise TokenExpired()
        super().validate_token(token, scopes, request)


protector = ResourceProtector()
validator = ApiTokenValidator()
protector.register_token_validator(validator)


class _HeadersOnly:
    """The part of a request authlib's header parsing reads."""

    def __init__(self, headers):
        self.headers = headers


def authenticate(required: bool) -> Credentials | None:
    """Return the caller's credentials, ``None`` for an anonymous call, or raise 401.

    The outcome is kept for the rest of the request: the rate limiter looks at the caller
    (``peek_credentials``) before the view asks, and the token is looked up only once.
    """
    outcome = _outcome()
    if isinstance(outcome, APIError):
        raise type(outcome)(outcome.detail)
    if outcome is None and required:
        raise NotAuthenticated()
    return outcome


def peek_credentials() -> Credentials | None:
    """The caller's valid credentials, or ``None`` (anonymous or refused); never raises.

    A failure that is not the caller's fault (the database is down) is not remembered, so
    the view meets it again and answers 503.
    """
    try:
        outcome = _outcome()
    except Exception:  # noqa: BLE001 - the view will raise it properly
        return None
    return None if isinstance(outcome, APIError) else outcome


_OUTCOME = "sentryapi.auth_outcome"


def _outcome() -> Credentials | APIError | None:
    # Kept in the WSGI environ, which belongs to this request alone; ``g`` lives as long
    # as the app context, which a test (or a CLI) may hold across several requests.
    if _OUTCOME not in request.environ:
        request.environ[_OUTCOME] = _check_request()
    return request.environ[_OUTCOME]


def _check_request() -> Credentials | APIError | None:
    try:
        credentials = protector.validate_request(None, _HeadersOnly(request.headers))
    except MissingAuthorizationError:
        return session_credentials(Credentials)
    except UnsupportedTokenTypeError:
        return NotAuthenticated("Invalid token header. No credentials provided.")
    except (TokenExpired, TokenHasSpaces) as error:
        return NotAuthenticated(error.description)
    except OAuth2Error:
        return NotAuthenticated("Invalid token")
    _touch(credentials.token)
    return credentials


def _touch(token: ApiToken) -> None:
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        db.session.commit()


def is_scope_insufficient(granted, required) -> bool:
    """authlib's any-of check: ``required`` lists alternatives, one of which must be held."""
    return bool(required) and validator.scope_insufficient(" ".join(granted), list(required))

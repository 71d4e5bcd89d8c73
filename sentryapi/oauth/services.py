"""Operations on applications, authorizations and OAuth tokens, shared by the API and the server."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app
from sqlalchemy import delete, select

from ..auth import scopes as scope_catalogue
from ..auth.applications import ApiApplication, ApiAuthorization, ApiGrant
from ..auth.models import ApiToken, User
from ..auth.tokens import hash_token, last_characters, new_user_token
from ..database import utcnow
from ..extensions import db
from ..tenants.models import OrganizationMember

#: RFC 6749 §4.1.2 recommends at most ten minutes; Sentry uses ten.
CODE_LIFETIME = dt.timedelta(minutes=10)
OAUTH_TOKEN_KIND = "oauth"


def new_secret() -> str:
    """64 hex characters (32 random bytes), the form of Sentry's client ids and secrets."""
    return secrets.token_hex(32)


def create_application(owner: User, **fields) -> tuple[ApiApplication, str]:
    """A new application owned by ``owner``; its secret is returned once, never stored."""
    secret = new_secret()
    client_id = new_secret()
    fields.setdefault("name", f"Application {client_id[:8]}")
    application = ApiApplication(owner_id=owner.id, client_id=client_id,
                                 client_secret_hash=hash_token(secret), **fields)
    db.session.add(application)
    db.session.flush()
    return application, secret


def rotate_secret(application: ApiApplication) -> str:
    secret = new_secret()
    application.client_secret_hash = hash_token(secret)
    return secret


def grantable_scopes(user: User) -> frozenset[str]:
    """What a user may approve: every scope their organization roles give, at most.

    An application's token is still checked against the role in each organization it
    is used in, exactly like a user token; this only refuses to issue one that asks for
    more than any of the user's roles could ever allow.
    """
    if user.is_superuser:
        return frozenset(scope_catalogue.USER_TOKEN_SCOPES)
    roles = db.session.scalars(
        select(OrganizationMember.role).where(OrganizationMember.user_id == user.id).distinct()
    ).all()
    held = set().union(*(scope_catalogue.role_scopes(role) for role in roles or
                         [scope_catalogue.DEFAULT_ROLE]))
    return frozenset(held) & frozenset(scope_catalogue.USER_TOKEN_SCOPES)


def approve(user: User, application: ApiApplication, scopes) -> ApiAuthorization:
    """The user's authorization of the application, with ``scopes`` added to it."""
    authorization = db.session.scalar(
        select(ApiAuthorization).where(ApiAuthorization.user_id == user.id,
                                       ApiAuthorization.application_id == application.id)
    )
    if authorization is None:
        authorization = ApiAuthorization(user_id=user.id, application_id=application.id,
                                         scopes=[])
        db.session.add(authorization)
    authorization.scopes = sorted(set(authorization.scopes) | set(scopes))
    db.session.flush()
    return authorization


def save_code(code: str, authorization: ApiAuthorization, *, redirect_uri, scopes,
              code_challenge: str, code_challenge_method: str) -> ApiGrant:
    """Keep the hash of a new authorization code; expired codes are swept on the way."""
    now = utcnow()
    db.session.execute(delete(ApiGrant).where(ApiGrant.expires_at < now))
    grant = ApiGrant(authorization_id=authorization.id, code_hash=hash_token(code),
                     redirect_uri=redirect_uri, scopes=sorted(set(scopes)),
                     code_challenge=code_challenge, code_challenge_method=code_challenge_method,
                     expires_at=now + CODE_LIFETIME)
    db.session.add(grant)
    db.session.flush()
    return grant


def find_code(code: str, application: ApiApplication) -> ApiGrant | None:
    return db.session.scalar(
        select(ApiGrant).join(ApiGrant.authorization).where(
            ApiGrant.code_hash == hash_token(code),
            ApiAuthorization.application_id == application.id,
        )
    )


def revoke_tokens(authorization_id: int) -> None:
    db.session.execute(delete(ApiToken).where(ApiToken.authorization_id == authorization_id))


def find_token(token: str, hint: str | None = None) -> ApiToken | None:
    """An OAuth token by its access or refresh token; ``hint`` only says which to try first."""
    digest = hash_token(token)
    columns = [ApiToken.token_hash, ApiToken.refresh_token_hash]
    if hint == "refresh_token":
        columns.reverse()
    for column in columns:
        row = db.session.scalar(
            select(ApiToken).where(column == digest, ApiToken.kind == OAUTH_TOKEN_KIND)
        )
        if row is not None:
            return row
    return None


def find_refresh_token(refresh_token: str) -> ApiToken | None:
    return db.session.scalar(
        select(ApiToken).where(ApiToken.refresh_token_hash == hash_token(refresh_token),
                               ApiToken.kind == OAUTH_TOKEN_KIND)
    )


def issue_token(authorization_id: int, user: User, scopes, *, access_token: str,
                refresh_token: str, expires_in: int, name: str) -> ApiToken:
    token = ApiToken(
        kind=OAUTH_TOKEN_KIND, user_id=user.id, authorization_id=authorization_id,
        token_hash=hash_token(access_token), refresh_token_hash=hash_token(refresh_token),
        token_last_characters=last_characters(access_token), name=name,
        scopes=sorted(set(scopes)), expires_at=utcnow() + dt.timedelta(seconds=expires_in),
    )
    db.session.add(token)
    db.session.flush()
    return token


def new_token_pair() -> tuple[str, str]:
    """An access token (a ``sntryu_`` token, as it acts for a user) and a refresh token."""
    return new_user_token(), new_secret()


def access_token_lifetime() -> int:
    return int(current_app.config["OAUTH_ACCESS_TOKEN_LIFETIME"])

"""The authlib authorization server: client lookup, token minting and Sentry's token response."""

from __future__ import annotations

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidGrantError
from authlib.oauth2.rfc7009 import RevocationEndpoint as _RevocationEndpoint
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..auth.applications import CLIENT_AUTH_METHODS, ApiApplication
from ..auth.scopes import USER_TOKEN_SCOPES
from ..extensions import db
from ..web.schemas import DateTime
from . import services
from .grants import (
    AuthorizationCodeGrant,
    RefreshCredential,
    RefreshTokenGrant,
    S256CodeChallenge,
    consume,
)


def query_client(client_id) -> ApiApplication | None:
    if not isinstance(client_id, str) or len(client_id) > 64:
        return None
    return db.session.scalar(select(ApiApplication).where(ApiApplication.client_id == client_id))


def generate_token(grant_type, client, user=None, scope=None, expires_in=None,
                   include_refresh_token=True) -> dict:
    """authlib's token generator: our token formats, always with a refresh token."""
    access_token, refresh_token = services.new_token_pair()
    return {
        "access_token": access_token,
        "refresh_token": refresh_token,
        "expires_in": expires_in or services.access_token_lifetime(),
        "token_type": "bearer",
        "scope": scope or "",
    }


def save_token(token: dict, request) -> None:
    """Store the token's hashes, then give the response Sentry's shape.

    The code or refresh token that paid for it is consumed in the same transaction.
    """
    authorization_id = consume(request)
    user = request.user
    try:
        row = services.issue_token(
            authorization_id, user, token["scope"].split(), access_token=token["access_token"],
            refresh_token=token["refresh_token"], expires_in=token["expires_in"],
            name=request.client.name,
        )
    except IntegrityError:  # the authorization was revoked a moment ago
        db.session.rollback()
        raise InvalidGrantError("The authorization was revoked.") from None
    body = {
        "access_token": token["access_token"],
        "refresh_token": token["refresh_token"],
        "expires_in": token["expires_in"],
        "expires_at": DateTime().serialize("expires_at", {"expires_at": row.expires_at}),
        "token_type": "bearer",
        "scope": " ".join(row.scopes),
        "user": {"id": str(user.id), "name": user.name or user.email, "email": user.email},
    }
    # Built before the commit: a replayed code may revoke the row right after it (grants.py).
    db.session.commit()
    token.clear()
    token.update(body)


class RevocationEndpoint(_RevocationEndpoint):
    """RFC 7009: a client revokes one of its tokens; the row holding both goes at once."""

    CLIENT_AUTH_METHODS = list(CLIENT_AUTH_METHODS)

    def query_token(self, token_string, token_type_hint):
        token = services.find_token(token_string, token_type_hint)
        return RefreshCredential(token) if token is not None else None

    def revoke_token(self, credential, request):
        db.session.delete(credential.token)
        db.session.commit()


def create_server(app) -> AuthorizationServer:
    server = AuthorizationServer()
    server.init_app(app, query_client=query_client, save_token=save_token)
    server.register_token_generator("default", generate_token)
    server.scopes_supported = list(USER_TOKEN_SCOPES)
    server.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(required=True)])
    server.register_grant(RefreshTokenGrant)
    server.register_endpoint(RevocationEndpoint)
    return server

"""authlib's grants, bound to our storage: authorization code with PKCE, rotating refresh.

Codes and tokens are consumed with a conditional write (``UPDATE ... WHERE used = false``,
``DELETE ... WHERE refresh_token_hash = ...``) whose row count decides, so two requests
racing with the same code or refresh token cannot both be issued a token. Rows are matched
by hash as well as id: SQLite reuses the id of a deleted row.
"""

from __future__ import annotations

from dataclasses import dataclass

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidRequestError, InvalidScopeError, grants
from authlib.oauth2.rfc6749.models import TokenMixin
from authlib.oauth2.rfc7636 import CodeChallenge
from sqlalchemy import delete, update

from ..auth.applications import CLIENT_AUTH_METHODS, ApiApplication, ApiAuthorization, ApiGrant
from ..auth.models import ApiToken
from ..database import utcnow
from ..extensions import db
from . import services


class S256CodeChallenge(CodeChallenge):
    """PKCE is required of every client, and only with S256 (``plain`` adds nothing)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE (S256) is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be 'S256'.")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant, result):
        try:
            super().validate_code_verifier(grant, result)
        except OAuth2Error:
            # Whoever sent a wrong verifier may have intercepted the code: it dies now, so
            # verifiers cannot be guessed one request at a time.
            code = grant.request.authorization_code
            db.session.execute(delete(ApiGrant).where(ApiGrant.id == code.id,
                                                      ApiGrant.code_hash == code.code_hash))
            db.session.commit()
            raise


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(CLIENT_AUTH_METHODS)

    def validate_authorization_request(self):
        redirect_uri = super().validate_authorization_request()
        user = self.request.user
        if user is not None:
            asked = set(self.request.scope.split())
            beyond = asked - services.grantable_scopes(user)
            if beyond:
                raise InvalidScopeError(
                    "Your role does not allow: " + " ".join(sorted(beyond)),
                    redirect_uri=redirect_uri, state=self.request.payload.state,
                )
        return redirect_uri

    def save_authorization_code(self, code, request):
        authorization = services.approve(request.user, request.client, request.scope.split())
        services.save_code(
            code, authorization, redirect_uri=request.payload.redirect_uri,
            scopes=request.scope.split(),
            code_challenge=request.payload.data["code_challenge"],
            code_challenge_method=request.payload.data["code_challenge_method"],
        )
        db.session.commit()

    def query_authorization_code(self, code, client: ApiApplication):
        grant = services.find_code(code, client)
        if grant is None or grant.is_expired():
            return None
        if grant.used:
            # A replayed code: whoever holds it may have stolen it (RFC 6749 §4.1.2).
            services.revoke_tokens(grant.authorization_id)
            db.session.commit()
            return None
        return grant

    def delete_authorization_code(self, authorization_code):
        """Nothing to do: ``save_token`` marked the code used before issuing anything."""

    def authenticate_user(self, authorization_code: ApiGrant):
        user = authorization_code.authorization.user
        return user if user.is_active else None


@dataclass
class RefreshCredential(TokenMixin):
    """An OAuth ``ApiToken`` row as authlib's refresh and revocation code sees it."""

    token: ApiToken

    def check_client(self, client: ApiApplication) -> bool:
        authorization = db.session.get(ApiAuthorization, self.token.authorization_id)
        return authorization is not None and authorization.application_id == client.id

    def get_scope(self) -> str:
        return " ".join(sorted(self.token.scopes))

    def get_user(self):
        return self.token.user


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(CLIENT_AUTH_METHODS)
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotate: every refresh token works once

    def authenticate_refresh_token(self, refresh_token):
        token = services.find_refresh_token(refresh_token)
        if token is None or token.user is None or not token.user.is_active:
            return None
        return RefreshCredential(token)

    def authenticate_user(self, credential: RefreshCredential):
        user = credential.get_user()
        return user if user is not None and user.is_active else None

    def revoke_old_credential(self, credential):
        """Nothing to do: ``save_token`` replaced the old row before issuing the new one."""


def consume(request) -> int:
    """Use up the request's code or refresh token; return the authorization it belongs to.

    Raises ``invalid_grant`` when another request got there first.
    """
    code: ApiGrant | None = getattr(request, "authorization_code", None)
    if code is not None:
        result = db.session.execute(
            update(ApiGrant).where(ApiGrant.id == code.id, ApiGrant.code_hash == code.code_hash,
                                   ApiGrant.used.is_(False), ApiGrant.expires_at > utcnow())
            .values(used=True)
        )
        authorization_id = code.authorization_id
    else:
        old: ApiToken = request.refresh_token.token
        result = db.session.execute(delete(ApiToken).where(
            ApiToken.id == old.id, ApiToken.refresh_token_hash == old.refresh_token_hash))
        authorization_id = old.authorization_id
    if result.rowcount != 1:
        db.session.rollback()
        raise InvalidGrantError("The grant was already used.")
    return authorization_id

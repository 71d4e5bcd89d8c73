"""OAuth2 applications, the user's authorization of one, and authorization codes.

Nothing secret is stored in the clear: the client secret and each code are kept as
SHA-256 hashes (they are long random strings, so a fast hash is enough), and the tokens
an authorization yields are ``ApiToken`` rows of kind ``oauth``, hashed like every token.
"""

from __future__ import annotations

import datetime as dt
import hmac

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin
from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.tokens import hash_token
from ..database import BigId, UTCDateTime, utcnow
from ..extensions import db

#: Client authentication methods the token and revocation endpoints accept.
CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")


class ApiApplication(db.Model, ClientMixin):
    """A third-party application a user registered; ``client_id`` is its public name."""

    __tablename__ = "api_application"
    __table_args__ = (Index("ix_api_application_owner_id_name_id", "owner_id", "name", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    client_secret_hash: Mapped[str] = mapped_column(String(64))
    owner_id: Mapped[int] = mapped_column(ForeignKey("sentry_user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    redirect_uris: Mapped[list] = mapped_column(JSON, default=list)
    allowed_origins: Mapped[list] = mapped_column(JSON, default=list)
    homepage_url: Mapped[str | None] = mapped_column(String(255))
    privacy_url: Mapped[str | None] = mapped_column(String(255))
    terms_url: Mapped[str | None] = mapped_column(String(255))
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    # authlib's ClientMixin
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope) -> str:
        # Which scopes exist is checked by the server (scopes_supported), and whether
        # the user may grant them by the grant; an application may ask for any of them.
        return " ".join(sorted(set((scope or "").split())))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact match against a registered URI (no prefix matching, RFC 9700 §2.1)."""
        return redirect_uri in (self.redirect_uris or [])

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(self.client_secret_hash, hash_token(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in CLIENT_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


class ApiAuthorization(db.Model):
    """A user's standing approval of an application; deleting it revokes every token."""

    __tablename__ = "api_authorization"
    __table_args__ = (
        UniqueConstraint("user_id", "application_id"),
        Index("ix_api_authorization_user_id_date_created_id", "user_id", "date_created", "id"),
        Index("ix_api_authorization_application_id", "application_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("api_application.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("sentry_user.id", ondelete="CASCADE"))
    #: Every scope the user has approved for the application so far.
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[ApiApplication] = relationship(lazy="joined")
    user = relationship("User", lazy="joined")


class ApiGrant(db.Model, AuthorizationCodeMixin):
    """An authorization code: single use, short-lived, bound to PKCE and a redirect URI.

    A used code is kept (``used``) until it expires, so a replay can be recognised and
    answered by revoking what the authorization issued (RFC 6749 §4.1.2).
    """

    __tablename__ = "api_grant"
    __table_args__ = (
        Index("ix_api_grant_authorization_id", "authorization_id"),
        Index("ix_api_grant_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    authorization_id: Mapped[int] = mapped_column(
        ForeignKey("api_authorization.id", ondelete="CASCADE")
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    redirect_uri: Mapped[str | None] = mapped_column(String(255))
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(8))
    used: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    authorization: Mapped[ApiAuthorization] = relationship(lazy="joined")

    def is_expired(self) -> bool:
        return self.expires_at <= utcnow()

    # authlib's AuthorizationCodeMixin
    def get_redirect_uri(self) -> str | None:
        return self.redirect_uri

    def get_scope(self) -> str:
        return " ".join(sorted(self.scopes))

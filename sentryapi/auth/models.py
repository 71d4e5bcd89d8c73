"""Users and API tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import BigId, UTCDateTime, utcnow
from ..extensions import db

# api_token.authorization_id references the OAuth tables: they are declared with it, so the
# schema is whole whichever plugins are enabled.
from .applications import ApiApplication, ApiAuthorization, ApiGrant  # noqa: F401


class User(db.Model):
    __tablename__ = "sentry_user"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_superuser: Mapped[bool] = mapped_column(Boolean, default=False)
    date_joined: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def set_password(self, password: str) -> None:
        from werkzeug.security import generate_password_hash

        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        from werkzeug.security import check_password_hash

        return bool(self.password_hash) and check_password_hash(self.password_hash, password)


class ApiToken(db.Model):
    """A bearer token. ``kind`` is ``user`` (acts as its user), ``org`` (acts for one org)
    or ``oauth`` (acts as its user for a third-party application, see ``sentryapi.oauth``).

    Only ``token_hash`` identifies a token; the plaintext exists in the creation response.
    OAuth tokens also carry a hashed refresh token and belong to the user's authorization
    of the application: deleting the authorization deletes them (``ON DELETE CASCADE``).
    """

    __tablename__ = "api_token"
    __table_args__ = (Index("ix_api_token_user_id_id", "user_id", "id"),
                      Index("ix_api_token_organization_id_id", "organization_id", "id"),
                      Index("ix_api_token_authorization_id", "authorization_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="user")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("sentry_user.id", ondelete="CASCADE"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE")
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    authorization_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_authorization.id", ondelete="CASCADE")
    )
    token_last_characters: Mapped[str] = mapped_column(String(4))
    name: Mapped[str | None] = mapped_column(String(255))
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Who minted an organization token (``createdBy``); null once that user is deleted.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("sentry_user.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow())


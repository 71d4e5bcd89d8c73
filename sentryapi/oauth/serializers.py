"""Build the JSON objects Sentry returns for OAuth applications and authorizations."""

from __future__ import annotations

from ..auth.applications import ApiApplication, ApiAuthorization


def serialize_application(application: ApiApplication, *, secret: str | None = None) -> dict:
    """``clientSecret`` is ``None`` except in the response that created or rotated it."""
    return {
        "id": application.client_id,
        "clientID": application.client_id,
        "clientSecret": secret,
        "name": application.name,
        "homepageUrl": application.homepage_url,
        "privacyUrl": application.privacy_url,
        "termsUrl": application.terms_url,
        "allowedOrigins": list(application.allowed_origins or []),
        "redirectUris": list(application.redirect_uris or []),
    }


def serialize_authorization(authorization: ApiAuthorization) -> dict:
    return {
        "id": authorization.id,
        "scopes": sorted(authorization.scopes),
        "application": serialize_application(authorization.application),
        "dateCreated": authorization.date_created,
    }

"""The OAuth2 endpoints: the consent page, the token endpoint and revocation (RFC 7009)."""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from flask import current_app, redirect, request, url_for

from .consent import describe_scopes
from .session import csrf_ok, current_user
from .web import bp, page

EXTENSION = "sentryapi.oauth"


def server():
    return current_app.extensions[EXTENSION]


def refuse(error: OAuth2Error):
    """Back to the client with the error once its redirect URI is known to be its own;
    otherwise (unknown client, unregistered redirect URI) an error page, never a redirect."""
    if error.redirect_uri:
        return server().handle_error_response(None, error)
    return page("error.html", error.status_code or 400, error=error.error,
                description=error.get_error_description())


@bp.route("/oauth/authorize/", methods=["GET", "POST"])
def authorize():
    """Ask the signed-in user to approve an application's request (authorization code + PKCE)."""
    user = current_user()
    try:
        grant = server().get_consent_grant(end_user=user)
    except OAuth2Error as error:
        return refuse(error)
    if user is None:
        return redirect(url_for("oauth_web.login", next=request.full_path))
    if request.method == "GET":
        return page("authorize.html", application=grant.client, user=user,
                    scopes=describe_scopes(grant.request.scope.split()))
    if not csrf_ok(request.form):
        return page("error.html", 400, error="invalid_request",
                    description="Your form expired. Reload the page and try again.")
    approved = request.form.get("op") == "approve"
    return server().create_authorization_response(grant=grant, grant_user=user if approved else None)


@bp.route("/oauth/token/", methods=["POST"])
def token():
    """Exchange a code (with its PKCE verifier) or a refresh token for a new token pair."""
    return server().create_token_response()


@bp.route("/oauth/revoke/", methods=["POST"])
def revoke():
    """Revoke an access or refresh token (RFC 7009); the client authenticates."""
    return server().create_endpoint_response("revocation")

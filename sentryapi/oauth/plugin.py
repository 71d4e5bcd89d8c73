"""Built-in plugin: OAuth2 for third-party applications (authorization code + PKCE).

The API side (``/api/0/api-applications/``, ``/api/0/api-authorizations/``) registers
like any plugin's; ``init_app`` adds the browser side (``/auth/login/``,
``/oauth/authorize/``) and the token endpoints (``/oauth/token/``, ``/oauth/revoke/``).
"""

from ..auth.applications import ApiApplication, ApiAuthorization, ApiGrant
from ..plugins import Plugin
from . import accept, applications, authorizations, authorize, signin  # noqa: F401 - routes on web.bp
from .server import create_server
from .web import bp as web_blueprint


def init_app(app) -> None:
    if app.config["PUBLIC_URL"].startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True  # never send the session over plain HTTP
    app.register_blueprint(web_blueprint)
    app.extensions[authorize.EXTENSION] = create_server(app)


plugin = Plugin(
    name="oauth",
    requires=("organizations",),
    blueprints=(applications.blp, authorizations.blp),
    tags=(
        {"name": "API Applications",
         "description": "OAuth2 applications: client id, secret (shown once) and redirect URIs."},
        {"name": "API Authorizations",
         "description": "The applications a user authorized; revoking one ends its tokens."},
    ),
    models=(ApiApplication, ApiAuthorization, ApiGrant),
    # The OAuth2 endpoints and the sign-in page live where OAuth clients look for them;
    # invitation links at Sentry's /accept/<member id>/<token>/.
    route_prefixes=("/oauth/", "/auth/", "/accept/"),
    init_app=init_app,
)

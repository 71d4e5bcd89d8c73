"""The served docs pages: ReDoc at ``/api/docs/``, Swagger UI at ``/api/docs/swagger/``.

Both load their JavaScript and CSS from ``sentryapi/static/vendor/`` (npm packages at the
pinned versions below, fetched by ``make docs-assets`` and committed), so the pages work
without a network. flask-smorest's ``OPENAPI_*`` settings drive them; an instance config
may override any of them.
"""

from __future__ import annotations

REDOC = "redoc-2.5.4"  # ReDoc 3.x's bundle needs <script type=module>; smorest's page has none
SWAGGER_UI = "swagger-ui-dist-5.35.0"
DOCS_PREFIX = "/api/docs"
VENDOR_URL = "/static/vendor"

DEFAULTS = {
    "OPENAPI_URL_PREFIX": DOCS_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_REDOC_PATH": "/",
    "OPENAPI_REDOC_URL": f"{VENDOR_URL}/{REDOC}/redoc.standalone.js",
    "OPENAPI_SWAGGER_UI_PATH": "/swagger/",
    "OPENAPI_SWAGGER_UI_URL": f"{VENDOR_URL}/{SWAGGER_UI}/",
    # No validator badge: Swagger UI would send the document to validator.swagger.io.
    "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None, "deepLinking": True},
}


#: The docs pages may load and fetch from this server only. ReDoc's footer links a logo on
#: its CDN; this policy keeps the browser from asking for it (the link text stays).
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",  # Swagger UI's page starts it from an inline script
    "style-src 'self' 'unsafe-inline'",  # both UIs inject styles
    "img-src 'self' data:",
    "worker-src 'self' blob:",  # ReDoc's search index runs in a worker
    "connect-src 'self'",
    "font-src 'self' data:",
))


def configure(config) -> None:
    for key, value in DEFAULTS.items():
        config.setdefault(key, value)


def add_content_security_policy(app, blueprint_name: str) -> None:
    """Send :data:`CONTENT_SECURITY_POLICY` with every page of the docs blueprint."""
    from flask import request

    @app.after_request
    def docs_policy(response):
        if request.blueprint == blueprint_name:
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

"""Response headers Sentry sends: browser hardening on every answer, CORS on the API.

Sentry's ``SecurityHeadersMiddleware`` adds ``X-Frame-Options: deny``,
``X-Content-Type-Options: nosniff`` and ``X-XSS-Protection: 1; mode=block`` to every
response that has none. Its API answers cross-origin callers as ``apply_cors_headers``
does: the caller's origin (``*`` without one), the route's methods, the headers a
browser client sends and may read. It never allows credentials here: the API is called
with bearer tokens, and a session cookie (the sign-in pages') must not ride along on a
cross-site request. SDK ingestion sets its own CORS headers (Relay's), which are kept.
"""

from __future__ import annotations

from flask import request

API_PREFIX = "/api/0/"
SECURITY_HEADERS = {
    "X-Frame-Options": "deny",
    "X-Content-Type-Options": "nosniff",
    "X-XSS-Protection": "1; mode=block",
}
ALLOW_HEADERS = ("X-Sentry-Auth, X-Requested-With, Origin, Accept, Content-Type, Authentication, "
                 "Authorization, Content-Encoding, sentry-trace, baggage, X-CSRFToken")
EXPOSE_HEADERS = ("X-Sentry-Error, X-Sentry-Direct-Hit, X-Hits, X-Max-Hits, Endpoint, Retry-After, Link, "
                  "Deprecation, Sunset")
#: A browser asks again after an hour (Sentry's value).
PREFLIGHT_MAX_AGE = "3600"


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith(API_PREFIX):
        add_api_cors(response)
    return response


def add_api_cors(response) -> None:
    methods = sorted((request.url_rule.methods if request.url_rule else set()) | {"OPTIONS"})
    allow = ", ".join(methods)
    response.headers["Allow"] = allow
    response.headers["Access-Control-Allow-Methods"] = allow
    response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
    response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    origin = request.headers.get("Origin")
    response.headers["Access-Control-Allow-Origin"] = origin or "*"
    response.headers.pop("Access-Control-Allow-Credentials", None)
    if origin:
        response.headers.add("Vary", "Origin")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE


def install(app) -> None:
    app.after_request(add_security_headers)

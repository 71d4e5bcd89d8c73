"""The pages a browser opens: the single-page app at ``/`` and at the paths the API hands out
(``permalink``, ``links.organizationUrl``), its assets under ``/ui/``, the session
bootstrap it reads first, and the dashboard widgets plugins ship.

Served with the sign-in pages' headers (no frames, no caching of pages) and a strict
Content-Security-Policy: scripts and styles from this server only, nothing inline, no
CDN; the WebSocket back to this host is the one connection beyond ``'self'``.
"""

from __future__ import annotations

import os
import re

from flask import Blueprint, abort, current_app, jsonify, redirect, request, send_file, url_for

from ..oauth.session import csrf_token, current_user
from ..oauth.web import SECURITY_HEADERS
from ..web.hooks import call_hook

STATIC = os.path.join(os.path.dirname(__file__), "static")
bp = Blueprint("ui", __name__, static_folder=STATIC, static_url_path="/ui")
WIDGET_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
#: Vite names every asset after a hash of its content: it may be cached for good.
IMMUTABLE = "public, max-age=31536000, immutable"


def content_security_policy() -> str:
    host = request.host
    return "; ".join((
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src 'self' ws://{host} wss://{host}",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ))


@bp.after_request
def security_headers(response):
    immutable = request.path.startswith("/ui/assets/") and response.status_code == 200
    for key, value in SECURITY_HEADERS.items():
        if key == "Content-Security-Policy":
            value = content_security_policy()
        elif immutable and key in ("Cache-Control", "Pragma"):
            continue
        response.headers[key] = value
    if immutable:
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def app_page():
    """The app's ``index.html`` for a signed-in browser; the sign-in page first otherwise."""
    if current_user() is None:
        return redirect(url_for("oauth_web.login", next=request.full_path.rstrip("?")))
    response = send_file(os.path.join(STATIC, "index.html"), mimetype="text/html", max_age=0)
    return security_headers(response)


@bp.route("/organizations/")
@bp.route("/organizations/<path:rest>")
def organization_pages(rest: str = ""):
    """Every page of an organization (issues, an issue's permalink, dashboards, projects)."""
    return app_page()


@bp.route("/ui/bootstrap.json")
def bootstrap():
    """Who is signed in and the CSRF token the app sends with unsafe API calls.

    Another origin cannot read it: nothing here answers CORS.
    """
    user = current_user()
    if user is None:
        return jsonify({"user": None, "loginUrl": url_for("oauth_web.login")}), 401
    return jsonify({
        "user": {"id": str(user.id), "email": user.email, "name": user.name or user.email},
        "csrfToken": csrf_token(),
        "loginUrl": url_for("oauth_web.login"),
        "logoutUrl": url_for("oauth_web.logout"),
        "widgets": [{"id": w["id"], "title": w["title"], "url": url_for("ui.widget", widget_id=w["id"])}
                    for w in widgets()],
    })


def widgets() -> list[dict]:
    """Every plugin's dashboard widgets (the ``ui_widgets`` hook), in load order."""
    found = []
    for answer in call_hook("ui_widgets"):
        for widget in answer:
            if not WIDGET_ID.match(widget.get("id", "")) or not os.path.isfile(widget.get("module", "")):
                raise RuntimeError(f"ui_widgets: a widget needs an id ({WIDGET_ID.pattern}) and "
                                   f"an existing module file: {widget!r}")
            found.append(widget)
    return found


@bp.route("/ui/widgets/<widget_id>.js")
def widget(widget_id: str):
    """A plugin widget's ES module (its ``module`` file)."""
    for item in widgets():
        if item["id"] == widget_id:
            return send_file(item["module"], mimetype="text/javascript", max_age=0)
    abort(404)


def root_page():
    """``/`` for a browser when the app is installed (``sentryapi.api.root`` asks)."""
    return app_page() if "ui" in current_app.blueprints else None

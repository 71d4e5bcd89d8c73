"""The HTML side of OAuth (sign-in and consent pages, token endpoints): one Flask blueprint.

These pages live outside ``/api/0/``; they are served with headers that keep them out of
frames and caches, and with no script at all.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from .session import CSRF_FIELD, csrf_token

bp = Blueprint("oauth_web", __name__, template_folder="templates")

#: Forms here carry a few short fields; nothing larger is read.
MAX_FORM_SIZE = 64 * 1024

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # No form-action: the consent form's answer redirects to the client's own URI.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


@bp.before_request
def limit_form_size():
    request.max_content_length = MAX_FORM_SIZE


@bp.after_request
def security_headers(response):
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response


def page(template: str, status: int = 200, **context):
    """Render one of the pages with the CSRF field every form needs."""
    context.setdefault("csrf_field", CSRF_FIELD)
    context.setdefault("csrf_token", csrf_token())
    return render_template(f"oauth/{template}", **context), status

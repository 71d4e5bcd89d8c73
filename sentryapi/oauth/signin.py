"""The minimal sign-in page a browser needs to complete the consent flow."""

from __future__ import annotations

from flask import redirect, request, url_for

from ..extensions import db
from .session import authenticate, csrf_ok, current_user, safe_next, sign_in, sign_out
from .web import bp, page

FORM_EXPIRED = "Your form expired. Please try again."


@bp.route("/auth/login/", methods=["GET", "POST"])
def login():
    """Sign in with e-mail and password, then continue to ``next`` (a path on this server)."""
    next_url = safe_next(request.values.get("next"), "")
    if request.method == "POST":
        if not csrf_ok(request.form):
            return page("login.html", 400, error=FORM_EXPIRED, next_url=next_url, email="")
        email = request.form.get("email", "").strip()[:254]
        user = authenticate(email, request.form.get("password", "")[:1024])
        if user is None:
            return page("login.html", 400, error="Invalid e-mail or password.",
                        next_url=next_url, email=email)
        sign_in(user)
        db.session.commit()
        return redirect(next_url or url_for("oauth_web.login"))
    user = current_user()
    if user is not None and next_url:
        return redirect(next_url)
    return page("login.html", user=user, next_url=next_url, email="")


@bp.route("/auth/logout/", methods=["POST"])
def logout():
    """Sign out (a POST with the CSRF token, so no other site can sign you out)."""
    if not csrf_ok(request.form):
        return page("login.html", 400, error=FORM_EXPIRED, next_url="", email="")
    sign_out()
    return redirect(url_for("oauth_web.login"))

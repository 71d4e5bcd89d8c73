"""The page an invitation e-mail links to: set a password (or sign in) and join."""

from __future__ import annotations

from flask import redirect, request, url_for

from ..extensions import db
from ..organizations.invitations import accept_invitation, find_invitation
from ..organizations.services import create_user, find_user
from .session import authenticate, csrf_ok, sign_in
from .signin import FORM_EXPIRED
from .web import bp, page

MIN_PASSWORD = 8
INVALID = "This invitation link is not valid: it was used already, has expired, or was replaced by a newer one."


@bp.route("/accept/<int:member_id>/<token>/", methods=["GET", "POST"])
def accept(member_id: int, token: str):
    """Join the organization of an invitation (single use; the link expires)."""
    member = find_invitation(member_id, token[:128])
    if member is None:
        return page("accept.html", 404, error=INVALID, member=None)
    email = member.email
    existing = find_user(email)
    context = {"member": member, "organization": member.organization, "email": email,
               "existing": existing is not None}
    if request.method == "GET":
        return page("accept.html", **context)
    if not csrf_ok(request.form):
        return page("accept.html", 400, error=FORM_EXPIRED, **context)
    password = request.form.get("password", "")[:1024]
    if existing is not None:
        user = authenticate(email, password)
        if user is None:
            return page("accept.html", 400, error="Invalid password.", **context)
    else:
        if len(password) < MIN_PASSWORD:
            return page("accept.html", 400, error=f"Use at least {MIN_PASSWORD} characters.", **context)
        user = create_user(email, name=request.form.get("name", "").strip()[:200], password=password)
        db.session.flush()
    accept_invitation(member, user)
    sign_in(user)
    db.session.commit()
    return redirect(url_for("oauth_web.login"))

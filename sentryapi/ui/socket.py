"""``/ws/``: the WebSocket over which an open web UI hears of new events and issues.

It authenticates with the session cookie (checked, with the ``Origin``, before the
handshake: another site's page cannot open it with the user's cookie) and hears only the
organizations the user belongs to when it connects. A message is a hint to refetch:
``{"type": "events", "organization": slug, "projects": [...], "issues": [...],
"newIssues": [...], "count": n}``; ``{"type": "ping"}`` every :data:`PING_SECONDS` keeps
proxies from closing an idle socket, and re-checks the session (a password change or a
sign-out elsewhere closes it). The UI reconnects with back-off when the socket drops.
"""

from __future__ import annotations

import json

from flask import abort, current_app, request
from flask_sock import Sock
from sqlalchemy import select

from ..auth.browser import same_origin
from ..extensions import db
from ..oauth.session import current_user
from ..tenants.models import Organization, OrganizationMember
from .live import hub_of
from .pages import bp

sock = Sock()
PATH = "/ws/"
PING_SECONDS = 20.0
#: Close code for a session that ended (4000-4999 are the application's).
SESSION_ENDED = 4401


@bp.before_request
def check_socket_caller():
    if request.path == PATH and (not same_origin(request.headers.get("Origin"))
                                 or current_user() is None):
        abort(403)


def organizations_of(user) -> dict[int, str]:
    rows = db.session.execute(
        select(Organization.id, Organization.slug)
        .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
        .where(Organization.status == "active", OrganizationMember.user_id == user.id))
    return dict(rows.all())


@sock.route(PATH, bp=bp)
def live_socket(ws):
    """Send the signed-in user's organizations' live updates until either side closes."""
    slugs = organizations_of(current_user())
    db.session.close()  # no pooled connection held for the socket's life
    hub = hub_of(current_app)
    subscription = hub.subscribe(slugs)
    try:
        ws.send(json.dumps({"type": "hello", "organizations": sorted(slugs.values())}))
        while ws.connected:
            message = subscription.get(timeout=PING_SECONDS)
            if message is not None:
                ws.send(json.dumps({**message, "organization": slugs[message["organizationId"]]}))
                continue
            signed_in = current_user() is not None
            db.session.close()
            if not signed_in:
                ws.close(SESSION_ENDED, "Signed out")
                return
            ws.send(json.dumps({"type": "ping"}))
    finally:
        hub.unsubscribe(subscription)

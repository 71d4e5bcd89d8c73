"""What the digest stored, told to the open web UIs once its transaction commits.

The events plugin fires ``events_stored`` inside the digest's write transaction; this
implementation only notes the batch in the database session, and publishes one message
per organization after the commit (never for a batch rolled back), so a UI that refetches
on the message sees the new rows.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from .live import EXTENSION, hub_of

PENDING_KEY = "sentryapi.ui.live_pending"


def events_stored(events, new_group_ids) -> None:
    """Note a stored batch for the live feed (see the module docstring)."""
    new = set(new_group_ids)
    pending = _session_info().setdefault(PENDING_KEY, {})
    for item in events:
        message = pending.setdefault(item["organization_id"], {
            "type": "events", "organizationId": item["organization_id"],
            "projects": set(), "issues": set(), "newIssues": set(), "count": 0})
        message["count"] += 1
        message["projects"].add(item["project_id"])
        if item["group_id"] is not None:
            message["issues"].add(item["group_id"])
            if item["group_id"] in new:
                message["newIssues"].add(item["group_id"])


def _session_info() -> dict:
    from ..extensions import db

    return db.session().info


@event.listens_for(Session, "after_commit")
def _publish_committed(session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if not pending or EXTENSION not in current_app.extensions:
        return
    hub = hub_of(current_app)
    for message in pending.values():
        hub.publish({**message, **{key: sorted(message[key])
                                   for key in ("projects", "issues", "newIssues")}})


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session) -> None:
    session.info.pop(PENDING_KEY, None)

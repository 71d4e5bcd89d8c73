"""What the events plugin answers for other plugins that make events of their own (a cron
monitor's failures): ``capture_event`` queues one as if an SDK had sent it, so it is
grouped by its fingerprint and announced by the digest like any other; and
``resolve_fingerprint`` resolves the issue such events went to."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from sentryapi_projects import Project
from sqlalchemy import select

from sentryapi.api import db

from .digest import notify
from .digest.grouping import group_hash
from .issues.services import _apply_status
from .models import RESOLVED, Group, GroupHash, IngestEvent


def capture_event(project_id: int, event: dict) -> str | None:
    """Queue ``event`` for the digest of ``project_id`` (no commit); its event id."""
    organization_id = db.session.scalar(select(Project.organization_id).where(Project.id == project_id))
    if organization_id is None:
        return None
    event_id = event.get("event_id") or uuid.uuid4().hex
    payload = json.dumps({**event, "event_id": event_id}, separators=(",", ":")).encode()
    db.session.add(IngestEvent(project_id=project_id, organization_id=organization_id, key_id=0,
                               event_id=event_id, received=dt.datetime.now(dt.UTC),
                               remote_addr=None, payload=payload))
    return event_id


def resolve_fingerprint(project_id: int, fingerprint: list[str]) -> int | None:
    """Resolve the unresolved issue of this custom fingerprint, with its webhook (no commit)."""
    digest = group_hash({"fingerprint": list(fingerprint)})
    group = db.session.scalar(
        select(Group).join(GroupHash, GroupHash.group_id == Group.id)
        .where(GroupHash.project_id == project_id, GroupHash.hash == digest))
    if group is None or group.status == RESOLVED:
        return None
    _apply_status(group, {"status": "resolved"}, dt.datetime.now(dt.UTC))
    db.session.flush()
    notify.issue_changed([group], "resolved")
    return group.id

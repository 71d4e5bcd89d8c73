"""Every webhook this plugin emits, in one place; payloads are built only for hooks that exist.

``issue.created``, ``issue.unresolved`` (a regression) and one event per stored event
come from the digest: ``error.created`` for an error, ``event.created`` for any other (a
message); a service hook subscribed to Sentry's ``event.created`` gets both
(``transaction.created`` is the discover plugin's, which stores transactions). The rest: ``issue.resolved``, ``issue.ignored``,
``issue.unresolved`` and ``issue.assigned`` from API updates.

The digest's write transaction only asks whether any hook subscribes (the organization's
hooks, read once per transaction) and, if one does, records a small ``PendingWebhook``
row. After the batch commits, :func:`send_pending` builds the payloads in bulk (issues
and events as the API renders them) and hands them to the core's outbox
(``sentryapi.webhooks.emit``) in a short transaction of its own that also deletes the
pending rows: a crash in between leaves them for the next batch, so no webhook is lost.
API updates build their payloads, in bulk, only for the issues some hook wants.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import delete, insert, select, tuple_

from sentryapi.api import db
from sentryapi.webhooks import emit, subscribed

from ..ingest.writes import sqlite_writer
from ..models import Event, Group, PendingWebhook

log = logging.getLogger("sentryapi.events.notify")

WEBHOOK_EVENTS = ("issue.created", "issue.resolved", "issue.unresolved", "issue.ignored",
                  "issue.assigned", "error.created", "event.created")
#: An event's type -> the resource its webhook names (anything else: ``event``).
EVENT_RESOURCES = {"error": "error", "transaction": "transaction"}
#: Pending webhooks sent per transaction.
SEND_BATCH = 500


def issue_payloads(groups) -> dict[int, dict]:
    """``{group id: {"issue": ...}}`` rendered as the API renders issues (in bulk)."""
    from ..issues.serializers import serialize_issues

    groups = list(groups)
    issues = serialize_issues(groups, user=None, stats_period=None) if groups else []
    return {group.id: {"issue": issue} for group, issue in zip(groups, issues, strict=True)}


def issue_changed(groups, action: str, actor=None) -> None:
    """``issue.<action>`` for each of ``groups`` (ORM rows) some hook subscribes to."""
    wanted = {g.id: g for g in groups
              if subscribed(g.project.organization_id, "issue", action, project=g.project_id)}
    for group_id, data in issue_payloads(wanted.values()).items():
        group = wanted[group_id]
        emit(group.project.organization_id, "issue", action, data, actor, project=group.project_id)


def remember(result) -> int:
    """In the digest's transaction: a pending row for each webhook of ``result`` (a stored
    batch) that some hook subscribes to; nothing is rendered here."""
    organization_of = {item.project_id: item.organization_id for item in result.events}
    project_of = {item.group_id: item.project_id for item in result.events}
    wanted = []
    for action, group_ids in (("created", result.new_groups), ("unresolved", result.regressed)):
        for group_id in group_ids:
            project_id = project_of.get(group_id)
            if project_id is not None and subscribed(organization_of[project_id], "issue", action,
                                                     project=project_id):
                wanted.append({"organization_id": organization_of[project_id], "project_id": project_id,
                               "resource": "issue", "action": action, "group_id": group_id,
                               "event_id": None})
    for item in result.events:
        resource = EVENT_RESOURCES.get(item.data.get("type"), "event")
        if subscribed(item.organization_id, resource, "created", project=item.project_id):
            wanted.append({"organization_id": item.organization_id, "project_id": item.project_id,
                           "resource": resource, "action": "created", "group_id": item.group_id,
                           "event_id": item.event_id})
    if wanted:
        db.session.execute(insert(PendingWebhook), wanted)
    return len(wanted)


def send_pending(limit: int = SEND_BATCH) -> int:
    """Emit what the digest recorded (after its commit), building each payload now, in a
    transaction of its own; returns how many were sent. Rows another process sent first
    are left to it."""
    stmt = select(PendingWebhook).order_by(PendingWebhook.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    pending = list(db.session.scalars(stmt))
    if not pending:
        db.session.rollback()
        return 0
    try:
        payloads = _payloads(pending)  # reads only: no write lock is held while rendering
        with sqlite_writer(current_app.config["SQLALCHEMY_DATABASE_URI"]):
            # By id and time: SQLite gives a freed id to the next row, which another digest
            # may have written since this one read its rows.
            read = [(row.id, row.date_created) for row in pending]
            deleted = db.session.execute(
                delete(PendingWebhook)
                .where(tuple_(PendingWebhook.id, PendingWebhook.date_created).in_(read))
                .execution_options(synchronize_session=False)).rowcount
            if deleted != len(read):
                db.session.rollback()  # another digest process sent them
                return 0
            for row in pending:
                data = payloads.get(row.id)
                if data is not None:  # None: its issue or event was deleted since
                    emit(row.organization_id, row.resource, row.action, data, project=row.project_id)
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(pending)


def _payloads(pending: list[PendingWebhook]) -> dict[int, dict]:
    """Pending row id -> its payload, rendered in bulk (two or three queries in all)."""
    group_ids = {row.group_id for row in pending if row.resource == "issue"}
    groups = db.session.scalars(select(Group).where(Group.id.in_(group_ids))) if group_ids else []
    issues = issue_payloads(groups)
    keys = {(row.project_id, row.event_id) for row in pending if row.event_id}
    events = {(e.project_id, e.event_id): e for e in db.session.scalars(
        select(Event).where(tuple_(Event.project_id, Event.event_id).in_(sorted(keys))))} if keys else {}
    out = {}
    for row in pending:
        if row.resource == "issue":
            if row.group_id in issues:
                out[row.id] = issues[row.group_id]
        elif (row.project_id, row.event_id) in events:
            out[row.id] = _event_payload(row.resource, events[(row.project_id, row.event_id)])
    return out


def _event_payload(resource: str, event: Event) -> dict:
    from ..issues.event_json import serialize_event

    return {resource: serialize_event(event.data, project_id=event.project_id, group_id=event.group_id)}

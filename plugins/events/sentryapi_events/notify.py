"""Every webhook this plugin emits, in one place.

``issue.created``, ``issue.unresolved`` (a regression) and one event per stored event
come from the digest: ``error.created`` for an error, ``transaction.created`` for a
transaction, ``event.created`` for any other (a message); a service hook subscribed to
Sentry's ``event.created`` gets all three. The rest: ``issue.resolved``, ``issue.ignored``, ``issue.unresolved`` and
``issue.assigned`` from API updates. They go through the core's webhook outbox
(``sentryapi.webhooks.emit``), inside the transaction that made the change; without
that module (an older core) they are not sent.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from sentryapi.api import db

log = logging.getLogger("sentryapi.events.notify")

WEBHOOK_EVENTS = ("issue.created", "issue.resolved", "issue.unresolved", "issue.ignored",
                  "issue.assigned", "error.created", "transaction.created", "event.created")
#: An event's type -> the resource its webhook names (anything else: ``event``).
EVENT_RESOURCES = {"error": "error", "transaction": "transaction"}

try:  # the core's outbox, when this core has it
    from sentryapi.webhooks import emit as _emit
except ImportError:  # pragma: no cover - depends on the core's version
    _emit = None


def enabled() -> bool:
    return _emit is not None


def _issue_payload(groups) -> list[tuple[object, dict]]:
    from .serializers import serialize_issues

    groups = list(groups)
    return list(zip(groups, serialize_issues(groups, user=None, stats_period=None), strict=True))


def issue_changed(groups, action: str, actor=None) -> None:
    """``issue.<action>`` for each of ``groups`` (ORM rows), as the API changed them."""
    if _emit is None:
        return
    for group, issue in _issue_payload(groups):
        _emit(group.project.organization_id, "issue", action, {"issue": issue}, actor,
              project=group.project_id)


def batch_stored(result) -> None:
    """Webhooks for what one digest batch stored: new and regressed issues, new errors."""
    if _emit is None or not result.events:
        return
    from .event_json import serialize_event
    from .models import Group

    ids = set(result.new_groups) | set(result.regressed)
    groups = {g.id: g for g in db.session.scalars(select(Group).where(Group.id.in_(ids)))} if ids else {}
    for group, issue in _issue_payload(groups[i] for i in result.new_groups if i in groups):
        _emit(group.project.organization_id, "issue", "created", {"issue": issue},
              project=group.project_id)
    for group, issue in _issue_payload(groups[i] for i in result.regressed if i in groups):
        _emit(group.project.organization_id, "issue", "unresolved", {"issue": issue},
              project=group.project_id)
    for item in result.events:
        resource = EVENT_RESOURCES.get(item.data.get("type"), "event")
        # The payload is built only when some hook wants it.
        _emit(item.organization_id, resource, "created",
              lambda item=item, resource=resource: {resource: serialize_event(
                  item.data, project_id=item.project_id, group_id=item.group_id)},
              project=item.project_id)

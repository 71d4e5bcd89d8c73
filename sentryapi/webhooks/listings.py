"""How the lists of service hooks and of a hook's deliveries filter and sort."""

from __future__ import annotations

from sqlalchemy import and_

from ..api import NUMBER, STRING, ListFilter, Listing, Ordering, fields, validate
from .models import ACTIVE, DELIVERED, DISABLED, FAILED, PENDING, ServiceHook, WebhookOutbox

#: ``issue`` or ``issue.created``: the names webhook events have.
EVENT_TYPE = r"^[a-z][a-z_]{0,63}(\.[a-z][a-z_]{0,63})?$"

HOOKS = Listing(
    "ServiceHookListArgs",
    # A level has few hooks, reached through (organization_id, project_id, id), which
    # serves the creation order (ids are given in creation order).
    sorts={"dateCreated": Ordering(ServiceHook.id, ServiceHook.id, kind=NUMBER),
           "url": Ordering(ServiceHook.url, ServiceHook.id, kind=STRING)},
    default_sort="-dateCreated",
    query=(ServiceHook.url,),
    query_help="Hooks whose URL contains this text (case-insensitive).",
    filters={"status": ListFilter(
        fields.String(validate=validate.OneOf((ACTIVE, DISABLED)),
                      metadata={"description": "Only `active` or only `disabled` hooks."}),
        lambda status: ServiceHook.status == status)},
)


def _event_type(value: str):
    resource, _, action = value.partition(".")
    return and_(WebhookOutbox.resource == resource, WebhookOutbox.action == action) if action \
        else WebhookOutbox.resource == resource


DELIVERIES = Listing(
    "ServiceHookDeliveryListArgs",
    # A hook's log can be long: ids follow creation, so (hook_id, id) serves this order.
    sorts={"dateCreated": Ordering(WebhookOutbox.id, WebhookOutbox.id, kind=NUMBER)},
    default_sort="-dateCreated",
    filters={
        "status": ListFilter(
            fields.String(validate=validate.OneOf((PENDING, DELIVERED, FAILED)),
                          metadata={"description": "Only deliveries `pending`, `delivered` "
                                                   "or `failed`."}),
            lambda status: WebhookOutbox.status == status),
        # Sentry's name for it on an integration's request log.
        "eventType": ListFilter(
            fields.String(
                validate=validate.Regexp(EVENT_TYPE, error="Not an event type: `resource` or "
                                                           "`resource.action`."),
                metadata={"description": "Only deliveries of this event (`issue.created`) or "
                                         "resource (`issue`)."}),
            _event_type),
    },
)

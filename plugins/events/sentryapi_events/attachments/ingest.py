"""Attachments in an envelope: checked for size, their bytes put in the store and their rows
committed before the SDK hears 200 (the same promise as for events)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import mimetypes
import uuid

from flask import current_app
from sqlalchemy import insert

from sentryapi.api import Outcome, blob_store, db

from .. import outcomes
from ..ingest.envelope import Item
from ..ingest.errors import IngestError, TooLarge
from ..ingest.writes import sqlite_writer
from .models import EventAttachment

log = logging.getLogger("sentryapi.events.attachments")

#: Sentry's attachment types; anything else is stored as a plain attachment.
ATTACHMENT_TYPES = frozenset({
    "event.attachment", "event.minidump", "event.applecrashreport", "unreal.context",
    "unreal.logs", "event.view_hierarchy", "event.payload", "event.breadcrumbs"})
DEFAULT_TYPE = "event.attachment"


def new_key(project_id: int, event_id: str) -> str:
    """A fresh, unique key for one attachment of an event (grouped by project and event; the
    layout of the attachment store this one replaced, so its files stay where they are)."""
    return f"{project_id}/{event_id[:2]}/{event_id}/{uuid.uuid4().hex}"


def check_sizes(key, items: list[Item], received: dt.datetime) -> None:
    """Refuse the envelope (413, as Relay) when one attachment passes its limit; counted as
    an ``invalid`` outcome of its bytes."""
    limit = current_app.config["EVENTS_MAX_ATTACHMENT_SIZE"]
    for item in items:
        if item.type == "attachment" and len(item.payload) > limit:
            outcomes.record(key.organization_id, key.project_id, key.key_id, "attachment",
                            Outcome.INVALID, "too_large", len(item.payload), received)
            raise TooLarge.for_item("attachment")


def _text(value, limit: int, default: str | None) -> str | None:
    return value[:limit] if isinstance(value, str) and value.strip() else default


def attachment_row(key, event_id: str, item: Item, blob_key: str, received: dt.datetime) -> dict:
    headers = item.headers
    name = _text(headers.get("filename"), 256, "attachment")
    kind = headers.get("attachment_type")
    content_type = (_text(headers.get("content_type"), 128, None)
                    or mimetypes.guess_type(name)[0] or "application/octet-stream")
    return {"project_id": key.project_id, "event_id": event_id,
            "type": kind if kind in ATTACHMENT_TYPES else DEFAULT_TYPE, "name": name,
            "content_type": content_type, "size": len(item.payload),
            "sha1": hashlib.sha1(item.payload, usedforsecurity=False).hexdigest(),
            "blob_key": blob_key, "date_created": received}


def save_attachments(key, event_id: str | None, items: list[Item], received: dt.datetime) -> None:
    """Store the attachment items of an envelope for ``event_id``; return once durable.

    Without an event id there is nothing to attach them to: they count as ``invalid``.
    """
    items = [item for item in items if item.type == "attachment"]
    if not items:
        return
    if event_id is None:
        outcomes.record(key.organization_id, key.project_id, key.key_id, "attachment",
                        Outcome.INVALID, "no_event_id", sum(len(i.payload) for i in items),
                        received)
        return
    store = blob_store()
    rows = []
    try:
        for item in items:
            blob_key = new_key(key.project_id, event_id)
            store.put(blob_key, bytes(item.payload))
            rows.append(attachment_row(key, event_id, item, blob_key, received))
    except Exception as error:  # noqa: BLE001 - any store failure: the SDK retries later
        log.warning("could not store an attachment: %s", error.__class__.__name__)
        store.delete([row["blob_key"] for row in rows])
        raise IngestError("attachment storage unavailable", status=503,
                          headers={"Retry-After": "60"}) from None
    with sqlite_writer(current_app.config["SQLALCHEMY_DATABASE_URI"]):
        db.session.execute(insert(EventAttachment), rows)
        db.session.commit()
    for item in items:
        outcomes.record(key.organization_id, key.project_id, key.key_id, "attachment",
                        Outcome.ACCEPTED, quantity=len(item.payload), when=received)

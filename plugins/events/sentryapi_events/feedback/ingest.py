"""Feedback in envelopes: ``user_report`` items become user reports (and feedback issues),
``feedback`` items queued events of type ``feedback``; committed before the SDK hears 200."""

from __future__ import annotations

import datetime as dt
import json

from flask import current_app

from sentryapi.api import Conflict, Outcome, db

from .. import outcomes
from ..ingest.envelope import Item
from ..ingest.errors import BadRequest
from ..ingest.queue import enqueue
from ..ingest.writes import sqlite_writer
from .services import (
    NEW_FEEDBACK_ENVELOPE,
    USER_REPORT_ENVELOPE,
    event_id_of,
    feedback_context,
    feedback_event,
    save_user_report,
)

FEEDBACK_TYPES = ("user_report", "feedback")


def _invalid(key, item: Item, reason: str, received: dt.datetime) -> None:
    outcomes.record(key.organization_id, key.project_id, key.key_id,
                    outcomes.category_of(item.type), Outcome.INVALID, reason, 1, received)


def _json(item: Item):
    try:
        return item.json()
    except BadRequest:
        return None


def _save_report(key, event_id, name, email, comments, received, environment=None) -> bool | None:
    """Commit one user report: ``True`` if new, ``False`` if it replaced the event's report,
    ``None`` when Sentry would refuse it (too late to change)."""
    with sqlite_writer(current_app.config["SQLALCHEMY_DATABASE_URI"]):
        try:
            _, created = save_user_report(key.project_id, event_id, name, email, comments,
                                          received, environment)
        except Conflict:
            db.session.rollback()
            return None
        db.session.commit()
    return created


def accept_user_report(key, item: Item, received: dt.datetime, remote_addr: str | None) -> None:
    data = _json(item)
    event_id = event_id_of(data.get("event_id")) if isinstance(data, dict) else None
    if event_id is None:
        _invalid(key, item, "invalid_json" if data is None else "no_event_id", received)
        return
    name, email, comments = (data.get(field) for field in ("name", "email", "comments"))
    created = _save_report(key, event_id, name, email, comments, received)
    if created is None:
        return
    outcomes.record(key.organization_id, key.project_id, key.key_id,
                    outcomes.category_of(item.type), Outcome.ACCEPTED, when=received)
    if not created:
        return  # its feedback issue exists
    shim_id, payload = feedback_event(
        message=comments if isinstance(comments, str) else "", name=name or "",
        email=email or "", associated_event_id=event_id, source=USER_REPORT_ENVELOPE,
        when=received)
    enqueue(key, shim_id, payload, received, remote_addr)


def accept_feedback(key, item: Item, envelope_event_id: str | None,
                    received: dt.datetime, remote_addr: str | None) -> str | None:
    """Queue a feedback event (the digest makes it an issue); its id, or ``None`` if invalid."""
    data = _json(item)
    feedback = feedback_context(data)
    if feedback is None:
        _invalid(key, item, "invalid_json" if data is None else "missing_message", received)
        return None
    event_id = event_id_of(data.get("event_id")) or envelope_event_id
    if event_id is None:
        _invalid(key, item, "no_event_id", received)
        return None
    feedback.setdefault("source", NEW_FEEDBACK_ENVELOPE)
    data["type"] = "feedback"
    associated = event_id_of(feedback.get("associated_event_id"))
    if associated is not None:
        _save_report(key, associated, feedback.get("name"), feedback.get("contact_email"),
                     feedback.get("message"), received, data.get("environment"))
    enqueue(key, event_id, json.dumps(data).encode(), received, remote_addr)
    return event_id


def accept_feedback_items(key, items: list[Item], envelope_event_id: str | None,
                          received: dt.datetime, remote_addr: str | None) -> str | None:
    """Store an envelope's feedback items; the id of its feedback event, if it had one."""
    answered = None
    for item in items:
        if item.type == "user_report":
            accept_user_report(key, item, received, remote_addr)
        elif item.type == "feedback":
            answered = accept_feedback(key, item, envelope_event_id, received,
                                       remote_addr) or answered
    return answered

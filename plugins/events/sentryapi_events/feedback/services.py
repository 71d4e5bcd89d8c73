"""Saving user feedback, from every way it arrives, as Sentry does.

- ``user_report`` envelope items and the legacy ``POST .../user-feedback/``: a
  :class:`UserReport` row about an event, plus (as Sentry's "shim") a feedback issue;
- ``feedback`` envelope items (the SDKs' ``capture_feedback``, the widget): an event of
  type ``feedback`` that the digest makes its own issue (``issueCategory: "feedback"``),
  plus a user report when it names the event it is about (``associated_event_id``).

One report per event: a resend within 5 minutes replaces it, a later one is a conflict,
and feedback is refused 30 minutes after its event was stored (Sentry's rules).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

from sqlalchemy import and_, func, select

from sentryapi.api import Conflict, db

from ..models import Event
from .models import UserReport

EVENT_ID = re.compile(r"^[0-9a-f]{32}$")
#: Sentry's ``FeedbackCreationSource`` values (the issue's ``metadata.source``).
NEW_FEEDBACK_ENVELOPE = "new_feedback_envelope"
USER_REPORT_ENVELOPE = "user_report_envelope"
USER_REPORT_API = "user_report_sentry_django_endpoint"
#: Sources whose feedback issue copies a user report (not counted again as feedback).
SHIM_SOURCES = frozenset({USER_REPORT_ENVELOPE, USER_REPORT_API})
REPLACE_WITHIN = dt.timedelta(minutes=5)
ACCEPT_WITHIN = dt.timedelta(minutes=30)


def event_id_of(value) -> str | None:
    """A 32-hex event id (dashes and case allowed, as SDKs send it), or ``None``."""
    if not isinstance(value, str):
        return None
    candidate = value.replace("-", "").lower()
    return candidate if EVENT_ID.match(candidate) else None


def _text(value, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def save_user_report(project_id: int, event_id: str, name, email, comments,
                     now: dt.datetime, environment: str | None = None) -> tuple[UserReport, bool]:
    """Add or replace the report of ``event_id`` (flushed, not committed): the report, and
    whether it is new. ``Conflict`` when Sentry would refuse it."""
    event_received = db.session.scalar(select(Event.received).where(
        Event.project_id == project_id, Event.event_id == event_id))
    if event_received is not None and event_received < now - ACCEPT_WITHIN:
        raise Conflict("Feedback for this event cannot be modified.")
    report = db.session.scalar(select(UserReport).where(
        UserReport.project_id == project_id, UserReport.event_id == event_id))
    if report is not None and report.date_created < now - REPLACE_WITHIN:
        raise Conflict("Feedback for this event cannot be modified.")
    created = report is None
    if created:
        report = UserReport(project_id=project_id, event_id=event_id, date_created=now)
        db.session.add(report)
    report.name, report.email = _text(name, 128), _text(email, 75)
    report.comments, report.environment = _text(comments, 4096), environment
    db.session.flush()
    return report, created


def feedback_event(*, message: str, name: str, email: str, associated_event_id: str | None,
                   source: str, when: dt.datetime, environment: str | None = None) -> tuple[str, bytes]:
    """(event id, payload) of the feedback event that copies a user report into an issue."""
    event_id = uuid.uuid4().hex
    event = {"event_id": event_id, "type": "feedback", "level": "info", "platform": "other",
             "timestamp": when.timestamp(),
             "contexts": {"feedback": {"message": message, "name": name, "contact_email": email,
                                       "associated_event_id": associated_event_id,
                                       "source": source}}}
    if environment:
        event["environment"] = environment
    return event_id, json.dumps(event).encode()


def feedback_context(data) -> dict | None:
    """The ``contexts.feedback`` of a feedback event, if it has a message (Relay's rule)."""
    if not isinstance(data, dict):
        return None
    contexts = data.get("contexts")
    feedback = contexts.get("feedback") if isinstance(contexts, dict) else None
    if not isinstance(feedback, dict):
        return None
    message = feedback.get("message")
    return feedback if isinstance(message, str) and message.strip() else None


#: A report's event (a join condition): how a report finds its issue.
REPORT_EVENT = and_(Event.project_id == UserReport.project_id,
                    Event.event_id == UserReport.event_id)


def user_report_count(group_id: int) -> int:
    """How many user reports name one of the issue's events (``userReportCount``)."""
    return db.session.scalar(select(func.count(UserReport.id)).join(Event, REPORT_EVENT)
                             .where(Event.group_id == group_id))

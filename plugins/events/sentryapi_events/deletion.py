"""What goes when events go, beyond what cascades from their rows: their attachments (rows
and stored files) and the user reports about them."""

from __future__ import annotations

from sqlalchemy import Select, delete, tuple_

from sentryapi.api import db

from .attachments.deletion import delete_attachments_of
from .feedback.models import UserReport


def delete_event_data(events: Select) -> None:
    """Delete the attachments and user reports of ``events``, a SELECT of
    ``(project_id, event_id)`` rows, in the caller's transaction."""
    delete_attachments_of(events)
    db.session.execute(delete(UserReport).where(
        tuple_(UserReport.project_id, UserReport.event_id).in_(events))
        .execution_options(synchronize_session=False))

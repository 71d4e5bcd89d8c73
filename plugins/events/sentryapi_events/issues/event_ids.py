"""Event ids as clients type them, and the event (or issue) one names among some projects."""

from __future__ import annotations

from sqlalchemy import select

from sentryapi.api import NotFound, db

from ..models import Event, Group

HEX = frozenset("0123456789abcdef")


def parse_event_id(value: str) -> str | None:
    """32 hex digits (a UUID's dashes allowed, any case) as Sentry stores them, else ``None``."""
    candidate = value.strip().replace("-", "").lower()
    return candidate if len(candidate) == 32 and set(candidate) <= HEX else None


def normalized_event_id(value: str) -> str:
    """:func:`parse_event_id` for a URL: anything else names no event (404)."""
    event_id = parse_event_id(value)
    if event_id is None:
        raise NotFound()
    return event_id


def find_event(project_ids, event_id: str) -> Event | None:
    """The event with this id in one of ``project_ids`` (a select or a list), else ``None``."""
    return db.session.scalars(select(Event).where(
        Event.project_id.in_(project_ids), Event.event_id == event_id).limit(1)).first()


def direct_hit(project_ids, query: str | None) -> tuple[Group, str] | None:
    """Sentry's direct hit: the issue holding the event a bare event-id search names."""
    event_id = parse_event_id(query) if query else None
    event = None if event_id is None else find_event(project_ids, event_id)
    if event is None or event.group_id is None:
        return None
    return db.session.get(Group, event.group_id), event.event_id

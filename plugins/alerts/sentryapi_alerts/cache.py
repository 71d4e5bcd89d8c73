"""Each process remembers a project's active rules for a few seconds, so a digest batch
costs no query for them (most projects have none, and that is remembered too).

A change through the API clears the process's entry at once; other processes see it
within :data:`SECONDS`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from sentryapi.api import db

from .models import ACTIVE, AlertRule

SECONDS = 5.0
_lock = threading.Lock()
_cache: dict[tuple[str, int], tuple[float, tuple]] = {}


@dataclass(frozen=True)
class RuleSpec:
    """What evaluating a rule needs, detached from any session."""

    id: int
    project_id: int
    name: str
    environment: str | None
    action_match: str
    filter_match: str
    frequency: int
    conditions: tuple
    filters: tuple
    actions: tuple


def _key(project_id: int) -> tuple[str, int]:
    return current_app.config["SQLALCHEMY_DATABASE_URI"], project_id


def rules_for(project_ids) -> list[RuleSpec]:
    now = time.monotonic()
    found, missing = [], []
    for project_id in project_ids:
        entry = _cache.get(_key(project_id))
        if entry is not None and entry[0] > now:
            found.extend(entry[1])
        else:
            missing.append(project_id)
    if missing:
        loaded = {project_id: [] for project_id in missing}
        for rule in db.session.scalars(select(AlertRule).where(AlertRule.project_id.in_(missing),
                                                               AlertRule.status == ACTIVE)):
            loaded[rule.project_id].append(RuleSpec(
                rule.id, rule.project_id, rule.name, rule.environment, rule.action_match, rule.filter_match,
                rule.frequency, tuple(rule.conditions), tuple(rule.filters), tuple(rule.actions)))
        with _lock:
            for project_id, specs in loaded.items():
                _cache[_key(project_id)] = (now + SECONDS, tuple(specs))
                found.extend(specs)
    return found


def forget(project_id: int) -> None:
    """The project's rules changed: read them again on the next batch."""
    with _lock:
        _cache.pop(_key(project_id), None)

"""Each process remembers the projects' active rules (most projects have none, and that is
remembered too) and when each rule last fired for an issue, checked once per digest batch
against one version row that every rule change renews in its own transaction: a change
made on any host counts from the next batch on every host, for one indexed read.

What a process remembers of firings only ever holds a rule back: a firing is a claim in
the database (``evaluate.claim_all``), and ``last_fired`` only moves forward, so "fired at
T" stays true until ``T + frequency``; a rule that fired elsewhere is learnt when this
process's claim loses.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import weakref
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from sentryapi.api import db

from .models import ACTIVE, AlertRule, AlertRuleVersion

#: The version row's id (there is one row).
ROW = 1
#: Firings remembered per app at most; past that, the expired ones are dropped.
MAX_HELD = 100_000
_lock = threading.Lock()
VERSION = select(AlertRuleVersion.version).where(AlertRuleVersion.id == ROW)


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


@dataclass
class Memory:
    """An app's rules and firings, as of ``version``."""

    version: int | None = None
    rules: dict[int, tuple[RuleSpec, ...]] = field(default_factory=dict)
    #: (rule id, issue id) -> until when the rule is held back for the issue.
    held: dict[tuple[int, int], dt.datetime] = field(default_factory=dict)


#: Per app (a server process has one; tests run several, as several hosts would).
_memories: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _memory() -> Memory:
    app = current_app._get_current_object()
    memory = _memories.get(app)
    if memory is None:
        with _lock:
            memory = _memories.setdefault(app, Memory())
    return memory


def rules_for(project_ids) -> list[RuleSpec]:
    """The active rules of ``project_ids``: one read of the version row, and one of the
    rules of the projects not remembered (all of them after a change)."""
    memory = _memory()
    # On the connection, not through the ORM session: a third of the cost, on every batch.
    version = db.session.connection().execute(VERSION).scalar() or 0
    if version != memory.version:
        with _lock:
            memory.rules, memory.held, memory.version = {}, {}, version
    rules = memory.rules
    missing = [project_id for project_id in project_ids if project_id not in rules]
    if missing:
        loaded: dict[int, list[RuleSpec]] = {project_id: [] for project_id in missing}
        for rule in db.session.scalars(select(AlertRule).where(AlertRule.project_id.in_(missing),
                                                               AlertRule.status == ACTIVE)):
            loaded[rule.project_id].append(RuleSpec(
                rule.id, rule.project_id, rule.name, rule.environment or None, rule.action_match, rule.filter_match,
                rule.frequency, tuple(rule.conditions), tuple(rule.filters), tuple(rule.actions)))
        with _lock:
            rules.update({project_id: tuple(specs) for project_id, specs in loaded.items()})
    return [rule for project_id in project_ids for rule in rules.get(project_id, ())]


def changed() -> None:
    """In the transaction that changes a rule: every process reads the rules again from
    its next batch on (once it commits). The version is a new random number rather than
    one more, so that a database restored (or emptied by a test) cannot bring back a
    number a process remembers with other rules."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(AlertRuleVersion.__table__).values(id=ROW, version=secrets.randbits(62) + 1)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={"version": stmt.excluded.version}))


def held() -> dict[tuple[int, int], dt.datetime]:
    """(rule id, issue id) -> until when it is held back; :func:`hold` adds to it."""
    return _memory().held


def hold(pairs: dict[tuple[int, int], dt.datetime], now: dt.datetime) -> None:
    """Remember that these (rule id, issue id) pairs are held back until the given times."""
    memory = _memory()
    with _lock:
        if len(memory.held) + len(pairs) > MAX_HELD:
            memory.held = {pair: until for pair, until in memory.held.items() if until > now}
            if len(memory.held) + len(pairs) > MAX_HELD:
                memory.held = {}
        memory.held.update(pairs)

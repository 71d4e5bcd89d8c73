"""Evaluating rules where the digest stores events, from what it already tells plugins.

``events_stored`` (each stored batch) notes the batch when its projects have rules (one
query), and ``issues_reopened`` notes the issues it reopened; when the digest's transaction
commits, the rules are evaluated for each issue of the batch (its latest event), in that
transaction, from counters (:mod:`.counts`). A rule that matches claims its issue with one
conditional upsert (``last_fired`` older than ``frequency`` minutes), so however many
digest processes and hosts there are it fires at most once per ``frequency`` per issue.
Evaluation runs in a savepoint: a failure is logged and never costs the batch.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from sentryapi_events import Group
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sentryapi.api import call_hook, db, utcnow

from . import registry as r
from .actions import perform
from .counts import Counts, count_minutes
from .models import ACTIVE, AlertRule, AlertRuleFire, AlertRuleIssue

log = logging.getLogger("sentryapi.alerts")
PENDING_KEY = "sentryapi_alerts.pending"
MATCHERS = {"all": all, "any": any, "none": lambda values: not any(values)}


def events_stored(events, new_group_ids) -> None:
    project_ids = {e["project_id"] for e in events}
    rules = db.session.scalars(select(AlertRule).where(AlertRule.project_id.in_(project_ids),
                                                       AlertRule.status == ACTIVE)).all()
    if not rules:
        return
    ruled = {rule.project_id for rule in rules}
    mine = [e for e in events if e["project_id"] in ruled]
    pending = db.session.info.setdefault(PENDING_KEY, {"events": [], "new": set(), "reopened": set(), "rules": {}})
    pending["events"].extend(mine)
    pending["new"].update(new_group_ids)
    pending["rules"].update({rule.id: rule for rule in rules})
    short = {rule.project_id for rule in rules for c in rule.conditions
             if c["id"] == r.EVENT_FREQUENCY and r.INTERVALS[c["interval"]] < 3600}
    if short:
        count_minutes([e for e in mine if e["project_id"] in short])


def issues_reopened(group_ids) -> None:
    pending = db.session.info.get(PENDING_KEY)
    if pending is not None:  # in the digest (an API status change has no stored batch)
        pending["reopened"].update(group_ids)


@event.listens_for(Session, "before_commit")
def _evaluate_on_commit(session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    try:
        with session.begin_nested():
            evaluate(pending)
    except Exception:  # noqa: BLE001 - an alert must never cost the events their commit
        log.exception("alert rules could not be evaluated for a batch")


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(PENDING_KEY, None)


def evaluate(pending: dict, now: dt.datetime | None = None) -> int:
    """Fire the rules the batch matches; returns how many firings were claimed."""
    now = now or utcnow()
    rules_of = defaultdict(list)
    for rule in pending["rules"].values():
        rules_of[rule.project_id].append(rule)
    latest: dict[tuple[int, str | None], dict] = {}
    for item in pending["events"]:
        for key in ((item["group_id"], None), (item["group_id"], item.get("environment"))):
            if key not in latest or latest[key]["timestamp"] <= item["timestamp"]:
                latest[key] = item
    groups = {g.id: g for g in db.session.scalars(select(Group).where(
        Group.id.in_({gid for gid, _ in latest})).execution_options(populate_existing=True))}
    context = Context(now, groups, pending["new"], pending["reopened"])
    matched = []
    for (group_id, environment), item in latest.items():
        group = groups.get(group_id)
        if group is None:
            continue
        for rule in rules_of[item["project_id"]]:
            if (rule.environment or None) != environment:
                continue
            if context.matches(rule, group, item):
                matched.append((rule, group, item))
    fired = 0
    for rule, group, item in matched:
        if claim(rule, group.id, now):
            db.session.add(AlertRuleFire(rule_id=rule.id, group_id=group.id, event_id=item.get("event_id"),
                                         date_added=now))
            perform(rule, group, item)
            fired += 1
    return fired


class Context:
    """What conditions and filters read for one batch."""

    def __init__(self, now, groups, new, reopened):
        self.now, self.groups, self.new, self.reopened = now, groups, new, reopened
        self.counts = Counts(now, groups)
        self.latest_releases: dict[int, str | None] = {}

    def matches(self, rule, group, item) -> bool:
        conditions = [self.condition(c, group) for c in rule.conditions]
        if not MATCHERS[rule.action_match](conditions):
            return False
        return not rule.filters or MATCHERS[rule.filter_match](
            [self.filter(f, group, item) for f in rule.filters])

    def condition(self, c: dict, group) -> bool:
        kind = c["id"]
        if kind == r.FIRST_SEEN:
            return group.id in self.new
        if kind == r.REGRESSION:
            return group.id in self.reopened and group.substatus == "regressed"
        if kind == r.EVENT_FREQUENCY:
            return self.counts.events(group.id, c["interval"]) > int(c["value"])
        if kind == r.USER_FREQUENCY:
            return self.counts.users(group.id, c["interval"]) > int(c["value"])
        return False

    def filter(self, f: dict, group, item) -> bool:
        kind = f["id"]
        if kind == r.AGE:
            older = self.now - group.first_seen > r.age(f)
            return older if f["comparison_type"] == "older" else not older
        if kind == r.LEVEL:
            level = r.LEVELS.get(item.get("level") or group.level, 40)
            wanted = int(f["level"])
            return {"eq": level == wanted, "gte": level >= wanted, "lte": level <= wanted}[f["match"]]
        if kind == r.TAGGED:
            return tag_matches(f, item.get("tags") or [])
        if kind == r.CATEGORY:
            return r.CATEGORIES[f["value"]] == "error"
        if kind == r.LATEST_RELEASE:
            return item.get("release") is not None and item["release"] == self.latest_release(item["project_id"])
        return False

    def latest_release(self, project_id: int) -> str | None:
        if project_id not in self.latest_releases:
            found = None
            for answer in call_hook("project_latest_releases", [project_id]):
                found = (answer.get(project_id) or {}).get("version") or found
            self.latest_releases[project_id] = found
        return self.latest_releases[project_id]


def tag_matches(f: dict, tags) -> bool:
    values = [str(v) for k, v in tags if k == f["key"]]
    wanted, match = f.get("value", ""), f["match"]
    if match == "is":
        return bool(values)
    if match == "ns":
        return not values
    tests = {"eq": lambda v: v == wanted, "ne": lambda v: v == wanted, "sw": lambda v: v.startswith(wanted),
             "ew": lambda v: v.endswith(wanted), "co": lambda v: wanted in v, "nc": lambda v: wanted in v}
    found = any(tests[match](v) for v in values)
    return not found if match in ("ne", "nc") else found


def claim(rule, group_id: int, now: dt.datetime) -> bool:
    """Whether this process fires ``rule`` for the issue now: one atomic upsert that only
    writes when the rule never fired for it or fired ``frequency`` minutes ago or more."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = AlertRuleIssue.__table__
    stmt = dialect.insert(table).values(rule_id=rule.id, group_id=group_id, last_fired=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=["rule_id", "group_id"], set_={"last_fired": now},
        where=table.c.last_fired <= now - dt.timedelta(minutes=rule.frequency)).returning(table.c.rule_id)
    return db.session.execute(stmt).first() is not None

"""Evaluating rules where the digest stores events, from what it already tells plugins.

``events_stored`` (each stored batch) notes the batch when its projects have rules (the
rules and the version they are checked against come from :mod:`.cache`: one read), and
``issues_reopened`` notes the issues it reopened; when the digest's transaction commits,
the rules are evaluated for each issue of the batch (its latest event), in that
transaction. A (rule, issue) pair this process knows fired within the rule's
``frequency`` is skipped without a read; the others read the batch's issues once, and
counters (:mod:`.counts`) only when an issue's totals could reach a frequency threshold.
A rule that matches claims its issue with one conditional upsert for the whole batch
(``last_fired`` older than ``frequency`` minutes), so however many digest processes and
hosts there are it fires at most once per ``frequency`` per issue; nothing is written
when nothing fires. A failure is logged and never costs the batch (on PostgreSQL the
writes run in a savepoint).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from contextlib import nullcontext

from sentryapi_events import Group
from sqlalchemy import case, event, insert, literal, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sentryapi.api import UTCDateTime, call_hook, db, utcnow

from . import cache
from . import registry as r
from .actions import perform
from .counts import MINUTE, Counts
from .models import AlertRuleFire, AlertRuleIssue

log = logging.getLogger("sentryapi.alerts")
PENDING_KEY = "sentryapi_alerts.pending"
HELD_KEY = "sentryapi_alerts.held"
#: What conditions, filters and actions read of an issue (not its whole row).
GROUP_FACTS = (Group.id, Group.project_id, Group.level, Group.substatus, Group.first_seen, Group.last_seen,
               Group.times_seen, Group.user_count, Group.title, Group.culprit, Group.assignee_user_id)
MATCHERS = {"all": all, "any": any, "none": lambda values: not any(values)}


def events_stored(events, new_group_ids) -> None:
    rules = cache.rules_for({e["project_id"] for e in events})
    if not rules:
        return
    ruled = {rule.project_id for rule in rules}
    pending = db.session.info.setdefault(PENDING_KEY, {"events": [], "new": set(), "reopened": set(),
                                                       "rules": {}, "minutes": set()})
    pending["events"].extend(e for e in events if e["project_id"] in ruled)
    pending["new"].update(new_group_ids)
    pending["rules"].update({rule.id: rule for rule in rules})
    pending["minutes"].update(rule.project_id for rule in rules for c in rule.conditions
                              if c["id"] == r.EVENT_FREQUENCY and r.INTERVALS[c["interval"]] < 3600)


def issue_counter_resolutions(project_ids):
    """Per-minute issue counts for the batch's projects with an event frequency condition
    under an hour (noted by ``events_stored`` a moment before)."""
    pending = db.session.info.get(PENDING_KEY)
    if pending is None:
        return None
    return {project_id: (MINUTE,) for project_id in pending["minutes"] if project_id in project_ids}


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
        evaluate(pending)
    except Exception:  # noqa: BLE001 - an alert must never cost the events their commit
        log.exception("alert rules could not be evaluated for a batch")


@event.listens_for(Session, "after_commit")
def _hold(session) -> None:
    held = session.info.pop(HELD_KEY, None)
    if held:
        cache.hold(*held)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(PENDING_KEY, None)
    session.info.pop(HELD_KEY, None)


def evaluate(pending: dict, now: dt.datetime | None = None) -> int:
    """Fire the rules the batch matches; returns how many firings were claimed. What fired
    is held back in this process once the batch commits."""
    now = now or utcnow()
    context, matched = match(pending, now)
    if not matched:
        return 0
    with _apart(db.session):
        fired, until = fire(context, matched, now)
    db.session.info[HELD_KEY] = (until, now)
    return len(fired)


def _apart(session):
    """Writes in a savepoint on PostgreSQL, where a failed statement aborts the transaction
    (only writes can fail for a reason of the moment: an issue deleted meanwhile); the reads
    before them need none, so a batch where nothing matches pays no savepoint."""
    return session.begin_nested() if session.get_bind().dialect.name == "postgresql" else nullcontext()


def match(pending: dict, now: dt.datetime) -> tuple[Context | None, list]:
    """The (rule, issue id, latest event) triples of the batch whose rule matches, reading
    nothing for the pairs this process holds back."""
    rules_of = defaultdict(list)
    for rule in pending["rules"].values():
        rules_of[rule.project_id].append(rule)
    # Each issue's latest event, overall and in each environment some rule names.
    environments = {project_id: {rule.environment for rule in rules} for project_id, rules in rules_of.items()}
    latest: dict[tuple[int, str | None], dict] = {}
    for item in pending["events"]:
        wanted = environments[item["project_id"]]
        for environment in (None, item.get("environment")):
            key = (item["group_id"], environment)
            if environment in wanted and (key not in latest or latest[key]["timestamp"] <= item["timestamp"]):
                latest[key] = item
    # A rule that fired for an issue within its frequency is not evaluated again for it:
    # an issue that keeps matching costs no read, no counting and no write.
    held = cache.held()
    candidates = []
    for (group_id, environment), item in latest.items():
        for rule in rules_of[item["project_id"]]:
            if rule.environment == environment and held.get((rule.id, group_id), now) <= now:
                candidates.append((rule, group_id, item))
    if not candidates:
        return None, []
    context = Context(now, {group_id for _, group_id, _ in candidates}, pending["new"], pending["reopened"])
    return context, [(rule, group_id, item) for rule, group_id, item in candidates
                     if context.matches(rule, group_id, item)]


def fire(context: Context, matched: list, now: dt.datetime):
    """Claim the matched pairs (one upsert), record and act on the ones won; returns them
    and until when each pair is to be held back."""
    won = claim_all([(rule, group_id) for rule, group_id, _ in matched], now)
    until = hold_times(matched, won, now)
    fired = [(rule, context.group(group_id), item) for rule, group_id, item in matched
             if (rule.id, group_id) in won and context.group(group_id) is not None]
    if fired:
        db.session.execute(insert(AlertRuleFire.__table__), [
            {"rule_id": rule.id, "group_id": group.id, "event_id": item.get("event_id"), "date_added": now}
            for rule, group, item in fired])
        perform(fired)
    return fired, until


def hold_times(matched, won: set[tuple[int, int]], now: dt.datetime) -> dict[tuple[int, int], dt.datetime]:
    """Until when to hold back what fired here (its frequency from now), and what another
    process fired (the claims that lost: its firing's frequency; one read, only then)."""
    frequency = {rule.id: dt.timedelta(minutes=rule.frequency) for rule, _, _ in matched}
    until = {(rule.id, group_id): now + frequency[rule.id] for rule, group_id, _ in matched
             if (rule.id, group_id) in won}
    lost = {(rule.id, group_id) for rule, group_id, _ in matched} - won
    if lost:
        rows = db.session.execute(select(AlertRuleIssue.rule_id, AlertRuleIssue.group_id, AlertRuleIssue.last_fired)
                                  .where(tuple_(AlertRuleIssue.rule_id, AlertRuleIssue.group_id).in_(sorted(lost))))
        until.update({(rule_id, group_id): last + frequency[rule_id] for rule_id, group_id, last in rows})
    return until


class Context:
    """What conditions and filters read for one batch: its issues' facts are read once, on
    first need (a new-issue rule for an issue seen before needs none)."""

    def __init__(self, now, group_ids, new, reopened):
        self.now, self.group_ids, self.new, self.reopened = now, group_ids, new, reopened
        self.groups: dict | None = None
        self.counts = Counts(now, group_ids)
        self.latest_releases: dict[int, str | None] = {}

    def group(self, group_id: int):
        if self.groups is None:
            # On the connection: the ORM session's bookkeeping costs more than the read.
            self.groups = {g.id: g for g in db.session.connection().execute(
                select(*GROUP_FACTS).where(Group.id.in_(self.group_ids)))}
        return self.groups.get(group_id)

    def matches(self, rule, group_id: int, item) -> bool:
        # Generators: all/any stop at the first answer that decides (no needless counting).
        if not MATCHERS[rule.action_match](self.condition(c, group_id) for c in rule.conditions):
            return False
        group = self.group(group_id)
        return group is not None and (not rule.filters or MATCHERS[rule.filter_match](
            self.filter(f, group, item) for f in rule.filters))

    def condition(self, c: dict, group_id: int) -> bool:
        kind = c["id"]
        if kind == r.FIRST_SEEN:
            return group_id in self.new
        if kind == r.REGRESSION:
            return group_id in self.reopened and getattr(self.group(group_id), "substatus", None) == "regressed"
        group = self.group(group_id)
        if group is None:
            return False
        # An issue seen (or by users) no more than N times in all can't be in an interval:
        # no counting then, the usual case for thresholds worth alerting on.
        if kind == r.EVENT_FREQUENCY:
            return group.times_seen > int(c["value"]) and self.counts.events(group.id, c["interval"]) > int(c["value"])
        if kind == r.USER_FREQUENCY:
            return group.user_count > int(c["value"]) and self.counts.users(group.id, c["interval"]) > int(c["value"])
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


def claim_all(pairs, now: dt.datetime) -> set[tuple[int, int]]:
    """The (rule, issue) pairs this process fires now: one atomic upsert that writes a pair
    only when its rule never fired for the issue or fired ``frequency`` minutes ago or more
    (another digest holding the row waits for it, then sees the new time and skips it)."""
    if not pairs:
        return set()
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = AlertRuleIssue.__table__
    # Each rule's own cutoff: the row may be taken if it last fired at or before it.
    cutoff = case({rule.id: literal(now - dt.timedelta(minutes=rule.frequency), UTCDateTime)
                   for rule, _ in pairs}, value=table.c.rule_id)
    stmt = dialect.insert(table).values([{"rule_id": rule.id, "group_id": group_id, "last_fired": now}
                                         for rule, group_id in sorted(pairs, key=lambda p: (p[0].id, p[1]))])
    stmt = stmt.on_conflict_do_update(
        index_elements=["rule_id", "group_id"], set_={"last_fired": stmt.excluded.last_fired},
        where=table.c.last_fired <= cutoff
    ).returning(table.c.rule_id, table.c.group_id)
    return {(row.rule_id, row.group_id) for row in db.session.execute(stmt)}


def claim(rule, group_id: int, now: dt.datetime) -> bool:
    """Whether this process fires ``rule`` for the issue now (:func:`claim_all` of one)."""
    return bool(claim_all([(rule, group_id)], now))

"""Storing a digested batch, in its transaction: events, new and updated issues, tag values,
counters and outcomes, each written with one statement for the whole batch.

Issues are found by their grouping hash (new ones get the project's next short ids);
counters are added up in Python first and written with one upsert per table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sentryapi_projects import Project
from sqlalchemy import (
    Boolean,
    String,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    tuple_,
    update,
)

from sentryapi.api import Outcome, UTCDateTime, call_hook, db, insert_rows

from .. import activity, environments, outcomes
from ..feedback.services import SHIM_SOURCES
from ..models import (
    IGNORED,
    RESOLVED,
    UNRESOLVED,
    Event,
    Group,
    GroupHash,
    GroupStat,
    GroupTagValue,
    ShortIdCounter,
)
from ..upsert import dialect_insert, increment

UTC = dt.UTC
HOUR, DAY = 3600, 86400
USER_TAG = "user"


@dataclass
class Pending:
    """One queued event on its way through the digest."""

    project_id: int
    organization_id: int
    key_id: int
    event_id: str
    received: dt.datetime
    size: int
    data: dict
    hash: str
    tags: list[list[str]]
    group_id: int | None = None

    @property
    def timestamp(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.data["timestamp"], UTC)


@dataclass
class BatchResult:
    events: list[Pending] = field(default_factory=list)
    new_groups: list[int] = field(default_factory=list)
    regressed: list[int] = field(default_factory=list)


def _skip_known(pending: list[Pending]) -> list[Pending]:
    """Drop events already stored (an SDK resent after the digest) and repeats in the batch."""
    keys = {(p.project_id, p.event_id) for p in pending}
    known = set(db.session.execute(
        select(Event.project_id, Event.event_id)
        .where(tuple_(Event.project_id, Event.event_id).in_(list(keys)))).all())
    fresh, seen = [], set()
    for item in pending:
        key = (item.project_id, item.event_id)
        if key not in known and key not in seen:
            seen.add(key)
            fresh.append(item)
    return fresh


def store(pending: list[Pending]) -> BatchResult:
    result = BatchResult()
    pending = _skip_known(pending)
    if not pending:
        return result
    result.new_groups = _assign_groups(pending)
    _insert_events(pending)
    call_hook("events_stored", [_release_facts(p) for p in pending], result.new_groups)
    new_users = _count_tags(pending)
    result.regressed = _update_groups(pending, new_users)
    _count_stats(pending)
    _count_accepted(pending)
    _mark_first_events(pending)
    environments.record({(p.organization_id, p.project_id, p.data.get("environment")) for p in pending})
    result.events = pending
    return result


def _release_facts(item: Pending) -> dict:
    """What the plugins that know releases hear of a stored event (``events_stored``)."""
    return {"organization_id": item.organization_id, "project_id": item.project_id,
            "group_id": item.group_id, "release": item.data.get("release"),
            "environment": item.data.get("environment"), "timestamp": item.timestamp,
            "event_id": item.event_id, "level": item.data.get("level"), "tags": item.tags}


def _still_resolved(per_group: dict[int, list[Pending]], current: dict) -> set[int]:
    """Resolved issues whose resolution holds for these events (resolved in a release or
    the next one, and the events come from that release or older; ``resolutions_holding``)."""
    candidates = {group_id: [p.data.get("release") for p in items]
                  for group_id, items in per_group.items() if current[group_id].status == RESOLVED}
    holding: set[int] = set()
    if candidates:
        for answer in call_hook("resolutions_holding", candidates):
            holding |= answer
    return holding


def _assign_groups(pending: list[Pending]) -> list[int]:
    """Set ``group_id`` on every event, creating issues for new hashes; returns the new ids."""
    wanted = {(p.project_id, p.hash) for p in pending}
    known = _hash_groups(wanted)
    missing = sorted(wanted - set(known))
    created: list[int] = []
    if missing:
        first_of: dict[tuple[int, str], Pending] = {}
        for item in sorted(pending, key=lambda p: p.timestamp):
            first_of.setdefault((item.project_id, item.hash), item)
        short_ids = _next_short_ids(Counter(project for project, _ in missing))
        rows = [_new_group_row(first_of[key], short_ids[key[0]].pop(0)) for key in missing]
        ids = db.session.scalars(insert(Group.__table__).returning(
            Group.__table__.c.id, sort_by_parameter_order=True), rows).all()
        ours = dict(zip(missing, ids, strict=True))
        db.session.execute(
            dialect_insert(GroupHash).on_conflict_do_nothing(index_elements=["project_id", "hash"]),
            [{"project_id": p, "hash": h, "group_id": ours[(p, h)]} for p, h in missing])
        known.update(_hash_groups(set(missing)))
        # Another digest process may have created the same issue a moment before us.
        lost = [gid for key, gid in ours.items() if known[key] != gid]
        if lost:
            db.session.execute(delete(Group).where(Group.id.in_(lost)))
        created = [gid for key, gid in ours.items() if known[key] == gid]
    for item in pending:
        item.group_id = known[(item.project_id, item.hash)]
    return created


def _hash_groups(keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    if not keys:
        return {}
    rows = db.session.execute(
        select(GroupHash.project_id, GroupHash.hash, GroupHash.group_id)
        .where(tuple_(GroupHash.project_id, GroupHash.hash).in_(sorted(keys)))).all()
    return {(project, hash_): group for project, hash_, group in rows}


def _next_short_ids(per_project: Counter) -> dict[int, list[int]]:
    """Reserve ``n`` consecutive short ids per project from its counter row."""
    out = {}
    table = ShortIdCounter.__table__
    for project_id, count in sorted(per_project.items()):
        stmt = dialect_insert(ShortIdCounter).values(project_id=project_id, value=count)
        stmt = stmt.on_conflict_do_update(
            index_elements=["project_id"], set_={"value": table.c.value + stmt.excluded.value}
        ).returning(table.c.value)
        last = db.session.execute(stmt).scalar_one()
        out[project_id] = list(range(last - count + 1, last + 1))
    return out


def _new_group_row(item: Pending, short_id: int) -> dict:
    data = item.data
    return {
        "project_id": item.project_id, "short_id": short_id, "status": UNRESOLVED,
        "substatus": "new", "status_details": {}, "level": data["level"], "type": data["type"],
        "title": data["title"], "culprit": data.get("culprit") or "",
        "logger": data.get("logger"), "platform": data.get("platform"),
        "data": {"metadata": data.get("metadata", {})},
        "first_seen": item.timestamp, "last_seen": item.timestamp, "times_seen": 0,
        "user_count": 0, "first_release": data.get("release"), "last_release": data.get("release"),
        "is_unhandled": bool(data.get("is_unhandled")), "is_public": False, "priority": "high",
    }


def _insert_events(pending: list[Pending]) -> None:
    rows = []
    for item in pending:
        data = item.data
        rows.append({
            "project_id": item.project_id, "group_id": item.group_id, "event_id": item.event_id,
            "timestamp": item.timestamp, "received": item.received, "level": data["level"],
            "platform": data.get("platform"), "title": data["title"],
            "message": (data.get("logentry") or {}).get("formatted") or "",
            "culprit": data.get("culprit"), "release": data.get("release"),
            "environment": data.get("environment"), "size": item.size, "data": data,
        })
    insert_rows(Event.__table__, rows)


def _count_tags(pending: list[Pending]) -> Counter:
    """Add the batch's tag values to the issues' tallies; returns new users per issue."""
    tally: dict[tuple[int, str, str], list] = {}
    for item in pending:
        moment = item.timestamp
        for key, value in item.tags:
            entry = tally.setdefault((item.group_id, key, value), [item.project_id, 0, moment, moment])
            entry[1] += 1
            entry[2], entry[3] = min(entry[2], moment), max(entry[3], moment)
    users = [(group, value) for group, key, value in tally if key == USER_TAG]
    known_users = set()
    if users:
        known_users = set(db.session.execute(
            select(GroupTagValue.group_id, GroupTagValue.value)
            .where(GroupTagValue.key == USER_TAG,
                   tuple_(GroupTagValue.group_id, GroupTagValue.value).in_(users))).all())
    new_users = Counter(group for group, value in users if (group, value) not in known_users)
    rows = [{"project_id": project, "group_id": group, "key": key, "value": value,
             "times_seen": count, "first_seen": first, "last_seen": last}
            for (group, key, value), (project, count, first, last) in sorted(tally.items())]
    increment(GroupTagValue, rows, keys=("group_id", "key", "value"), add=("times_seen",),
              least=("first_seen",), greatest=("last_seen",))
    return new_users


def _update_groups(pending: list[Pending], new_users: Counter) -> list[int]:
    """Counts, first/last seen, and regression of resolved issues; returns the regressed."""
    per_group: dict[int, list[Pending]] = defaultdict(list)
    for item in pending:
        per_group[item.group_id].append(item)
    group_ids = sorted(per_group)
    # Locked in id order, so two digest processes never wait on each other in a cycle.
    current = {row.id: row for row in db.session.execute(
        select(Group.id, Group.status, Group.ignore_until).where(Group.id.in_(group_ids))
        .order_by(Group.id).with_for_update())}
    now = dt.datetime.now(UTC)
    table = Group.__table__
    params, regressed = [], []
    holding = _still_resolved(per_group, current)
    for group_id in group_ids:
        items = per_group[group_id]
        state = current[group_id]
        status = state.status
        latest = max(items, key=lambda p: p.timestamp)
        substatus = None
        if status == RESOLVED and group_id not in holding:
            status, substatus = UNRESOLVED, "regressed"
            regressed.append(group_id)
            release = latest.data.get("release")
            activity.record([group_id], "set_regression", data={"version": release} if release else {})
        elif status == IGNORED and state.ignore_until is not None and state.ignore_until <= now:
            status, substatus = UNRESOLVED, "escalating"
            regressed.append(group_id)
            activity.record([group_id], "set_escalating")
        params.append({
            "b_id": group_id, "b_count": len(items), "b_users": new_users.get(group_id, 0),
            "b_first": min(p.timestamp for p in items), "b_last": latest.timestamp,
            "b_release": latest.data.get("release"), "b_status": status,
            "b_substatus": substatus, "b_changed": substatus is not None,
        })
    changed = bindparam("b_changed", type_=Boolean)
    first = bindparam("b_first", type_=UTCDateTime)
    last = bindparam("b_last", type_=UTCDateTime)
    release = bindparam("b_release", type_=String)
    stmt = update(table).where(table.c.id == bindparam("b_id")).values(
        times_seen=table.c.times_seen + bindparam("b_count"),
        user_count=table.c.user_count + bindparam("b_users"),
        first_seen=case((first < table.c.first_seen, first), else_=table.c.first_seen),
        last_seen=case((last > table.c.last_seen, last), else_=table.c.last_seen),
        last_release=func.coalesce(release, table.c.last_release),
        status=bindparam("b_status"),
        substatus=case((changed, bindparam("b_substatus")), else_=table.c.substatus),
        resolved_at=case((changed, None), else_=table.c.resolved_at),
        ignore_until=case((changed, None), else_=table.c.ignore_until),
    )
    db.session.execute(stmt, params)
    if regressed:
        db.session.execute(update(table).where(table.c.id.in_(regressed)).values(status_details={}))
        call_hook("issues_reopened", regressed)
    return regressed


def _count_stats(pending: list[Pending]) -> None:
    tally = Counter()
    finer = _finer_resolutions({item.project_id for item in pending})
    fine = Counter()  # by Unix time: most of a batch's events share their few buckets
    for item in pending:
        moment = item.timestamp
        tally[(item.group_id, HOUR, moment.replace(minute=0, second=0, microsecond=0))] += 1
        tally[(item.group_id, DAY, moment.replace(hour=0, minute=0, second=0, microsecond=0))] += 1
        for seconds in finer.get(item.project_id, ()):
            stamp = int(item.data["timestamp"])
            fine[(item.group_id, seconds, stamp - stamp % seconds)] += 1
    for (group_id, seconds, stamp), count in fine.items():
        tally[(group_id, seconds, dt.datetime.fromtimestamp(stamp, UTC))] += count
    rows = [{"group_id": g, "resolution": r, "bucket": b, "count": n}
            for (g, r, b), n in sorted(tally.items())]
    increment(GroupStat, rows, keys=("group_id", "resolution", "bucket"), add=("count",))


def _finer_resolutions(project_ids: set[int]) -> dict[int, set[int]]:
    """Counters under an hour that plugins want for these projects (``issue_counter_resolutions``)."""
    finer: dict[int, set[int]] = {}
    for answer in call_hook("issue_counter_resolutions", project_ids):
        for project_id, resolutions in answer.items():
            finer.setdefault(project_id, set()).update(s for s in resolutions if 0 < s < HOUR)
    return finer


def _count_accepted(pending: list[Pending]) -> None:
    tally = Counter()
    for item in pending:
        category = "feedback" if item.data.get("type") == "feedback" else "error"
        if category == "feedback" and _copies_user_report(item.data):
            continue  # the user report was counted when it came
        tally[(item.organization_id, item.project_id, item.key_id,
               outcomes.fine_bucket(item.received),
               category, Outcome.ACCEPTED, "")] += 1
    outcomes.write(tally)


def _copies_user_report(data: dict) -> bool:
    return data.get("metadata", {}).get("source") in SHIM_SOURCES


def _mark_first_events(pending: list[Pending]) -> None:
    first: dict[int, dt.datetime] = {}
    for item in pending:
        first[item.project_id] = min(first.get(item.project_id, item.received), item.received)
    for project_id, moment in sorted(first.items()):
        db.session.execute(update(Project).where(Project.id == project_id,
                                                 Project.first_event.is_(None))
                           .values(first_event=moment))

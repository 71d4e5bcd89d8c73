"""Merging issues as Sentry does: the most seen issue (then the oldest id) is the parent; the
children's events, fingerprint hashes, tag tallies, counters and activity move to it; the
children are deleted and their ids redirect to the parent (``GroupRedirect``), so links and
scripts holding them keep working, and future events of their fingerprints join the parent.

Unmerge is not offered: events do not record which fingerprint hash grouped them, so the
events that came through a child's hash cannot be told apart after the merge.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from sentryapi.api import ValidationFailed, db

from .. import activity
from ..activity import GroupActivity, GroupRedirect
from ..models import Event, Group, GroupHash, GroupStat, GroupTagValue, GroupUserState
from ..upsert import increment
from .services import remove_issues

USER_TAG = "user"


def merge_issues(groups: list[Group], user) -> tuple[Group, list[Group]]:
    """Merge ``groups`` (one project's, at least two) into one; returns (parent, groups)."""
    if len(groups) < 2:
        raise ValidationFailed({"merge": ["Merging needs at least two issues."]})
    if len({group.project_id for group in groups}) > 1:
        raise ValidationFailed({"merge": ["Merging across multiple projects is not supported."]})
    parent = sorted(groups, key=lambda g: (-g.times_seen, g.id))[0]
    children = [group.id for group in groups if group.id != parent.id]
    _move_rows(parent, children)
    parent.times_seen = sum(group.times_seen for group in groups)
    parent.first_seen = min(group.first_seen for group in groups)
    parent.last_seen = max(group.last_seen for group in groups)
    db.session.flush()
    parent.user_count = db.session.scalar(select(func.count()).select_from(GroupTagValue).where(
        GroupTagValue.group_id == parent.id, GroupTagValue.key == USER_TAG))
    activity.record([parent.id], "merge", user,
                    {"issues": [{"id": str(child)} for child in children]})
    # Earlier redirects to a child now lead to the parent; then the children's own ids.
    db.session.execute(update(GroupRedirect).where(GroupRedirect.group_id.in_(children))
                       .values(group_id=parent.id))
    db.session.add_all(GroupRedirect(previous_group_id=child, group_id=parent.id)
                       for child in children)
    db.session.flush()
    remove_issues(children)
    return parent, groups


def _move_rows(parent: Group, children: list[int]) -> None:
    for model in (Event, GroupHash, GroupActivity):
        db.session.execute(update(model).where(model.group_id.in_(children))
                           .values(group_id=parent.id))
    tags = db.session.execute(select(
        GroupTagValue.key, GroupTagValue.value, GroupTagValue.times_seen,
        GroupTagValue.first_seen, GroupTagValue.last_seen).where(
        GroupTagValue.group_id.in_(children)).order_by(GroupTagValue.id)).all()
    merged: dict[tuple[str, str], list] = {}
    for row in tags:  # two children may hold the same value: one row each for the upsert
        entry = merged.setdefault((row.key, row.value), [0, row.first_seen, row.last_seen])
        entry[0] += row.times_seen
        entry[1], entry[2] = min(entry[1], row.first_seen), max(entry[2], row.last_seen)
    increment(GroupTagValue, [
        {"project_id": parent.project_id, "group_id": parent.id, "key": key, "value": value,
         "times_seen": count, "first_seen": first, "last_seen": last}
        for (key, value), (count, first, last) in sorted(merged.items())],
        keys=("group_id", "key", "value"), add=("times_seen",), least=("first_seen",),
        greatest=("last_seen",))
    stats = db.session.execute(select(GroupStat.resolution, GroupStat.bucket, GroupStat.count)
                               .where(GroupStat.group_id.in_(children))).all()
    increment(GroupStat, _summed(parent.id, stats), keys=("group_id", "resolution", "bucket"),
              add=("count",))
    db.session.execute(delete(GroupUserState).where(GroupUserState.group_id.in_(children)))


def _summed(parent_id: int, stats) -> list[dict]:
    totals: dict = {}
    for resolution, bucket, count in stats:
        totals[(resolution, bucket)] = totals.get((resolution, bucket), 0) + count
    return [{"group_id": parent_id, "resolution": r, "bucket": b, "count": n}
            for (r, b), n in sorted(totals.items())]

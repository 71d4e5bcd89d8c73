"""An issue's tags: per key the number of events and values, and the most frequent values."""

from __future__ import annotations

from sqlalchemy import func, select

from sentryapi.api import db

from ..models import Group, GroupTagValue
from .serializers import iso

TOP_VALUES = 9
NAMES = {
    "user": "User", "environment": "Environment", "release": "Release", "level": "Level",
    "url": "URL", "server_name": "Server", "transaction": "Transaction", "logger": "Logger",
    "browser": "Browser", "os": "OS", "device": "Device", "runtime": "Runtime",
    "handled": "Handled", "mechanism": "Mechanism", "dist": "Distribution",
}


def tag_name(key: str) -> str:
    return NAMES.get(key, key)


def tag_value_json(row) -> dict:
    return {"key": row.key, "name": row.value, "value": row.value, "count": row.times_seen,
            "firstSeen": iso(row.first_seen), "lastSeen": iso(row.last_seen),
            "query": f'{row.key}:"{row.value}"'}


def issue_tag_keys(group: Group, keys: list[str] | None = None) -> list[dict]:
    """Every tag key of the issue (or the given ones) with its top values: two queries."""
    totals = select(GroupTagValue.key, func.sum(GroupTagValue.times_seen), func.count()).where(
        GroupTagValue.group_id == group.id).group_by(GroupTagValue.key)
    if keys is not None:
        totals = totals.where(GroupTagValue.key.in_(keys))
    summary = {key: (int(total or 0), count) for key, total, count in db.session.execute(totals)}
    if not summary:
        return []
    rank = func.row_number().over(partition_by=GroupTagValue.key,
                                  order_by=(GroupTagValue.times_seen.desc(), GroupTagValue.id))
    ranked = select(GroupTagValue, rank.label("rank")).where(
        GroupTagValue.group_id == group.id, GroupTagValue.key.in_(list(summary))).subquery()
    top = db.session.execute(select(ranked).where(ranked.c.rank <= TOP_VALUES)
                             .order_by(ranked.c.key, ranked.c.rank)).all()
    values: dict[str, list[dict]] = {}
    for row in top:
        values.setdefault(row.key, []).append(tag_value_json(row))
    return [{"key": key, "name": tag_name(key), "totalValues": total, "uniqueValues": unique,
             "topValues": values.get(key, [])}
            for key, (total, unique) in sorted(summary.items(), key=lambda kv: -kv[1][0])]

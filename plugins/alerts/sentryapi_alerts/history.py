"""A rule's firing history per issue (``group-history/``): one page of issues, then one
aggregate query for that page."""

from __future__ import annotations

import datetime as dt

from sentryapi_events import Group
from sqlalchemy import func, select

from sentryapi.api import NUMBER, Ordering, db, paginate, utcnow

from .models import AlertRuleFire

BY_ISSUE = Ordering(Group.id, Group.id, descending=False, kind=NUMBER)
DEFAULT_PERIOD = dt.timedelta(days=14)


def group_history(rule, start, end):
    end = end or utcnow()
    start = start or end - DEFAULT_PERIOD
    period = (AlertRuleFire.rule_id == rule.id, AlertRuleFire.date_added >= start,
              AlertRuleFire.date_added <= end)
    fired = select(AlertRuleFire.group_id).where(*period)
    stmt = select(Group).where(Group.id.in_(fired))

    def render(groups):
        ids = [g.id for g in groups]
        counts = {row.group_id: row for row in db.session.execute(
            select(AlertRuleFire.group_id, func.count().label("count"),
                   func.max(AlertRuleFire.date_added).label("last"),
                   func.max(AlertRuleFire.event_id).label("event_id"))
            .where(*period, AlertRuleFire.group_id.in_(ids)).group_by(AlertRuleFire.group_id))}
        return [{"group": {"id": str(g.id), "shortId": None, "title": g.title, "culprit": g.culprit,
                           "level": g.level, "status": g.status},
                 "count": counts[g.id].count, "lastTriggered": counts[g.id].last,
                 "eventId": counts[g.id].event_id} for g in groups]

    return paginate(stmt, BY_ISSUE).serialize(render)

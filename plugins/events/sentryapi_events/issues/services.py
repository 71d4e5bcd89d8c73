"""Issue operations behind the API: find, list, update, delete (through the organization)."""

from __future__ import annotations

import datetime as dt
import re

from sentryapi_projects import Project, projects_of
from sentryapi_teams import Team
from sqlalchemy import delete, or_, select

from sentryapi.api import (
    DATETIME,
    NUMBER,
    NotFound,
    Ordering,
    OrganizationMember,
    User,
    ValidationFailed,
    call_hook,
    db,
    ids_and_slugs,
    parse_id,
    retry_on_conflict,
)

from .. import activity
from ..activity import GroupRedirect
from ..deletion import delete_event_data
from ..digest import notify
from ..models import IGNORED, RESOLVED, UNRESOLVED, Event, Group, GroupUserState
from ..upsert import dialect_insert
from .search import DEFAULT_QUERY, SearchContext, issue_condition
from .serializers import parse_short_id

UTC = dt.UTC
ORDERINGS = {
    "date": Ordering(Group.last_seen, Group.id, kind=DATETIME),
    "new": Ordering(Group.first_seen, Group.id, kind=DATETIME),
    "freq": Ordering(Group.times_seen, Group.id, kind=NUMBER),
    "user": Ordering(Group.user_count, Group.id, kind=NUMBER),
}
#: Sorts Sentry has that need data we do not keep fall back to last seen.
ORDERINGS.update({name: ORDERINGS["date"] for name in ("trends", "inbox", "recommended", "priority")})
#: Bulk changes by query touch at most this many issues per request (Sentry's cap).
BULK_LIMIT = 1000


def parse_issue_id(value: str) -> int:
    number = parse_id(value)
    return -1 if number is None else number


def visible_projects(organization):
    """A select of the ids of the organization's active projects."""
    return projects_of(organization).with_only_columns(Project.id)


def merged_into(group_id: int) -> int | None:
    """The parent of an issue merged away, else ``None``."""
    return db.session.scalar(select(GroupRedirect.group_id).where(
        GroupRedirect.previous_group_id == group_id))


def get_issue_or_404(organization, issue_id: str) -> Group:
    """The organization's issue by id (or short id); another organization's is a 404."""
    stmt = select(Group).where(Group.project_id.in_(visible_projects(organization)))
    if issue_id.isascii() and issue_id.isdigit():
        group_id = parse_issue_id(issue_id)
        group = db.session.scalars(stmt.where(Group.id == group_id)).first()
        if group is None and (parent := merged_into(group_id)) is not None:
            group = db.session.scalars(stmt.where(Group.id == parent)).first()
    else:
        parsed = parse_short_id(issue_id)
        group = None if parsed is None else db.session.scalars(
            stmt.join(Project, Project.id == Group.project_id)
            .where(Project.slug == parsed[0], Group.short_id == parsed[1])).first()
    if group is None:
        raise NotFound()
    return group


def issues_select(organization, user, *, project_ids=None, query: str | None = None,
                  environments=(), status: str | None = None, default_query: str = DEFAULT_QUERY):
    """The issues a list (or a bulk change) covers: visible projects, the search, filters."""
    stmt = select(Group)
    if project_ids is None:
        stmt = stmt.where(Group.project_id.in_(visible_projects(organization)))
    else:
        stmt = stmt.where(Group.project_id.in_(
            visible_projects(organization).where(Project.id.in_(project_ids))))
    ctx = SearchContext(organization, user, dt.datetime.now(UTC))
    search = default_query if query is None else query
    condition = issue_condition(search, ctx)
    if condition is not None:
        stmt = stmt.where(condition)
    if search and not NAMES_CATEGORY.search(search):
        # Sentry's issue searches leave feedback out unless they ask for it
        # (``issue.category:feedback``, what ``sentry feedback list`` sends).
        stmt = stmt.where(Group.type != "feedback")
    if environments:
        env = issue_condition(f"environment:[{', '.join(_quote(e) for e in environments)}]", ctx)
        stmt = stmt.where(env)
    if status:
        stmt = stmt.where(issue_condition(f"is:{status}", ctx))
    return stmt


NAMES_CATEGORY = re.compile(r"\bissue\.(category|type):")


def _quote(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"'


def project_ids_from(organization, values: list[str]) -> list[int] | None:
    """``project=`` values (ids, slugs, or ``-1`` for all) as ids; ``None`` means all."""
    if not values or "-1" in values:
        return None
    ids, slugs = ids_and_slugs(values)
    if slugs:
        ids += list(db.session.scalars(visible_projects(organization).where(Project.slug.in_(slugs))))
    return ids


def resolve_assignee(organization, value: str | None) -> tuple[int | None, int | None]:
    """``user:<id>``, ``team:<id>``, ``#team-slug``, an e-mail or user id -> (user_id, team_id)."""
    if value in (None, ""):
        return None, None
    invalid = ValidationFailed({"assignedTo": ["Unknown actor input"]})
    kind, sep, ident = value.partition(":")
    if value.startswith("#") or (sep and kind == "team"):
        team = db.session.scalars(select(Team).where(
            Team.organization_id == organization.id,
            Team.slug == value[1:] if value.startswith("#") else
            Team.id == parse_issue_id(ident))).first()
        if team is None:
            raise invalid
        return None, team.id
    if sep and kind == "user":
        value = ident
    condition = User.email == value
    if (user_id := parse_id(value)) is not None:
        condition = or_(condition, User.id == user_id)
    user_id = db.session.scalar(
        select(User.id).join(OrganizationMember, OrganizationMember.user_id == User.id)
        .where(OrganizationMember.organization_id == organization.id, condition).limit(1))
    if user_id is None:
        raise invalid
    return user_id, None


def _set_user_state(groups: list[Group], user, **values) -> None:
    if user is None or not groups:
        return
    now = dt.datetime.now(UTC)
    rows = [{"group_id": g.id, "user_id": user.id, "last_seen": None, "bookmarked": False}
            for g in groups]
    stmt = dialect_insert(GroupUserState)
    updates = {}
    if "has_seen" in values:
        seen = now if values["has_seen"] else None
        for row in rows:
            row["last_seen"] = seen
        updates["last_seen"] = stmt.excluded.last_seen
    if "bookmarked" in values:
        for row in rows:
            row["bookmarked"] = values["bookmarked"]
        updates["bookmarked"] = stmt.excluded.bookmarked
    db.session.execute(stmt.on_conflict_do_update(index_elements=["group_id", "user_id"],
                                                  set_=updates), rows)


def _release_resolution(organization, groups: list[Group], data: dict) -> dict | None:
    """``statusDetails`` of a resolve in a release or the next one, from the plugins that
    know releases (``resolve_in_release``; they refuse an unknown release). Any other
    status change forgets such a resolution (``issues_reopened``)."""
    ids = [group.id for group in groups]
    if data["status"] not in ("resolved", "resolvedInNextRelease"):
        call_hook("issues_reopened", ids)
        return None
    details = dict(data.get("statusDetails") or {})
    if data["status"] == "resolvedInNextRelease":
        details["inNextRelease"] = True
    answers = call_hook("resolve_in_release", organization.id,
                        {group.id: group.project_id for group in groups}, details)
    return next((answer for answer in answers if answer is not None), None)


def _apply_status(group: Group, data: dict, now: dt.datetime, release_details=None) -> str | None:
    """Set the status the body asks for; returns the webhook action, if any."""
    status = data["status"]
    details = data.get("statusDetails") or {}
    minutes = data.get("ignoreDuration") or data.get("snoozeDuration") or details.get("ignoreDuration")
    if status in ("resolved", "resolvedInNextRelease"):
        kept = {k: details[k] for k in ("inRelease", "inNextRelease", "inCommit") if k in details}
        if status == "resolvedInNextRelease":
            kept["inNextRelease"] = True
        if release_details is not None:
            kept = {**{k: v for k, v in kept.items() if k == "inCommit"}, **release_details}
        changed = group.status != RESOLVED
        group.status, group.substatus, group.status_details = RESOLVED, None, kept
        group.resolved_at, group.ignore_until = now, None
        return "resolved" if changed else None
    if status == "unresolved":
        changed = group.status != UNRESOLVED
        group.status, group.substatus, group.status_details = UNRESOLVED, "ongoing", {}
        group.resolved_at, group.ignore_until = None, None
        return "unresolved" if changed else None
    changed = group.status != IGNORED
    group.status, group.resolved_at = IGNORED, None
    if isinstance(minutes, int) and minutes > 0:
        group.ignore_until = now + dt.timedelta(minutes=minutes)
        group.substatus = "archived_until_condition_met"
        group.status_details = {"ignoreDuration": minutes}
    else:
        group.ignore_until = None
        group.substatus = "archived_forever"
        group.status_details = {k: details[k] for k in ("ignoreCount", "ignoreWindow",
                                                         "ignoreUserCount", "ignoreUserWindow")
                                if isinstance(details.get(k), int)}
    return "ignored" if changed else None


#: The activity a status change records (Sentry's types).
STATUS_ACTIVITY = {"resolved": "set_resolved", "unresolved": "set_unresolved",
                   "ignored": "set_ignored"}


def _record_status(group: Group, action: str, release_details: dict | None, user) -> None:
    details = group.status_details or {}
    if action == "resolved" and release_details:
        activity.record([group.id], "set_resolved_in_release", user,
                        {"version": details.get("inRelease") or ""})
    elif action == "ignored":
        activity.record([group.id], "set_ignored", user, {
            k: v for k, v in details.items() if k in ("ignoreDuration", "ignoreCount",
                                                      "ignoreWindow", "ignoreUserCount",
                                                      "ignoreUserWindow")})
    else:
        activity.record([group.id], STATUS_ACTIVITY[action], user)


def _assignment_activity(user_id: int | None, team_id: int | None) -> tuple[str, dict]:
    if user_id:
        return "assigned", {"assignee": str(user_id), "assigneeType": "user"}
    if team_id:
        return "assigned", {"assignee": str(team_id), "assigneeType": "team"}
    return "unassigned", {}


def update_issues(organization, groups: list[Group], data: dict, user) -> dict:
    """Apply an update body to ``groups``, emit the webhooks, commit; returns what changed."""
    now = dt.datetime.now(UTC)
    result: dict = {}
    actions: dict[str, list[Group]] = {}
    if data.get("merge"):
        from .merge import merge_issues

        parent, groups = merge_issues(groups, user)
        result["merge"] = {"parent": str(parent.id),
                           "children": [str(g.id) for g in groups if g.id != parent.id]}
        groups = [parent]
    if "status" in data:
        release_details = _release_resolution(organization, groups, data) if groups else None
        for group in groups:
            action = _apply_status(group, data, now, release_details)
            if action:
                actions.setdefault(action, []).append(group)
                _record_status(group, action, release_details, user)
        if groups:
            result.update(status=groups[0].status, statusDetails=groups[0].status_details or {},
                          substatus=groups[0].substatus)
    if "assignedTo" in data:
        user_id, team_id = resolve_assignee(organization, data["assignedTo"])
        for group in groups:
            if (group.assignee_user_id, group.assignee_team_id) != (user_id, team_id):
                group.assignee_user_id, group.assignee_team_id = user_id, team_id
                if user_id or team_id:
                    actions.setdefault("assigned", []).append(group)
                kind, details = _assignment_activity(user_id, team_id)
                activity.record([group.id], kind, user, details)
        result["assignedTo"] = None
    if "isPublic" in data:
        changed = [g.id for g in groups if g.is_public != data["isPublic"]]
        for group in groups:
            group.is_public = data["isPublic"]
        activity.record(changed, "set_public" if data["isPublic"] else "set_private", user)
        result["isPublic"] = data["isPublic"]
    if "priority" in data:
        changed = [g.id for g in groups if g.priority != data["priority"]]
        for group in groups:
            group.priority = data["priority"]
        activity.record(changed, "set_priority", user, {"priority": data["priority"]})
        result["priority"] = data["priority"]
    if "hasSeen" in data:
        _set_user_state(groups, user, has_seen=data["hasSeen"])
        result["hasSeen"] = data["hasSeen"]
    if "isBookmarked" in data:
        _set_user_state(groups, user, bookmarked=data["isBookmarked"])
        result["isBookmarked"] = data["isBookmarked"]
    if "isSubscribed" in data:
        result["isSubscribed"] = False
    db.session.flush()
    for action, changed in actions.items():
        notify.issue_changed(changed, action, actor=user)
    db.session.commit()
    if "assignedTo" in data and groups:
        from .serializers import assigned_to, assignees_of

        result["assignedTo"] = assigned_to(groups[0], assignees_of(groups[:1]))
    return result


def delete_issues(group_ids: list[int]) -> None:
    """Remove issues and, by cascade, their events, hashes, tags and counters; their events'
    attachments and user reports first. Run again if PostgreSQL aborts it to break a
    deadlock with a digest storing events of these issues."""
    def remove():
        remove_issues(group_ids)
        db.session.commit()

    retry_on_conflict(remove)


def remove_issues(group_ids) -> None:
    """:func:`delete_issues` in the caller's transaction (no commit)."""
    if group_ids:
        group_ids = sorted(group_ids)
        call_hook("issues_reopened", group_ids)
        delete_event_data(select(Event.project_id, Event.event_id).where(Event.group_id.in_(group_ids)))
        db.session.execute(delete(Group).where(Group.id.in_(group_ids)))

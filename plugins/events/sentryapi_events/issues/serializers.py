"""Issues as Sentry's API renders them, a page at a time (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sentryapi_teams import Team
from sqlalchemy import select

from sentryapi.api import Organization, User, db

from ..feedback.services import user_report_count
from ..models import Group, GroupStat, GroupUserState
from .stats import stats_series

UTC = dt.UTC
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = BASE36[rest] + digits
        if not number:
            return digits


def short_id(group: Group) -> str:
    return f"{group.project.slug.upper()}-{base36(group.short_id)}"


def parse_short_id(value: str) -> tuple[str, int] | None:
    """``PROJECT-1A`` -> (``project``, 46); ``None`` if it is not shaped like one."""
    slug, sep, number = value.rpartition("-")
    if not sep or not slug or not number.isalnum() or len(number) > 12:
        return None
    try:
        return slug.lower(), int(number, 36)
    except ValueError:
        return None


def iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def assignees_of(groups: list[Group]) -> dict[tuple[str, int], dict]:
    user_ids = {g.assignee_user_id for g in groups if g.assignee_user_id}
    team_ids = {g.assignee_team_id for g in groups if g.assignee_team_id}
    out = {}
    if user_ids:
        for user in db.session.scalars(select(User).where(User.id.in_(user_ids))):
            out[("user", user.id)] = {"type": "user", "id": str(user.id),
                                      "name": user.name or user.email, "email": user.email}
    if team_ids:
        for team in db.session.scalars(select(Team).where(Team.id.in_(team_ids))):
            out[("team", team.id)] = {"type": "team", "id": str(team.id), "name": team.slug}
    return out


def assigned_to(group: Group, assignees: dict) -> dict | None:
    if group.assignee_user_id:
        return assignees.get(("user", group.assignee_user_id))
    if group.assignee_team_id:
        return assignees.get(("team", group.assignee_team_id))
    return None


def _user_states(groups: list[Group], user) -> dict[int, GroupUserState]:
    if user is None or not groups:
        return {}
    rows = db.session.scalars(select(GroupUserState).where(
        GroupUserState.user_id == user.id, GroupUserState.group_id.in_([g.id for g in groups])))
    return {state.group_id: state for state in rows}


def status_details(group: Group) -> dict:
    details = dict(group.status_details or {})
    if group.ignore_until is not None:
        details["ignoreUntil"] = iso(group.ignore_until)
    return details


def serialize_issues(groups: list[Group], *, user, stats_period: str | None,
                     organization_slugs: dict[int, str] | None = None,
                     organization_list: bool = False) -> list[dict]:
    """A page of issues: assignees, the caller's seen/bookmark state, stats in bulk."""
    if not groups:
        return []
    assignees = assignees_of(groups)
    states = _user_states(groups, user)
    stats = stats_series(GroupStat, [g.id for g in groups], stats_period) if stats_period else {}
    if organization_slugs is None:
        org_ids = {g.project.organization_id for g in groups}
        organization_slugs = dict(db.session.execute(
            select(Organization.id, Organization.slug).where(Organization.id.in_(org_ids))).all())
    base_url = current_app.config["PUBLIC_URL"]
    out = []
    for group in groups:
        state = states.get(group.id)
        org_slug = organization_slugs.get(group.project.organization_id, "")
        issue = {
            "id": str(group.id),
            "shareId": None,
            "shortId": short_id(group),
            "title": group.title,
            "culprit": group.culprit,
            "permalink": f"{base_url}/organizations/{org_slug}/issues/{group.id}/",
            "logger": group.logger,
            "level": group.level,
            "status": group.status,
            "statusDetails": status_details(group),
            "substatus": group.substatus,
            "isPublic": group.is_public,
            "platform": group.platform,
            "priority": group.priority,
            "priorityLockedAt": None,
            "seerFixabilityScore": None,
            "seerAutofixLastTriggered": None,
            "seerExplorerAutofixLastTriggered": None,
            "project": {"id": str(group.project.id), "name": group.project.name,
                        "slug": group.project.slug, "platform": group.project.platform},
            **issue_kind(group.type),
            "metadata": (group.data or {}).get("metadata", {}),
            "numComments": 0,
            "assignedTo": assigned_to(group, assignees),
            "isBookmarked": bool(state and state.bookmarked),
            "isSubscribed": False,
            "subscriptionDetails": None,
            "hasSeen": bool(state and state.last_seen),
            "annotations": [],
            "isUnhandled": group.is_unhandled,
            "count": str(group.times_seen),
            "userCount": group.user_count,
            "firstSeen": iso(group.first_seen),
            "lastSeen": iso(group.last_seen),
        }
        if stats_period:
            issue["stats"] = {stats_period: stats.get(group.id, [])}
        if organization_list:
            issue.update(_organization_list_extras(group, issue))
        out.append(issue)
    return out


def issue_kind(group_type: str) -> dict:
    """``type``, ``issueType`` and ``issueCategory`` as Sentry names them (feedback issues
    are its issue platform's ``generic`` kind)."""
    if group_type == "feedback":
        return {"type": "generic", "issueType": "feedback", "issueCategory": "feedback"}
    return {"type": group_type, "issueType": "error" if group_type == "error" else "default",
            "issueCategory": "error"}


def _organization_list_extras(group: Group, issue: dict) -> dict:
    """Fields Sentry's organization issue list adds (lifetime, inbox, ...)."""
    lifetime = {"count": issue["count"], "userCount": issue["userCount"],
                "firstSeen": issue["firstSeen"], "lastSeen": issue["lastSeen"],
                "stats": None}
    return {
        "lifetime": lifetime,
        "filtered": None,
        "sessionCount": 0,
        "inbox": {"reason": 0, "reason_details": None, "date_added": issue["firstSeen"]},
        "owners": None,
        "integrationIssues": [],
        "sentryAppIssues": [],
        "latestEventHasAttachments": False,
        "matchingEventId": None,
        "matchingEventEnvironment": None,
        "derivedData": {"blocker": "", "progress": "", "status": "", "viewCount": 0,
                        "hasOpenFixPr": False, "isAssigned": issue["assignedTo"] is not None,
                        "hasRootCause": False, "lastCompletedAutofixStep": "",
                        "lastProgressedAt": None},
    }


def serialize_issue_detail(group: Group, *, user, tags: list[dict]) -> dict:
    issue = serialize_issues([group], user=user, stats_period="24h")[0]
    issue["stats"]["30d"] = stats_series(GroupStat, [group.id], "30d").get(group.id, [])
    release = {"version": group.first_release} if group.first_release else None
    last_release = {"version": group.last_release} if group.last_release else None
    issue.update({
        "activity": [],
        "seenBy": [],
        "participants": [],
        "userReportCount": 0,
        "firstRelease": release,
        "lastRelease": last_release,
        "tags": tags,
    })
    issue["userReportCount"] = user_report_count(group.id)
    return issue

"""Sentry's issue search (``query=``) translated to SQL conditions on issues.

``is:unresolved level:error assigned:me firstSeen:-24h release:1.0 browser:Chrome boom``

Issue properties are columns of ``event_group`` (status, level, first/last seen, times
seen, assignee); ``release:``, ``environment:`` and any other ``key:value`` are tag
values the issue's events carried (``group_tag_value``, looked up on its unique
(group, key, value) index); free text matches the title and culprit. A token that
cannot be applied is a 400 naming it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sentryapi_projects import Project
from sentryapi_teams import Team, TeamMember
from sqlalchemy import and_, exists, false, or_, select, true

from sentryapi.api import (
    OrganizationMember,
    ParseError,
    SearchFilter,
    User,
    build_filters,
    compare,
    contains,
    parse_datetime,
    parse_id,
    parse_number,
    parse_query,
    text_match,
)

from ..models import IGNORED, RESOLVED, UNRESOLVED, Group, GroupTagValue, GroupUserState
from .serializers import parse_short_id

DEFAULT_QUERY = "is:unresolved"
IS_VALUES = {
    "unresolved": lambda: Group.status == UNRESOLVED,
    "resolved": lambda: Group.status == RESOLVED,
    "ignored": lambda: Group.status == IGNORED,
    "archived": lambda: Group.status == IGNORED,
    "muted": lambda: Group.status == IGNORED,
    "assigned": lambda: or_(Group.assignee_user_id.is_not(None), Group.assignee_team_id.is_not(None)),
    "unassigned": lambda: and_(Group.assignee_user_id.is_(None), Group.assignee_team_id.is_(None)),
    "new": lambda: Group.substatus == "new",
    "ongoing": lambda: Group.substatus == "ongoing",
    "regressed": lambda: Group.substatus == "regressed",
    "escalating": lambda: Group.substatus == "escalating",
    "for_review": lambda: and_(Group.status == UNRESOLVED, Group.substatus.in_(("new", "regressed"))),
    "linked": lambda: false(),
    "unlinked": lambda: true(),
}
#: Search keys that are tags with another name in the tag tally.
USER_KEYS = {"user.id": "id", "user.email": "email", "user.username": "username", "user.ip": "ip"}


@dataclass
class SearchContext:
    organization: object
    user: User | None
    now: dt.datetime


def _is(search: SearchFilter, ctx: SearchContext):
    conditions = []
    for value in search.values:
        builder = IS_VALUES.get(value.lower())
        if builder is None:
            raise ParseError(f"Invalid query. Invalid value for the is: key in: {search.token}")
        conditions.append(builder())
    return or_(*conditions)


STATUSES = ("unresolved", "resolved", "ignored", "archived")


def _status(search: SearchFilter, ctx: SearchContext):
    """``status:unresolved`` (``sentry feedback list`` sends it): ``is:`` for statuses only."""
    if any(value.lower() not in STATUSES for value in search.values):
        raise ParseError(f"Invalid query. Invalid value for the status: key in: {search.token}")
    return _is(search, ctx)


def _datetime_filter(column) -> Callable:
    def build(search: SearchFilter, ctx: SearchContext):
        if search.operator == "in":
            raise ParseError(f"Invalid query. Lists are not supported in: {search.token}")
        moment = parse_datetime(search.value, search.token, now=ctx.now)
        if search.operator != "=":
            return compare(column, search, moment)
        # firstSeen:-24h is "within the last 24 hours", +24h "more than 24 hours ago".
        return column <= moment if search.value.startswith("+") else column >= moment
    return build


def _number_filter(column) -> Callable:
    def build(search: SearchFilter, ctx: SearchContext):
        if search.operator == "in":
            return column.in_([parse_number(v, search.token) for v in search.values])
        return compare(column, search, parse_number(search.value, search.token))
    return build


def _assigned(search: SearchFilter, ctx: SearchContext):
    conditions = []
    for value in search.values:
        if value == "none":
            conditions.append(and_(Group.assignee_user_id.is_(None), Group.assignee_team_id.is_(None)))
        elif value == "me":
            conditions.append(Group.assignee_user_id == (ctx.user.id if ctx.user else -1))
        elif value in ("my_teams", "#my_teams"):
            conditions.append(Group.assignee_team_id.in_(_my_teams(ctx)))
        elif value.startswith("#"):
            conditions.append(Group.assignee_team_id.in_(select(Team.id).where(
                Team.organization_id == ctx.organization.id, Team.slug == value[1:])))
        else:
            conditions.append(Group.assignee_user_id.in_(_users_named(value, ctx)))
    return or_(*conditions)


def _my_teams(ctx: SearchContext):
    return (select(TeamMember.team_id)
            .join(OrganizationMember, OrganizationMember.id == TeamMember.member_id)
            .where(OrganizationMember.user_id == (ctx.user.id if ctx.user else -1),
                   OrganizationMember.organization_id == ctx.organization.id))


def _users_named(value: str, ctx: SearchContext):
    """Members of the organization with this e-mail (or user id)."""
    condition = User.email == value
    if (user_id := parse_id(value)) is not None:
        condition = or_(condition, User.id == user_id)
    return (select(User.id).join(OrganizationMember, OrganizationMember.user_id == User.id)
            .where(OrganizationMember.organization_id == ctx.organization.id, condition))


def _bookmarks(search: SearchFilter, ctx: SearchContext):
    user_ids = []
    for value in search.values:
        user_ids.append(select(User.id).where(User.id == (ctx.user.id if ctx.user else -1))
                        if value == "me" else _users_named(value, ctx))
    return exists().where(GroupUserState.group_id == Group.id, GroupUserState.bookmarked.is_(True),
                          or_(*(GroupUserState.user_id.in_(ids) for ids in user_ids)))


def _tag(key: str, prefix: str = ""):
    def build(search: SearchFilter, ctx: SearchContext):
        if prefix:
            search = SearchFilter(search.key, search.operator,
                                  tuple(f"{prefix}:{v}" for v in search.values)
                                  if search.operator == "in" else f"{prefix}:{search.value}",
                                  search.negated, search.token)
        return exists().where(GroupTagValue.group_id == Group.id, GroupTagValue.key == key,
                              text_match(GroupTagValue.value, search))
    return build


def _any_tag(search: SearchFilter, ctx: SearchContext):
    return _tag(search.key[:32])(search, ctx)


def _has(search: SearchFilter, ctx: SearchContext):
    keys = [USER_KEYS.get(v) and "user" or v for v in search.values]
    return exists().where(GroupTagValue.group_id == Group.id, GroupTagValue.key.in_(keys))


def _issue(search: SearchFilter, ctx: SearchContext):
    conditions = []
    for value in search.values:
        parsed = parse_short_id(value)
        if parsed is None:
            raise ParseError(f"Invalid query. Not a short id in: {search.token}")
        slug, number = parsed
        conditions.append(and_(Group.short_id == number, Group.project_id.in_(
            select(Project.id).where(Project.organization_id == ctx.organization.id,
                                     Project.slug == slug))))
    return or_(*conditions)


def _project(search: SearchFilter, ctx: SearchContext):
    return Group.project_id.in_(select(Project.id).where(
        Project.organization_id == ctx.organization.id, text_match(Project.slug, search)))


def _category(search: SearchFilter, ctx: SearchContext):
    mapping = {"error": "error", "default": "default", "errors": "error", "feedback": "feedback"}
    return Group.type.in_([mapping.get(v, v) for v in search.values])


def _unhandled(expected: bool):
    def build(search: SearchFilter, ctx: SearchContext):
        value = search.value.lower() if isinstance(search.value, str) else ""
        if value not in ("true", "false", "1", "0"):
            raise ParseError(f"Invalid query. Expected true or false in: {search.token}")
        wanted = value in ("true", "1")
        return Group.is_unhandled.is_(expected if wanted else not expected)
    return build


BUILDERS: dict[str, Callable] = {
    "is": _is,
    "level": lambda s, c: text_match(Group.level, s),
    "assigned": _assigned,
    "assigned_or_suggested": _assigned,
    "bookmarks": _bookmarks,
    "firstSeen": _datetime_filter(Group.first_seen),
    "lastSeen": _datetime_filter(Group.last_seen),
    "age": _datetime_filter(Group.first_seen),
    "timesSeen": _number_filter(Group.times_seen),
    "release": _tag("release"),
    "environment": _tag("environment"),
    "firstRelease": lambda s, c: text_match(Group.first_release, s),
    "issue": _issue,
    "project": _project,
    "message": lambda s, c: contains(Group.title, s.value),
    "title": lambda s, c: contains(Group.title, s.value),
    "issue.category": _category,
    "status": _status,
    "issue.type": _category,
    "has": _has,
    "error.unhandled": _unhandled(True),
    "error.handled": _unhandled(False),
    **{key: _tag("user", prefix) for key, prefix in USER_KEYS.items()},
}


def issue_condition(query: str | None, ctx: SearchContext):
    """The SQL condition for an issue search, or ``None`` for no filter."""
    parsed = parse_query(query)
    builders = {key: (lambda b: lambda search: b(search, ctx))(builder)
                for key, builder in BUILDERS.items()}
    return build_filters(parsed, builders, text_columns=(Group.title, Group.culprit),
                         fallback=lambda search: _any_tag(search, ctx))

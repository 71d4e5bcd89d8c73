"""What a firing rule does: e-mail (``NotifyEmailAction``) and webhooks
(``NotifyEventServiceAction``: ``event_alert.triggered``, what a service hook subscribed
to Sentry's ``event.alert`` receives, through the core's signed outbox)."""

from __future__ import annotations

from functools import partial
from html import escape

from flask import current_app
from sentryapi_events import Event
from sentryapi_projects import Project
from sentryapi_teams import TeamMember
from sqlalchemy import select, tuple_

from sentryapi.api import Organization, OrganizationMember, User, db
from sentryapi.plugins import send_mail
from sentryapi.webhooks import emit

from . import registry as r
from .models import NotificationOption

#: Frames of the stack trace shown in an e-mail (the innermost first).
FRAMES = 5
#: Recipients of one e-mail action at most (an organization's active members, say).
MAX_RECIPIENTS = 200


def perform(fired) -> None:
    """Run the actions of every firing of a batch: ``[(rule, group, event facts)]``.
    What firings share is read once: projects, organizations, recipients, stack traces."""
    projects = {p.id: p for p in db.session.scalars(select(Project).where(
        Project.id.in_({rule.project_id for rule, _, _ in fired})))}
    organizations = {o.id: o for o in db.session.scalars(select(Organization).where(
        Organization.id.in_({p.organization_id for p in projects.values()})))}
    mailing = [(rule, group, item) for rule, group, item in fired if any(a["id"] == r.EMAIL for a in rule.actions)]
    traces = stack_tops({(rule.project_id, item.get("event_id")) for rule, _, item in mailing})
    audience: dict[tuple, list[User]] = {}
    for rule, group, item in fired:
        project = projects[rule.project_id]
        organization = organizations[project.organization_id]
        for action in rule.actions:
            if action["id"] == r.SERVICE:
                emit(organization.id, "event_alert", "triggered",
                     partial(alert_payload, rule, group, item, project, organization),
                     project=project.id)
                continue
            key = (project.id, action["targetType"], action.get("targetIdentifier"),
                   action.get("fallthroughType"), group.assignee_user_id)
            if key not in audience:
                audience[key] = recipients(action, group, organization, project)
            if audience[key]:
                send_emails(audience[key], rule, group, item, project, organization,
                            traces.get((project.id, item.get("event_id")), []))


def issue_url(organization, group) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/organizations/{organization.slug}/issues/{group.id}/"


def alert_payload(rule, group, item, project, organization) -> dict:
    api = f"{current_app.config['PUBLIC_URL'].rstrip('/')}/api/0"
    return {"event": {"event_id": item.get("event_id"), "issue_id": str(group.id), "project": project.id,
                      "title": group.title, "culprit": group.culprit, "level": item.get("level") or group.level,
                      "release": item.get("release"), "environment": item.get("environment"),
                      "datetime": item["timestamp"], "tags": [list(t) for t in item.get("tags") or []],
                      "url": f"{api}/projects/{organization.slug}/{project.slug}/events/{item.get('event_id')}/",
                      "web_url": issue_url(organization, group), "issue_url": f"{api}/issues/{group.id}/"},
            "triggered_rule": rule.name}


def recipients(action: dict, group, organization, project) -> list[User]:
    members = select(OrganizationMember.user_id).where(
        OrganizationMember.organization_id == organization.id, OrganizationMember.user_id.is_not(None))
    target = action["targetType"]
    if target == "Member":
        user_ids = members.where(OrganizationMember.user_id == action["targetIdentifier"])
    elif target == "Team":
        user_ids = members.where(OrganizationMember.id.in_(
            select(TeamMember.member_id).where(TeamMember.team_id == action["targetIdentifier"])))
    elif group.assignee_user_id is not None:  # IssueOwners: the assignee, while no ownership rules exist
        user_ids = members.where(OrganizationMember.user_id == group.assignee_user_id)
    elif action.get("fallthroughType") == "NoOne":
        return []
    else:  # ActiveMembers / AllMembers: every member who has joined
        user_ids = members
    users = db.session.scalars(select(User).where(User.id.in_(user_ids), User.is_active.is_(True))
                               .order_by(User.id).limit(MAX_RECIPIENTS)).all()
    opted_out = opted_out_users([u.id for u in users], organization.id, project.id)
    return [u for u in users if u.id not in opted_out]


def opted_out_users(user_ids, organization_id: int, project_id: int) -> set[int]:
    """Users whose alert e-mail is off here: a project choice wins over an organization's,
    which wins over the user's own."""
    rank = {"project": 0, "organization": 1, "user": 2}
    scoped = {"project": project_id, "organization": organization_id}
    choice: dict[int, tuple[int, str]] = {}
    for option in db.session.scalars(select(NotificationOption).where(
            NotificationOption.user_id.in_(user_ids), NotificationOption.type == "alerts")):
        if option.scope_type in scoped and option.scope_identifier != scoped[option.scope_type]:
            continue
        if option.scope_type == "user" and option.scope_identifier != option.user_id:
            continue
        current = choice.get(option.user_id)
        if current is None or rank[option.scope_type] < current[0]:
            choice[option.user_id] = (rank[option.scope_type], option.value)
    return {user_id for user_id, (_, value) in choice.items() if value == "never"}


def stack_tops(keys) -> dict[tuple[int, str], list[str]]:
    """The innermost frames of each event's exception (``file in function at line N``),
    for ``{(project id, event id)}``, in one query."""
    keys = {k for k in keys if k[1]}
    if not keys:
        return {}
    rows = db.session.execute(select(Event.project_id, Event.event_id, Event.data).where(
        tuple_(Event.project_id, Event.event_id).in_(sorted(keys))))
    return {(project_id, event_id): frames_of(data) for project_id, event_id, data in rows}


def frames_of(data) -> list[str]:
    values = ((data or {}).get("exception") or {}).get("values") or []
    frames = ((values[-1].get("stacktrace") or {}).get("frames") or []) if values else []
    lines = []
    for frame in reversed(frames[-FRAMES:]):
        where = frame.get("filename") or frame.get("module") or frame.get("abs_path") or "?"
        lines.append(f"{where} in {frame.get('function') or '?'} at line {frame.get('lineno') or '?'}")
    return lines


def send_emails(users, rule, group, item, project, organization, frames) -> None:
    url = issue_url(organization, group)
    facts = [("Project", project.slug), ("Culprit", group.culprit or ""), ("Events", str(group.times_seen)),
             ("First seen", group.first_seen.isoformat()), ("Last seen", group.last_seen.isoformat()),
             ("Level", item.get("level") or group.level), ("Environment", item.get("environment") or "")]
    text = "\n".join([group.title, "", *(f"{k}: {v}" for k, v in facts),
                      "", "Stack trace (innermost first):" if frames else "", *frames, "",
                      f"Rule: {rule.name}", f"Open the issue: {url}", ""])
    rows = "".join(f"<tr><th align=\"left\">{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    trace = "<pre>" + escape("\n".join(frames)) + "</pre>" if frames else ""
    html = (f"<h2>{escape(group.title)}</h2><table>{rows}</table>{trace}"
            f"<p>Rule: {escape(rule.name)}</p><p><a href=\"{escape(url)}\">Open the issue</a></p>")
    subject = f"[{project.slug}] {group.level.upper()}: {group.title}"[:300]
    for user in users:
        send_mail(user.email, subject, text, html, kind="alerts")

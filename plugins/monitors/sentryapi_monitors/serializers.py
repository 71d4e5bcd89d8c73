"""Monitors and check-ins as Sentry renders them; a page in a fixed number of queries."""

from __future__ import annotations

import uuid

from sentryapi_projects import Project, serialize_projects
from sentryapi_teams import Team
from sqlalchemy import select

from sentryapi.api import User, db

from .models import MonitorCheckIn, MonitorEnvironment
from .services import environments_of

CONFIG_OUT = ("schedule_type", "schedule", "checkin_margin", "max_runtime", "timezone",
              "failure_issue_threshold", "recovery_threshold")


def render_config(config: dict) -> dict:
    return {**{key: config.get(key) for key in CONFIG_OUT}, "alert_rule_id": None}


def render_environment(environment: MonitorEnvironment) -> dict:
    incident = None
    if environment.incident_started is not None:
        incident = {"startingTimestamp": environment.incident_started, "resolvingTimestamp": None,
                    "brokenNotice": None}
    return {
        "name": environment.environment,
        "status": environment.status,
        "isMuted": environment.is_muted,
        "dateCreated": environment.date_created,
        "lastCheckIn": environment.last_checkin,
        "nextCheckIn": environment.next_checkin,
        "nextCheckInLatest": environment.next_checkin_latest,
        "activeIncident": incident,
    }


def _owners(monitors) -> dict[tuple[str, int], dict]:
    user_ids = {m.owner_user_id for m in monitors if m.owner_user_id}
    team_ids = {m.owner_team_id for m in monitors if m.owner_team_id}
    owners = {}
    if user_ids:
        for user in db.session.scalars(select(User).where(User.id.in_(user_ids))):
            owners["user", user.id] = {"type": "user", "id": user.id, "name": user.name or user.email,
                                       "email": user.email}
    if team_ids:
        for team in db.session.scalars(select(Team).where(Team.id.in_(team_ids))):
            owners["team", team.id] = {"type": "team", "id": team.id, "name": team.slug}
    return owners


def serialize_monitors(monitors, caller, environments=None) -> list[dict]:
    """``caller`` (a ``Caller``) decides the embedded projects' access fields;
    ``environments`` limits the environments shown to those names."""
    monitors = list(monitors)
    by_monitor = environments_of([m.id for m in monitors], environments)
    project_ids = {m.project_id for m in monitors}
    projects = list(db.session.scalars(select(Project).where(Project.id.in_(project_ids)))) if project_ids else []
    rendered = {p["id"]: p for p in serialize_projects(projects, lambda _org: caller)}
    owners = _owners(monitors)
    out = []
    for monitor in monitors:
        owner = owners.get(("user", monitor.owner_user_id)) or owners.get(("team", monitor.owner_team_id))
        out.append({
            "id": monitor.id,
            "name": monitor.name,
            "slug": monitor.slug,
            "status": monitor.status,
            "isMuted": monitor.is_muted,
            "isUpserting": False,
            "config": render_config(monitor.config),
            "dateCreated": monitor.date_created,
            "project": rendered.get(monitor.project_id),
            "environments": [render_environment(e) for e in by_monitor.get(monitor.id, [])],
            "owner": owner,
        })
    return out


def serialize_checkins(checkins) -> list[dict]:
    checkins = list(checkins)
    env_ids = {c.monitor_environment_id for c in checkins}
    names = dict(db.session.execute(
        select(MonitorEnvironment.id, MonitorEnvironment.environment)
        .where(MonitorEnvironment.id.in_(env_ids))).all()) if env_ids else {}
    return [render_checkin(c, names.get(c.monitor_environment_id)) for c in checkins]


def render_checkin(checkin: MonitorCheckIn, environment: str | None) -> dict:
    return {
        "id": str(uuid.UUID(checkin.guid)),
        "environment": environment,
        "status": checkin.status,
        "duration": checkin.duration,
        "dateCreated": checkin.date_added,
        "dateAdded": checkin.date_added,
        "dateUpdated": checkin.date_updated,
        "dateInProgress": checkin.date_in_progress,
        "dateClock": checkin.date_clock,
        "expectedTime": checkin.expected_time,
        "monitorConfig": render_config(checkin.monitor_config or {}),
        "groups": [],
    }

"""Monitors: looked up through their organization, created and changed from API bodies or
from an SDK's ``monitor_config``, and the same rules for both."""

from __future__ import annotations

from sentryapi_projects import Project, projects_of
from sentryapi_teams import Team
from sqlalchemy import delete, select

from sentryapi.api import NotFound, OrganizationMember, ValidationFailed, db, get_or_404, parse_id

from .models import ACTIVE, Monitor, MonitorEnvironment

CONFIG_KEYS = ("schedule_type", "schedule", "checkin_margin", "max_runtime", "timezone",
               "failure_issue_threshold", "recovery_threshold")


def monitors_of(organization):
    return select(Monitor).where(Monitor.organization_id == organization.id)


def get_monitor_or_404(organization, monitor_id_or_slug: str) -> Monitor:
    """The organization's monitor by id or slug; another tenant's is the same 404 as none."""
    stmt = monitors_of(organization)
    if monitor_id_or_slug.isdigit():
        number = parse_id(monitor_id_or_slug)
        if number is None:
            raise NotFound()
        return get_or_404(stmt.where(Monitor.id == number))
    return get_or_404(stmt.where(Monitor.slug == monitor_id_or_slug))


def full_config(loaded: dict, previous: dict | None = None) -> dict:
    """Every config key (``None`` where unset), ``loaded`` over ``previous``."""
    base = {key: None for key in CONFIG_KEYS} | (previous or {})
    return {**base, **{key: loaded[key] for key in CONFIG_KEYS if key in loaded}}


def project_of(organization, value) -> Project:
    """The organization's project named by id or slug (a 400 when it has none such)."""
    text = str(value)
    stmt = projects_of(organization)
    stmt = stmt.where(Project.id == int(text)) if text.isdigit() and len(text) < 19 else stmt.where(Project.slug == text)
    project = db.session.scalar(stmt)
    if project is None:
        raise ValidationFailed({"project": ["Invalid project"]})
    return project


def parse_owner(organization, text: str | None) -> tuple[int | None, int | None]:
    """``user:ID`` (a member) or ``team:ID`` (a team of the organization) -> (user, team)."""
    if not text:
        return None, None
    kind, _, raw = text.partition(":")
    number = parse_id(raw) if raw.isdigit() else None
    if kind == "user" and number is not None and db.session.scalar(
            select(OrganizationMember.id).where(OrganizationMember.organization_id == organization.id,
                                                OrganizationMember.user_id == number)):
        return number, None
    if kind == "team" and number is not None and db.session.scalar(
            select(Team.id).where(Team.organization_id == organization.id, Team.id == number)):
        return None, number
    raise ValidationFailed({"owner": ["Could not resolve owner"]})


def slug_taken(organization_id: int, slug: str, but: int | None = None) -> bool:
    stmt = select(Monitor.id).where(Monitor.organization_id == organization_id, Monitor.slug == slug)
    if but is not None:
        stmt = stmt.where(Monitor.id != but)
    return db.session.scalar(stmt) is not None


def apply(monitor: Monitor, organization, data: dict) -> None:
    """Write a create or update body (already validated) onto ``monitor``."""
    if "project" in data:
        monitor.project_id = project_of(organization, data["project"]).id
    if "name" in data:
        monitor.name = data["name"]
    if "slug" in data and data["slug"] != monitor.slug:
        if slug_taken(organization.id, data["slug"], monitor.id):
            raise ValidationFailed({"slug": [f'The slug "{data["slug"]}" is already in use.']})
        monitor.slug = data["slug"]
    if "config" in data:
        monitor.config = full_config(data["config"], monitor.config)
    if "status" in data:
        monitor.status = data["status"]
    if "is_muted" in data:
        monitor.is_muted = data["is_muted"]
        # Sentry mutes (and unmutes) every environment with the monitor.
        for environment in environments_of([monitor.id]).get(monitor.id, []):
            environment.is_muted = data["is_muted"]
    if "owner" in data:
        monitor.owner_user_id, monitor.owner_team_id = parse_owner(organization, data["owner"])


def environments_of(monitor_ids, names=None) -> dict[int, list[MonitorEnvironment]]:
    """Each monitor's environments by name (one query for a page of monitors)."""
    out: dict[int, list[MonitorEnvironment]] = {monitor_id: [] for monitor_id in monitor_ids}
    if not monitor_ids:
        return out
    stmt = select(MonitorEnvironment).where(MonitorEnvironment.monitor_id.in_(list(monitor_ids)))
    if names:
        stmt = stmt.where(MonitorEnvironment.environment.in_(list(names)))
    for row in db.session.scalars(stmt.order_by(MonitorEnvironment.environment)):
        out[row.monitor_id].append(row)
    return out


def delete_monitor(monitor: Monitor, environments: list[str] | None) -> None:
    """The whole monitor, or only its state (and check-ins) in ``environments``."""
    if environments:
        db.session.execute(delete(MonitorEnvironment).where(
            MonitorEnvironment.monitor_id == monitor.id,
            MonitorEnvironment.environment.in_(environments)))
    else:
        db.session.execute(delete(Monitor).where(Monitor.id == monitor.id))


def new_monitor(organization, project_id: int, slug: str, name: str) -> Monitor:
    monitor = Monitor(organization_id=organization if isinstance(organization, int) else organization.id,
                      project_id=project_id, slug=slug, name=name, status=ACTIVE, is_muted=False,
                      config=full_config({}))
    db.session.add(monitor)
    return monitor

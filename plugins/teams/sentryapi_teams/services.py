"""Team operations shared by the endpoints and the hooks the core calls."""

from __future__ import annotations

from sqlalchemy import delete, select

from sentryapi.api import (
    TEAM_ROLES,
    Conflict,
    Organization,
    OrganizationMember,
    ValidationFailed,
    commit_or_conflict,
    db,
    get_or_404,
    unique_slug,
)

from .access import id_or_slug
from .models import Team, TeamMember

SLUG_CONFLICT = "A team with this slug already exists."


def teams_of(organization: Organization):
    """A select of the organization's teams."""
    return select(Team).where(Team.organization_id == organization.id)


def get_team_or_404(organization: Organization, team_id_or_slug: str) -> Team:
    """The organization's team by id or slug; another organization's team is a 404 too."""
    return get_or_404(teams_of(organization).where(id_or_slug(Team, team_id_or_slug)))


def add_team(organization: Organization, *, name: str | None, slug: str | None,
             creator: OrganizationMember | None, creator_role: str | None = None) -> Team:
    """Add (and flush, not commit) a team; a missing slug is made from the name.

    Its creator, if a member, joins it with ``creator_role``.
    """
    if slug is None:
        slug = unique_slug(Team, name, Team.organization_id == organization.id)
    team = Team(organization_id=organization.id, slug=slug, name=name or slug)
    db.session.add(team)
    db.session.flush()
    if creator is not None:
        db.session.add(TeamMember(team_id=team.id, member_id=creator.id, role=creator_role))
        db.session.flush()
    return team


def create_team(organization: Organization, *, name: str | None, slug: str | None,
                creator: OrganizationMember | None) -> Team:
    """A new team, committed; a taken slug is Sentry's 409."""
    with commit_or_conflict(SLUG_CONFLICT, extra={"non_field_errors": [SLUG_CONFLICT]}):
        team = add_team(organization, name=name, slug=slug, creator=creator)
    return team


def rename_team(team: Team, *, name: str | None = None, slug: str | None = None) -> None:
    """Change a team's name and slug; its id (and everything keyed on it) stays."""
    message = f'The slug "{slug}" is already in use.'
    if slug is not None and slug != team.slug:
        taken = db.session.scalar(
            select(Team.id).where(Team.organization_id == team.organization_id, Team.slug == slug)
        )
        if taken is not None:
            raise Conflict(message, extra={"slug": [message]})
    with commit_or_conflict(message, extra={"slug": [message]}):
        if name is not None:
            team.name = name
        if slug is not None:
            team.slug = slug
        db.session.flush()


def delete_team(team: Team) -> None:
    """Remove a team; memberships and project links go with it (database cascades).

    The team's projects stay: a project belongs to the organization, teams only grant
    access to it.
    """
    db.session.execute(delete(Team).where(Team.id == team.id))
    db.session.commit()


def member_team_slugs(member: OrganizationMember) -> list[str]:
    return list(db.session.scalars(
        select(Team.slug).join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.member_id == member.id).order_by(Team.slug)
    ))


def set_member_teams(member: OrganizationMember, team_roles) -> bool:
    """Make ``member``'s teams exactly ``teamRoles`` ``[{teamSlug, role}]`` (no commit).

    Everything is checked before anything changes: an unknown team or role is a 400.
    """
    wanted = _parse_team_roles(team_roles)
    teams = dict(db.session.execute(
        select(Team.slug, Team.id).where(
            Team.organization_id == member.organization_id, Team.slug.in_(list(wanted))
        )
    ).all())
    unknown = sorted(set(wanted) - set(teams))
    if unknown:
        raise ValidationFailed({"teamRoles": [f'Invalid team: "{slug}" does not exist.' for slug in unknown]})
    current = {tm.team_id: tm for tm in db.session.scalars(
        select(TeamMember).where(TeamMember.member_id == member.id)
    )}
    for slug, role in wanted.items():
        membership = current.pop(teams[slug], None)
        if membership is None:
            db.session.add(TeamMember(team_id=teams[slug], member_id=member.id, role=role))
        else:
            membership.role = role
    for membership in current.values():
        db.session.delete(membership)
    db.session.flush()
    return True


def _parse_team_roles(team_roles) -> dict[str, str | None]:
    wanted: dict[str, str | None] = {}
    for item in team_roles:
        slug = item.get("teamSlug") if isinstance(item, dict) else None
        role = item.get("role") if isinstance(item, dict) else None
        if not isinstance(slug, str) or not slug:
            raise ValidationFailed({"teamRoles": ["Each item needs a teamSlug."]})
        if role is not None and role not in TEAM_ROLES:
            raise ValidationFailed({"teamRoles": [f'Invalid team role "{role}": use one of {", ".join(TEAM_ROLES)}.']})
        wanted[slug] = role
    return wanted

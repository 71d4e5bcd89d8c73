"""Hooks the core calls: an organization's teams, a member's teams, ``teamRoles`` writes."""

from __future__ import annotations

from sentryapi.api import Caller, db

from .access import member_team_roles
from .models import Team
from .schemas import TeamSchema
from .serializers import serialize_teams
from .services import add_team, create_team, member_team_slugs, set_member_teams, teams_of

#: The detailed organization embeds at most this many teams; the list endpoint pages.
EMBEDDED_TEAMS = 1000


def organization_details(organization, member) -> dict:
    """``teams`` for the detailed organization, as the caller's role sees them."""
    teams = list(db.session.scalars(teams_of(organization).order_by(Team.slug).limit(EMBEDDED_TEAMS)))
    caller = Caller.for_member(organization, member)
    return {"teams": TeamSchema(many=True).dump(serialize_teams(teams, caller))}


def fuzz_seed(organization, member) -> dict:
    """A team for the API fuzzing tests to name in ``{team_id_or_slug}``."""
    team = create_team(organization, name="Fuzz", slug="fuzz", creator=member)
    return {"team_id_or_slug": str(team.id)}


def organization_initialized(organization, member, created: dict) -> None:
    """``flask sentryapi init``: the first organization gets a team named after it, as
    Sentry's own setup leaves one (its creator is the team's admin)."""
    created["team"] = add_team(organization, name=organization.slug, slug=organization.slug,
                               creator=member, creator_role="admin")


HOOKS = {
    "organization_details": organization_details,
    "organization_initialized": organization_initialized,
    "fuzz_seed": fuzz_seed,
    "member_teams": member_team_slugs,
    "set_member_teams": set_member_teams,
    "member_team_roles": member_team_roles,
}

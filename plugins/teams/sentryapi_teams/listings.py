"""How lists of teams and of a team's members filter and sort (shared with the projects plugin)."""

from __future__ import annotations

from sentryapi.api import STRING, Listing, Ordering, User

from .models import Team, TeamMember

#: The teams of one organization (or of one member, or one project) are reached through
#: an index on their parent; slug is unique within the organization.
TEAM_SORTS = {
    "slug": Ordering(Team.slug, Team.id, descending=False, kind=STRING),
    "name": Ordering(Team.name, Team.id, kind=STRING),
    "dateCreated": Ordering(Team.date_created, Team.id),
}


def team_listing(name: str) -> Listing:
    """Teams by slug unless sorted; ``query`` matches the name or the slug, as Sentry's."""
    return Listing(name, sorts=TEAM_SORTS, default_sort="slug", query=(Team.name, Team.slug),
                   query_help="Teams whose name or slug contains this text (case-insensitive).")


#: A team's members, in the order they joined unless sorted; the view joins their user.
TEAM_MEMBERS = Listing(
    "TeamMemberListArgs",
    sorts={"dateCreated": Ordering(TeamMember.date_created, TeamMember.id)},
    default_sort="dateCreated",
    query=(User.email, User.name),
    query_help="Members whose email or name contains this text (case-insensitive).",
)

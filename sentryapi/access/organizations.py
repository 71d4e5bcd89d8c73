"""Finding the caller's organization through their memberships (never by id alone)."""

from __future__ import annotations

from sqlalchemy import and_, select

from ..auth import scopes as scope_catalogue
from ..exceptions import NotFound
from ..extensions import db
from ..tenants.models import Organization, OrganizationMember
from ..web.persistence import parse_id


def match_id_or_slug(model, value: str):
    """``model.id == value`` for all-digit values (slugs never are), else the slug."""
    if value.isascii() and value.isdigit():
        parsed = parse_id(value)
        return model.id == (-1 if parsed is None else parsed)  # too long: cannot exist
    return model.slug == value


def resolve_organization(id_or_slug: str, credentials):
    """The organization, the caller's membership and effective scopes, or 404.

    A caller who is not a member gets the same 404 as for an organization that does not
    exist, so another tenant's existence never shows.
    """
    active = and_(Organization.status == "active", match_id_or_slug(Organization, id_or_slug))
    if credentials.kind == "org":
        organization = db.session.scalar(
            select(Organization).where(active, Organization.id == credentials.organization_id)
        )
        if organization is None:
            raise NotFound()
        return organization, None, credentials.scopes
    if credentials.organization_id is not None and not _is(id_or_slug, credentials.organization_id):
        # A user token limited to one organization.
        raise NotFound()
    row = db.session.execute(
        select(Organization, OrganizationMember)
        .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
        .where(active, OrganizationMember.user_id == credentials.user.id)
    ).first()
    if row is None:
        raise NotFound()
    organization, member = row
    return organization, member, credentials.scopes & scope_catalogue.role_scopes(member.role)


def _is(id_or_slug: str, organization_id: int) -> bool:
    organization = db.session.get(Organization, organization_id)
    return organization is not None and id_or_slug in (str(organization.id), organization.slug)


def memberships(user):
    """A select of the (organization, member) pairs a user can see."""
    return (
        select(Organization)
        .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
        .where(Organization.status == "active", OrganizationMember.user_id == user.id)
    )

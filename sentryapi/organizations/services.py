"""Operations on users, organizations, members and tokens, shared by the API and the CLI."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import func, select, update

from ..auth.models import ApiToken, User
from ..auth.scopes import ORG_TOKEN_DEFAULT_SCOPES, TOP_ROLE
from ..auth.tokens import hash_token, last_characters, new_org_token, new_user_token
from ..extensions import db
from ..tenants.models import Organization, OrganizationMember
from ..web.persistence import commit_or_conflict, unique_slug

SLUG_CONFLICT = "An organization with this slug already exists."


def create_user(email: str, *, name: str = "", password: str | None = None,
                superuser: bool = False) -> User:
    """A new user; pending invitations to the same e-mail become memberships."""
    user = User(email=email.strip().lower(), name=name, is_superuser=superuser)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    db.session.execute(
        update(OrganizationMember)
        .where(OrganizationMember.user_id.is_(None), OrganizationMember.email == user.email)
        .values(user_id=user.id, email=None)
    )
    return user


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_organization(name: str, owner: User, slug: str | None = None) -> Organization:
    """An organization owned by ``owner``; a taken explicit slug is a 409."""
    with commit_or_conflict(SLUG_CONFLICT):
        organization = Organization(name=name, slug=slug or unique_slug(Organization, name))
        db.session.add(organization)
        db.session.flush()
        db.session.add(OrganizationMember(organization_id=organization.id, user_id=owner.id, role=TOP_ROLE))
    return organization


def owner_count(organization: Organization) -> int:
    return db.session.scalar(
        select(func.count()).select_from(OrganizationMember).where(
            OrganizationMember.organization_id == organization.id,
            OrganizationMember.role == TOP_ROLE,
            OrganizationMember.user_id.is_not(None),
        )
    )


def issue_user_token(user: User, scopes, *, name: str | None = None,
                     expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new ``sntryu_`` token; the plaintext is returned once and never stored."""
    plaintext = new_user_token()
    token = ApiToken(kind="user", user_id=user.id, token_hash=hash_token(plaintext),
                     token_last_characters=last_characters(plaintext), name=name,
                     scopes=sorted(set(scopes)), expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    return token, plaintext


def issue_org_token(organization: Organization, name: str, scopes=None, *,
                    created_by=None) -> tuple[ApiToken, str]:
    """A new ``sntrys_`` token embedding this server's URL, so sentry-cli comes here."""
    plaintext = new_org_token(current_app.config["PUBLIC_URL"], organization.slug)
    token = ApiToken(kind="org", organization_id=organization.id, token_hash=hash_token(plaintext),
                     token_last_characters=last_characters(plaintext), name=name,
                     scopes=sorted(set(scopes or ORG_TOKEN_DEFAULT_SCOPES)),
                     created_by_id=created_by.id if created_by is not None else None)
    db.session.add(token)
    db.session.flush()
    return token, plaintext

"""Fixtures that make users, organizations, tokens and ready-to-call actors."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from .client import ApiClient


@dataclass
class Actor:
    """A user with a membership and a token, ready to call the API."""

    user: object
    organization: object
    member: object
    token: str
    api: ApiClient

    @property
    def org(self) -> str:
        return self.organization.slug


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def anonymous(client):
    return ApiClient(client)


def user_factory(app):
    """``make_user(email=None, password=None, **kwargs)`` -> a detached ``User``."""
    from sentryapi.extensions import db
    from sentryapi.organizations import services

    def make(email: str | None = None, password: str | None = None, **kwargs):
        with app.app_context():
            user = services.create_user(email or f"user-{uuid.uuid4().hex[:10]}@example.com",
                                        password=password, **kwargs)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def org_factory(app, make_user):
    """``make_org(name=None, owner=None, slug=None)`` -> a detached ``Organization``."""
    from sentryapi.extensions import db
    from sentryapi.organizations import services

    def make(name: str | None = None, owner=None, slug: str | None = None):
        owner = owner or make_user()
        with app.app_context():
            organization = services.create_organization(
                name or f"Org {uuid.uuid4().hex[:8]}", db.session.merge(owner), slug=slug
            )
            db.session.refresh(organization)
            db.session.expunge(organization)
            return organization

    return make


def token_factory(app):
    """``make_token(user, scopes=None)`` -> plaintext user token (all owner scopes by default);
    ``make_token(organization=org, scopes=...)`` -> an organization token."""
    from sentryapi.auth.scopes import USER_TOKEN_SCOPES
    from sentryapi.extensions import db
    from sentryapi.organizations import services

    def make(user=None, scopes=None, *, organization=None, expires_at=None):
        with app.app_context():
            if organization is not None:
                _, token = services.issue_org_token(db.session.merge(organization), "test", scopes)
            else:
                _, token = services.issue_user_token(
                    db.session.merge(user), USER_TOKEN_SCOPES if scopes is None else scopes,
                    expires_at=expires_at,
                )
            db.session.commit()
            return token

    return make


def actor_factory(app, client, make_user, make_org, make_token):
    """``make_actor(role="owner", organization=None, scopes=None)`` -> :class:`Actor`."""
    from sentryapi.extensions import db
    from sentryapi.tenants.models import OrganizationMember

    def make(role: str = "owner", organization=None, scopes=None, email=None) -> Actor:
        user = make_user(email)
        with app.app_context():
            if organization is None:
                organization = make_org(owner=user)
                member = db.session.query(OrganizationMember).filter_by(
                    organization_id=organization.id, user_id=user.id).one()
                member.role = role
            else:
                member = OrganizationMember(organization_id=organization.id, user_id=user.id, role=role)
                db.session.add(member)
            db.session.commit()
            db.session.refresh(member)
            db.session.expunge(member)
        token = make_token(user, scopes)
        return Actor(user, organization, member, token, ApiClient(client, token))

    return make


def factories(app):
    """``(make_user, make_org, make_token, make_actor)`` for ``app`` outside pytest's fixtures
    (``flask sentryapi check-plugin`` runs the suite's matrices with them)."""
    make_user = user_factory(app)
    make_org = org_factory(app, make_user)
    make_token = token_factory(app)
    return make_user, make_org, make_token, actor_factory(app, app.test_client(), make_user,
                                                          make_org, make_token)


@pytest.fixture
def make_user(app):
    return user_factory(app)


@pytest.fixture
def make_org(app, make_user):
    return org_factory(app, make_user)


@pytest.fixture
def make_token(app):
    return token_factory(app)


@pytest.fixture
def make_actor(app, client, make_user, make_org, make_token):
    return actor_factory(app, client, make_user, make_org, make_token)


@pytest.fixture
def owner(make_actor):
    """The owner of a fresh organization."""
    return make_actor("owner")

"""pytest fixtures for suites that use teams (a ``pytest11`` plugin, loaded automatically).

``create_team(actor, slug=..., name=...)`` makes a team through the API as ``actor`` (a
``make_actor`` result); ``set_org_option(organization, key, value)`` flips a setting such
as ``openMembership``.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def create_team():
    """``create_team(actor, name=..., slug=...)`` -> the created team's JSON (asserts 201)."""

    def create(actor, **body):
        response = actor.api.post(f"/api/0/organizations/{actor.org}/teams/", json=body or {"name": "Team"})
        assert response.status_code == 201, response.json
        return response.json

    return create


@pytest.fixture
def set_org_option(app):
    """``set_org_option(organization, key, value)``: change an organization setting directly."""
    from sentryapi.api import Organization, db

    def set_option(organization, key, value):
        with app.app_context():
            row = db.session.get(Organization, organization.id)
            row.options = {**(row.options or {}), key: value}
            db.session.commit()

    return set_option

"""pytest fixtures for suites that use teams (a ``pytest11`` plugin, loaded automatically).

``create_team(actor, slug=..., name=...)`` makes a team through the API as ``actor`` (a
``make_actor`` result); ``set_org_option(organization, key, value)`` flips a setting such
as ``openMembership``.
"""

from __future__ import annotations

import pytest

from sentryapi.testing import probe, unique


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


# Probes (see sentryapi.probes): how the access tests make this plugin's objects.


TEAM = "/api/0/teams/<organization_id_or_slug>/<team_id_or_slug>/"
MEMBER = "/api/0/organizations/<organization_id_or_slug>/members/<member_id>/"


@probe("/api/0/organizations/<organization_id_or_slug>/teams/",
       bodies={"POST": lambda ctx: {"name": unique("Team")}})
def no_team(ctx) -> dict:
    return {}


@probe(TEAM, bodies={"PUT": {"name": "Renamed"}})
@probe("/api/0/teams/<organization_id_or_slug>/<team_id_or_slug>/members/")
def team(ctx) -> dict:
    made = ctx.api.post(f"/api/0/organizations/{ctx.org}/teams/", json={"name": unique("Team")})
    assert made.status_code == 201, made.json
    return {"team_id_or_slug": made.json["slug"]}


@probe("/api/0/organizations/<organization_id_or_slug>/members/<member_id>/teams/<team_id_or_slug>/",
       bodies={"PUT": {"teamRole": "contributor"}})
def member_team(ctx) -> dict:
    return {**ctx.need(MEMBER), **ctx.need(TEAM)}

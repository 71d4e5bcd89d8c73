"""Real responses of the core's public operations match the published document.

Every ``api.*`` call in the suite is checked (``sentryapi.testing.ApiClient``); this module
makes sure each public operation of the core is called, with its success and its usual
errors, and that the check itself catches a response that breaks the document.
"""

from __future__ import annotations

import pytest
from flask import Response

from sentryapi.openapi.conformance import ConformanceError
from sentryapi.testing import contract

ORGS = "/api/0/organizations/"


def test_index_and_organizations(owner, anonymous, make_token):
    assert anonymous.get("/api/0/").status_code == 200
    assert owner.api.get("/api/0/").status_code == 200
    assert owner.api.get(ORGS + "?query=slug:" + owner.org).status_code == 200
    assert owner.api.get(ORGS + "?per_page=0").status_code == 400
    assert owner.api.get(ORGS + "?cursor=nope").status_code == 400
    assert anonymous.get(ORGS).status_code == 401
    assert owner.api.as_(make_token(owner.user, ["project:read"])).get(ORGS).status_code == 403


def test_organization_details(owner, make_actor, make_token):
    detail = f"{ORGS}{owner.org}/"
    assert owner.api.get(detail).status_code == 200
    assert owner.api.put(detail, json={"name": "Renamed", "openMembership": False}).status_code == 200
    assert owner.api.put(detail, json={"slug": "Not A Slug"}).status_code == 400
    other = make_actor("owner")
    assert owner.api.put(detail, json={"slug": other.org}).status_code == 409
    assert owner.api.get(f"{ORGS}{other.org}/").status_code == 404
    assert owner.api.put(detail, data="x", headers={"Content-Type": "text/plain"}).status_code == 415
    member = make_actor("member", organization=owner.organization)
    assert member.api.put(detail, json={"name": "Nope"}).status_code == 403
    org_token = make_token(organization=owner.organization, scopes=["org:ci"])
    assert owner.api.as_(org_token).get(detail).status_code == 200


def test_members(owner, make_user, make_actor):
    members = f"{ORGS}{owner.org}/members/"
    assert owner.api.get(members + "?query=role:owner").status_code == 200
    user = make_user()
    created = owner.api.post(members, json={"email": user.email, "orgRole": "member"})
    assert created.status_code == 201
    assert owner.api.post(members, json={"email": user.email}).status_code == 409
    assert owner.api.post(members, json={"email": "not-an-email"}).status_code == 400
    invited = owner.api.post(members, json={"email": "later@example.com"})
    assert invited.status_code == 201 and invited.json["pending"] is True

    detail = f"{members}{created.json['id']}/"
    assert owner.api.get(detail).status_code == 200
    assert owner.api.get(f"{members}me/").status_code == 200
    assert owner.api.get(f"{members}999999/").status_code == 404
    assert owner.api.put(detail, json={"orgRole": "admin"}).status_code == 200
    assert owner.api.put(detail, json={"orgRole": "emperor"}).status_code == 400
    member = make_actor("member", organization=owner.organization)
    assert member.api.put(detail, json={"orgRole": "owner"}).status_code == 403
    assert owner.api.delete(detail).status_code == 204
    assert owner.api.delete(detail).status_code == 404


# -- the check itself ----------------------------------------------------------------------------

def _response(status: int, body: str) -> Response:
    return Response(body, status=status, mimetype="application/json")


def test_a_body_that_breaks_the_schema_fails_the_test(app):
    with pytest.raises(ConformanceError) as error:
        contract().check(app, "GET", ORGS, _response(200, '[{"id": 1, "dateCreated": "soon"}]'))
    message = str(error.value)
    assert "GET /api/0/organizations/" in message
    assert "0/id: 1 is not of type 'string'" in message and "0/dateCreated" in message


def test_an_undocumented_status_fails_the_test(app):
    with pytest.raises(ConformanceError, match="answered 409, which the document does not list"):
        contract().check(app, "GET", ORGS, _response(409, '{"detail": "x"}'))


def test_private_operations_and_unknown_paths_are_not_checked(app):
    assert contract().check(app, "GET", "/api/0/api-tokens/", _response(418, "not json")) is False
    assert contract().check(app, "GET", "/api/0/nowhere/", _response(404, "{}")) is False
    assert contract().check(app, "GET", ORGS, _response(200, "[]")) is True

"""Probes (see ``sentryapi.probes``) for the organizations plugin's routes."""

from __future__ import annotations

from ..probes import probe, unique

ORG = "/api/0/organizations/<organization_id_or_slug>"
MEMBER = f"{ORG}/members/<member_id>/"
ORG_TOKEN = f"{ORG}/org-auth-tokens/<token_id>/"
USER_TOKEN = "/api/0/api-tokens/<token_id>/"


def created(response, *statuses: int) -> dict:
    assert response.status_code in (statuses or (200, 201)), (response.status_code, response.json)
    return response.json


@probe("/api/0/organizations/", bodies={"POST": lambda ctx: {"name": unique("Org")}})
@probe(f"{ORG}/")
@probe(f"{ORG}/members/", bodies={"POST": lambda ctx: {"email": unique("probe") + "@example.com",
                                                    "orgRole": "member"}})
@probe(f"{ORG}/org-auth-tokens/", bodies={"POST": {"name": "probe"}})
@probe("/api/0/api-tokens/", bodies={"POST": {"scopes": ["org:read"]}})
def nothing(ctx) -> dict:
    """Collections: no object in the URL, a body to post."""
    return {}


@probe(MEMBER, bodies={"PUT": {"orgRole": "member"}})
def member(ctx) -> dict:
    made = created(ctx.api.post(f"/api/0/organizations/{ctx.org}/members/",
                                json={"email": unique("member") + "@example.com", "orgRole": "member"}))
    return {"member_id": made["id"]}


@probe(ORG_TOKEN, bodies={"PUT": {"name": "renamed"}})
def org_token(ctx) -> dict:
    made = created(ctx.api.post(f"/api/0/organizations/{ctx.org}/org-auth-tokens/",
                                json={"name": unique("token")}))
    return {"token_id": made["id"]}


@probe(USER_TOKEN, bodies={"PUT": {"name": "renamed"}})
def user_token(ctx) -> dict:
    made = created(ctx.api.post("/api/0/api-tokens/", json={"scopes": ["org:read"]}))
    return {"token_id": made["id"]}

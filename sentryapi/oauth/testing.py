"""Probes (see ``sentryapi.probes``) for the OAuth applications' routes."""

from __future__ import annotations

from ..probes import probe, unique

APPLICATION = "/api/0/api-applications/<app_id>/"


@probe("/api/0/api-applications/", bodies={"POST": lambda ctx: {"name": unique("App")}})
def nothing(ctx) -> dict:
    return {}


@probe(APPLICATION, bodies={"PUT": {"name": "renamed"}})
@probe("/api/0/api-applications/<app_id>/rotate-secret/")
def application(ctx) -> dict:
    made = ctx.api.post("/api/0/api-applications/", json={"name": unique("App")})
    assert made.status_code == 201, made.json
    return {"app_id": made.json["id"]}

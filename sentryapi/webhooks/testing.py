"""Probes (see ``sentryapi.probes``) for the service-hook routes."""

from __future__ import annotations

from ..organizations.testing import created
from ..probes import probe

PROJECT = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/"
PROJECT_HOOKS = PROJECT + "hooks/"
ORG_HOOKS = "/api/0/organizations/<organization_id_or_slug>/hooks/"
#: A public address given as an IP (no DNS here), so the SSRF guard lets it through.
PUBLIC_URL = "https://93.184.216.34/hook"
HOOK_BODY = {"POST": {"url": PUBLIC_URL, "events": ["issue.created"]},
             "PUT": {"events": ["issue.resolved"]}}


@probe(ORG_HOOKS, bodies=HOOK_BODY)
def no_hook(ctx) -> dict:
    return {}


@probe(PROJECT_HOOKS, bodies=HOOK_BODY)
def project(ctx) -> dict:
    return dict(ctx.need(PROJECT))


def _hook(ctx, collection: str, arguments: dict) -> dict:
    hook = created(ctx.api.post(collection, json=HOOK_BODY["POST"]), 201)
    return {**arguments, "hook_id": hook["id"]}


def _delivery(ctx, hook_path: str, arguments: dict) -> dict:
    """A hook with one delivery (its test ping) in the log."""
    created(ctx.api.post(hook_path + "ping/"), 202)
    deliveries = created(ctx.api.get(hook_path + "deliveries/"), 200)
    return {**arguments, "delivery_id": deliveries[0]["id"]}


@probe(PROJECT_HOOKS + "<hook_id>/", bodies=HOOK_BODY)
@probe(PROJECT_HOOKS + "<hook_id>/deliveries/")
@probe(PROJECT_HOOKS + "<hook_id>/ping/")
def project_hook(ctx) -> dict:
    arguments = dict(ctx.need(PROJECT))
    return _hook(ctx, f"/api/0/projects/{ctx.org}/{arguments['project_id_or_slug']}/hooks/",
                 arguments)


@probe(PROJECT_HOOKS + "<hook_id>/deliveries/<delivery_id>/redeliver/")
def project_delivery(ctx) -> dict:
    arguments = project_hook(ctx)
    path = f"/api/0/projects/{ctx.org}/{arguments['project_id_or_slug']}/hooks/{arguments['hook_id']}/"
    return _delivery(ctx, path, arguments)


@probe(ORG_HOOKS + "<hook_id>/", bodies=HOOK_BODY)
@probe(ORG_HOOKS + "<hook_id>/deliveries/")
@probe(ORG_HOOKS + "<hook_id>/ping/")
def org_hook(ctx) -> dict:
    return _hook(ctx, f"/api/0/organizations/{ctx.org}/hooks/", {})


@probe(ORG_HOOKS + "<hook_id>/deliveries/<delivery_id>/redeliver/")
def org_delivery(ctx) -> dict:
    arguments = org_hook(ctx)
    return _delivery(ctx, f"/api/0/organizations/{ctx.org}/hooks/{arguments['hook_id']}/", arguments)

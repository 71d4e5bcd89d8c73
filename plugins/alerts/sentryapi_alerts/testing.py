"""pytest fixtures for suites that use alert rules (a ``pytest11`` plugin), and the probes
the access tests make this plugin's objects with."""

from __future__ import annotations

import pytest
from sentryapi_projects.testing import PROJECT

from sentryapi.testing import probe, unique

from .registry import EMAIL, FIRST_SEEN

RULES = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/rules/"
OPTIONS = "/api/0/users/<user_id>/notification-options/"


def rule_body(**overrides) -> dict:
    """A valid rule: a new issue e-mails the active members."""
    return {"name": unique("rule"), "actionMatch": "all", "filterMatch": "all", "frequency": 5,
            "conditions": [{"id": FIRST_SEEN}],
            "actions": [{"id": EMAIL, "targetType": "IssueOwners", "fallthroughType": "ActiveMembers"}],
            **overrides}


@pytest.fixture
def create_rule():
    """``create_rule(actor, project_slug, **body)`` -> the rule's JSON."""
    def create(actor, project: str, **body):
        made = actor.api.post(f"/api/0/projects/{actor.org}/{project}/rules/", json=rule_body(**body))
        assert made.status_code == 201, made.json
        return made.json

    return create


@probe(RULES, bodies={"POST": lambda ctx: rule_body()})
def rules(ctx) -> dict:
    return ctx.need(PROJECT)


def _rule(ctx) -> dict:
    project = ctx.need(PROJECT)
    made = ctx.api.post(f"/api/0/projects/{ctx.org}/{project['project_id_or_slug']}/rules/", json=rule_body())
    assert made.status_code == 201, made.json
    return {**project, "rule_id": made.json["id"]}


@probe(RULES + "<rule_id>/", bodies={"PUT": lambda ctx: rule_body()})
def rule(ctx) -> dict:
    return _rule(ctx)


@probe(RULES + "<rule_id>/group-history/")
def rule_history(ctx) -> dict:
    return _rule(ctx)


def _user_id(ctx) -> str:
    """The probing owner's user id (read through the API: the actor's rows may be detached)."""
    return ctx.api.get(f"/api/0/organizations/{ctx.org}/members/me/").json["user"]["id"]


@probe(OPTIONS, bodies={"PUT": lambda ctx: {"type": "alerts", "scopeType": "user",
                                            "scopeIdentifier": _user_id(ctx), "value": "never"}})
def notification_options(ctx) -> dict:
    return {"user_id": _user_id(ctx)}


@probe(OPTIONS + "<option_id>/")
def notification_option(ctx) -> dict:
    user_id = _user_id(ctx)
    made = ctx.api.put(f"/api/0/users/{user_id}/notification-options/",
                       json={"type": "alerts", "scopeType": "user", "scopeIdentifier": user_id, "value": "never"})
    assert made.status_code == 200, made.json
    return {"user_id": user_id, "option_id": made.json["id"]}


@probe("/api/0/organizations/<organization_id_or_slug>/alert-rules/")
def metric_alert_rules(ctx) -> dict:
    return {}

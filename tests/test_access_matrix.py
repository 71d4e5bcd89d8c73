"""Access generated from the route map: every /api/0/ route is covered by construction.

- Another organization's URL answers exactly like a missing one (404, same body).
- A token lacking every scope a method lists is refused with 403; one holding any passes
  the check (whatever the view then says about the dummy ids).
"""

import re

import pytest

from sentryapi import probes
from sentryapi.auth.scopes import IMPLIED, USER_TOKEN_SCOPES
from sentryapi.probes import ProbeContext, load_probes, make_all

ARG = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/0/"):
            cls = app.view_functions[rule.endpoint].view_class
            for method in sorted(set(rule.methods) & set(METHODS)):
                yield rule.rule, method, cls


def fill(rule: str, org: str) -> str:
    return ARG.sub(lambda m: org if m.group(1) == "organization_id_or_slug" else "1", rule)


def test_every_route_declares_access(app):
    routes = list(api_routes(app))
    assert routes, "no /api/0/ routes"
    for rule, method, cls in routes:
        assert method in cls.scope_map or method in cls.anonymous_methods, (method, rule)


def test_foreign_organization_urls_answer_like_missing_ones(app, owner, make_actor):
    stranger = make_actor("owner")
    checked = 0
    for rule, method, _cls in api_routes(app):
        if "<organization_id_or_slug>" not in rule:
            continue
        foreign = owner.api.request(method, fill(rule, stranger.org), json={})
        missing = owner.api.request(method, fill(rule, "no-such-org"), json={})
        assert foreign.status_code == missing.status_code == 404, (method, rule, foreign.json)
        assert foreign.json == missing.json, (method, rule)
        checked += 1
    assert checked >= 10
    # Nothing of the stranger's changed.
    assert stranger.api.get(f"/api/0/organizations/{stranger.org}/").json["name"] == stranger.organization.name


def _holding_none_of(required):
    """A token scope set without any of ``required`` nor a bundle implying one."""
    blocked = set(required) | {bundle for bundle, implied in IMPLIED.items() if implied & set(required)}
    return sorted(set(USER_TOKEN_SCOPES) - blocked)


def test_scope_matrix(app, owner, make_token, anonymous):
    """Every operation: 403 without any listed scope, past the check with one of them;
    an operation listing none (``()``, any caller) lets a token with one unrelated scope by.
    The URLs name the owner's real objects (made by the probes, ``sentryapi.probes``)."""
    load_probes(app)
    objects = ProbeContext(app, owner)
    make_all(objects, app)
    checked, operations = 0, 0
    for rule, method, cls in api_routes(app):
        if method in cls.anonymous_methods:
            continue
        operations += 1
        required = cls.scope_map[method]
        path = probes.fill(rule, probes.arguments(objects, rule))
        if not required:
            minimal = anonymous.as_(make_token(owner.user, ["alerts:read"]))
            r = minimal.request(method, path, json={})
            assert r.status_code != 403, (method, rule, r.json)
            checked += 1
            continue
        without = anonymous.as_(make_token(owner.user, _holding_none_of(required) or ["alerts:read"]))
        r = without.request(method, path, json={})
        assert r.status_code == 403, (method, rule, r.status_code, r.json)
        assert r.json == {"detail": "You do not have permission to perform this action."}
        if method != "DELETE":  # deleting with dummy ids could remove the fixture's rows
            with_one = anonymous.as_(make_token(owner.user, [required[0]]))
            assert with_one.request(method, path, json={}).status_code != 403, (method, rule)
        checked += 1
    assert checked == operations >= 10


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_no_credentials_is_401_everywhere_but_anonymous_views(app, anonymous, method):
    for rule, m, cls in api_routes(app):
        if m != method or m in cls.anonymous_methods:
            continue
        r = anonymous.request(m, fill(rule, "any-org"), json={})
        assert r.status_code == 401, (m, rule, r.status_code)

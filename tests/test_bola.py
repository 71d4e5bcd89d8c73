"""Tenant isolation (OWASP API1, broken object level authorization), generated from the route map.

The check itself is ``sentryapi.isolation`` (the ``tenant_isolation`` fixture, which any
plugin's suite can run on its own routes): here it runs over every installed plugin, and
fails when a route has no probe to make its objects.
"""

from __future__ import annotations

import pytest

from sentryapi.isolation import changed_tables, database_rows
from sentryapi.probes import ProbeContext, load_probes, make_all, missing_probes

PROJECT = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/"


def test_every_route_naming_an_object_has_a_probe(spec_app):
    missing = missing_probes(spec_app)
    assert not missing, (
        "These /api/0/ routes name an object or take a body, but no probe makes one for the "
        "access tests (tests/test_bola.py, tests/test_mass_assignment.py). Register a factory "
        "with @sentryapi.testing.probe(rule) in the plugin's testing module:\n  - "
        + "\n  - ".join(missing))


@pytest.fixture
def tenants(app, make_actor):
    """``(ours, theirs)``: the attacker's and the victim's probe contexts (owners both)."""
    load_probes(app)
    return ProbeContext(app, make_actor("owner")), ProbeContext(app, make_actor("owner"))


def test_another_organizations_objects_answer_like_missing_ones(tenant_isolation, figure):
    findings = tenant_isolation()  # every route of every installed plugin
    assert findings.calls >= 200 and findings.operations >= 50
    figure(f"BOLA matrix: {findings.summary()}")


def test_ids_in_bodies_and_queries_reach_no_other_organization(app, tenants):
    """Ids that travel outside the URL: bulk issue updates, token deletion, release projects."""
    ours, theirs = tenants
    make_all(ours, app)
    make_all(theirs, app)
    issue = theirs.need("/api/0/organizations/<organization_id_or_slug>/issues/<issue_id>/")
    token = theirs.need("/api/0/api-tokens/<token_id>/")
    project = theirs.need(PROJECT)
    team = theirs.need("/api/0/teams/<organization_id_or_slug>/<team_id_or_slug>/")
    our_project = ours.need(PROJECT)["project_id_or_slug"]
    api = ours.api.unchecked()
    before = database_rows(app)
    issues = f"/api/0/organizations/{ours.org}/issues/?id={issue['issue_id']}"
    calls = [
        api.put(issues, json={"status": "resolved"}),
        api.delete(issues),
        api.put(f"/api/0/projects/{ours.org}/{our_project}/issues/?id={issue['issue_id']}",
                json={"status": "resolved"}),
        api.delete("/api/0/api-tokens/", json={"tokenId": int(token["token_id"])}),
        api.post(f"/api/0/organizations/{ours.org}/releases/",
                 json={"version": "stolen@1", "projects": [project["project_id_or_slug"]]}),
        api.post(f"/api/0/organizations/{ours.org}/members/",
                 json={"email": "x@example.com", "teamRoles": [{"teamSlug": team["team_id_or_slug"],
                                                               "role": "admin"}]}),
    ]
    assert all(r.status_code < 500 for r in calls), [(r.status_code, r.json) for r in calls]
    after = database_rows(app)
    changed = changed_tables(before, after)
    # The attacker's own member invite may be stored (without the foreign team): nothing else.
    assert set(changed) <= {"organization_member"}, changed

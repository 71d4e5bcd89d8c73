"""Team-scoped project access (issue 16), generated from the route map: every project-scoped
operation of every installed plugin answers as Sentry's rules say, for every kind of caller.

The matrix itself is ``sentryapi.project_access``; a new plugin's project routes are in it
the day the plugin is installed (they must be ``ProjectEndpoint``s, and have probes).
"""

from __future__ import annotations

from sentryapi.probes import load_probes
from sentryapi.project_access import KINDS, Kind, project_operations, run


def test_every_project_scoped_operation_answers_by_sentrys_rules(app, make_actor, make_token,
                                                                 owner, figure):
    load_probes(app)
    findings = run(app, make_actor, make_token, owner)
    assert not findings.problems, "\n".join(findings.problems)
    assert findings.operations >= 40 and findings.refused >= 200
    figure(f"Project-access matrix: {findings.summary()}")


def test_the_matrix_covers_every_plugin_with_project_routes(spec_app):
    """Events, releases, stats, webhooks and projects all have operations in the matrix."""
    rules = {op.rule for op in project_operations(spec_app)}
    for fragment in ("/issues/<issue_id>/", "/events/", "/releases/", "/stats/", "/hooks/", "/keys/"):
        assert any(fragment in rule for rule in rules), fragment


def test_the_expectations_are_sentrys():
    """Spot checks of the rule the matrix applies (it must be able to fail)."""
    by_name = {kind.name: kind for kind in KINDS}
    write = ("project:write", "project:admin")
    assert by_name["admin on no team"].expected(write, open_membership=False) == "403"
    assert by_name["admin on no team"].expected(write, open_membership=True) == "allowed"
    assert by_name["member on no team"].expected(("event:read",), open_membership=False) == "403"
    assert by_name["member on the team"].expected(write, open_membership=False) == "403"
    assert by_name["admin on the team"].expected(write, open_membership=False) == "allowed"
    assert by_name["organization token"].expected(write, open_membership=True) == "403"
    assert by_name["organization token"].expected(("org:ci",), open_membership=False) == "allowed"
    assert by_name["organization token"].expected(write, False, exists=False) == "403"
    assert by_name["member on no team"].expected(write, False, exists=False) == "404"
    assert by_name["member on no team"].expected(("project:read",), False, exists=False) == "404"
    assert Kind("x", "owner", token_scopes=frozenset({"project:read"})).expected(
        write, open_membership=True) == "403"

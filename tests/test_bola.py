"""Tenant isolation (OWASP API1, broken object level authorization), generated from the route map.

Two organizations, each with one of every object the API names (made by the probes,
``sentryapi.probes``). The attacker calls every ``/api/0/`` operation with the victim's
objects in its URL, in every combination with its own, and must get exactly what a
missing object gets: 404 with the same body. Its lists and details read the same
before and after the victim's objects exist (no foreign rows), and no row of the
database changes from all those foreign calls.
"""

from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import select

from sentryapi.probes import (
    ORG_ARG,
    PROBES,
    ProbeContext,
    api_operations,
    arguments,
    fill,
    load_probes,
    make_all,
    missing_probes,
    object_args,
    readable,
    rule_args,
)

#: Columns that change on every authenticated call (a token's last use), not by a write.
VOLATILE_COLUMNS = {"last_used_at"}
#: Response fields that move with the clock, not with other tenants (last use, hourly stats).
VOLATILE_FIELDS = {"dateLastUsed", "stats"}
PROJECT = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/"
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def test_every_route_naming_an_object_has_a_probe(spec_app):
    missing = missing_probes(spec_app)
    assert not missing, (
        "These /api/0/ routes name an object or take a body, but no probe makes one for the "
        "access tests (tests/test_bola.py, tests/test_mass_assignment.py). Register a factory "
        "with @sentryapi.testing.probe(rule) in the plugin's testing module:\n  - "
        + "\n  - ".join(missing))


def missing_value(arg: str, theirs: str) -> str:
    """A value of the same shape as ``theirs`` that names nothing."""
    if arg == ORG_ARG:
        return "no-such-organization"
    if theirs.isdigit():
        return "987654321"
    if HEX32.match(theirs):
        return "f" * 32
    return f"no-such-{arg.replace('_', '-')}"


@pytest.fixture
def tenants(app, make_actor):
    """``(ours, theirs)``: the attacker's and the victim's probe contexts (owners both)."""
    load_probes(app)
    return ProbeContext(app, make_actor("owner")), ProbeContext(app, make_actor("owner"))


def stable(value):
    """``value`` without the fields that change with time alone."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE_FIELDS}
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    return value


def database_rows(app) -> dict[str, list]:
    from sentryapi.extensions import db

    rows = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in VOLATILE_COLUMNS]
            result = db.session.execute(select(*columns)).all()
            rows[table.name] = sorted(repr(tuple(row)) for row in result)
        db.session.rollback()
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def foreign_variants(rule: str, ours: dict, theirs: dict):
    """(which arguments are the victim's, path with them, path with missing values instead)."""
    swappable = [ORG_ARG, *object_args(rule)] if ORG_ARG in rule_args(rule) else object_args(rule)
    for size in range(1, len(swappable) + 1):
        for chosen in itertools.combinations(swappable, size):
            foreign = {**ours, **{a: theirs[a] for a in chosen}}
            missing = {**ours, **{a: missing_value(a, str(theirs[a])) for a in chosen}}
            yield chosen, fill(rule, foreign), fill(rule, missing)


def cross_tenant_problems(app, api, ours, theirs, *, must_be_404: bool) -> tuple[int, list[str]]:
    """Every operation with the victim's arguments vs missing ones, as ``api``'s caller."""
    checked, problems = 0, []
    for rule, method, _cls in api_operations(app):
        if not object_args(rule) and rule not in PROBES:
            continue
        our_args, their_args = arguments(ours, rule), arguments(theirs, rule)
        body = PROBES[rule].body(method, ours) if rule in PROBES else {}
        for chosen, foreign_path, missing_path in foreign_variants(rule, our_args, their_args):
            foreign = api.request(method, foreign_path, json=body)
            missing = api.request(method, missing_path, json=body)
            checked += 1
            same = (foreign.status_code, foreign.json) == (missing.status_code, missing.json)
            if not same or (must_be_404 and foreign.status_code != 404):
                problems.append(f"{method} {rule} with the victim's {', '.join(chosen)}: "
                                f"{foreign.status_code} {str(foreign.json)[:200]} (a missing one: "
                                f"{missing.status_code} {str(missing.json)[:200]})")
    return checked, problems


def test_another_organizations_objects_answer_like_missing_ones(app, tenants, make_token, figure):
    ours, theirs = tenants
    make_all(ours, app)
    our_view = stable(readable(app, ours))
    make_all(theirs, app)
    assert stable(readable(app, ours)) == our_view, "the victim's objects show in the attacker's reads"

    # A token short of most scopes, too: a 403 or 404 must not tell a foreign object from none.
    narrow = ours.api.unchecked().as_(make_token(ours.actor.user, ["org:read"]))
    before = database_rows(app)
    checked, problems = cross_tenant_problems(app, ours.api.unchecked(), ours, theirs, must_be_404=True)
    assert not problems, "\n".join(problems)
    assert checked >= 100
    narrow_checked, problems = cross_tenant_problems(app, narrow, ours, theirs, must_be_404=False)
    assert not problems, "\n".join(problems)
    after = database_rows(app)
    assert not changed_tables(before, after), f"foreign calls changed {changed_tables(before, after)}"
    operations = {(r, m) for r, m, _c in api_operations(app) if object_args(r) or r in PROBES}
    figure(f"BOLA matrix: {len(operations)} operations, {checked + narrow_checked} cross-tenant "
           f"calls (owner and narrow token), 0 differ from a missing object, "
           f"{len(before)} tables unchanged, lists over {len(our_view)} reads show 0 foreign rows")


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

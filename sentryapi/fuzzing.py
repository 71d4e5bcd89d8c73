"""API fuzzing with schemathesis: every operation of the internal document called in process
with generated requests, by the owner of a seeded organization; all of schemathesis's
checks but the two below must pass. The suite (``tests/test_openapi_fuzz.py``) and
``flask sentryapi check-plugin`` both use it; it needs the dev extras (schemathesis).

Path parameters naming objects are pinned to ones the plugins' ``fuzz_seed`` hooks made,
so requests reach the views; invalid requests are made only where an operation has an
input (query or body) to make invalid.
"""

from __future__ import annotations

import collections

from .openapi.operations import OPERATION_METHODS


def excluded_checks() -> list:
    """Checks left out, and why (the rest: no 5xx; statuses, content types, headers and
    bodies as documented; authentication enforced as declared)."""
    from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

    return [
        # A request valid by the schema can still fail checks a schema cannot express (an
        # expiry in the past, team roles without a teams plugin): a 400 there is right.
        positive_data_acceptance,
        # Input is read leniently, as Sentry (Django REST framework) reads it: JSON booleans
        # also as 0/1/"true", integers also as numeric strings. Accepting those is deliberate.
        negative_data_rejection,
    ]


def operations(document: dict, paths: set[str] | None = None) -> list[tuple[str, bool]]:
    """``("METHOD /path", invalid)`` for every operation (of ``paths``, when given): once with
    valid requests, and once with invalid ones where there is an input to make invalid."""
    found = []
    for path, item in document["paths"].items():
        if paths is not None and path not in paths:
            continue
        for method, operation in item.items():
            if method in OPERATION_METHODS:
                name = f"{method.upper()} {path}"
                found.append((name, False))
                if operation.get("parameters") or operation.get("requestBody"):
                    found.append((name, True))
    return found


def seed(app, make_actor) -> dict:
    """An organization with an owner (a token with every scope), a second member, and what
    each plugin's ``fuzz_seed`` hook adds; the headers and path parameters to call with."""
    from .api import Organization, OrganizationMember, db
    from .probes import fuzz_parameters

    owner = make_actor("owner")
    other = make_actor("member", organization=owner.organization)
    parameters = {"organization_id_or_slug": str(owner.organization.id), "member_id": str(other.member.id)}
    with app.app_context():
        organization = db.session.get(Organization, owner.organization.id)
        member = db.session.get(OrganizationMember, owner.member.id)
        parameters.update(fuzz_parameters(organization, member))
        db.session.commit()
    return {"headers": {"Authorization": f"Bearer {owner.token}"}, "path_parameters": parameters}


def fuzz(app, seeded: dict, operation: str, invalid: bool, max_examples: int) -> collections.Counter:
    """Run schemathesis on one operation; the statuses answered. Raises on a failed check."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_dict(app.extensions["sentryapi.api"].internal_document())
    schema.app = app
    # Unknown query parameters and body fields are ignored, as Sentry does, so "invalid"
    # requests made only of extra parameters are not generated; the token is sent here.
    schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
    method, path = operation.split(" ", 1)
    api_operation = schema[path][method]
    names = {p.name for p in api_operation.path_parameters}
    pinned = {k: v for k, v in seeded["path_parameters"].items() if k in names}
    mode = GenerationMode.NEGATIVE if invalid else GenerationMode.POSITIVE
    statuses: collections.Counter = collections.Counter()
    excluded = excluded_checks()

    @given(case=api_operation.as_strategy(generation_mode=mode, path_parameters=pinned or None))
    @settings(max_examples=max_examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call_and_validate(headers=seeded["headers"], excluded_checks=excluded)
        statuses[str(response.status_code)] += 1

    run()
    return statuses

"""Fuzzing: schemathesis over the internal document (every operation), against the app.

Requests run in process through WSGI, authenticated as the owner of a seeded organization
with a token holding every scope; path parameters that name seeded objects are pinned so
requests reach the view. Each operation gets ``SENTRYAPI_FUZZ_EXAMPLES`` (default 8)
valid and as many invalid examples per database backend; ``make fuzz`` runs many more.
All of schemathesis's default checks apply: no 5xx, statuses, content types, headers and
bodies as documented, invalid input rejected, valid input accepted.
"""

from __future__ import annotations

import os
import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from sentryapi.openapi.operations import OPERATION_METHODS
from sentryapi.probes import fuzz_parameters
from sentryapi.testing import FUZZ_STATUSES

MAX_EXAMPLES = int(os.environ.get("SENTRYAPI_FUZZ_EXAMPLES", "8"))


#: Checks left out, and why. The rest (no 5xx; statuses, content types, headers and bodies
#: as documented; authentication enforced as declared) must all pass.
EXCLUDED_CHECKS = [
    # A request valid by the schema can still fail checks a schema cannot express (an
    # expiry in the past, team roles without a teams plugin): a 400 there is right.
    positive_data_acceptance,
    # Input is read leniently, as Sentry (Django REST framework) reads it: JSON booleans
    # also as 0/1/"true", integers also as numeric strings. Accepting those is deliberate.
    negative_data_rejection,
]


def _cases() -> list:
    """(operation, mode) for every operation the installed plugins make (collected once).

    Invalid requests are generated only where there is an input to make invalid (query
    or body); path parameters are pinned to seeded objects.
    """
    from sentryapi.testing import build_app

    with tempfile.TemporaryDirectory(prefix="sentryapi-fuzz-") as instance:
        document = build_app("sqlite://", instance).extensions["sentryapi.api"].internal_document()
    cases = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in OPERATION_METHODS:
                continue
            name = f"{method.upper()} {path}"
            cases.append(pytest.param(name, GenerationMode.POSITIVE, id=f"{name}-valid"))
            if operation.get("parameters") or operation.get("requestBody"):
                cases.append(pytest.param(name, GenerationMode.NEGATIVE, id=f"{name}-invalid"))
    return cases


@pytest.fixture
def seeded(app, make_actor):
    """An organization with an owner (token with every scope), a second member, and what
    each plugin's ``fuzz_seed`` hook adds: ``hook(organization, member)`` creates objects
    and returns the path parameters naming them (``{"team_id_or_slug": "12"}``)."""
    from sentryapi.api import Organization, OrganizationMember, db

    owner = make_actor("owner")
    other = make_actor("member", organization=owner.organization)
    parameters = {
        "organization_id_or_slug": str(owner.organization.id),
        "member_id": str(other.member.id),
    }
    with app.app_context():
        organization = db.session.get(Organization, owner.organization.id)
        member = db.session.get(OrganizationMember, owner.member.id)
        parameters.update(fuzz_parameters(organization, member))
        db.session.commit()
    return {"headers": {"Authorization": f"Bearer {owner.token}"}, "path_parameters": parameters}


@pytest.mark.slow
@pytest.mark.parametrize(("operation", "mode"), _cases())
def test_fuzz(app, seeded, operation, mode):
    schema = schemathesis.openapi.from_dict(app.extensions["sentryapi.api"].internal_document())
    schema.app = app
    # Unknown query parameters and body fields are ignored, as Sentry does, so "invalid"
    # requests made only of extra parameters are not generated; we send the token ourselves.
    schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
    method, path = operation.split(" ", 1)
    api_operation = schema[path][method]
    names = {p.name for p in api_operation.path_parameters}
    pinned = {k: v for k, v in seeded["path_parameters"].items() if k in names}

    @given(case=api_operation.as_strategy(generation_mode=mode, path_parameters=pinned or None))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case):
        response = case.call_and_validate(headers=seeded["headers"], excluded_checks=EXCLUDED_CHECKS)
        FUZZ_STATUSES[str(response.status_code)] += 1

    fuzz()

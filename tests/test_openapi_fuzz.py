"""Fuzzing: schemathesis over the internal document (every operation), against the app.

Requests run in process through WSGI, authenticated as the owner of a seeded organization
with a token holding every scope; path parameters that name seeded objects are pinned so
requests reach the view. Each operation gets ``SENTRYAPI_FUZZ_EXAMPLES`` (default 8)
valid and as many invalid examples per database backend; ``make fuzz`` runs many more.
The run itself is ``sentryapi.fuzzing`` (shared with ``check-plugin``), with the checks it
lists and why the two it leaves out are left out.
"""

from __future__ import annotations

import os
import tempfile

import pytest

from sentryapi.fuzzing import fuzz, operations, seed
from sentryapi.testing import FUZZ_STATUSES

MAX_EXAMPLES = int(os.environ.get("SENTRYAPI_FUZZ_EXAMPLES", "8"))


def _cases() -> list:
    """(operation, invalid) for every operation the installed plugins make (collected once)."""
    from sentryapi.testing import build_app

    with tempfile.TemporaryDirectory(prefix="sentryapi-fuzz-") as instance:
        document = build_app("sqlite://", instance).extensions["sentryapi.api"].internal_document()
    return [pytest.param(name, invalid, id=f"{name}-{'invalid' if invalid else 'valid'}")
            for name, invalid in operations(document)]


@pytest.fixture
def seeded(app, make_actor):
    return seed(app, make_actor)


@pytest.mark.slow
@pytest.mark.parametrize(("operation", "invalid"), _cases())
def test_fuzz(app, seeded, operation, invalid):
    FUZZ_STATUSES.update(fuzz(app, seeded, operation, invalid, MAX_EXAMPLES))

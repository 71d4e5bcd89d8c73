"""What the suite prints at its end (OpenAPI conformance, fuzzing, hardening figures), with or
without pytest-xdist.

Under xdist every worker runs a share of the tests and counts only its share, so each worker
hands its counts to the controller when it finishes (xdist's ``workeroutput``), and the
controller adds them up and prints one summary for the whole run.
"""

from __future__ import annotations

import collections
import json

import pytest

#: Statuses of the requests fuzzing tests sent ("200" -> count), for the summary.
FUZZ_STATUSES: collections.Counter = collections.Counter()
#: Measured figures of the hardening tests ("BOLA matrix: 312 cross-tenant calls, 0 leaks").
FIGURES: list[str] = []

_contract = None
_WORKER_KEY = "sentryapi_summary"


def contract():
    """The session's response-conformance checker (``sentryapi.openapi.conformance``)."""
    global _contract
    if _contract is None:
        from sentryapi.openapi.conformance import Conformance

        _contract = Conformance()
    return _contract


def _counts() -> dict:
    checked = _contract.checked if _contract is not None else {}
    public = _contract.public if _contract is not None else set()
    return {"checked": dict(checked), "public": sorted(public),
            "fuzz": dict(FUZZ_STATUSES), "figures": list(FIGURES)}


def _add(counts: dict) -> None:
    if counts["checked"] or counts["public"]:
        contract().checked.update(counts["checked"])
        contract().public |= set(counts["public"])
    FUZZ_STATUSES.update(counts["fuzz"])
    FIGURES.extend(counts["figures"])


def pytest_sessionfinish(session):
    output = getattr(session.config, "workeroutput", None)  # set on xdist workers only
    if output is not None:
        output[_WORKER_KEY] = json.dumps(_counts())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """An xdist worker finished: add its counts to the controller's."""
    counts = getattr(node, "workeroutput", {}).get(_WORKER_KEY)
    if counts:
        _add(json.loads(counts))


def pytest_terminal_summary(terminalreporter):
    for line in _contract.summary() if _contract is not None else ():
        terminalreporter.write_line(f"OpenAPI conformance: {line}")
    if FUZZ_STATUSES:
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(FUZZ_STATUSES.items()))
        terminalreporter.write_line(
            f"Fuzzing: {sum(FUZZ_STATUSES.values())} requests checked by schemathesis ({statuses})"
        )
    for line in FIGURES:
        terminalreporter.write_line(f"Hardening: {line}")

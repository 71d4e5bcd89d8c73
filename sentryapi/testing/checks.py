"""Fixtures that apply the core's rules to a plugin: Sentry conformance, the plugin contract,
tenant isolation."""

from __future__ import annotations

import pytest

from ..contract import assert_keeps_contract, plugin_package, plugin_rules
from ..isolation import check
from ..probes import ProbeContext, load_probes, missing_probes
from .apps import build_app


@pytest.fixture
def sentry_conforms():
    """``sentry_conforms(method, "/api/0/...{organization_id_or_slug}/", status, body)``
    -> the ways ``body`` differs from Sentry's published schema (``[]`` when it conforms)."""
    from sentryapi.conformance import violations

    return violations


@pytest.fixture(scope="session")
def plugin_contract(tmp_path_factory):
    """``plugin_contract("name")`` fails with every way that plugin breaks the plugin
    contract (see ``sentryapi.contract``); a plugin's suite calls it on itself."""
    app = build_app("sqlite://", tmp_path_factory.mktemp("contract-instance"))
    return lambda name: assert_keeps_contract(app, name)


@pytest.fixture
def tenant_isolation(app, make_actor, make_token):
    """``tenant_isolation(name=None)``: another organization's token must not tell the
    victim's objects from missing ones, on plugin ``name``'s routes (every route by
    default); fails listing each difference, else returns the findings
    (``sentryapi.isolation``). The plugin's routes need probes (``sentryapi.probes``)."""

    def run(name: str | None = None):
        load_probes(app)
        rules = None
        if name is not None:
            plugin = app.extensions["sentryapi.plugins"].by_name[name]
            rules = {rule.rule for rule, _view in plugin_rules(app, plugin_package(plugin))}
        missing = [line for line in missing_probes(app) if rules is None or line.split(" ")[0] in rules]
        assert not missing, "no probe (@sentryapi.testing.probe) for: " + "; ".join(missing)
        ours, theirs = ProbeContext(app, make_actor("owner")), ProbeContext(app, make_actor("owner"))
        narrow = ours.api.unchecked().as_(make_token(ours.actor.user, ["org:read"]))
        findings = check(app, ours, theirs, narrow, rules)
        assert not findings.problems, "tenant isolation broken:\n" + "\n".join(findings.problems)
        return findings

    return run

"""The plugin contract (``sentryapi.contract``): every installed plugin keeps it, and a
plugin that breaks it is told each way it does."""

import os
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from sentryapi.plugins import ENTRY_POINT_GROUP

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INSTALLED = sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


@pytest.mark.parametrize("name", INSTALLED)
def test_every_installed_plugin_keeps_the_contract(plugin_contract, name):
    plugin_contract(name)


def check_plugins(tmp_path, plugin_dirs, *names):
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SENTRYAPI_")},
        "SENTRYAPI_INSTANCE_PATH": str(tmp_path), "PYTHONPATH": os.pathsep.join(plugin_dirs),
    }
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "sentryapi",
                           "check-plugin", *names], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_a_plugin_breaking_the_contract_is_told_how(tmp_path, installed):
    dirs = [installed(name) for name in ("breaker", "lib", "good")]
    result = check_plugins(tmp_path, dirs, "fixture_breaker", "fixture_lib", "fixture_good")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert "fixture_lib: keeps the contract" in lines and "fixture_good: keeps the contract" in lines
    problems = [line for line in lines if line.startswith("  - ")]
    expected = [
        "imports fixture_good from plugin 'fixture_good', which it does not require",
        "imports marshmallow directly",
        "imports fixture_lib.internal, private to plugin 'fixture_lib'",
        "imports sentryapi.auth.models, private to the core",
        "route /breaker/ is outside /api/0/",
        "views check scopes Sentry does not have: made:up",
        "views check scopes missing from Plugin.scopes: org:write",
        "GET /api/0/breaker-items/: answers a list but is not declared with @blp.paginated_response",
        "blueprint 'Breaker': no tag with a description",
        "POST /api/0/breaker-items/: no summary",
    ]
    for text in expected:
        assert any(text in problem for problem in problems), (text, problems)
    assert len(problems) == len(expected), problems
    assert not any("fixture_lib.helpers" in problem for problem in problems)


def test_an_unknown_plugin_is_reported(tmp_path):
    result = check_plugins(tmp_path, [], "no_such_plugin")
    assert result.returncode == 1
    assert "no plugin named 'no_such_plugin' is loaded" in result.stdout


def test_built_in_plugins_are_checked_too(app):
    """No exemption for the core's own plugins: one that imports another built-in plugin's
    package without requiring it is told so (relative imports are read as well)."""
    from sentryapi.contract_imports import check_builtin_imports, imported_modules
    from sentryapi.plugins import Plugin

    registry = app.extensions["sentryapi.plugins"]
    webhooks = registry.by_name["webhooks"]
    assert check_builtin_imports("sentryapi.webhooks", webhooks, registry) == []
    careless = Plugin(name="webhooks", requires=())
    problems = check_builtin_imports("sentryapi.webhooks", careless, registry)
    assert "webhooks/testing.py:5 imports sentryapi.organizations.testing from plugin "\
           "'organizations', which it does not require" in problems
    testing = os.path.join(ROOT, "sentryapi", "webhooks", "testing.py")
    assert (5, "sentryapi.organizations.testing", ("created",)) in imported_modules(
        testing, "sentryapi.webhooks")

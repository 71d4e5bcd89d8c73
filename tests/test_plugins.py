"""The plugin registry, exercised with real fixture packages installed by pip.

Each fixture under tests/fixture_plugins/ is a distribution with an entry point in
``sentryapi.plugins``; it is pip-installed into a folder of its own and the app is built
in a subprocess with that folder on ``sys.path``, exactly as an installed plugin is found.
"""

import os
import subprocess
import sys

import pytest

from sentryapi.plugins import Plugin, PluginError, PluginRegistry, UnknownHook, order

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def flask(tmp_path, plugin_dirs, *args, env=None):
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SENTRYAPI_")},
        "SENTRYAPI_INSTANCE_PATH": str(tmp_path),
        "PYTHONPATH": os.pathsep.join(plugin_dirs),
        **(env or {}),
    }
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)


def test_an_installed_plugin_is_discovered_and_served(tmp_path, installed):
    good = installed("good")
    listed = flask(tmp_path, [good], "sentryapi", "plugins")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    # The core's built-in plugins come first (in requirement order), then the installed ones.
    assert lines[0].split(" ")[0] in {"organizations", "scheduler", "mail", "oauth", "webhooks"}
    assert any(line.startswith("organizations 0.1.0 from sentryapi") for line in lines)
    assert "fixture_good 1.2.3 from sentryapi-fixture-good (requires organizations)" in lines
    assert flask(tmp_path, [good], "fixture-hello").stdout.strip() == "hello from fixture_good"
    routes = flask(tmp_path, [good], "routes")
    assert "/api/0/fixture-ping/" in routes.stdout
    script = (
        "from sentryapi import create_app; app = create_app({'TESTING': True, "
        "'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); print(app.config.get('FIXTURE_GOOD_LOADED'));"
        "print([t['name'] for t in app.extensions['sentryapi.api'].spec.to_dict()['tags']])"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": good, "SENTRYAPI_INSTANCE_PATH": str(tmp_path)},
                         timeout=120)
    assert out.returncode == 0, out.stderr
    loaded, tags = out.stdout.splitlines()
    assert loaded == "True" and "Fixture" in tags


def test_a_setting_disables_a_plugin(tmp_path, installed):
    routes = flask(tmp_path, [installed("good")], "routes",
                   env={"SENTRYAPI_DISABLED_PLUGINS": "fixture_good"})
    assert routes.returncode == 0, routes.stderr
    assert "/api/0/fixture-ping/" not in routes.stdout


@pytest.mark.parametrize("fixtures, message", [
    (["broken"], "plugin 'fixture_broken' failed to import (entry point 'fixture_broken' = 'fixture_broken:plugin' in sentryapi-fixture-broken)"),
    (["needs"], "plugin 'fixture_needs' (fixture_needs:plugin) requires 'fixture_absent', but it is not installed"),
    (["cycle"], "plugins require each other in a cycle: fixture_cycle_a -> fixture_cycle_b -> fixture_cycle_a"),
    (["good", "duplicate"], "two plugins are named 'fixture_good'"),
    (["notaplugin"], "is a dict, not a sentryapi.plugins.Plugin"),
    (["unknownhook"], "plugin 'fixture_unknownhook' (fixture_unknownhook:plugin) implements hook "
                      "'organisation_details', which no spec declares"),
    (["badhook"], "plugin 'fixture_badhook' (fixture_badhook:plugin): hook 'member_teams' takes "
                  "'organization', which the spec does not have (the spec: member_teams(member))"),
])
def test_broken_setups_stop_start_up_naming_the_plugin(tmp_path, installed, fixtures, message):
    result = flask(tmp_path, [installed(name) for name in fixtures], "routes")
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_requiring_a_disabled_plugin_says_so(tmp_path, installed):
    result = flask(tmp_path, [installed("good")], "routes", env={"SENTRYAPI_DISABLED_PLUGINS": "organizations"})
    assert result.returncode != 0
    assert "requires 'organizations', but it is disabled" in result.stderr


def test_a_route_without_declared_access_refuses_to_start(tmp_path, installed):
    result = flask(tmp_path, [installed("undeclared")], "routes")
    assert result.returncode != 0
    assert "GET /api/0/open-door/ (OpenDoor): no scope_map entry" in result.stderr


def test_order_puts_requirements_first_and_is_stable():
    a, b, c = Plugin("a", requires=("c",)), Plugin("b"), Plugin("c", requires=("b",))
    assert [p.name for p in order([a, b, c])] == ["b", "c", "a"]
    assert [p.name for p in order([c, a, b])] == ["b", "c", "a"]
    with pytest.raises(PluginError, match="requires 'zzz'"):
        order([Plugin("x", requires=("zzz",))])


def hooked(**hooks) -> PluginRegistry:
    return PluginRegistry([Plugin("a", hooks=hooks)])


def test_a_hook_implementation_must_match_its_spec():
    with pytest.raises(PluginError, match="gives 'new_group_ids' a default; the hook always passes it"):
        hooked(events_stored=lambda events, new_group_ids=(): None)
    with pytest.raises(PluginError, match="takes \\*args; name the spec's arguments instead"):
        hooked(member_teams=lambda *args: [])
    with pytest.raises(PluginError, match="hook 'member_teams' is a builtin_function_or_method, not a function"):
        hooked(member_teams=[].append)
    # Fewer arguments than the spec is fine: pluggy passes what the function names.
    assert hooked(set_member_teams=lambda team_roles: team_roles).call("set_member_teams", "m", ["r"]) == [["r"]]


def test_hooks_answer_in_load_order_leaving_out_none():
    registry = PluginRegistry([Plugin("a", hooks={"member_teams": lambda member: ["a"]}),
                               Plugin("b", hooks={"member_teams": lambda member: None}),
                               Plugin("c", hooks={"member_teams": lambda member: ["c"]})])
    assert registry.call("member_teams", "someone") == [["a"], ["c"]]
    assert registry.call("member_teams", member="someone") == [["a"], ["c"]]
    assert registry.implementers("member_teams") == ["a", "b", "c"]
    registry.remove("a")
    assert registry.call("member_teams", "someone") == [["c"]]
    # The order is remembered between calls, and worked out again when plugins change.
    registry.add(Plugin("d", hooks={"member_teams": lambda member: ["d"]}))
    assert registry.call("member_teams", "someone") == [["c"], ["d"]]


def test_firing_a_hook_without_a_spec_is_refused():
    registry = hooked(member_teams=lambda member: ["x"])
    with pytest.raises(UnknownHook, match="hook 'member_team' is not declared in sentryapi.hookspecs"):
        registry.call("member_team", "someone")
    with pytest.raises(TypeError, match="hook 'set_member_teams' takes the arguments"):
        registry.call("set_member_teams", "someone")

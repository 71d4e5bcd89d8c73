"""docs/plugins.md stays in step with the code: the public API, the Plugin fields, the hooks
the core calls and the contract's commands are all in it."""

import dataclasses
import os
import re

import sentryapi.api
from sentryapi.plugins import Plugin

GUIDE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "plugins.md")
CORE_HOOKS = ("organization_details", "organization_features", "member_teams", "set_member_teams",
              "record_outcomes", "find_project", "member_team_roles")


def guide() -> str:
    with open(GUIDE, encoding="utf-8") as fh:
        return fh.read()


def test_the_guide_lists_exactly_the_public_core_api():
    text = guide()
    table = text[text.index("`sentryapi.api` exports"):text.index("## Routes and views")]
    listed = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", table)) - {"sentryapi.api", "__all__"}
    assert listed == set(sentryapi.api.__all__)


def test_the_guide_documents_every_plugin_field_and_core_hook():
    text = guide()
    for field in dataclasses.fields(Plugin):
        assert f"`{field.name}`" in text, field.name
    for hook in CORE_HOOKS:
        assert f"`{hook}`" in text, hook
    for command in ("new-plugin", "check-plugin", "makemigrations", "plugin_contract"):
        assert command in text


def test_the_core_calls_only_documented_hooks():
    """Every hook name the core passes to ``call``/``call_hook`` is in the guide's table."""
    core = os.path.dirname(os.path.dirname(sentryapi.api.__file__))
    called = set()
    for folder, _, files in os.walk(core):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as fh:
                    called |= set(re.findall(r'(?:call_hook|\.call)\("([a-z_]+)"', fh.read()))
    assert {"record_outcomes", "member_teams"} <= called  # the scan sees the calls
    assert called <= set(CORE_HOOKS), called - set(CORE_HOOKS)

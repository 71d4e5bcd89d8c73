"""docs/plugins.md stays in step with the code: the public API, the Plugin fields, every
declared hook and the contract's commands are all in it."""

import dataclasses
import os
import re

import sentryapi.api
from sentryapi.hooklist import FIRED, markdown
from sentryapi.plugins import Plugin, hook_specs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUIDE = os.path.join(ROOT, "docs", "plugins.md")


def guide() -> str:
    with open(GUIDE, encoding="utf-8") as fh:
        return fh.read()


def test_the_guide_lists_exactly_the_public_core_api():
    text = guide()
    table = text[text.index("`sentryapi.api` exports"):text.index("## Routes and views")]
    listed = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", table)) - {"sentryapi.api", "__all__"}
    assert listed == set(sentryapi.api.__all__)


def test_the_guide_documents_every_plugin_field_and_command():
    text = guide()
    for field in dataclasses.fields(Plugin):
        assert f"`{field.name}`" in text, field.name
    for command in ("new-plugin", "check-plugin", "makemigrations", "plugin_contract", "sentryapi hooks"):
        assert command in text


def test_the_guides_hook_table_is_the_one_generated_from_the_specs():
    assert markdown() in guide(), "run `flask --app wsgi sentryapi hooks --markdown` and paste it"
    assert len(hook_specs()) == markdown().count("\n| `")


def fired_in_repository() -> dict[str, set[str]]:
    """Hook name -> files of the core and the bundled plugins that fire it by name."""
    fired: dict[str, set[str]] = {}
    for top in ("sentryapi", "plugins"):
        for folder, _, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    with open(path, encoding="utf-8") as fh:
                        for hook in FIRED.findall(fh.read()):
                            fired.setdefault(hook, set()).add(os.path.relpath(path, ROOT))
    return fired


def test_every_hook_fired_has_a_spec_and_every_spec_is_fired():
    fired = fired_in_repository()
    assert {"record_outcomes", "member_teams", "events_stored"} <= set(fired)  # the scan sees the calls
    assert set(fired) <= set(hook_specs()), {h: fired[h] for h in set(fired) - set(hook_specs())}
    unfired = set(hook_specs()) - {h for h, where in fired.items()
                                   if any("/tests/" not in w for w in where)}
    assert not unfired, f"declared hooks nothing fires (remove their specs or fire them): {sorted(unfired)}"


def test_the_hooks_command_names_implementers_and_firers(app):
    from sentryapi.hooklist import listing

    hooks = {hook["name"]: hook for hook in listing(app.extensions["sentryapi.plugins"])}
    assert list(hooks) == list(hook_specs())
    assert hooks["record_outcomes"]["fired_by"] == ["core"]
    assert hooks["team_projects"]["fired_by"] == ["teams"] and hooks["team_projects"]["implemented_by"] == ["projects"]
    assert hooks["find_project"]["fired_by"] == ["core"] and hooks["find_project"]["implemented_by"] == ["projects"]
    assert all(hook["fired_by"] for hook in hooks.values()), [h for h in hooks.values() if not h["fired_by"]]

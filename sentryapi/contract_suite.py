"""The core suite's plugin-wide rules, applied by ``check-plugin`` to one plugin.

``contract.check`` covers the plugin's shape (installed, imports, routes, access,
pagination, OpenAPI parts); these are what the core's suite then checks of every loaded
plugin: each public operation documented as Sentry documents its own, examples that
validate, a probe for every route the access tests must call, and migrations that create
the plugin's tables (a real server builds its schema only from them).
"""

from __future__ import annotations

import os
import re

from .openapi.rules import documentation_problems, example_problems
from .plugins import CORE_DISTRIBUTION, Plugin

CREATE_TABLE = re.compile(r"""create_table\(\s*['"]([^'"]+)['"]""")
DROP_TABLE = re.compile(r"""drop_table\(\s*['"]([^'"]+)['"]""")
BRANCH_LABELS = re.compile(r"^branch_labels\s*=\s*(.+)$", re.M)


def check(app, plugin: Plugin, rules) -> list[str]:
    from .contract import openapi_path

    registered = {blueprint.name for blueprint in plugin.blueprints}
    paths = {openapi_path(rule.rule) for rule, _ in rules if rule.endpoint.split(".")[0] in registered}
    problems = check_documentation(app, paths)
    problems += check_probes(app, {rule.rule for rule, _ in rules})
    problems += check_migrations(plugin)
    return problems


def check_documentation(app, paths: set[str]) -> list[str]:
    api = app.extensions["sentryapi.api"]
    problems = documentation_problems(api.published_document(), paths)
    try:
        for document in (api.published_document(), api.internal_document()):
            problems += example_problems(document, paths)[1]
    except ImportError as error:  # the dev extras are not installed
        problems.append(f"examples not checked: {error} (pip install 'sentryapi[dev]')")
    return sorted(set(problems))


def check_probes(app, plugin_rules: set[str]) -> list[str]:
    """Routes of the plugin the access tests cannot call for want of a probe."""
    try:
        from .probes import load_probes, missing_probes

        load_probes(app)
    except ImportError as error:  # a testing module needs the test runner
        return [f"probes not checked: {error} (pip install 'sentryapi[dev]')"]
    return [f"{line}: no probe, so the access tests cannot call it (add one to its testing module)"
            for line in missing_probes(app) if line.split(" (")[0] in plugin_rules]


def check_migrations(plugin: Plugin) -> list[str]:
    """A plugin with models ships an alembic branch labelled with its name creating them."""
    tables = sorted(model.__table__.name for model in plugin.models)
    if not tables or plugin.distribution == CORE_DISTRIBUTION:
        return []  # the core's own plugins: their tables are in the core's branch
    folder = plugin.migrations
    if not folder or not os.path.isdir(folder):
        return [f"its models ({', '.join(tables)}) have no migrations: set Plugin.migrations and "
                f"write them with `flask sentryapi makemigrations {plugin.name} -m ...`"]
    created, dropped, labelled = set(), set(), False
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                text = fh.read()
            upgrade = text.split("def downgrade", 1)[0]
            created |= set(CREATE_TABLE.findall(upgrade))
            dropped |= set(DROP_TABLE.findall(upgrade))
            labelled |= any(plugin.name in label for label in BRANCH_LABELS.findall(text))
    problems = []
    if not labelled:
        problems.append(f"no revision in {folder} is labelled with the branch {plugin.name!r}")
    missing = [t for t in tables if t not in created - dropped]
    if missing:
        problems.append(f"no migration creates {', '.join(missing)} (`flask sentryapi makemigrations "
                        f"{plugin.name} -m ...` against an upgraded database)")
    return problems

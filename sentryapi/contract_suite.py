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
import secrets
import tempfile
from dataclasses import dataclass

from .openapi.rules import documentation_problems, example_problems
from .plugins import CORE_DISTRIBUTION, Plugin

CREATE_TABLE = re.compile(r"""create_table\(\s*['"]([^'"]+)['"]""")
DROP_TABLE = re.compile(r"""drop_table\(\s*['"]([^'"]+)['"]""")
BRANCH_LABELS = re.compile(r"^branch_labels\s*=\s*(.+)$", re.M)


def check(app, plugin: Plugin, rules, *, isolation: bool = False) -> list[str]:
    """The suite's rules for ``plugin`` (``rules``: its routes); ``isolation`` adds the
    tenant-isolation check, the project-access matrix and fuzzing, which make objects in a
    throw-away database (seconds to a minute)."""
    from .contract import openapi_path

    registered = {blueprint.name for blueprint in plugin.blueprints}
    paths = {openapi_path(rule.rule) for rule, _ in rules if rule.endpoint.split(".")[0] in registered}
    problems = check_documentation(app, paths)
    problems += check_probes(app, {rule.rule for rule, _ in rules})
    problems += check_migrations(plugin)
    if isolation and not problems:  # its probes exist: its routes can be called
        problems += check_isolation({rule.rule for rule, _ in rules})
        problems += check_project_access({rule.rule for rule, _ in rules})
        problems += check_fuzzing(paths)
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


@dataclass
class _Actor:
    """An organization's owner and a client sending their token (what probes need)."""

    user: object
    org: str
    api: object


_isolation: dict[str, tuple] = {}


def check_isolation(plugin_rules: set[str]) -> list[str]:
    """The tenant-isolation check (``sentryapi.isolation``) on the plugin's routes, on a
    throw-away SQLite database: two organizations' objects made by every plugin's probes,
    then each route called with the other's ids, as a missing object's 404 must answer."""
    from .isolation import check as isolation_check

    app, ours, theirs, narrow = _isolation_setup()
    findings = isolation_check(app, ours, theirs, narrow, plugin_rules)
    return [f"tenant isolation: {problem}" for problem in findings.problems]


def check_project_access(plugin_rules: set[str]) -> list[str]:
    """The project-access matrix (``sentryapi.project_access``) on the plugin's project-scoped
    operations: every kind of caller, open membership on and off, answered as Sentry's rules
    say, and nothing changed by a refused call."""
    from .project_access import project_operations, run
    from .testing.actors import factories

    app = _isolation_setup()[0]
    if not project_operations(app, plugin_rules):
        return []
    _, _, make_token, make_actor = factories(app)
    findings = run(app, make_actor, make_token, make_actor("owner"), rules=plugin_rules)
    return [f"project access: {problem}" for problem in findings.problems]


#: Generated requests per operation and mode in ``check-plugin`` (the suite's default is 8).
FUZZ_EXAMPLES = 5


def check_fuzzing(paths: set[str]) -> list[str]:
    """schemathesis over the plugin's operations (``sentryapi.fuzzing``): no 5xx, answers as
    documented, on the throw-away database."""
    from .fuzzing import fuzz, operations, seed
    from .testing.actors import factories

    app = _isolation_setup()[0]
    if "fuzz_seed" not in _isolation:
        _isolation["fuzz_seed"] = seed(app, factories(app)[3])
    problems = []
    for operation, invalid in operations(app.extensions["sentryapi.api"].internal_document(), paths):
        try:
            fuzz(app, _isolation["fuzz_seed"], operation, invalid, FUZZ_EXAMPLES)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - schemathesis's findings
            summary = " ".join(str(error).split())[:300]
            problems.append(f"fuzzing {operation} ({'invalid' if invalid else 'valid'} requests): {summary}")
    return problems


def _isolation_setup() -> tuple:
    """One app and two organizations per process (every plugin checked shares them)."""
    if "setup" not in _isolation:
        from . import create_app
        from .extensions import db
        from .probes import ProbeContext, load_probes

        folder = tempfile.mkdtemp(prefix="sentryapi-check-plugin-")
        app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{os.path.join(folder, 'check.sqlite')}",
                          "PUBLIC_URL": "http://testserver.example", "SECRET_KEY": secrets.token_hex(16),
                          "WEBHOOK_LOOPBACK_ONLY": True})
        with app.app_context():
            db.create_all()
        load_probes(app)
        ours, theirs = ProbeContext(app, _owner(app)), ProbeContext(app, _owner(app))
        narrow = _client(app, _token(app, ours.actor.user, ["org:read"]))
        _isolation["setup"] = (app, ours, theirs, narrow)
    return _isolation["setup"]


def _owner(app) -> _Actor:
    from .extensions import db
    from .organizations import services

    with app.app_context():
        user = services.create_user(f"check-{secrets.token_hex(5)}@example.com")
        organization = services.create_organization(f"Check {secrets.token_hex(4)}", user)
        db.session.commit()
        slug = organization.slug
        db.session.expunge(user)
    return _Actor(user, slug, _client(app, _token(app, user, None)))


def _token(app, user, scopes) -> str:
    from .auth.scopes import ROLES, TOP_ROLE
    from .extensions import db
    from .organizations import services

    with app.app_context():
        _, token = services.issue_user_token(db.session.merge(user), scopes or ROLES[TOP_ROLE].scopes,
                                             name="check-plugin")
        db.session.commit()
    return token


def _client(app, token: str):
    from .testing import ApiClient  # the suite's client; check-plugin runs with the dev extras

    return ApiClient(app.test_client(), token, check_contract=False)

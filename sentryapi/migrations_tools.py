"""Writing a plugin's alembic revisions: only its tables, on its own branch."""

from __future__ import annotations

import os

from alembic import command
from alembic.script import ScriptDirectory
from flask import current_app

CORE_BRANCH = "core"


def _config():
    return current_app.extensions["migrate"].migrate.get_config()


def make_plugin_revision(plugin_name: str, message: str) -> str | None:
    """Autogenerate the next revision of ``plugin_name``'s branch; return its path."""
    registry = current_app.extensions["sentryapi.plugins"]
    if plugin_name not in registry:
        raise LookupError(f"no plugin named {plugin_name!r} is loaded")
    plugin = registry.by_name[plugin_name]
    if not plugin.migrations:
        raise LookupError(f"plugin {plugin_name!r} declares no migrations directory")
    os.makedirs(plugin.migrations, exist_ok=True)
    owned = registry.tables(plugin_name)
    config = _config()
    script = ScriptDirectory.from_config(config)
    branch_exists = any(plugin_name in (rev.branch_labels or ()) for rev in script.walk_revisions())
    migrate = current_app.extensions["migrate"]
    previous = migrate.configure_args.get("include_object")

    def include_object(obj, name, type_, reflected, compare_to):
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return table is not None and table.name in owned

    migrate.configure_args["include_object"] = include_object
    try:
        if branch_exists:
            revision = command.revision(config, message, autogenerate=True, head=f"{plugin_name}@head")
        else:
            core_head = script.get_revision(f"{CORE_BRANCH}@head").revision
            revision = command.revision(
                config, message, autogenerate=True, head="base", branch_label=plugin_name,
                version_path=plugin.migrations, depends_on=core_head,
            )
    finally:
        if previous is None:
            migrate.configure_args.pop("include_object", None)
        else:
            migrate.configure_args["include_object"] = previous
    return revision.path if revision is not None else None

"""Alembic environment: the core's revisions plus every plugin's branch.

Each plugin adds a branch of its own, so the script directory has several heads. Alembic
refuses ``upgrade head`` then; since ``flask db upgrade`` asks for ``head``, this
environment reads it as ``heads`` (every branch), which is what an operator means.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def _upgrade_every_branch() -> None:
    environment = context._proxy  # alembic's EnvironmentContext; no public accessor exists
    options = environment.context_opts
    upgrade = options.get("fn")
    if (options.get("destination_rev") == "head" and getattr(upgrade, "__name__", "") == "upgrade"
            and len(environment.script.get_heads()) > 1):
        script = environment.script
        options["fn"] = lambda rev, ctx: script._upgrade_revs("heads", rev)


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_db.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(ctx, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_as_batch", True)
    with target_db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


_upgrade_every_branch()
if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""alembic: every branch (core + plugins) builds the same schema as the models, on both DBs."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from sentryapi.testing import build_app


def test_flask_db_upgrade_builds_the_models_schema(empty_database_url, tmp_path):
    from sentryapi.extensions import db

    app = build_app(empty_database_url, tmp_path)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
            tables = set(inspect(connection).get_table_names())
            current = set(MigrationContext.configure(connection).get_current_heads())
        assert diff == [], f"models and migrations differ: {diff}"
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        applied = {rev.revision for rev in script.revision_map.iterate_revisions(tuple(current), "base")}
        assert set(script.get_heads()) <= applied  # every branch's head (dependencies included)
    # Upgrading again is a no-op.
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
